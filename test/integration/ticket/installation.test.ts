// Proves the ticket installation [1695]-[1708] end to end over the real broker, database, SP actors and reference
// ticket issuing system: a valid installation card becomes an electronic ticket generated as in the purchase (7701-7704);
// a used card, an unknown card (on no issuer's card list, or unknown to the issuer) and a wrong installation number are
// refused with the installation response and nothing issued; afterwards the issuer's tickets are all in wallets.
import { AuditRecordEntity } from '../../../src/persistence/entities/index.js';
import { NodeCryptoBackend } from '../../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../../src/protocol/envelope.js';
import { openPart } from '../../../src/protocol/signed-part.js';
import { registerInstallationCardPrefix } from '../../../src/plugins/ticket/installation/installation-card-list.js';
import { INSTALLATION_RESPONSE_MESSAGES } from '../../../src/plugins/ticket/installation/installation.messages.js';
import type { PrintedInstallationCard } from '../../../src/plugins/ticket/issuer/installation-cards.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../../../src/plugins/ticket/model/ticket-certificate.js';
import { TICKET_DATA_TYPE, ticketDataBody } from '../../../src/plugins/ticket/model/ticket-information.js';
import { RegisteredTicketEntity } from '../../../src/plugins/ticket/persistence/registered-ticket.entity.js';
import type { InstallationRecord } from '../../../src/plugins/ticket/terminal/wallet/ticket-installing.js';
import type { AttachedDevice } from '../../helpers/world.js';
import { TicketWorld } from '../../helpers/ticket-world.js';
import { waitFor } from '../../helpers/wait-for.js';

const envelope = new Envelope(new NodeCryptoBackend());
let tickets: TicketWorld;
let alice: AttachedDevice;
let cards: PrintedInstallationCard[];

beforeAll(async () => {
  tickets = await TicketWorld.create();
  const { issuer } = tickets;
  await registerInstallationCardPrefix(tickets.world.platform.dataSource, issuer.partyId, issuer.operator.installationCardPrefix, tickets.world.clock.now());
  cards = await issuer.operator.printInstallationCards('concert-2027', 3);
  alice = await tickets.world.user('alice');
});
afterAll(async () => tickets.close());

async function install(cardNumber: string, installationNumber: string): Promise<InstallationRecord> {
  const wallet = tickets.wallet(alice);
  const requestNumber = await wallet.installing.install(cardNumber, installationNumber);
  return waitFor(() => {
    const record = wallet.installing.installation(requestNumber);
    return record?.stage === 'requested' ? undefined : record;
  }, `installation ${requestNumber}`);
}

const card = (index: number): PrintedInstallationCard => cards[index] as PrintedInstallationCard;

describe('ticket installation [1697]-[1708]', () => {
  it('installs the ticket of a valid card: generated as in the purchase, in the ticket list and the user ticket list', async () => {
    const record = await install(card(0).cardNumber, card(0).installationNumber);
    expect(record).toMatchObject({ stage: 'installed', responseCode: null });
    const wallet = tickets.wallet(alice);
    const ticket = wallet.state.tickets.find((held) => held.ticketId === record.ticketId);
    expect(ticket).toMatchObject({ ticketCode: 'concert-2027', issuerId: tickets.issuer.partyId, status: { registration: 'unregistered', use: 'unused' }, examinationNumber: 0 });
    if (ticket === undefined) return;
    const sp = tickets.world.platform.identity.sp;
    const certificate = openPart(envelope, TICKET_CERTIFICATE_TYPE, ticket.certificate, ticketCertificateBody, [sp.id], () => sp.keys.signing.publicKey);
    expect(certificate.ok && certificate.body.holder).toBe('usr:alice');
    const data = openPart(envelope, TICKET_DATA_TYPE, ticket.presentationTicket, ticketDataBody, [tickets.issuer.partyId], () => tickets.issuer.publicKeys.signing);
    expect(data.ok && data.body.ticketId).toBe(ticket.ticketId);
    expect(ticket.program.templateCode).toBe('admission.single-v1');
    const row = await tickets.world.platform.dataSource.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: ticket.ticketId });
    expect(row).toMatchObject({ userId: 'usr:alice', lifecycle: 'issued', ticketCode: 'concert-2027' });
  });

  it('refuses a card used before, and issues nothing', async () => {
    const before = tickets.wallet(alice).state.tickets.length;
    const record = await install(card(0).cardNumber, card(0).installationNumber);
    expect(record).toMatchObject({ stage: 'refused', responseCode: 'card-used', responseMessage: INSTALLATION_RESPONSE_MESSAGES['card-used'], ticketId: null });
    expect(tickets.wallet(alice).state.tickets).toHaveLength(before);
  });

  it('refuses a card the issuer never issued, and one on no installation card list (the issuer is not asked)', async () => {
    const unknownAtIssuer = await install(`${tickets.issuer.operator.installationCardPrefix}-000000000000`, 'ABCDEF012345');
    expect(unknownAtIssuer).toMatchObject({ stage: 'refused', responseCode: 'unknown-card' });
    const noIssuer = await install('NOBODY-1234', 'ABCDEF012345');
    expect(noIssuer).toMatchObject({ stage: 'refused', responseCode: 'unknown-card' });
    const audit = await tickets.world.platform.dataSource.getRepository(AuditRecordEntity).findBy({ reason: 'installation-unknown-card' });
    expect(audit.some((row) => row.message.includes('NOBODY-1234'))).toBe(true);
  });

  it('refuses a wrong installation number, and the card still installs with the right one', async () => {
    const wrong = await install(card(1).cardNumber, 'FFFFFFFFFFFF');
    expect(wrong).toMatchObject({ stage: 'refused', responseCode: 'wrong-installation-number' });
    const right = await install(card(1).cardNumber, card(1).installationNumber);
    expect(right.stage).toBe('installed');
  });

  it('accounts for every ticket: the issuer\'s tickets in circulation are the tickets in wallets', async () => {
    const counts = await tickets.issuer.readModel.ticketCounts();
    const inWallets = tickets.wallet(alice).state.tickets.map((ticket) => ticket.ticketId).sort();
    expect(counts.ticketIds).toEqual(inWallets);
    expect(counts.inCirculation).toBe(2);
  });
});
