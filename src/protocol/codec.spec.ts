// Proves MessageCodec.receive accepts only intact, addressed, fresh, signed, first-seen messages, with a typed reason for each refusal.
import { z } from 'zod';
import { ManualClock } from '../common/clock.js';
import { encodeCanonical } from './cbor.js';
import { MessageCodec, type KeyDirectory, type KeyLookup, type Recipient, type ReplayGuard } from './codec.js';
import { generatePrincipalKeys, type CryptoBackend, type PrincipalKeys } from './crypto/crypto-backend.js';
import { NobleCryptoBackend } from './crypto/noble-backend.js';
import { NodeCryptoBackend } from './crypto/node-backend.js';
import { Envelope, type Signer } from './envelope.js';
import { ProtocolError } from './errors.js';
import { ids, type PrincipalId } from './ids.js';
import { bytes, defineMessage, money } from './message.js';
import { MessageRegistry } from './message-registry.js';

const MAX_SKEW_MS = 60_000;
const FLIP_MASKS = [0x01, 0x80] as const;

// Sealed, with a number the sender must never reuse.
const testOrder = defineMessage({
  type: 'testOrder',
  ref: 'test',
  sealed: true,
  fields: z.object({ orderNumber: z.number().int().positive(), amount: money, note: z.string().max(64) }).strict(),
  numbers: (message) => [{ scope: `order:${message.from}`, value: message.fields.orderNumber }],
});

// Signed only (an "open" message), countersigned by the ticket's own key as the micro-check is by the card's.
const testPresentation = defineMessage({
  type: 'testPresentation',
  ref: 'test',
  sealed: false,
  fields: z.object({ ticketKid: z.string().min(1), challenge: bytes(16) }).strict(),
  extraSigners: (message) => [message.fields.ticketKid],
});

const orderFields = (orderNumber: number) => ({ orderNumber, amount: { amount: 1250, currency: 'EUR' }, note: 'two adults' });

class InMemoryKeyDirectory implements KeyDirectory {
  private readonly entries = new Map<string, KeyLookup>();
  add(kid: string, publicKey: Uint8Array): void {
    this.entries.set(kid, { usable: true, publicKey, holder: kid });
  }
  refuse(kid: string, reason: 'revoked' | 'disabled'): void {
    this.entries.set(kid, { usable: false, reason });
  }
  signingKey(kid: string): KeyLookup {
    return this.entries.get(kid) ?? { usable: false, reason: 'unknown-principal' };
  }
}

class InMemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Set<string>();
  remember(scope: string, key: string): boolean {
    const entry = `${scope}\u0000${key}`;
    if (this.seen.has(entry)) return false;
    this.seen.add(entry);
    return true;
  }
}

interface Party {
  readonly id: PrincipalId;
  readonly keys: PrincipalKeys;
  readonly signer: Signer;
  readonly recipient: Recipient;
}

function party(crypto: CryptoBackend, id: PrincipalId): Party {
  const keys = generatePrincipalKeys(crypto);
  return {
    id,
    keys,
    signer: { kid: id, secretKey: keys.signing.secretKey },
    recipient: { id, sealingSecretKey: keys.sealing.secretKey, sealingPublicKey: keys.sealing.publicKey },
  };
}

