import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { CryptoBackend } from './crypto-backend.js';

/** The reference backend: audited pure-JS primitives from @noble. */
export class NobleCryptoBackend implements CryptoBackend {
  readonly name = 'noble';

  randomBytes(length: number): Uint8Array {
    return randomBytes(length);
  }

  ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
    return ed25519.getPublicKey(secretKey);
  }

  ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    return ed25519.sign(message, secretKey);
  }

  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    try {
      return ed25519.verify(signature, message, publicKey);
    } catch {
      return false;
    }
  }

  x25519PublicKey(secretKey: Uint8Array): Uint8Array {
    return x25519.getPublicKey(secretKey);
  }

  x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    return x25519.getSharedSecret(secretKey, publicKey);
  }

  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
    return hkdf(sha256, ikm, salt, info, length);
  }

  sha256(data: Uint8Array): Uint8Array {
    return sha256(data);
  }

  aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
  }

  aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
    try {
      return chacha20poly1305(key, nonce, aad).decrypt(sealed);
    } catch {
      return undefined;
    }
  }
}
