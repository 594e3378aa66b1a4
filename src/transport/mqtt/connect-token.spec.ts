// Proves a connect token verifies only for its own device and key, within the skew, and names every refusal.
import { decodeStrict, encodeCanonical } from '../../protocol/cbor.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { NobleCryptoBackend } from '../../protocol/crypto/noble-backend.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { isRecord } from '../../protocol/envelope.js';
import { ids } from '../../protocol/ids.js';
import { CONNECT_TOKEN_DOMAIN, makeConnectToken, verifyConnectToken } from './connect-token.js';

const NOW = Date.UTC(2026, 0, 1);
const SKEW_MS = 30_000;
const gate = ids.device('gate', 'g1');
const other = ids.device('gate', 'g2');

describe.each([new NobleCryptoBackend(), new NodeCryptoBackend()])('connect token with the $name backend', (crypto: CryptoBackend) => {
  const secretKey = crypto.randomBytes(32);
  const publicKey = crypto.ed25519PublicKey(secretKey);
  const otherSecret = crypto.randomBytes(32);

  function resign(claims: Record<string, unknown>, key = secretKey): Uint8Array {
    const c = encodeCanonical(claims);
    const domain = new TextEncoder().encode(CONNECT_TOKEN_DOMAIN);
    const input = new Uint8Array([...domain, ...c]);
    return encodeCanonical({ c, s: crypto.ed25519Sign(input, key) });
  }

  it('verifies a fresh token of the right device and key', () => {
    const sut = makeConnectToken(crypto, gate, secretKey, NOW);
    const result = verifyConnectToken(crypto, sut, gate, publicKey, NOW + 1_000, SKEW_MS);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.issuedAtMs).toBe(NOW);
      expect(result.nonce).toHaveLength(16);
    }
  });

  it('carries a fresh nonce every time', () => {
    const a = makeConnectToken(crypto, gate, secretKey, NOW);
    const b = makeConnectToken(crypto, gate, secretKey, NOW);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it.each([
    ['exactly at the skew, late', NOW + SKEW_MS, true],
    ['exactly at the skew, early', NOW - SKEW_MS, true],
    ['one ms past the skew', NOW + SKEW_MS + 1, false],
    ['one ms before the skew', NOW - SKEW_MS - 1, false],
  ])('freshness: %s', (_label, now, ok) => {
    const sut = makeConnectToken(crypto, gate, secretKey, NOW);
    expect(verifyConnectToken(crypto, sut, gate, publicKey, now, SKEW_MS)).toEqual(ok ? expect.objectContaining({ ok: true }) : { ok: false, reason: 'stale' });
  });

  it('refuses a token made for another device', () => {
    const sut = makeConnectToken(crypto, other, secretKey, NOW);
    expect(verifyConnectToken(crypto, sut, gate, publicKey, NOW, SKEW_MS)).toEqual({ ok: false, reason: 'wrong-device' });
  });

  it("refuses a token signed by another device's key", () => {
    const sut = makeConnectToken(crypto, gate, otherSecret, NOW);
    expect(verifyConnectToken(crypto, sut, gate, publicKey, NOW, SKEW_MS)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a message signature domain: the same claims signed without the connect domain', () => {
    const c = encodeCanonical({ d: gate, t: NOW, n: crypto.randomBytes(16) });
    const sut = encodeCanonical({ c, s: crypto.ed25519Sign(c, secretKey) });
    expect(verifyConnectToken(crypto, sut, gate, publicKey, NOW, SKEW_MS)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token whose claims were altered after signing', () => {
    const token = decodeStrict(makeConnectToken(crypto, gate, secretKey, NOW));
    if (!isRecord(token) || !(token['c'] instanceof Uint8Array)) throw new Error('unexpected token shape');
    const claims = decodeStrict(token['c']);
    if (!isRecord(claims)) throw new Error('unexpected claims shape');
    const altered = encodeCanonical({ c: encodeCanonical({ ...claims, t: NOW + 1 }), s: token['s'] });
    expect(verifyConnectToken(crypto, altered, gate, publicKey, NOW, SKEW_MS)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each([
    ['empty bytes', new Uint8Array()],
    ['a UTF-8 password', new TextEncoder().encode('hunter2')],
    ['CBOR that is not a map', encodeCanonical([1, 2, 3])],
    ['a map with an extra key', encodeCanonical({ c: new Uint8Array(1), s: new Uint8Array(64), x: 1 })],
    ['a short signature', encodeCanonical({ c: encodeCanonical({ d: gate, t: NOW, n: new Uint8Array(16) }), s: new Uint8Array(63) })],
    ['oversized bytes', new Uint8Array(4096)],
  ])('refuses %s as malformed', (_label, token) => {
    expect(verifyConnectToken(crypto, token, gate, publicKey, NOW, SKEW_MS)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['a short nonce', { d: gate, t: NOW, n: new Uint8Array(15) }],
    ['a text time', { d: gate, t: String(NOW), n: new Uint8Array(16) }],
    ['a fractional time', { d: gate, t: NOW + 0.5, n: new Uint8Array(16) }],
    ['a negative time', { d: gate, t: -1, n: new Uint8Array(16) }],
    ['a missing device', { t: NOW, n: new Uint8Array(16) }],
    ['an extra claim', { d: gate, t: NOW, n: new Uint8Array(16), x: true }],
  ])('refuses claims with %s as malformed, even when signed', (_label, claims) => {
    expect(verifyConnectToken(crypto, resign(claims), gate, publicKey, NOW, SKEW_MS)).toEqual({ ok: false, reason: 'malformed' });
  });
});
