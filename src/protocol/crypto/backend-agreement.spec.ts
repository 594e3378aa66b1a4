// Proves the noble and node:crypto backends give byte-identical results, and that envelopes cross between them.
import { createHash } from 'node:crypto';
import { Envelope } from '../envelope.js';
import type { CryptoBackend } from './crypto-backend.js';
import { NobleCryptoBackend } from './noble-backend.js';
import { NodeCryptoBackend } from './node-backend.js';

const CASES = 50;
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Deterministic case data (SHA-256 in counter mode), so that a failing case can be replayed by its number. */
function caseBytes(caseIndex: number, label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 0; block * 32 < length; block++) {
    const digest = createHash('sha256').update(`${label}/${caseIndex}/${block}`).digest();
    out.set(digest.subarray(0, Math.min(32, length - block * 32)), block * 32);
  }
  return out;
}

const caseIndices = Array.from({ length: CASES }, (_, index) => index);
const noble: CryptoBackend = new NobleCryptoBackend();
const node: CryptoBackend = new NodeCryptoBackend();

describe('noble and node backends agree', () => {
  it.each(caseIndices)('case %i: Ed25519 public key and signature', (index) => {
    const secret = caseBytes(index, 'ed-secret', 32);
    const message = caseBytes(index, 'message', (index * 37) % 300);
    expect(toHex(node.ed25519PublicKey(secret))).toBe(toHex(noble.ed25519PublicKey(secret)));
    const signature = noble.ed25519Sign(message, secret);
    expect(toHex(node.ed25519Sign(message, secret))).toBe(toHex(signature));
    const publicKey = noble.ed25519PublicKey(secret);
    expect([node.ed25519Verify(signature, message, publicKey), noble.ed25519Verify(signature, message, publicKey)]).toEqual([true, true]);
  });

  it.each(caseIndices)('case %i: X25519 public keys and shared secret', (index) => {
    const alice = caseBytes(index, 'x-alice', 32);
    const bob = caseBytes(index, 'x-bob', 32);
    const bobPublic = noble.x25519PublicKey(bob);
    expect(toHex(node.x25519PublicKey(alice))).toBe(toHex(noble.x25519PublicKey(alice)));
    expect(toHex(node.x25519SharedSecret(alice, bobPublic))).toBe(toHex(noble.x25519SharedSecret(alice, bobPublic)));
  });

  it.each(caseIndices)('case %i: HKDF-SHA256 and SHA-256', (index) => {
    const ikm = caseBytes(index, 'ikm', 1 + (index % 64));
    const salt = caseBytes(index, 'salt', index % 80);
    const info = caseBytes(index, 'info', index % 20);
    const length = 1 + ((index * 13) % 96);
    expect(toHex(node.hkdfSha256(ikm, salt, info, length))).toBe(toHex(noble.hkdfSha256(ikm, salt, info, length)));
    expect(toHex(node.sha256(ikm))).toBe(toHex(noble.sha256(ikm)));
  });

  it.each(caseIndices)('case %i: AEAD seal with the same nonce, and each opens the other', (index) => {
    const key = caseBytes(index, 'aead-key', 32);
    const nonce = caseBytes(index, 'aead-nonce', 12);
    const plaintext = caseBytes(index, 'plaintext', (index * 41) % 400);
    const aad = caseBytes(index, 'aad', index % 40);
    const sealed = noble.aeadSeal(key, nonce, plaintext, aad);
    expect(toHex(node.aeadSeal(key, nonce, plaintext, aad))).toBe(toHex(sealed));
    expect(toHex(node.aeadOpen(key, nonce, sealed, aad) ?? new Uint8Array())).toBe(toHex(plaintext));
    expect(toHex(noble.aeadOpen(key, nonce, sealed, aad) ?? new Uint8Array())).toBe(toHex(plaintext));
  });
});

describe.each([
  ['noble', 'node', noble, node],
  ['node', 'noble', node, noble],
] as const)('an envelope sealed on %s opens on %s', (_from, _to, senderCrypto, receiverCrypto) => {
  const sender = new Envelope(senderCrypto);
  const sut = new Envelope(receiverCrypto);

  it.each(caseIndices.slice(0, 10))('case %i', (index) => {
    const signingSecret = caseBytes(index, 'envelope-signer', 32);
    const sealingSecret = caseBytes(index, 'envelope-recipient', 32);
    const sealingPublic = receiverCrypto.x25519PublicKey(sealingSecret);
    const body = { note: `case ${index}`, blob: caseBytes(index, 'envelope-body', index * 7) };
    const signed = sender.sign('agreementTest', body, [{ kid: 'usr:alice', secretKey: signingSecret }]);
    const frame = sut.decodeFrame(sender.seal(signed, 'sp:main', sealingPublic));
    if (frame.t !== 'sealed') throw new Error('expected a sealed frame');
    const inner = sut.open(frame, 'sp:main', sealingSecret, sealingPublic);
    expect(toHex(inner)).toBe(toHex(signed));
    const signedFrame = sut.decodeFrame(inner);
    if (signedFrame.t !== 'signed') throw new Error('expected a signed frame');
    const signature = signedFrame.s[0]?.sig ?? new Uint8Array();
    expect(sut.verify('agreementTest', signedFrame.b, signature, receiverCrypto.ed25519PublicKey(signingSecret))).toBe(true);
  });
});
