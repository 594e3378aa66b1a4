// Proves the ticket modification [1709]-[1731] end to end: the reference issuing system sends a modification request
// 8000 / 8100 through the SP's external gateway; the holders get the modification notice 8101 and react (8104):
// "accept" brings the new electronic ticket (8105) in place of the old one, "refuse" disables the ticket on both
// sides, no reply (or a reply after the time limit) is read as "accept"; a template modification pushes the new
// examination program to the gates by forcible data update; a request with a forged issuer signature is refused by
// the external gateway and reaches no director.
import { ExternalPartyClient, ExternalPartyError } from '../../../src/external/transport/index.js';
import { ActorSnapshotEntity } from '../../../src/persistence/entities/index.js';
import { generatePrincipalKeys } from '../../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../../src/protocol/envelope.js';
import { signPart, openPart } from '../../../src/protocol/signed-part.js';
import { NO_REQUEST_NUMBER } from '../../../src/plugins/ticket/modification/modification-director.machine.js';
import { MODIFICATION_MESSAGE_TYPE, modificationRequest } from '../../../src/plugins/ticket/modification/modification.messages.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../../../src/plugins/ticket/model/ticket-certificate.js';
import { TICKET_DATA_TYPE, ticketDataBody } from '../../../src/plugins/ticket/model/ticket-information.js';
import { RegisteredTicketEntity } from '../../../src/plugins/ticket/persistence/registered-ticket.entity.js';
import type { NoticeRecord } from '../../../src/plugins/ticket/terminal/wallet/ticket-modifying.js';
import type { WalletTicket } from '../../../src/plugins/ticket/terminal/wallet/wallet-state.js';
import type { AttachedDevice } from '../../helpers/world.js';
import { TicketWorld } from '../../helpers/ticket-world.js';
import { waitFor } from '../../helpers/wait-for.js';
import { gateOf, setUpGate } from './gate-fixtures.js';

const crypto = new NodeCryptoBackend();
const envelope = new Envelope(crypto);
let tickets: TicketWorld;

beforeAll(async () => {
  tickets = await TicketWorld.create();
});
afterAll(async () => tickets.close());

const dataSource = () => tickets.world.platform.dataSource;
const registered = (ticketId: string) => dataSource().getRepository(RegisteredTicketEntity).findOneByOrFail({ ticketId });
const dateOf = (ticket: WalletTicket) => {
  const data = openPart(envelope, TICKET_DATA_TYPE, ticket.presentationTicket, ticketDataBody, [], () => undefined);
  return data.ok ? data.body.information.date : null;
};
const certificateIdOf = (ticket: WalletTicket) => {
  const opened = openPart(envelope, TICKET_CERTIFICATE_TYPE, ticket.certificate, ticketCertificateBody, [], () => undefined);
  return opened.ok ? opened.body.certificateId : null;
};
const heldTicket = (user: AttachedDevice, ticketId: string) => tickets.wallet(user).state.tickets.find((ticket) => ticket.ticketId === ticketId);
const noticeFor = (user: AttachedDevice, ticketId: string, stage?: NoticeRecord['stage']) =>
  waitFor(() => tickets.wallet(user).modifying.notices().find((notice) => notice.ticketId === ticketId && (stage === undefined || notice.stage === stage)), `${stage ?? 'a'} notice for ${ticketId}`);

