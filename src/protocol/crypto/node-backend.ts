import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  randomFillSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { CryptoBackend, EphemeralAgreement } from './crypto-backend.js';

type Curve = 'Ed25519' | 'X25519';

// DER prefixes that wrap a raw 32-byte key into PKCS#8 (secret) or SPKI (public). Only the fallback import path: OpenSSL
// 3 parses DER through its generic decoder chain, ~400 µs per private key and ~75 µs per public key, against ~27 µs and
// ~6 µs for the raw import that a JWK takes (and the 27 µs are the public-key derivation, which a DER import also does).
const PKCS8_PREFIX: Record<Curve, Buffer> = {
  Ed25519: Buffer.from('302e020100300506032b657004220420', 'hex'),
  X25519: Buffer.from('302e020100300506032b656e04220420', 'hex'),
};
const RANDOM_POOL_BYTES = 4096;
const KEY_CACHE_LIMIT = 4096;
/** The largest HKDF-SHA256 output (RFC 5869: 255 blocks). */
const HKDF_MAX_LENGTH = 255 * 32;

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

/** The raw public key of an OKP key object (private or public): its JWK `x`, no DER round trip. */
function rawPublic(key: KeyObject): Uint8Array {
  const { x } = key.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('OKP key without a public part');
  return new Uint8Array(Buffer.from(x, 'base64url'));
}

function importPublic(curve: Curve, publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: curve, x: base64url(publicKey) }, format: 'jwk' });
}

function importPrivateDer(curve: Curve, secretKey: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX[curve], secretKey]), format: 'der', type: 'pkcs8' });
}

/**
 * A private JWK must carry `x`, the public key, which is what we are about to compute. Node (20 to 24 at least) checks
 * only that `x` is a string and builds the key from `d` alone (OpenSSL derives the public part), so an empty `x` does.
 */
function importPrivateJwk(curve: Curve, secretKey: Uint8Array): KeyObject {
  if (secretKey.length !== 32) throw new RangeError(`${curve} secret key must be 32 bytes`);
  return createPrivateKey({ key: { kty: 'OKP', crv: curve, d: base64url(secretKey), x: '' }, format: 'jwk' });
}

/**
 * Whether this Node imports a private JWK without its `x` and derives the right public key: checked once against the
 * RFC 8032 / RFC 7748 vectors, so that a runtime that ever validated or used `x` falls back to DER instead of failing.
 */
