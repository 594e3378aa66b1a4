import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { CryptoBackend } from './crypto-backend.js';

// DER prefixes that wrap a raw 32-byte key into PKCS#8 (secret) or SPKI (public) for OpenSSL.
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const KEY_CACHE_LIMIT = 4096;

/** A bounded cache of parsed OpenSSL key objects: parsing dominates the cost of one verify. */
class KeyObjectCache {
  private readonly entries = new Map<string, KeyObject>();
  get(raw: Uint8Array, make: () => KeyObject): KeyObject {
    const id = Buffer.from(raw).toString('base64');
    let key = this.entries.get(id);
    if (key === undefined) {
      key = make();
      if (this.entries.size >= KEY_CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(id, key);
    }
    return key;
  }
}

function rawPublic(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** node:crypto (OpenSSL) backend: byte-identical to the noble backend, several times faster. */
export class NodeCryptoBackend implements CryptoBackend {
  readonly name = 'node';
  // One cache per algorithm and kind: the same 32 bytes are a valid key of either curve, so a shared cache would hand
  // an X25519 key object to Ed25519 (an inbound ephemeral key equal to a signer's public key made its signatures fail).
  private readonly edSecrets = new KeyObjectCache();
  private readonly xSecrets = new KeyObjectCache();
  private readonly edPublics = new KeyObjectCache();
  private readonly xPublics = new KeyObjectCache();

  randomBytes(length: number): Uint8Array {
    return new Uint8Array(randomBytes(length));
  }

  private edSecret(secretKey: Uint8Array): KeyObject {
    return this.edSecrets.get(secretKey, () => createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, secretKey]), format: 'der', type: 'pkcs8' }));
  }

  private xSecret(secretKey: Uint8Array): KeyObject {
    return this.xSecrets.get(secretKey, () => createPrivateKey({ key: Buffer.concat([X25519_PKCS8, secretKey]), format: 'der', type: 'pkcs8' }));
  }

  ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
    return rawPublic(createPublicKey(this.edSecret(secretKey)));
  }

  ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, this.edSecret(secretKey)));
  }

  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    try {
      const key = this.edPublics.get(publicKey, () => createPublicKey({ key: Buffer.concat([ED25519_SPKI, publicKey]), format: 'der', type: 'spki' }));
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  }

  x25519PublicKey(secretKey: Uint8Array): Uint8Array {
    return rawPublic(createPublicKey(this.xSecret(secretKey)));
  }

  x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    if (publicKey.length !== 32) throw new RangeError('x25519 public key must be 32 bytes');
    const publicObject = this.xPublics.get(publicKey, () => createPublicKey({ key: Buffer.concat([X25519_SPKI, publicKey]), format: 'der', type: 'spki' }));
    return new Uint8Array(diffieHellman({ privateKey: this.xSecret(secretKey), publicKey: publicObject }));
  }

  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
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
