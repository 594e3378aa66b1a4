// Proves the ticket registration [1621]-[1627] over the real broker, database and SP actors: a ticket in the user's ticket list enters the registered ticket list with a new SP-certified key pair and the terminal switches it to post-registration; a ticket not in the user's list, or registered already, is refused with nothing changed.
import { toBase64 } from '../../../src/common/bytes.js';
import { AuditRecordEntity } from '../../../src/persistence/entities/index.js';
import { openPart } from '../../../src/protocol/signed-part.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../../../src/plugins/ticket/model/ticket-certificate.js';
import { RegisteredTicketEntity } from '../../../src/plugins/ticket/persistence/registered-ticket.entity.js';
import type { AttachedDevice } from '../../helpers/world.js';
import { TicketWorld } from '../../helpers/ticket-world.js';
import { waitFor } from '../../helpers/wait-for.js';

let tickets: TicketWorld;
let alice: AttachedDevice;
let bob: AttachedDevice;

beforeAll(async () => {
  tickets = await TicketWorld.create();
  alice = await tickets.world.user('alice-r');
  bob = await tickets.world.user('bob-r');
});
afterAll(async () => tickets.close());

const row = (ticketId: string) => tickets.world.platform.dataSource.getRepository(RegisteredTicketEntity).findOneByOrFail({ ticketId });

async function refusalAfter(seq: number, text: string): Promise<AuditRecordEntity> {
  return waitFor(async () => {
    const rows = await tickets.world.platform.dataSource.getRepository(AuditRecordEntity).find({ order: { seq: 'DESC' }, take: 5 });
    return rows.find((record) => record.seq > seq && record.message.includes(text));
  }, `a refusal mentioning "${text}"`);
}
const auditSeq = async () => (await tickets.world.platform.dataSource.getRepository(AuditRecordEntity).find({ order: { seq: 'DESC' }, take: 1 }))[0]?.seq ?? 0;

it('registers a ticket of the user\'s ticket list with a new certified key pair', async () => {
  const bought = await tickets.buyTicket(alice, 'museum-metro-3');
  const before = await row(bought.ticketId);
  const registered = await tickets.wallet(alice).registering.register(bought.ticketId);
  expect(registered.status).toEqual({ ...bought.status, registration: 'registered' });
  expect(registered.signingSecretKey).not.toEqual(bought.signingSecretKey);
  expect(registered.certificate).not.toEqual(bought.certificate);
  expect(tickets.wallet(alice).state.tickets.find((ticket) => ticket.ticketId === bought.ticketId)).toMatchObject({ status: { registration: 'registered' } });
  const sp = tickets.world.platform.identity.sp;
  const certificate = openPart(tickets.world.platform.envelope, TICKET_CERTIFICATE_TYPE, registered.certificate, ticketCertificateBody, [sp.id], () => sp.keys.signing.publicKey);
  expect(certificate.ok && certificate.body).toMatchObject({ ticketId: bought.ticketId, registered: true, holder: 'usr:alice-r' });
  const after = await row(bought.ticketId);
  expect(after).toMatchObject({ lifecycle: 'registered', userId: 'usr:alice-r', status: { registration: 'registered' } });
  expect(after.certificateId).not.toBe(before.certificateId);
  expect(after.signingPublicKey).toBe(toBase64(tickets.world.platform.crypto.ed25519PublicKey(registered.signingSecretKey)));
});

it('refuses to register a ticket that is not in the user\'s ticket list, with nothing changed', async () => {
  const bought = await tickets.buyTicket(alice, 'concert-2027');
  const before = await row(bought.ticketId);
  const seq = await auditSeq();
  // Bob asks for Alice's ticket: his terminal signs a registration request for a ticket ID he does not hold.
  await tickets.wallet(bob).context.host.sendToServiceProvider('ticketRegistrationRequest', { ticketId: bought.ticketId, userId: 'usr:bob-r' });
  expect(await refusalAfter(seq, 'is not in the ticket list of usr:bob-r')).toMatchObject({ category: 'refusal', reason: 'refused' });
  expect(await row(bought.ticketId)).toEqual(before);
  expect(tickets.wallet(bob).state.tickets).toEqual([]);
});

it('refuses to register a ticket twice', async () => {
  const [ticket] = tickets.wallet(alice).state.tickets.filter((held) => held.status.registration === 'registered');
  if (ticket === undefined) throw new Error('no registered ticket');
  const before = await row(ticket.ticketId);
  const seq = await auditSeq();
  await tickets.wallet(alice).context.host.sendToServiceProvider('ticketRegistrationRequest', { ticketId: ticket.ticketId, userId: 'usr:alice-r' });
  expect(await refusalAfter(seq, 'not waiting for registration')).toMatchObject({ reason: 'refused' });
  expect(await row(ticket.ticketId)).toEqual(before);
});
