import { encodeCanonical, encodeFrame, decodeStrict } from './cbor.js';
import { x25519Ephemeral, type CryptoBackend } from './crypto/crypto-backend.js';
import { ProtocolError } from './errors.js';

export const PROTOCOL_VERSION = 1;
const SIGNATURE_DOMAIN = 'tessera/1/sig/';
const SEAL_INFO = new TextEncoder().encode('tessera/1/seal');
const NONCE_BYTES = 12;
const utf8 = new TextEncoder();

/** One signature on a message, naming the key that made it (a principal or object ID). */
export interface SignatureEntry {
  readonly kid: string;
  readonly sig: Uint8Array;
}

export interface Signer {
  readonly kid: string;
  readonly secretKey: Uint8Array;
}

/** The bytes on the wire: a signed frame, or a signed frame sealed to one addressee. */
export type Frame =
  | { readonly t: 'signed'; readonly v: number; readonly b: Uint8Array; readonly s: readonly SignatureEntry[] }
  | { readonly t: 'sealed'; readonly v: number; readonly to: string; readonly e: Uint8Array; readonly n: Uint8Array; readonly c: Uint8Array };

export type SignedFrame = Extract<Frame, { t: 'signed' }>;
export type SealedFrame = Extract<Frame, { t: 'sealed' }>;

/** Domain separation: a signature over one message type can never verify as another. */
const domains = new Map<string, Uint8Array>();

export function signingInput(type: string, bodyBytes: Uint8Array): Uint8Array {
  let domain = domains.get(type);
  if (domain === undefined) {
    domain = utf8.encode(`${SIGNATURE_DOMAIN}${type}\0`);
    // Message types are a closed, registered set; the bound only guards against a peer inventing types.
    if (domains.size < 1024) domains.set(type, domain);
  }
  // Buffer.concat cuts small results from Node's pooled slab: no zero-filled allocation per signature.
  return Buffer.concat([domain, bodyBytes], domain.length + bodyBytes.length);
}

function sealAad(to: string, ephemeralPublicKey: Uint8Array): Uint8Array {
  return encodeCanonical({ v: PROTOCOL_VERSION, to, e: ephemeralPublicKey });
}

function sealKey(crypto: CryptoBackend, shared: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralPublicKey, 0);
  salt.set(recipientPublicKey, 32);
  return crypto.hkdfSha256(shared, salt, SEAL_INFO, 32);
}

/** Sign-then-seal envelope (DESIGN "Messages"). Stateless; one instance per crypto backend. */
export class Envelope {
  constructor(readonly crypto: CryptoBackend) {}

  /** Signs the canonical body bytes with every signer; returns the encoded signed frame. */
  sign(type: string, body: unknown, signers: readonly Signer[]): Uint8Array {
    const b = encodeCanonical(body);
    const input = signingInput(type, b);
    const s = signers.map((signer) => ({ kid: signer.kid, sig: this.crypto.ed25519Sign(input, signer.secretKey) }));
    return encodeFrame({ t: 'signed', v: PROTOCOL_VERSION, b, s });
  }

  /** Seals an encoded signed frame to one addressee (ephemeral X25519, HKDF-SHA256, ChaCha20-Poly1305). */
  seal(signedFrame: Uint8Array, to: string, recipientSealingKey: Uint8Array): Uint8Array {
    const { publicKey: e, shared } = x25519Ephemeral(this.crypto, recipientSealingKey);
    const key = sealKey(this.crypto, shared, e, recipientSealingKey);
    const n = this.crypto.randomBytes(NONCE_BYTES);
    const c = this.crypto.aeadSeal(key, n, signedFrame, sealAad(to, e));
    return encodeFrame({ t: 'sealed', v: PROTOCOL_VERSION, to, e, n, c });
  }

  /** Decodes the outer frame of untrusted bytes. */
  decodeFrame(bytes: Uint8Array): Frame {
    const value = decodeStrict(bytes);
    if (!isRecord(value) || value['v'] !== PROTOCOL_VERSION) throw new ProtocolError('malformed', 'not a Tessera frame of a known version');
    if (value['t'] === 'sealed') {
      const { to, e, n, c } = value;
      if (typeof to !== 'string' || !isBytes(e, 32) || !isBytes(n, NONCE_BYTES) || !isBytes(c) || Object.keys(value).length !== 6) {
        throw new ProtocolError('malformed', 'sealed frame fields');
      }
      return { t: 'sealed', v: PROTOCOL_VERSION, to, e, n, c };
    }
    if (value['t'] === 'signed') {
      const { b, s } = value;
      if (!isBytes(b) || !Array.isArray(s) || Object.keys(value).length !== 4) throw new ProtocolError('malformed', 'signed frame fields');
      const signatures = s.map((entry: unknown) => {
        if (!isRecord(entry) || typeof entry['kid'] !== 'string' || !isBytes(entry['sig'], 64) || Object.keys(entry).length !== 2) {
          throw new ProtocolError('malformed', 'signature entry');
        }
        return { kid: entry['kid'], sig: entry['sig'] };
      });
      return { t: 'signed', v: PROTOCOL_VERSION, b, s: signatures };
    }
    throw new ProtocolError('malformed', 'unknown frame kind');
  }

  /** Opens a sealed frame addressed to `me`; returns the inner signed frame bytes. */
  open(frame: SealedFrame, me: string, sealingSecretKey: Uint8Array, sealingPublicKey: Uint8Array): Uint8Array {
    if (frame.to !== me) throw new ProtocolError('wrong-addressee', `sealed to ${frame.to}`, { to: frame.to });
    let shared: Uint8Array;
    try {
      shared = this.crypto.x25519SharedSecret(sealingSecretKey, frame.e);
    } catch {
      throw new ProtocolError('undecryptable', 'key agreement failed');
    }
    const key = sealKey(this.crypto, shared, frame.e, sealingPublicKey);
    const plain = this.crypto.aeadOpen(key, frame.n, frame.c, sealAad(frame.to, frame.e));
    if (plain === undefined) throw new ProtocolError('undecryptable', 'authentication tag did not verify');
    return plain;
  }

  verify(type: string, bodyBytes: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
    return this.crypto.ed25519Verify(signature, signingInput(type, bodyBytes), publicKey);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}
