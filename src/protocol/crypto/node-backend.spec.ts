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

describe('NodeCryptoBackend fast paths', () => {
  it('makes an ephemeral agreement that the recipient reproduces, with a new key each time', () => {
    const sut = new NodeCryptoBackend();
    const recipientSecret = reference.randomBytes(32);
    const recipientPublic = reference.x25519PublicKey(recipientSecret);
    const first = sut.x25519Ephemeral(recipientPublic);
    const second = sut.x25519Ephemeral(recipientPublic);
    expect(toHex(first.shared)).toBe(toHex(reference.x25519SharedSecret(recipientSecret, first.publicKey)));
    expect(toHex(second.shared)).toBe(toHex(reference.x25519SharedSecret(recipientSecret, second.publicKey)));
    expect(toHex(first.publicKey)).not.toBe(toHex(second.publicKey));
    expect(() => sut.x25519Ephemeral(new Uint8Array(31))).toThrow(RangeError);
  });

  it('agrees with the key whose public part it derived last, and with any other, even if the caller re-uses its buffer', () => {
    const sut = new NodeCryptoBackend();
    const peer = reference.x25519PublicKey(reference.randomBytes(32));
    const buffer = reference.randomBytes(32);
    const original = buffer.slice();
    sut.x25519PublicKey(buffer);
    buffer.set(reference.randomBytes(32));
    expect(toHex(sut.x25519SharedSecret(buffer, peer))).toBe(toHex(reference.x25519SharedSecret(buffer, peer)));
    expect(toHex(sut.x25519SharedSecret(original, peer))).toBe(toHex(reference.x25519SharedSecret(original, peer)));
    const other = reference.randomBytes(32);
    sut.x25519PublicKey(other);
    expect(toHex(sut.x25519SharedSecret(other, peer))).toBe(toHex(reference.x25519SharedSecret(other, peer)));
    expect(toHex(sut.x25519SharedSecret(other, peer))).toBe(toHex(reference.x25519SharedSecret(other, peer)));
  });

  it('derives HKDF-SHA256 of every block count as the reference does, and refuses the lengths it refuses', () => {
    const sut = new NodeCryptoBackend();
    const [ikm, salt, info] = [reference.randomBytes(32), reference.randomBytes(64), reference.randomBytes(14)];
    for (const length of [1, 31, 32, 33, 64, 65, 255 * 32]) {
      expect(toHex(sut.hkdfSha256(ikm, salt, info, length))).toBe(toHex(reference.hkdfSha256(ikm, salt, info, length)));
    }
    expect(toHex(sut.hkdfSha256(ikm, new Uint8Array(0), new Uint8Array(0), 32))).toBe(toHex(reference.hkdfSha256(ikm, new Uint8Array(0), new Uint8Array(0), 32)));
    expect(() => sut.hkdfSha256(ikm, salt, info, 255 * 32 + 1)).toThrow();
  });

  it('refuses secret keys that are not 32 bytes', () => {
    const sut = new NodeCryptoBackend();
    expect(() => sut.x25519PublicKey(new Uint8Array(31))).toThrow();
    expect(() => sut.ed25519Sign(new Uint8Array(1), new Uint8Array(33))).toThrow();
  });
});
