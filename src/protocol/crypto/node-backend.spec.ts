// Proves the node backend's key-object caches keep Ed25519 and X25519 keys apart, so one curve's bytes never poison the other.
import { NobleCryptoBackend } from './noble-backend.js';
import { NodeCryptoBackend } from './node-backend.js';

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const reference = new NobleCryptoBackend();

describe('NodeCryptoBackend key caches', () => {
  it('derives each curve its own public key from the same 32 secret bytes, in either order', () => {
    const sut = new NodeCryptoBackend();
    const first = reference.randomBytes(32);
    const second = reference.randomBytes(32);
    expect(toHex(sut.x25519PublicKey(first))).toBe(toHex(reference.x25519PublicKey(first)));
    expect(toHex(sut.ed25519PublicKey(first))).toBe(toHex(reference.ed25519PublicKey(first)));
    expect(toHex(sut.ed25519PublicKey(second))).toBe(toHex(reference.ed25519PublicKey(second)));
    expect(toHex(sut.x25519PublicKey(second))).toBe(toHex(reference.x25519PublicKey(second)));
  });

  it("still verifies a signer after an inbound ephemeral X25519 key equal to the signer's Ed25519 key", () => {
    const sut = new NodeCryptoBackend();
    const signerSecret = reference.randomBytes(32);
    const signerPublic = reference.ed25519PublicKey(signerSecret);
    const message = new TextEncoder().encode('ticket presentation');
    const signature = reference.ed25519Sign(message, signerSecret);
    // An attacker puts the signer's public key bytes in a sealed frame's ephemeral-key field.
    sut.x25519SharedSecret(reference.randomBytes(32), signerPublic);
    expect(sut.ed25519Verify(signature, message, signerPublic)).toBe(true);
  });

  it('still agrees on X25519 after the same bytes were used as an Ed25519 public key', () => {
    const sut = new NodeCryptoBackend();
    const publicBytes = reference.ed25519PublicKey(reference.randomBytes(32));
    const secret = reference.randomBytes(32);
    sut.ed25519Verify(new Uint8Array(64), new Uint8Array(1), publicBytes);
    expect(toHex(sut.x25519SharedSecret(secret, publicBytes))).toBe(toHex(reference.x25519SharedSecret(secret, publicBytes)));
  });
});