function jwkPrivateImportWorks(): boolean {
  const vectors: readonly [Curve, string, string][] = [
    ['Ed25519', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'],
    ['X25519', '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'],
  ];
  try {
    return vectors.every(([curve, secret, expected]) => Buffer.from(rawPublic(importPrivateJwk(curve, Buffer.from(secret, 'hex')))).toString('hex') === expected);
  } catch {
    return false;
  }
}

const importPrivate: (curve: Curve, secretKey: Uint8Array) => KeyObject = jwkPrivateImportWorks() ? importPrivateJwk : importPrivateDer;

/** A bounded cache of parsed OpenSSL key objects, for keys that recur (own secrets, signers, addressees). */
class KeyObjectCache {
  private readonly entries = new Map<string, KeyObject>();
  get(raw: Uint8Array, make: () => KeyObject): KeyObject {
    const id = base64url(raw);
    let key = this.entries.get(id);
    if (key === undefined) {
      key = make();
      if (this.entries.size >= KEY_CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(id, key);
    }
    return key;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/**
 * node:crypto (OpenSSL) backend: byte-identical to the noble backend, several times faster.
 *
 * What is cached, and what is not: one-shot keys must not push the recurring ones out of the cache. Recurring: own
 * secrets (Ed25519 and X25519), signers' public keys, addressees' sealing keys (cached in `x25519Ephemeral`). One-shot:
 * ephemeral secrets (made inside `x25519Ephemeral`, never imported) and the ephemeral public keys of inbound sealed
 * frames (`x25519SharedSecret` imports its peer key uncached: ~6 µs, against ~33 µs for the agreement itself).
 */
export class NodeCryptoBackend implements CryptoBackend {
  private readonly randomPool = new Uint8Array(RANDOM_POOL_BYTES);
  private randomOffset = RANDOM_POOL_BYTES;

  readonly name = 'node';
  // One cache per algorithm and kind: the same 32 bytes are a valid key of either curve, so a shared cache would hand
  // an X25519 key object to Ed25519 (an inbound ephemeral key equal to a signer's public key made its signatures fail).
  private readonly edSecrets = new KeyObjectCache();
  private readonly xSecrets = new KeyObjectCache();
  private readonly edPublics = new KeyObjectCache();
  private readonly xAddressees = new KeyObjectCache();
  /**
   * The secret last given to `x25519PublicKey`, parsed, for callers that derive a key's public part and then agree with
   * it (a seal built from the primitives): the agreement re-uses it without importing again or caching it.
   */
  private lastDerived: { readonly secretKey: Uint8Array; readonly key: KeyObject } | undefined;

  /**
   * Small requests (nonces, message IDs, ephemeral secrets) are cut from a pool refilled from the CSPRNG 4 KiB at a
   * time: one system call per refill instead of one per message. Bytes handed out are never handed out again.
   */
  randomBytes(length: number): Uint8Array {
    if (length > RANDOM_POOL_BYTES / 4) return new Uint8Array(randomBytes(length));
    if (this.randomOffset + length > RANDOM_POOL_BYTES) {
      randomFillSync(this.randomPool);
      this.randomOffset = 0;
    }
    const bytes = this.randomPool.slice(this.randomOffset, this.randomOffset + length);
    this.randomOffset += length;
    return bytes;
  }

  private edSecret(secretKey: Uint8Array): KeyObject {
    return this.edSecrets.get(secretKey, () => importPrivate('Ed25519', secretKey));
  }

  ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
    return rawPublic(this.edSecret(secretKey));
  }

  ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, this.edSecret(secretKey)));
  }

  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    try {
      return verify(null, message, this.edPublics.get(publicKey, () => importPublic('Ed25519', publicKey)), signature);
    } catch {
      return false;
    }
  }

  x25519PublicKey(secretKey: Uint8Array): Uint8Array {
    const key = importPrivate('X25519', secretKey);
    // A copy: the caller may overwrite its buffer, and the memo must still name the key it holds.
    this.lastDerived = { secretKey: secretKey.slice(), key };
    return rawPublic(key);
  }

  x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    if (publicKey.length !== 32) throw new RangeError('x25519 public key must be 32 bytes');
    const memo = this.lastDerived;
    let privateKey: KeyObject;
    if (memo !== undefined && sameBytes(memo.secretKey, secretKey)) {
      this.lastDerived = undefined;
      privateKey = memo.key;
    } else {
      privateKey = this.xSecrets.get(secretKey, () => importPrivate('X25519', secretKey));
    }
    return new Uint8Array(diffieHellman({ privateKey, publicKey: importPublic('X25519', publicKey) }));
  }

  /** A fresh key pair made inside OpenSSL (~34 µs, no import), and its agreement with the addressee's key. */
  x25519Ephemeral(recipientPublicKey: Uint8Array): EphemeralAgreement {
    if (recipientPublicKey.length !== 32) throw new RangeError('x25519 public key must be 32 bytes');
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const recipient = this.xAddressees.get(recipientPublicKey, () => importPublic('X25519', recipientPublicKey));
    return { publicKey: rawPublic(publicKey), shared: new Uint8Array(diffieHellman({ privateKey, publicKey: recipient })) };
  }

  /** RFC 5869 with two HMACs for the usual one-block output: half the cost of `hkdfSync`'s OpenSSL KDF fetch. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 1 || length > HKDF_MAX_LENGTH) return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
    const prk = createHmac('sha256', salt).update(ikm).digest();
    const out = new Uint8Array(length);
    let block: Uint8Array = new Uint8Array(0);
    for (let counter = 1, offset = 0; offset < length; counter++, offset += 32) {
      block = createHmac('sha256', prk).update(block).update(info).update(Uint8Array.of(counter)).digest();
      out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  }

  sha256(data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(data).digest());
  }

  aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    cipher.setAAD(aad, { plaintextLength: plaintext.length });
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    return new Uint8Array(Buffer.concat([head, tail, cipher.getAuthTag()]));
  }

  aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
    if (sealed.length < 16) return undefined;
    try {
      const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      decipher.setAAD(aad, { plaintextLength: sealed.length - 16 });
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const head = decipher.update(sealed.subarray(0, sealed.length - 16));
      return new Uint8Array(Buffer.concat([head, decipher.final()]));
    } catch {
      return undefined;
    }
  }
}
