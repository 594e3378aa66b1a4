/**
 * The primitives Tessera's envelope is built from. Two implementations give byte-identical results:
 * `NobleCryptoBackend` (@noble/*, pure JS, the reference) and `NodeCryptoBackend` (node:crypto, OpenSSL, faster on the
 * server's hot path). `test` proves they agree.
 */
export interface CryptoBackend {
  readonly name: string;
  randomBytes(length: number): Uint8Array;
  /** Ed25519 (RFC 8032, pure). Secret keys are 32-byte seeds. */
  ed25519PublicKey(secretKey: Uint8Array): Uint8Array;
  ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** X25519 (RFC 7748). */
  x25519PublicKey(secretKey: Uint8Array): Uint8Array;
  x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /**
   * Optional: a fresh ephemeral X25519 key pair's public key and its agreement with `recipientPublicKey`, the secret never
   * leaving the backend. Same result as `x25519Ephemeral(crypto, ...)` below, which backends without it fall back to.
   */
  x25519Ephemeral?(recipientPublicKey: Uint8Array): EphemeralAgreement;
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  /** ChaCha20-Poly1305 (RFC 8439); output is ciphertext followed by the 16-byte tag. */
  aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** Returns undefined when the tag does not verify. */
  aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined;
}

/** A sender's side of one X25519 agreement: the ephemeral public key to send, and the shared secret. */
export interface EphemeralAgreement {
  readonly publicKey: Uint8Array;
  readonly shared: Uint8Array;
}

/** An ephemeral X25519 agreement with `recipientPublicKey`: the backend's own when it has one, else from the primitives. */
export function x25519Ephemeral(crypto: CryptoBackend, recipientPublicKey: Uint8Array): EphemeralAgreement {
  if (crypto.x25519Ephemeral !== undefined) return crypto.x25519Ephemeral(recipientPublicKey);
  const secretKey = crypto.randomBytes(32);
  return { publicKey: crypto.x25519PublicKey(secretKey), shared: crypto.x25519SharedSecret(secretKey, recipientPublicKey) };
}

export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** A principal's two key pairs: Ed25519 to sign, X25519 to receive sealed messages. */
export interface PrincipalKeys {
  readonly signing: KeyPair;
  readonly sealing: KeyPair;
}

export function generatePrincipalKeys(crypto: CryptoBackend): PrincipalKeys {
  const signSecret = crypto.randomBytes(32);
  const sealSecret = crypto.randomBytes(32);
  return {
    signing: { secretKey: signSecret, publicKey: crypto.ed25519PublicKey(signSecret) },
    sealing: { secretKey: sealSecret, publicKey: crypto.x25519PublicKey(sealSecret) },
  };
}
