// Proves the terminals' side of the ticket transfer [1670]-[1684] over an in-memory proximity link with real keys and
// certificates: A -> B, a refused offer, non-transferable tickets refused by both wallets, forged or misaddressed
// messages refused with nothing changed, a replayed certificate ignored, and the request to the SP now or deferred.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../../../common/clock.js';
import type { DeviceRecord } from '../../../../core/data-update/terminal-image.js';
import { MemoryProximityHub } from '../../../../devices/modules/proximity-link.js';
import type { TerminalModuleHost } from '../../../../devices/modules/terminal-module.js';
import { signCertificate } from '../../../../identity/certificate.js';
import { generatePrincipalKeys, type PrincipalKeys } from '../../../../protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../../../protocol/crypto/node-backend.js';
import { Envelope } from '../../../../protocol/envelope.js';
import type { DeviceId } from '../../../../protocol/ids.js';
import { generateElectronicTicket } from '../../generation/generate-electronic-ticket.js';
import { signTicketData } from '../../generation/sign-ticket-data.js';
import { newTicketManagement } from '../../generation/ticket-management-keys.js';
import { decodeStrict } from '../../../../protocol/cbor.js';
import { signOfferTicketPart } from '../../transfer/ticket-part-signature.js';
import { DEFERRED_TRANSFER_RECORD, ticketTransferOffer, ticketTransferOfferResponse, ticketTransferReceipt, ticketTransferRequest } from '../../transfer/transfer.messages.js';
import { TransferLink } from './transfer-link.js';
import { TicketWallet } from './ticket-wallet.module.js';
import type { WalletTicket } from './wallet-state.js';

const crypto = new NodeCryptoBackend();
const envelope = new Envelope(crypto);
const clock = new ManualClock(Date.UTC(2026, 3, 1));
const spKeys = generatePrincipalKeys(crypto);
const sp = { id: 'sp:tessera', signingPublicKey: spKeys.signing.publicKey, sealingPublicKey: spKeys.sealing.publicKey };
const spSigner = { kid: sp.id, secretKey: spKeys.signing.secretKey };
const issuerKeys = generatePrincipalKeys(crypto);

interface Terminal {
  readonly wallet: TicketWallet;
  readonly host: TerminalModuleHost;
  readonly userId: string;
  readonly deviceId: DeviceId;
  readonly keys: PrincipalKeys;
  readonly uplinks: { type: string; fields: Record<string, unknown> }[];
  readonly records: DeviceRecord[];
}

function userCertificate(userId: string, keys: PrincipalKeys): Uint8Array {
  const now = clock.now();
  return signCertificate(envelope, { id: randomUUID(), subject: userId, signingPublicKey: keys.signing.publicKey, sealingPublicKey: keys.sealing.publicKey, validFrom: now - 1000, validUntil: now + 86_400_000, issuer: sp.id, issuedAt: now }, spSigner);
}

function terminal(hub: MemoryProximityHub, name: string): Terminal {
  const deviceId = `dev:mobile:${name}-phone` as DeviceId;
  const userId = `usr:${name}`;
  const keys = generatePrincipalKeys(crypto);
  const uplinks: Terminal['uplinks'] = [];
  const records: DeviceRecord[] = [];
  const host: TerminalModuleHost = {
    deviceId,
    credentials: { deviceId, device: { id: deviceId, keys: generatePrincipalKeys(crypto) }, principal: { id: userId, keys }, merchantId: null, sp, mqttUrl: 'mqtt://unused', principalCertificate: userCertificate(userId, keys) },
    clock,
    crypto,
    envelope,
    newMessageId: () => randomUUID().replaceAll('-', ''),
    sendToServiceProvider: async (type, fields) => {
      uplinks.push({ type, fields });
    },
    proximity: hub.link(deviceId),
    publishOutput: async () => undefined,
    isUseDisabled: () => false,
    isWritingDisabled: () => false,
    serviceData: () => ({}),
    addRecord: (record) => {
      records.push(record);
      return 'stored';
    },
    stateFile: () => undefined,
  };
  return { wallet: new TicketWallet(host), host, userId, deviceId, keys, uplinks, records };
}

