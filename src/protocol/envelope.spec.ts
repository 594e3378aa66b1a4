// Proves the Envelope signs reproducibly under a per-type domain, seals to exactly one addressee, and refuses any altered frame with a ProtocolError.
import { encodeCanonical } from './cbor.js';
import { generatePrincipalKeys, type CryptoBackend } from './crypto/crypto-backend.js';
import { NobleCryptoBackend } from './crypto/noble-backend.js';
import { NodeCryptoBackend } from './crypto/node-backend.js';
import { Envelope, PROTOCOL_VERSION, type SealedFrame } from './envelope.js';
import { ProtocolError } from './errors.js';

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const ADDRESSEE = 'sp:alpha';
const body = { type: 'testOrder', from: 'usr:alice', to: ADDRESSEE, fields: { orderNumber: 7, note: 'two adults', blob: new Uint8Array(200).fill(7) } };

/** What a call did: 'ok', the ProtocolError's reason, or 'threw <name>' for anything else. */
function outcomeOf(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (error) {
    if (error instanceof ProtocolError) return error.reason;
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}

describe.each([new NobleCryptoBackend(), new NodeCryptoBackend()].map((crypto) => [crypto.name, crypto] as const))('Envelope (%s backend)', (_name, crypto: CryptoBackend) => {
  const sut = new Envelope(crypto);
  const alice = generatePrincipalKeys(crypto);
  const recipient = generatePrincipalKeys(crypto);
  const signer = { kid: 'usr:alice', secretKey: alice.signing.secretKey };
  const sealed = (signed: Uint8Array): SealedFrame => {
    const frame = sut.decodeFrame(sut.seal(signed, ADDRESSEE, recipient.sealing.publicKey));
    if (frame.t !== 'sealed') throw new Error('expected a sealed frame');
    return frame;
  };
  const openAsRecipient = (bytes: Uint8Array): Uint8Array => {
    const frame = sut.decodeFrame(bytes);
    if (frame.t !== 'sealed') throw new ProtocolError('malformed', 'expected a sealed frame');
    return sut.open(frame, ADDRESSEE, recipient.sealing.secretKey, recipient.sealing.publicKey);
  };

  describe('sign', () => {
    it('gives the same bytes for the same body, whatever the key order of the object', () => {
      const reordered = { fields: body.fields, to: body.to, from: body.from, type: body.type };
      expect(toHex(sut.sign('testOrder', reordered, [signer]))).toBe(toHex(sut.sign('testOrder', body, [signer])));
    });

    it('decodes back to the canonical body and one signature per signer, each naming its key', () => {
      const cosigner = generatePrincipalKeys(crypto);
      const frame = sut.decodeFrame(sut.sign('testOrder', body, [signer, { kid: 'card:1', secretKey: cosigner.signing.secretKey }]));
      if (frame.t !== 'signed') throw new Error('expected a signed frame');
      expect(toHex(frame.b)).toBe(toHex(encodeCanonical(body)));
      expect(frame.s.map((entry) => entry.kid)).toEqual(['usr:alice', 'card:1']);
      expect(sut.verify('testOrder', frame.b, frame.s[1]?.sig ?? new Uint8Array(), cosigner.signing.publicKey)).toBe(true);
    });

    it('makes a signature that verifies only under its own message type and key', () => {
      const frame = sut.decodeFrame(sut.sign('testOrder', body, [signer]));
      if (frame.t !== 'signed') throw new Error('expected a signed frame');
      const signature = frame.s[0]?.sig ?? new Uint8Array();
      expect(sut.verify('testOrder', frame.b, signature, alice.signing.publicKey)).toBe(true);
      expect(sut.verify('testOrderX', frame.b, signature, alice.signing.publicKey)).toBe(false);
      expect(sut.verify('testOrder', frame.b, signature, recipient.signing.publicKey)).toBe(false);
    });
  });

  describe('seal and open', () => {
    it('opens to exactly the signed frame that was sealed', () => {
      const signed = sut.sign('testOrder', body, [signer]);
      const frame = sealed(signed);
      expect(frame.v).toBe(PROTOCOL_VERSION);
      expect(frame.to).toBe(ADDRESSEE);
      expect(toHex(sut.open(frame, ADDRESSEE, recipient.sealing.secretKey, recipient.sealing.publicKey))).toBe(toHex(signed));
    });

    it('uses a fresh ephemeral key and nonce for every seal', () => {
      const signed = sut.sign('testOrder', body, [signer]);
      const [first, second] = [sealed(signed), sealed(signed)];
      expect(toHex(first.e)).not.toBe(toHex(second.e));
      expect(toHex(first.n)).not.toBe(toHex(second.n));
    });

    it('refuses a frame sealed to someone else as wrong-addressee, before any decryption', () => {
      const frame = sealed(sut.sign('testOrder', body, [signer]));
      expect(outcomeOf(() => sut.open(frame, 'mer:bravo', recipient.sealing.secretKey, recipient.sealing.publicKey))).toBe('wrong-addressee');
    });

    it('calls a frame undecryptable for a receiver that claims the ID without holding the key', () => {
      const impostor = generatePrincipalKeys(crypto);
      const frame = sealed(sut.sign('testOrder', body, [signer]));
      expect(outcomeOf(() => sut.open(frame, ADDRESSEE, impostor.sealing.secretKey, impostor.sealing.publicKey))).toBe('undecryptable');
    });

    it('calls a frame whose addressee was rewritten undecryptable (the addressee is bound as associated data)', () => {
      const frame = sealed(sut.sign('testOrder', body, [signer]));
      const rewritten = sut.decodeFrame(encodeCanonical({ ...frame, to: 'sp:other' }));
      if (rewritten.t !== 'sealed') throw new Error('expected a sealed frame');
      expect(outcomeOf(() => sut.open(rewritten, 'sp:other', recipient.sealing.secretKey, recipient.sealing.publicKey))).toBe('undecryptable');
    });

    it('refuses every single-byte flip of a sealed frame with a ProtocolError, never another exception', () => {
      const bytes = sut.seal(sut.sign('testOrder', body, [signer]), ADDRESSEE, recipient.sealing.publicKey);
      const escaped: string[] = [];
      for (let index = 0; index < bytes.length; index++) {
        for (const mask of [0x01, 0x80]) {
          const tampered = bytes.slice();
          tampered[index] = (tampered[index] ?? 0) ^ mask;
          const outcome = outcomeOf(() => openAsRecipient(tampered));
          if (outcome === 'ok' || outcome.startsWith('threw')) escaped.push(`byte ${index} ^ 0x${mask.toString(16)}: ${outcome}`);
        }
      }
      expect(escaped).toEqual([]);
    });
  });

  describe('decodeFrame', () => {
    const signature = { kid: 'usr:alice', sig: new Uint8Array(64) };
    it.each([
      ['random bytes', () => crypto.randomBytes(64)],
      ['no bytes', () => new Uint8Array()],
      ['bytes after the frame', () => new Uint8Array([...sut.sign('testOrder', body, [signer]), 0])],
      ['another protocol version', () => encodeCanonical({ t: 'signed', v: PROTOCOL_VERSION + 1, b: new Uint8Array(1), s: [] })],
      ['an unknown frame kind', () => encodeCanonical({ t: 'open', v: PROTOCOL_VERSION })],
      ['an extra field', () => encodeCanonical({ t: 'signed', v: PROTOCOL_VERSION, b: new Uint8Array(1), s: [], x: 1 })],
      ['a short signature', () => encodeCanonical({ t: 'signed', v: PROTOCOL_VERSION, b: new Uint8Array(1), s: [{ kid: 'k', sig: new Uint8Array(63) }] })],
      ['a signature entry with an extra field', () => encodeCanonical({ t: 'signed', v: PROTOCOL_VERSION, b: new Uint8Array(1), s: [{ ...signature, at: 1 }] })],
      ['a body that is not bytes', () => encodeCanonical({ t: 'signed', v: PROTOCOL_VERSION, b: 'text', s: [signature] })],
      ['a short ephemeral key', () => encodeCanonical({ t: 'sealed', v: PROTOCOL_VERSION, to: ADDRESSEE, e: new Uint8Array(31), n: new Uint8Array(12), c: new Uint8Array(16) })],
      ['a short nonce', () => encodeCanonical({ t: 'sealed', v: PROTOCOL_VERSION, to: ADDRESSEE, e: new Uint8Array(32), n: new Uint8Array(8), c: new Uint8Array(16) })],
      ['a number as addressee', () => encodeCanonical({ t: 'sealed', v: PROTOCOL_VERSION, to: 7, e: new Uint8Array(32), n: new Uint8Array(12), c: new Uint8Array(16) })],
    ])('calls a frame with %s malformed', (_label, make) => {
      expect(outcomeOf(() => sut.decodeFrame(make()))).toBe('malformed');
    });

    it('calls every truncation of a sealed frame malformed', () => {
      const bytes = sut.seal(sut.sign('testOrder', body, [signer]), ADDRESSEE, recipient.sealing.publicKey);
      const outcomes = new Set<string>();
      for (let length = 0; length < bytes.length; length++) outcomes.add(outcomeOf(() => sut.decodeFrame(bytes.subarray(0, length))));
      expect([...outcomes]).toEqual(['malformed']);
    });
  });
});