/** What receive() did with some bytes: 'accepted', the ProtocolError's reason, or 'threw <name>' for anything else. */
async function outcomeOf(receiving: Promise<unknown>): Promise<string> {
  try {
    await receiving;
    return 'accepted';
  } catch (error) {
    if (error instanceof ProtocolError) return error.reason;
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}

const isRefusal = (outcome: string): boolean => outcome !== 'accepted' && !outcome.startsWith('threw');

function world(crypto: CryptoBackend) {
  const clock = new ManualClock();
  const registry = new MessageRegistry().register(testOrder, testPresentation);
  const envelope = new Envelope(crypto);
  const sut = new MessageCodec(envelope, registry, clock, { maxSkewMs: MAX_SKEW_MS, numberRetentionMs: 86_400_000 });
  const alice = party(crypto, ids.user('alice'));
  const spA = party(crypto, ids.sp('alpha'));
  const merchantB = party(crypto, ids.merchant('bravo'));
  const mallory = party(crypto, ids.user('mallory'));
  const ticket = party(crypto, ids.device('mobile', 'ticket-key'));
  const directory = new InMemoryKeyDirectory();
  for (const known of [alice, spA, merchantB, mallory, ticket]) directory.add(known.id, known.keys.signing.publicKey);
  const order = (orderNumber: number, signers: readonly Signer[] = [alice.signer], to: Party = spA) =>
    sut.compose(testOrder, { from: alice.id, to: to.id, fields: orderFields(orderNumber) }, signers, to.keys.sealing.publicKey).bytes;
  const presentation = (signers: readonly Signer[] = [alice.signer, ticket.signer], to: Party = spA) =>
    sut.compose(testPresentation, { from: alice.id, to: to.id, fields: { ticketKid: ticket.id, challenge: crypto.randomBytes(16) } }, signers).bytes;
  const receive = (bytes: Uint8Array, me: Party = spA, replay: ReplayGuard = new InMemoryReplayGuard()) =>
    sut.receive(bytes, me.recipient, directory, replay);
  return { clock, envelope, sut, alice, spA, merchantB, mallory, ticket, directory, order, presentation, receive };
}

/** Every single-byte flip of `frame` (two masks per byte), with the outcomes that were not a ProtocolError refusal. */
async function flipsNotRefused(frame: Uint8Array, receive: (bytes: Uint8Array) => Promise<unknown>): Promise<string[]> {
  const escaped: string[] = [];
  for (let index = 0; index < frame.length; index++) {
    for (const mask of FLIP_MASKS) {
      const tampered = frame.slice();
      tampered[index] = (tampered[index] ?? 0) ^ mask;
      const outcome = await outcomeOf(receive(tampered));
      if (!isRefusal(outcome)) escaped.push(`byte ${index} ^ 0x${mask.toString(16)}: ${outcome}`);
    }
  }
  return escaped;
}

describe.each([new NobleCryptoBackend(), new NodeCryptoBackend()].map((crypto) => [crypto.name, crypto] as const))(
  'MessageCodec.receive (%s backend)',
  (_name, crypto) => {
    let w: ReturnType<typeof world>;
    beforeEach(() => {
      w = world(crypto);
    });

    describe('round trip', () => {
      it('accepts a sealed message and returns its fields, signer and digest', async () => {
        const verified = await w.receive(w.order(7));
        expect(verified.sealed).toBe(true);
        expect(verified.message).toMatchObject({ type: 'testOrder', from: w.alice.id, to: w.spA.id, fields: orderFields(7) });
        expect(verified.signers).toEqual([w.alice.id]);
        expect(verified.digest).toMatch(/^[0-9a-f]{64}$/);
      });

      it('accepts a signed-only message carrying its extra signer', async () => {
        const verified = await w.receive(w.presentation());
        expect(verified.sealed).toBe(false);
        expect(verified.signers).toEqual([w.alice.id, w.ticket.id]);
      });

      it('accepts an issued time exactly at the skew limit, either side', async () => {
        const early = w.order(1);
        w.clock.advance(MAX_SKEW_MS);
        expect(await outcomeOf(w.receive(early))).toBe('accepted');
        w.clock.advance(-2 * MAX_SKEW_MS);
        expect(await outcomeOf(w.receive(early))).toBe('accepted');
      });
    });

    describe('tampering', () => {
      it('refuses every single-byte flip of a sealed frame with a ProtocolError', async () => {
        const frame = w.order(1);
        expect(await outcomeOf(w.receive(frame))).toBe('accepted');
        expect(await flipsNotRefused(frame, (bytes) => w.receive(bytes))).toEqual([]);
      });

      it('refuses every single-byte flip of a signed-only frame with a ProtocolError', async () => {
        const frame = w.presentation();
        expect(await outcomeOf(w.receive(frame))).toBe('accepted');
        expect(await flipsNotRefused(frame, (bytes) => w.receive(bytes))).toEqual([]);
      });

      it('calls every truncation of a sealed or signed frame malformed', async () => {
        for (const frame of [w.order(1), w.presentation()]) {
          const outcomes = new Set<string>();
          for (let length = 0; length < frame.length; length++) outcomes.add(await outcomeOf(w.receive(frame.subarray(0, length))));
          expect([...outcomes]).toEqual(['malformed']);
        }
      });

      it('calls garbage malformed: random bytes, nothing, CBOR that is no frame, an unknown version or frame kind', async () => {
        const garbage = [
          crypto.randomBytes(200),
          new Uint8Array(),
          encodeCanonical({ hello: 'world' }),
          encodeCanonical({ t: 'signed', v: 2, b: new Uint8Array(1), s: [] }),
          encodeCanonical({ t: 'open', v: 1 }),
          new Uint8Array([...w.presentation(), 0x00]),
        ];
        for (const bytes of garbage) expect(await outcomeOf(w.receive(bytes))).toBe('malformed');
      });
    });

    describe('addressee', () => {
      it('refuses at B a message sealed to A that A opened and re-sealed to B', async () => {
        const frame = w.envelope.decodeFrame(w.order(1));
        if (frame.t !== 'sealed') throw new Error('expected a sealed frame');
        const inner = w.envelope.open(frame, w.spA.id, w.spA.keys.sealing.secretKey, w.spA.keys.sealing.publicKey);
        const resealed = w.envelope.seal(inner, w.merchantB.id, w.merchantB.keys.sealing.publicKey);
        expect(await outcomeOf(w.receive(resealed, w.merchantB))).toBe('wrong-addressee');
      });

      it('refuses at B a frame sealed to A', async () => {
        expect(await outcomeOf(w.receive(w.order(1), w.merchantB))).toBe('wrong-addressee');
      });

      it('refuses at B a signed-only message addressed to A', async () => {
        expect(await outcomeOf(w.receive(w.presentation(), w.merchantB))).toBe('wrong-addressee');
      });

      it('refuses a sealed-required message sent signed only', async () => {
        const message = { v: 1, type: 'testOrder', id: w.sut.newMessageId(), from: w.alice.id, to: w.spA.id, issuedAt: w.clock.now(), fields: orderFields(1) };
        const signedOnly = w.envelope.sign('testOrder', message, [w.alice.signer]);
        expect(await outcomeOf(w.receive(signedOnly))).toBe('schema');
      });

      it('will not compose a sealed message without the addressee sealing key', () => {
        expect(() => w.sut.compose(testOrder, { from: w.alice.id, to: w.spA.id, fields: orderFields(1) }, [w.alice.signer])).toThrow(TypeError);
      });
    });

    describe('signatures', () => {
      it("calls a signature made with another key under the sender's kid bad", async () => {
        const forged = w.order(1, [{ kid: w.alice.id, secretKey: w.mallory.keys.signing.secretKey }]);
        expect(await outcomeOf(w.receive(forged))).toBe('bad-signature');
      });

      it("calls a message without the sender's signature bad", async () => {
        expect(await outcomeOf(w.receive(w.order(1, [])))).toBe('bad-signature');
        expect(await outcomeOf(w.receive(w.order(2, [w.mallory.signer])))).toBe('bad-signature');
      });

      it('calls a message without its extra signer bad', async () => {
        expect(await outcomeOf(w.receive(w.presentation([w.alice.signer])))).toBe('bad-signature');
      });

      it('calls a signature made over another message type bad (domain separation)', async () => {
        const message = {
          v: 1,
          type: 'testPresentation',
          id: w.sut.newMessageId(),
          from: w.alice.id,
          to: w.spA.id,
          issuedAt: w.clock.now(),
          fields: { ticketKid: w.ticket.id, challenge: crypto.randomBytes(16) },
        };
        const crossTyped = w.envelope.sign('testOrder', message, [w.alice.signer, w.ticket.signer]);
        expect(await outcomeOf(w.receive(crossTyped))).toBe('bad-signature');
      });

      it.each(['revoked', 'disabled'] as const)('gives the directory reason for a %s sender or extra signer key', async (reason) => {
        w.directory.refuse(w.ticket.id, reason);
        expect(await outcomeOf(w.receive(w.presentation()))).toBe(reason);
        w.directory.refuse(w.alice.id, reason);
        expect(await outcomeOf(w.receive(w.order(1)))).toBe(reason);
      });

      it('gives unknown-principal for a signer the directory does not know', async () => {
        const stranger = party(crypto, ids.user('stranger'));
        const bytes = w.sut.compose(testPresentation, { from: stranger.id, to: w.spA.id, fields: { ticketKid: w.ticket.id, challenge: crypto.randomBytes(16) } }, [
          stranger.signer,
          w.ticket.signer,
        ]).bytes;
        expect(await outcomeOf(w.receive(bytes))).toBe('unknown-principal');
      });
    });

    describe('freshness and replay', () => {
      it('calls a message issued beyond the skew, in the past or the future, stale', async () => {
        const issued = w.order(1);
        w.clock.advance(MAX_SKEW_MS + 1);
        expect(await outcomeOf(w.receive(issued))).toBe('stale');
        const fromTheFuture = w.sut.compose(testOrder, { from: w.alice.id, to: w.spA.id, issuedAt: w.clock.now() + MAX_SKEW_MS + 1, fields: orderFields(2) }, [w.alice.signer], w.spA.keys.sealing.publicKey).bytes;
        expect(await outcomeOf(w.receive(fromTheFuture))).toBe('stale');
      });

      it('refuses the same bytes twice as a replay', async () => {
        const replay = new InMemoryReplayGuard();
        const bytes = w.presentation();
        expect(await outcomeOf(w.receive(bytes, w.spA, replay))).toBe('accepted');
        expect(await outcomeOf(w.receive(bytes, w.spA, replay))).toBe('replay');
      });

      it('refuses the same signed message sealed again as a replay', async () => {
        const replay = new InMemoryReplayGuard();
        const frame = w.envelope.decodeFrame(w.order(1));
        if (frame.t !== 'sealed') throw new Error('expected a sealed frame');
        const inner = w.envelope.open(frame, w.spA.id, w.spA.keys.sealing.secretKey, w.spA.keys.sealing.publicKey);
        expect(await outcomeOf(w.receive(w.envelope.seal(inner, w.spA.id, w.spA.keys.sealing.publicKey), w.spA, replay))).toBe('accepted');
        expect(await outcomeOf(w.receive(w.envelope.seal(inner, w.spA.id, w.spA.keys.sealing.publicKey), w.spA, replay))).toBe('replay');
      });

      it('refuses a new message that reuses a number as a replay', async () => {
        const replay = new InMemoryReplayGuard();
        expect(await outcomeOf(w.receive(w.order(41), w.spA, replay))).toBe('accepted');
        expect(await outcomeOf(w.receive(w.order(42), w.spA, replay))).toBe('accepted');
        expect(await outcomeOf(w.receive(w.order(41), w.spA, replay))).toBe('replay');
      });
    });

    describe('types and schemas', () => {
      it('calls a type no definition knows unknown-type', async () => {
        const message = { v: 1, type: 'testUnheardOf', id: w.sut.newMessageId(), from: w.alice.id, to: w.spA.id, issuedAt: w.clock.now(), fields: {} };
        expect(await outcomeOf(w.receive(w.envelope.sign('testUnheardOf', message, [w.alice.signer])))).toBe('unknown-type');
      });

      it.each([
        ['a negative order number', { ...orderFields(1), orderNumber: -1 }],
        ['a fractional amount', { ...orderFields(1), amount: { amount: 12.5, currency: 'EUR' } }],
        ['a note too long', { ...orderFields(1), note: 'x'.repeat(65) }],
        ['an extra field', { ...orderFields(1), discount: 5 }],
        ['a missing field', { orderNumber: 1, note: 'n' }],
      ])('calls fields with %s a schema violation', async (_label, fields) => {
        const bytes = w.sut.compose(testOrder, { from: w.alice.id, to: w.spA.id, fields }, [w.alice.signer], w.spA.keys.sealing.publicKey).bytes;
        expect(await outcomeOf(w.receive(bytes))).toBe('schema');
      });

      it.each([
        ['a short message ID', { id: 'abc' }],
        ['a sender that is no principal', { from: 'alice' }],
        ['an extra header field', { extra: true }],
        ['a negative issued time', { issuedAt: -1 }],
      ])('calls a header with %s a schema violation', async (_label, change) => {
        const message = { v: 1, type: 'testPresentation', id: w.sut.newMessageId(), from: w.alice.id, to: w.spA.id, issuedAt: w.clock.now(), fields: { ticketKid: w.ticket.id, challenge: crypto.randomBytes(16) }, ...change };
        expect(await outcomeOf(w.receive(w.envelope.sign('testPresentation', message, [w.alice.signer, w.ticket.signer])))).toBe('schema');
      });
    });
  },
);
