// Proves the ticket transfer [1667]-[1694] end to end over the real broker and database: A's terminal offers over the
// proximity link, B accepts and asks the SP at once or with the next data update, the SP moves the ticket with a new
// key pair and the former-user chain; refusals (acceptance number 0, non-transferable, a ticket already given away,
// forged / misaddressed / replayed certificates) change nothing and the SP's raise an alert.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fromBase64 } from '../../../src/common/bytes.js';
import { decodeStrict } from '../../../src/protocol/cbor.js';
import { AuditRecordEntity } from '../../../src/persistence/entities/index.js';
import { TicketPlugin } from '../../../src/plugins/ticket/ticket.plugin.js';
import { RegisteredTicketEntity } from '../../../src/plugins/ticket/persistence/index.js';
import { TicketTransferEntity } from '../../../src/plugins/ticket/transfer/ticket-transfer.entity.js';
import { ticketTransferCertificate, ticketTransferRequest } from '../../../src/plugins/ticket/transfer/transfer.messages.js';
import type { WalletTicket } from '../../../src/plugins/ticket/terminal/wallet/wallet-state.js';
import { TestWorld, type AttachedDevice } from '../../helpers/world.js';
import { waitFor } from '../../helpers/wait-for.js';
import { enrolIssuer, registeredTicket, ticketKind, walletOf, type Issuer } from './gate-fixtures.js';
import type { TicketManagementEntity } from '../../../src/plugins/ticket/persistence/index.js';

const settings = { tickIntervalMs: 0, sessionTimeoutMs: 10_000 };

