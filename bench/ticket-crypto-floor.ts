import { systemClock } from '../src/common/clock.js';
import { generateElectronicTicket } from '../src/plugins/ticket/generation/generate-electronic-ticket.js';
import { signTicketData } from '../src/plugins/ticket/generation/sign-ticket-data.js';
import { newTicketManagement } from '../src/plugins/ticket/generation/ticket-management-keys.js';
import { ticketOrder } from '../src/plugins/ticket/order/order.messages.js';
import { MessageCodec } from '../src/protocol/codec.js';
import { generatePrincipalKeys } from '../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import { Envelope } from '../src/protocol/envelope.js';
import type { PrincipalId } from '../src/protocol/ids.js';
import { MessageRegistry } from '../src/protocol/message-registry.js';
import { measure, measureAsync, type Measurement } from './bench-kit.js';

const BUDGET = { maxOps: 3000, maxMs: 1500, warmupOps: 50 };

/**
 * The crypto a ticket order and purchase cannot do without, measured with the node backend: one sealed message both
 * ways (sign + seal, open + verify + checks: the codec's own path), one electronic ticket generated (a fresh ticket
 * signature key pair and the SP-signed certificate), and one signed part made and checked (ticket data, ticket issuing
 * information, clearing information).
 */
export async function ticketCryptoCosts(): Promise<{ compose: Measurement; receive: Measurement; generate: Measurement; partSign: Measurement; partVerify: Measurement }> {
  const crypto = new NodeCryptoBackend();
  const envelope = new Envelope(crypto);
  const codec = new MessageCodec(envelope, new MessageRegistry().register(ticketOrder), systemClock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  const sender = generatePrincipalKeys(crypto);
  const recipient = generatePrincipalKeys(crypto);
  const from = 'usr:bench' as PrincipalId;
  const to = 'sp:bench' as PrincipalId;
  const fields = { serviceCode: 'iss:ticket:acme', ticketOrderCode: 'bench-hall', desiredDate: '2030-01-02', desiredCount: 1, requestNumber: 'r-1', userId: from };
  const frames: Uint8Array[] = [];
  const compose = measure('sealed message: sign + seal', () => frames.push(codec.compose(ticketOrder, { from, to, fields }, [{ kid: from, secretKey: sender.signing.secretKey }], recipient.sealing.publicKey).bytes), BUDGET);
  let index = 0;
  const keys = { signingKey: () => ({ usable: true as const, publicKey: sender.signing.publicKey, holder: from }) };
  const me = { id: to, sealingSecretKey: recipient.sealing.secretKey, sealingPublicKey: recipient.sealing.publicKey };
  const receive = await measureAsync('sealed message: open + verify + checks', async () => codec.receive(frames[index++ % frames.length] as Uint8Array, me, keys, { remember: () => true }), { ...BUDGET, maxOps: Math.min(BUDGET.maxOps, frames.length), warmupOps: 0 });

  const now = Date.now();
  const management = newTicketManagement(crypto, { ticketCode: 'bench-hall', ticketName: 'Bench hall', issuerId: 'iss:ticket:acme', templateCode: 'admission.single-v1', validUntil: now + 86_400_000, now });
  const issuer = { kid: 'iss:ticket:acme', secretKey: generatePrincipalKeys(crypto).signing.secretKey };
  const information = { title: 'Bench hall', date: '2030-01-02', location: 'Hall', seatClass: null, seat: null, sponsor: 'Bench', transferable: true, coupons: null };
  const ticketData = signTicketData(envelope, issuer, { ticketId: 'bench-1', ticketCode: 'bench-hall', issuerId: 'iss:ticket:acme', information });
  const deps = { envelope, crypto, spSigner: { kid: 'sp:bench', secretKey: sender.signing.secretKey } };
  const generate = measure('electronic ticket generation (key pair + certificate)', () =>
    generateElectronicTicket(deps, { management, ticketData, holder: 'usr:bench', representativeComponent: null, purchase: { requestNumber: 'r', transactionNumber: 'x', clearing: 'spontaneous' }, now }), BUDGET);
  const partSign = measure('signed part: sign', () => signTicketData(envelope, issuer, { ticketId: 'bench-1', ticketCode: 'bench-hall', issuerId: 'iss:ticket:acme', information }), BUDGET);
  const frame = envelope.decodeFrame(ticketData);
  if (frame.t !== 'signed' || frame.s[0] === undefined) throw new Error('ticket data is not a signed frame');
  const { b, s } = frame;
  const issuerPublic = crypto.ed25519PublicKey(issuer.secretKey);
  const partVerify = measure('signed part: verify', () => envelope.verify('ticketData', b, (s[0] as { sig: Uint8Array }).sig, issuerPublic), BUDGET);
  return { compose, receive, generate, partSign, partVerify };
}