function ticketFor(holder: string, transferable: boolean): WalletTicket {
  const management = newTicketManagement(crypto, { ticketCode: 'concert-2026', ticketName: 'Concert', issuerId: 'iss:ticket:acme', templateCode: 'admission.single-v1', validUntil: clock.now() + 86_400_000 * 30, now: clock.now() });
  const ticketData = signTicketData(envelope, { kid: 'iss:ticket:acme', secretKey: issuerKeys.signing.secretKey }, {
    ticketId: `t-${randomUUID().slice(0, 8)}`,
    ticketCode: 'concert-2026',
    issuerId: 'iss:ticket:acme',
    information: { title: 'Concert', date: '2026-05-01', location: 'Arena', seatClass: 'A', seat: '12', sponsor: 'Acme', transferable, coupons: null },
  });
  const { ticket } = generateElectronicTicket({ envelope, crypto, spSigner }, { management, ticketData, holder, representativeComponent: null, purchase: { requestNumber: 'r1', transactionNumber: 't1', clearing: 'spontaneous' }, now: clock.now() });
  return { ...ticket, examinationNumber: 0 };
}

function give(to: Terminal, ticket: WalletTicket): void {
  to.wallet.context.store.update((state) => ({ ...state, tickets: [...state.tickets, ticket] }));
}