describe('ticket transfer [1667]-[1694]', () => {
  let world: TestWorld;
  let issuer: Issuer;
  let kind: TicketManagementEntity;
  const users = new Map<string, AttachedDevice>();

  beforeAll(async () => {
    world = await TestWorld.create({ plugins: [TicketPlugin.init({})] });
    issuer = await enrolIssuer(world, 'arena');
    kind = await ticketKind(world, issuer, 'concert-2030', 'admission.single-v1');
  });
  afterAll(async () => world.close());

  async function user(name: string): Promise<AttachedDevice> {
    const existing = users.get(name);
    if (existing !== undefined) return existing;
    const device = await world.user(name, settings);
    users.set(name, device);
    return device;
  }

  const rowOf = (ticketId: string) => world.platform.dataSource.getRepository(RegisteredTicketEntity).findOneByOrFail({ ticketId });
  const alerts = () => world.platform.dataSource.getRepository(AuditRecordEntity).countBy({ category: 'alert', reason: 'ticket-transfer-refused' });

  /** A offers, B accepts; resolves with B's offer number once A has B's receipt. */
  async function handOver(from: AttachedDevice, to: AttachedDevice, ticket: WalletTicket): Promise<string> {
    const outcome = walletOf(from).transferring.offer(ticket.ticketId, to.credentials.deviceId, 5000);
    const offered = await waitFor(() => walletOf(to).transferring.offers().find((offer) => offer.ticketId === ticket.ticketId && offer.stage === 'offered'), 'the offer on the receiving terminal');
    await walletOf(to).transferring.accept(offered.transferOfferNumber);
    expect(await outcome).toMatchObject({ outcome: 'transferred' });
    return offered.transferOfferNumber;
  }

  const incoming = (device: AttachedDevice, offerNumber: string) => walletOf(device).transferring.offers().find((offer) => offer.transferOfferNumber === offerNumber);

  it('transfers A -> B at once: B gets the ticket with a new key pair, the list has the former-user chain, A kept the receipt', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const ticket = await registeredTicket(world, alice, issuer, kind, { transferable: true });
    const before = await rowOf(ticket.ticketId);

    const offerNumber = await handOver(alice, bob, ticket);
    expect(walletOf(alice).state.tickets.map((held) => held.ticketId)).not.toContain(ticket.ticketId);
    expect(walletOf(alice).state.useList).toContainEqual(expect.objectContaining({ requestNumber: offerNumber, serviceCode: 'ticket.transfer', ticketId: ticket.ticketId }));
    expect(await rowOf(ticket.ticketId)).toMatchObject({ userId: 'usr:alice', certificateId: before.certificateId });

    await walletOf(bob).transferring.requestTransfer(offerNumber);
    const received = await waitFor(() => walletOf(bob).state.tickets.find((held) => held.ticketId === ticket.ticketId), "the ticket in B's ticket list");

    const row = await rowOf(ticket.ticketId);
    expect(row).toMatchObject({ userId: 'usr:bob', lifecycle: 'registered', formerUsers: [expect.objectContaining({ userId: 'usr:alice', transferOfferNumber: offerNumber })] });
    expect(row.certificateId).not.toBe(before.certificateId);
    expect(row.signingPublicKey).toBe(Buffer.from(world.platform.crypto.ed25519PublicKey(received.signingSecretKey)).toString('base64'));
    expect(incoming(bob, offerNumber)).toBeUndefined();
    const transfer = await world.platform.dataSource.getRepository(TicketTransferEntity).findOneByOrFail({ ticketId: ticket.ticketId });
    expect(transfer).toMatchObject({ formerUserId: 'usr:alice', userId: 'usr:bob', formerTicketCertificateId: before.certificateId, ticketCertificateId: row.certificateId, requestedVia: 'request' });

    // A's old key no longer speaks for the ticket: a presentation signed with it fails against the certificate in force.
    const message = new TextEncoder().encode('ticket presentation');
    const oldSignature = world.platform.crypto.ed25519Sign(message, ticket.signingSecretKey);
    expect(world.platform.crypto.ed25519Verify(oldSignature, message, fromBase64(row.signingPublicKey))).toBe(false);
    const certificate = decodeStrict((world.platform.envelope.decodeFrame(received.certificate) as { b: Uint8Array }).b) as { holder: string; certificateId: string };
    expect(certificate).toMatchObject({ holder: 'usr:bob', certificateId: row.certificateId });
  });

  it('transfers with the request deferred to the next data update', async () => {
    const erin = await user('erin');
    const frank = await user('frank');
    const ticket = await registeredTicket(world, erin, issuer, kind, { transferable: true });
    const offerNumber = await handOver(erin, frank, ticket);
    walletOf(frank).transferring.deferTransfer(offerNumber);
    expect(frank.runtime.context.memory.records).toHaveLength(1);
    expect(await rowOf(ticket.ticketId)).toMatchObject({ userId: 'usr:erin' });

    expect(await frank.runtime.dataUpdate()).toBe('updated');
    await waitFor(() => walletOf(frank).state.tickets.some((held) => held.ticketId === ticket.ticketId), "the ticket in F's ticket list after the update");
    expect(frank.runtime.context.memory.records).toHaveLength(0);
    expect(await rowOf(ticket.ticketId)).toMatchObject({ userId: 'usr:frank', formerUsers: [expect.objectContaining({ userId: 'usr:erin' })] });
    expect(await world.platform.dataSource.getRepository(TicketTransferEntity).findOneByOrFail({ ticketId: ticket.ticketId })).toMatchObject({ requestedVia: 'data-update' });
  });

  it('changes nothing when B refuses the offer (acceptance number 0)', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const ticket = await registeredTicket(world, alice, issuer, kind, { transferable: true });
    const outcome = walletOf(alice).transferring.offer(ticket.ticketId, bob.credentials.deviceId, 5000);
    const offered = await waitFor(() => walletOf(bob).transferring.offers().find((offer) => offer.ticketId === ticket.ticketId), 'the offer');
    await walletOf(bob).transferring.refuse(offered.transferOfferNumber);
    expect(await outcome).toMatchObject({ outcome: 'refused' });
    expect(walletOf(alice).state.tickets.map((held) => held.ticketId)).toContain(ticket.ticketId);
    expect(await rowOf(ticket.ticketId)).toMatchObject({ userId: 'usr:alice', formerUsers: [] });
  });

  it('refuses a non-transferable ticket: A will not offer it, and the SP refuses a tampered wallet that did', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const ticket = await registeredTicket(world, alice, issuer, kind, { transferable: false });
    await expect(walletOf(alice).transferring.offer(ticket.ticketId, bob.credentials.deviceId)).rejects.toThrow(/not-transferable/);

    // A's wallet flips the flag it signs with the ticket's own key: B cannot tell, the SP can ([1668]).
    walletOf(alice).context.store.update((state) => ({ ...state, tickets: state.tickets.map((held) => (held.ticketId === ticket.ticketId ? { ...held, status: { ...held.status, transferable: true } } : held)) }));
    const before = await rowOf(ticket.ticketId);
    const alertsBefore = await alerts();
    const offerNumber = await handOver(alice, bob, ticket);
    await walletOf(bob).transferring.requestTransfer(offerNumber);
    await waitFor(() => incoming(bob, offerNumber)?.stage === 'refused', 'the refusal (7412 with acceptance number 0)');
    expect(incoming(bob, offerNumber)?.reason).toMatch(/not transferable/);
    expect(await alerts()).toBe(alertsBefore + 1);
    expect(await rowOf(ticket.ticketId)).toEqual(before);
    expect(walletOf(bob).state.tickets.map((held) => held.ticketId)).not.toContain(ticket.ticketId);
  });

  it('refuses forged, misaddressed and replayed transfer certificates with nothing changed', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const carol = await user('carol');
    const ticket = await registeredTicket(world, alice, issuer, kind, { transferable: true });
    const offerNumber = await handOver(alice, bob, ticket);
    const certificate = incoming(bob, offerNumber)?.transferCertificate;
    if (certificate === undefined || certificate === null) throw new Error('no transfer certificate kept');
    const before = await rowOf(ticket.ticketId);
    const alertsBefore = await alerts();

    // Forged: the same body signed by another key under A's and the ticket's key IDs.
    const frame = world.platform.envelope.decodeFrame(certificate) as { b: Uint8Array };
    const forgedKey = world.platform.crypto.randomBytes(32);
    const forged = world.platform.envelope.sign(ticketTransferCertificate.type, decodeStrict(frame.b), [
      { kid: 'usr:alice', secretKey: forgedKey },
      { kid: `ticket:${ticket.ticketId}`, secretKey: forgedKey },
    ]);
    await walletOf(bob).context.host.sendToServiceProvider(ticketTransferRequest.type, { ticketTransferCertificate: forged, userId: 'usr:bob' });
    // Misaddressed: C presents B's decrypted certificate as her own.
    await walletOf(carol).context.host.sendToServiceProvider(ticketTransferRequest.type, { ticketTransferCertificate: certificate, userId: 'usr:carol' });
    await waitFor(async () => ((await alerts()) >= alertsBefore + 2 ? true : undefined), 'two refusals raised');
    const raised = await world.platform.dataSource.getRepository(AuditRecordEntity).find({ where: { category: 'alert', reason: 'ticket-transfer-refused' }, order: { seq: 'DESC' }, take: 2 });
    expect(raised.map((record) => record.message).sort()).toEqual([expect.stringMatching(/to usr:bob refused: user usr:alice.s signature on the transfer certificate does not verify/), expect.stringMatching(/addressed to usr:bob, not to usr:carol/)]);
    expect(await rowOf(ticket.ticketId)).toEqual(before);

    await walletOf(bob).transferring.requestTransfer(offerNumber);
    await waitFor(() => walletOf(bob).state.tickets.some((held) => held.ticketId === ticket.ticketId), 'the genuine transfer');
    const after = await rowOf(ticket.ticketId);
    const replaysBefore = await world.platform.dataSource.getRepository(AuditRecordEntity).countBy({ category: 'refusal', reason: 'replay' });
    // Replayed: the same certificate again (B's terminal sends it a second time).
    await walletOf(bob).context.host.sendToServiceProvider(ticketTransferRequest.type, { ticketTransferCertificate: certificate, userId: 'usr:bob' });
    await waitFor(async () => ((await world.platform.dataSource.getRepository(AuditRecordEntity).countBy({ category: 'refusal', reason: 'replay' })) > replaysBefore ? true : undefined), 'the replay refused');
    expect(await rowOf(ticket.ticketId)).toEqual(after);
    expect(await world.platform.dataSource.getRepository(TicketTransferEntity).countBy({ ticketId: ticket.ticketId })).toBe(1);
  });

  it('refuses a second transfer of a ticket already given away (A kept a copy): C may accept, the SP refuses and alerts', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const carol = await user('carol');
    const ticket = await registeredTicket(world, alice, issuer, kind, { transferable: true });
    const first = await handOver(alice, bob, ticket);
    await walletOf(bob).transferring.requestTransfer(first);
    await waitFor(() => walletOf(bob).state.tickets.some((held) => held.ticketId === ticket.ticketId), 'the ticket with B');
    const withBob = await rowOf(ticket.ticketId);

    // A's tampered wallet puts back the copy it kept and offers it to C.
    walletOf(alice).context.store.update((state) => ({ ...state, tickets: [...state.tickets, ticket] }));
    const alertsBefore = await alerts();
    const second = await handOver(alice, carol, ticket);
    expect(incoming(carol, second)?.stage).toBe('certified');
    await walletOf(carol).transferring.requestTransfer(second);
    await waitFor(() => incoming(carol, second)?.stage === 'refused', "the SP's refusal at C");
    expect(incoming(carol, second)?.reason).toMatch(/held by another user/);
    expect(await alerts()).toBe(alertsBefore + 1);
    expect(await rowOf(ticket.ticketId)).toEqual(withBob);
    expect(walletOf(carol).state.tickets.map((held) => held.ticketId)).not.toContain(ticket.ticketId);
    // The copy's certificate is superseded: its key is not the one the registered ticket list holds.
    expect(Buffer.from(world.platform.crypto.ed25519PublicKey(ticket.signingSecretKey)).toString('base64')).not.toBe(withBob.signingPublicKey);
  });
});