describe('ticket modification [1711]-[1731]', () => {
  let alice: AttachedDevice;
  let bob: AttachedDevice;
  let aliceTicket: WalletTicket;
  let bobTicket: WalletTicket;

  beforeAll(async () => {
    alice = await tickets.world.user('alice');
    bob = await tickets.world.user('bob');
    aliceTicket = await tickets.buyTicket(alice, 'concert-2027');
    bobTicket = await tickets.buyTicket(bob, 'concert-2027');
  });

  it('notifies every holder of the modified event (8101) through the external gateway', async () => {
    const sent = await tickets.issuer.operator.modifyEvent('concert-2027', { code: 'ticket-information', text: 'The concert moves to 11 April.', replyWithinMs: 60_000, information: { date: '2027-04-11' } });
    expect(sent).toMatchObject({ accepted: true, reason: null });
    expect(sent.processGroup).toMatch(/^txn:ticket-modification:/);
    const notice = await noticeFor(alice, aliceTicket.ticketId);
    expect(notice).toMatchObject({ modificationNumber: sent.modificationNumber, modificationCode: 'ticket-information', text: 'The concert moves to 11 April.', stage: 'notified', pg: sent.processGroup });
    await noticeFor(bob, bobTicket.ticketId);
  });

  it('"accept": the new electronic ticket replaces the old one in the wallet and in the user ticket list (8105)', async () => {
    await tickets.wallet(alice).modifying.react(aliceTicket.ticketId, 'accept');
    await noticeFor(alice, aliceTicket.ticketId, 'modified');
    const held = tickets.wallet(alice).state.tickets.filter((ticket) => ticket.ticketId === aliceTicket.ticketId);
    expect(held).toHaveLength(1);
    const modified = held[0] as WalletTicket;
    expect(dateOf(modified)).toBe('2027-04-11');
    expect(dateOf(aliceTicket)).toBe('2027-04-10');
    expect(certificateIdOf(modified)).not.toBe(certificateIdOf(aliceTicket));
    expect(modified.signingSecretKey).not.toEqual(aliceTicket.signingSecretKey);
    const row = await registered(aliceTicket.ticketId);
    expect(row).toMatchObject({ userId: 'usr:alice', certificateId: certificateIdOf(modified), status: { use: 'unused' } });
    expect(tickets.wallet(alice).modifying.isUseDisabled(aliceTicket.ticketId)).toBe(false);
  });

  it('"refuse": the ticket becomes use disabled in the wallet and in the user ticket list, and keeps its old data', async () => {
    await tickets.wallet(bob).modifying.react(bobTicket.ticketId, 'refuse');
    expect(tickets.wallet(bob).modifying.isUseDisabled(bobTicket.ticketId)).toBe(true);
    await waitFor(async () => ((await registered(bobTicket.ticketId))?.status as { use?: string } | undefined)?.use === 'disabled', 'use disabled at the SP');
    expect(dateOf(heldTicket(bob, bobTicket.ticketId) as WalletTicket)).toBe('2027-04-10');
    // The ticket status says so on both sides: the terminal presents it nowhere, and the reference check refuses it.
    expect(heldTicket(bob, bobTicket.ticketId)?.status.use).toBe('disabled');
    expect((await registered(bobTicket.ticketId))?.status).toMatchObject({ use: 'disabled' });
    await expect(tickets.wallet(bob).presenting.present(bobTicket.ticketId, 'dev:gate:anywhere')).rejects.toThrow(/use disabled/);
    const director = await waitFor(() => tickets.world.platform.actors.snapshotOf((tickets.wallet(bob).modifying.notices()[0] as NoticeRecord).pg).then((row) => (row?.status === 'done' ? row : undefined)), 'the modification director to end');
    expect(director.stateValue).toBe('completed');
  });

  it('a refused reaction is not taken twice', async () => {
    await expect(tickets.wallet(bob).modifying.react(bobTicket.ticketId, 'accept')).rejects.toThrow(/no modification notice waiting/);
  });
});