describe('TicketTransferring (terminals)', () => {
  let hub: MemoryProximityHub;
  let alice: Terminal;
  let bob: Terminal;

  beforeEach(() => {
    hub = new MemoryProximityHub();
    alice = terminal(hub, 'alice');
    bob = terminal(hub, 'bob');
  });

  async function offerAndAccept(ticket: WalletTicket) {
    const outcome = alice.wallet.transferring.offer(ticket.ticketId, bob.deviceId, 2000);
    const offered = await offerAt(bob);
    if (offered === undefined) throw new Error(`no offer reached bob: ${bob.wallet.transferring.refusals.map((error) => error.message).join('; ')}`);
    await bob.wallet.transferring.accept(offered.transferOfferNumber);
    return { outcome: await outcome, offerNumber: offered.transferOfferNumber };
  }

  it('transfers a ticket from A to B: A erases it and keeps the receipt, B holds the certificate and asks the SP', async () => {
    const ticket = ticketFor('usr:alice', true);
    give(alice, ticket);
    const { outcome, offerNumber } = await offerAndAccept(ticket);

    expect(outcome.outcome).toBe('transferred');
    expect(alice.wallet.state.tickets).toHaveLength(0);
    expect(alice.wallet.state.useList).toEqual([expect.objectContaining({ requestNumber: offerNumber, serviceCode: 'ticket.transfer', kind: 'ticketTransferReceipt', ticketId: ticket.ticketId })]);
    const [held] = bob.wallet.transferring.offers();
    expect(held).toMatchObject({ stage: 'certified', ticketId: ticket.ticketId, title: 'Concert' });
    expect(held?.transferCertificate).toBeInstanceOf(Uint8Array);

    await bob.wallet.transferring.requestTransfer(offerNumber);
    expect(bob.uplinks).toEqual([{ type: ticketTransferRequest.type, fields: { ticketTransferCertificate: held?.transferCertificate, userId: 'usr:bob' } }]);
    expect(bob.wallet.transferring.offers()[0]?.stage).toBe('requested');
  });

  it('defers the request to the next data update as an upload record', async () => {
    const ticket = ticketFor('usr:alice', true);
    give(alice, ticket);
    const { offerNumber } = await offerAndAccept(ticket);
    bob.wallet.transferring.deferTransfer(offerNumber);
    expect(bob.records).toEqual([expect.objectContaining({ kind: DEFERRED_TRANSFER_RECORD, payload: expect.objectContaining({ userId: 'usr:bob' }) })]);
    expect(bob.wallet.transferring.offers()[0]?.stage).toBe('deferred');
    expect(() => bob.wallet.transferring.deferTransfer(offerNumber)).toThrow(/wrong-stage/);
  });

  it('a refused offer (acceptance number 0) changes nothing on either side', async () => {
    const ticket = ticketFor('usr:alice', true);
    give(alice, ticket);
    const outcome = alice.wallet.transferring.offer(ticket.ticketId, bob.deviceId, 2000);
    const offered = await offerAt(bob);
    await bob.wallet.transferring.refuse(offered?.transferOfferNumber ?? '');
    expect(await outcome).toMatchObject({ outcome: 'refused' });
    expect(alice.wallet.state.tickets).toEqual([ticket]);
    expect(alice.wallet.state.useList).toEqual([]);
    expect(bob.wallet.transferring.offers()).toEqual([]);
  });

  it('refuses to offer a ticket whose status is not transferable; B answers acceptance number 0 to such an offer', async () => {
    const ticket = ticketFor('usr:alice', false);
    give(alice, ticket);
    await expect(alice.wallet.transferring.offer(ticket.ticketId, bob.deviceId)).rejects.toThrow(/not-transferable/);
    expect(alice.wallet.state.tickets).toEqual([ticket]);

    // A tampered wallet that skips [1668] and sends the honest, ticket-signed status anyway.
    const toAlice = tap(hub, alice.deviceId);
    await sendRawOffer(alice, bob, ticket);
    expect(bob.wallet.transferring.offers()).toEqual([]);
    expect(bob.wallet.transferring.refusals.at(-1)?.message).toMatch(/not transferable/);
    expect(toAlice.map((frame) => peekType(frame))).toEqual(['ticketTransferOfferResponse:0']);
  });

  it('refuses an offer whose ticket signature or user certificate is forged, with nothing kept', async () => {
    const ticket = ticketFor('usr:alice', true);
    give(alice, ticket);
    // The ticket's key is not the certified one: the ticket signature over the status does not verify.
    const forged = { ...ticket, signingSecretKey: crypto.randomBytes(32) };
    alice.wallet.context.store.update((state) => ({ ...state, tickets: [forged] }));
    await alice.wallet.transferring.offer(ticket.ticketId, bob.deviceId, 50);
    expect(bob.wallet.transferring.offers()).toEqual([]);
    expect(bob.wallet.transferring.refusals.at(-1)?.reason).toBe('bad-signature');

    // A ticket certificate issued to someone else: the holder is not the offering user.
    const mallory = terminal(hub, 'mallory');
    give(mallory, ticket);
    await mallory.wallet.transferring.offer(ticket.ticketId, bob.deviceId, 50);
    expect(bob.wallet.transferring.offers()).toEqual([]);
    expect(bob.wallet.transferring.refusals.at(-1)?.message).toMatch(/held by usr:alice/);
  });

  it('refuses a replayed certificate, and a certificate sealed to another user stays closed to them', async () => {
    const ticket = ticketFor('usr:alice', true);
    give(alice, ticket);
    const carol = terminal(hub, 'carol');
    const toBob = tap(hub, bob.deviceId);
    await offerAndAccept(ticket);
    expect(bob.wallet.transferring.offers()[0]?.stage).toBe('certified');
    const sealed = toBob.find((frame) => envelope.decodeFrame(frame).t === 'sealed');
    if (sealed === undefined) throw new Error('no ticket transfer certificate reached bob');

    const before = bob.wallet.transferring.refusals.length;
    await hub.link(alice.deviceId).send(bob.deviceId, sealed);
    expect(bob.wallet.transferring.refusals.length).toBe(before + 1);
    expect(bob.wallet.transferring.offers()).toHaveLength(1);
    expect(bob.wallet.transferring.offers()[0]?.stage).toBe('certified');

    await hub.link(alice.deviceId).send(carol.deviceId, sealed);
    expect(carol.wallet.transferring.offers()).toEqual([]);
  });

  it('refuses a receipt not signed by the recipient or naming other certificates: A keeps the ticket', async () => {
    const ticket = ticketFor('usr:alice', true);
    give(alice, ticket);
    const outcome = alice.wallet.transferring.offer(ticket.ticketId, bob.deviceId, 200);
    const offered = await offerAt(bob);
    const transferOfferNumber = offered?.transferOfferNumber ?? '';
    const acceptanceNumber = 'cd'.repeat(16);
    // B's keys answer, but B's wallet never accepted: it refuses the certificate and sends no receipt.
    await new TransferLink(bob.host).send(ticketTransferOfferResponse, {
      terminal: alice.deviceId,
      to: 'usr:alice',
      fields: { acceptanceNumber, transferOfferNumber, ticketId: ticket.ticketId, userPublicKeyCertificate: bob.host.credentials.principalCertificate },
    });
    const receipt = (signer: Terminal, ids: { senderCertificateId: string; recipientCertificateId: string }) =>
      new TransferLink(signer.host).send(ticketTransferReceipt, { terminal: alice.deviceId, to: 'usr:alice', fields: { ticketId: ticket.ticketId, transferOfferNumber, acceptanceNumber, ...ids }, sealingKey: alice.keys.sealing.publicKey });
    const mallory = terminal(hub, 'mallory');
    const ids = { senderCertificateId: certificateIdOf(alice), recipientCertificateId: certificateIdOf(bob) };
    await receipt(mallory, ids);
    expect(alice.wallet.transferring.refusals.at(-1)?.reason).toBe('unknown-principal');
    await receipt(bob, { ...ids, recipientCertificateId: certificateIdOf(mallory) });
    expect(alice.wallet.transferring.refusals.at(-1)?.message).toMatch(/certificate IDs/);

    expect(await outcome).toMatchObject({ outcome: 'awaiting-receipt' });
    expect(alice.wallet.state.tickets).toEqual([ticket]);
    expect(alice.wallet.state.useList).toEqual([]);
  });
});