describe('the reply time limit', () => {
  it('reads no reply, and a reply after the time limit, as "accept": the holder gets the modified ticket', async () => {
    const carol = await tickets.world.user('carol');
    const dave = await tickets.world.user('dave');
    const carolTicket = await tickets.buyTicket(carol, 'museum-metro-3');
    const daveTicket = await tickets.buyTicket(dave, 'museum-metro-3');
    const sent = await tickets.issuer.operator.modifyEvent('museum-metro-3', { code: 'ticket-information', text: 'Now also valid at the zoo.', replyWithinMs: 400, information: { location: 'City museum, metro and zoo' } });
    expect(sent.accepted).toBe(true);
    await noticeFor(dave, daveTicket.ticketId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Dave answers "refuse" after the time limit: the safe reading gives him the modified ticket, as for no answer.
    await tickets.wallet(dave).modifying.react(daveTicket.ticketId, 'refuse').catch(() => undefined);
    await tickets.world.platform.actors.fireDueDeadlines();
    for (const [user, ticket] of [[carol, carolTicket], [dave, daveTicket]] as const) {
      await noticeFor(user, ticket.ticketId, 'modified');
      expect(tickets.wallet(user).modifying.isUseDisabled(ticket.ticketId)).toBe(false);
      expect(heldTicket(user, ticket.ticketId)?.status.use).not.toBe('disabled');
      expect((await registered(ticket.ticketId))?.status).not.toMatchObject({ use: 'disabled' });
    }
    const modified = heldTicket(carol, carolTicket.ticketId) as WalletTicket;
    const data = openPart(envelope, TICKET_DATA_TYPE, modified.presentationTicket, ticketDataBody, [], () => undefined);
    expect(data.ok && data.body.information.location).toBe('City museum, metro and zoo');
    expect(NO_REQUEST_NUMBER).toMatch(/^0+$/);
  });
});

describe('template modification [1718]-[1722]', () => {
  it('pushes the new examination program to the gates examining the ticket by forcible data update, and regenerates the tickets', async () => {
    const erin = await tickets.world.user('erin');
    const gate = await tickets.world.merchantDevice('gate', 'hall-a', 'cityhall');
    const erinTicket = await tickets.buyTicket(erin, 'concert-2027', { date: '2027-04-11' });
    await setUpGate(tickets.world, gate, 'concert-2027');
    expect(gateOf(gate).state.ticketList['concert-2027']?.module).toMatchObject({ templateCode: 'admission.single-v1', instruction: 'enter' });
    const sessions = await dataSource().getRepository(ActorSnapshotEntity).countBy({ kind: 'director:data-update' });
    const sent = await tickets.issuer.operator.modifyEvent('concert-2027', { code: 'template', text: 'Your ticket becomes a 1-coupon pass.', replyWithinMs: 60_000, templateCode: 'coupon.book-v1' });
    expect(sent.accepted).toBe(true);
    await waitFor(() => gateOf(gate).state.ticketList['concert-2027']?.module.templateCode === 'coupon.book-v1', 'the new examination program at the gate');
    expect(gateOf(gate).state.ticketList['concert-2027']?.module.instruction).toBe('use-coupon');
    expect(await dataSource().getRepository(ActorSnapshotEntity).countBy({ kind: 'director:data-update' })).toBeGreaterThan(sessions);
    await noticeFor(erin, erinTicket.ticketId);
    await tickets.wallet(erin).modifying.react(erinTicket.ticketId, 'accept');
    await noticeFor(erin, erinTicket.ticketId, 'modified');
    expect(heldTicket(erin, erinTicket.ticketId)?.program.transactionModule).toEqual({ moduleId: 'ticket.transaction.coupon', version: '1' });
  });
});

describe('the external gateway', () => {
  it('refuses a modification request with a forged issuer signature: no director, nothing changed', async () => {
    const { platform } = tickets.world;
    const issuerId = tickets.issuer.partyId;
    const forger = { kid: issuerId, secretKey: generatePrincipalKeys(crypto).signing.secretKey };
    const before = await platform.dataSource.getRepository(ActorSnapshotEntity).countBy({ kind: 'director:ticket-modification' });
    const fields = {
      modificationNumber: 'm-forged-1',
      modificationCode: 'with-refund' as const,
      modificationTimeLimit: Date.now() + 60_000,
      modificationMessage: signPart(envelope, MODIFICATION_MESSAGE_TYPE, { modificationNumber: 'm-forged-1', ticketCode: 'concert-2027', text: 'Cancelled', ticketIssuerId: issuerId }, [forger]),
      ticketCode: 'concert-2027',
      templateCode: 'admission.single-v1',
      ticketCount: 0,
      modifiedTicketData: [],
      modifiedRepresentativeComponentInformation: null,
      ticketIssuerId: issuerId,
    };
    const { bytes } = platform.codec.compose(modificationRequest, { from: issuerId, to: platform.spId, fields }, [forger], platform.identity.sp.keys.sealing.publicKey);
    const client = new ExternalPartyClient(platform.inboundAddress);
    try {
      const refusal = await client.exchange(bytes, 5000).then(
        () => undefined,
        (error: unknown) => (error instanceof ExternalPartyError ? error.refusal : String(error)),
      );
      expect(refusal).toBe('bad-signature');
    } finally {
      await client.close();
    }
    expect(await platform.dataSource.getRepository(ActorSnapshotEntity).countBy({ kind: 'director:ticket-modification' })).toBe(before);
    const audits = await platform.audit.list(20, 'refusal');
    expect(audits.some((row) => row.transport === 'external' && row.reason === 'bad-signature' && row.principal === null)).toBe(true);
  });

  it('accounts for every ticket: the issuer\'s tickets in circulation are the tickets in wallets', async () => {
    const counts = await tickets.issuer.readModel.ticketCounts();
    const inWallets = tickets.world.devices.flatMap((device) => (device.credentials.deviceId.startsWith('dev:mobile:') ? tickets.wallet(device).state.tickets.map((ticket) => ticket.ticketId) : [])).sort();
    expect(counts.ticketIds).toEqual(inWallets);
  });
});