/** The first offer the terminal holds, once its (asynchronous) checks have run. */
async function offerAt(terminal: Terminal) {
  for (let round = 0; round < 200 && terminal.wallet.transferring.offers().length === 0 && terminal.wallet.transferring.refusals.length === 0; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return terminal.wallet.transferring.offers()[0];
}

function certificateIdOf(terminal: Terminal): string {
  const frame = envelope.decodeFrame(terminal.host.credentials.principalCertificate ?? new Uint8Array());
  return frame.t === 'signed' ? (decodeStrict(frame.b) as { id: string }).id : '';
}

/** Every frame the hub delivers to `deviceId` from now on. */
function tap(hub: MemoryProximityHub, deviceId: DeviceId): Uint8Array[] {
  const frames: Uint8Array[] = [];
  hub.link(deviceId).onFrame((frame) => {
    frames.push(frame);
  });
  return frames;
}

/** The type of an unsealed frame, with the acceptance number of a response. */
function peekType(frame: Uint8Array): string {
  const outer = envelope.decodeFrame(frame);
  if (outer.t !== 'signed') return 'sealed';
  const body = decodeStrict(outer.b) as { type: string; fields: { acceptanceNumber?: string } };
  return body.fields.acceptanceNumber === undefined ? body.type : `${body.type}:${body.fields.acceptanceNumber}`;
}

/** An offer sent with A's keys but without A's wallet and its [1668] check (a tampered wallet). */
async function sendRawOffer(from: Terminal, to: Terminal, ticket: WalletTicket): Promise<void> {
  const issuedAt = clock.now();
  const part = { ticketStatus: ticket.status, variableTicketInformation: ticket.variable, ticketId: ticket.ticketId, issuedAt };
  await new TransferLink(from.host).send(ticketTransferOffer, {
    terminal: to.deviceId,
    to: to.deviceId,
    issuedAt,
    fields: {
      transferOfferNumber: 'ab'.repeat(16),
      presentationTicket: ticket.presentationTicket,
      ticketCertificate: ticket.certificate,
      ticketStatus: ticket.status,
      variableTicketInformation: ticket.variable,
      ticketId: ticket.ticketId,
      ticketSignature: signOfferTicketPart(crypto, part, ticket.signingSecretKey),
      userPublicKeyCertificate: from.host.credentials.principalCertificate,
      terminalId: from.deviceId,
    },
  });
}
