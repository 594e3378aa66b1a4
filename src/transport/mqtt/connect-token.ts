import { decodeStrict, encodeCanonical } from '../../protocol/cbor.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { isRecord } from '../../protocol/envelope.js';
import type { DeviceId } from '../../protocol/ids.js';

/**
 * The MQTT CONNECT password of a device: proof that whoever connects as `username = clientId = DeviceId` holds that
 * device's Ed25519 signing key, fresh within the allowed skew.
 *
 *   claims = canonical CBOR { d: DeviceId, t: issued-at ms, n: 16 random bytes }
 *   token  = canonical CBOR { c: claims, s: Ed25519('tessera/1/mqtt-connect\0' || claims) }
 *
 * The domain prefix keeps a connect signature from ever verifying as a message signature (`tessera/1/sig/<type>\0`).
 */
export const CONNECT_TOKEN_DOMAIN = 'tessera/1/mqtt-connect\0';
export const CONNECT_NONCE_BYTES = 16;
/** Bounds the decoding work an unauthenticated peer can ask for; a real token is about 140 bytes. */
export const CONNECT_TOKEN_MAX_BYTES = 512;

export const CONNECT_TOKEN_REFUSALS = ['malformed', 'wrong-device', 'stale', 'bad-signature'] as const;
export type ConnectTokenRefusal = (typeof CONNECT_TOKEN_REFUSALS)[number];

export type ConnectTokenCheck =
  | { readonly ok: true; readonly issuedAtMs: number; readonly nonce: Uint8Array }
  | { readonly ok: false; readonly reason: ConnectTokenRefusal };

const DOMAIN_BYTES = new TextEncoder().encode(CONNECT_TOKEN_DOMAIN);

function signingInput(claims: Uint8Array): Uint8Array {
  const input = new Uint8Array(DOMAIN_BYTES.length + claims.length);
  input.set(DOMAIN_BYTES, 0);
  input.set(claims, DOMAIN_BYTES.length);
  return input;
}

export function makeConnectToken(crypto: CryptoBackend, deviceId: DeviceId, secretKey: Uint8Array, now: number): Uint8Array {
  const claims = encodeCanonical({ d: deviceId, t: now, n: crypto.randomBytes(CONNECT_NONCE_BYTES) });
  return encodeCanonical({ c: claims, s: crypto.ed25519Sign(signingInput(claims), secretKey) });
}

interface TokenParts {
  readonly claimsBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly deviceId: string;
  readonly issuedAtMs: number;
  readonly nonce: Uint8Array;
}

function tryDecode(bytes: Uint8Array): unknown {
  try {
    return decodeStrict(bytes);
  } catch {
    return undefined;
  }
}

function hasExactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const actual = Object.keys(value);
  return actual.length === keys.length && keys.every((key) => actual.includes(key));
}

function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}

/** Decodes and shape-checks; the claims must be canonical so one token has exactly one encoding. */
function decodeToken(token: Uint8Array): TokenParts | undefined {
  if (token.length > CONNECT_TOKEN_MAX_BYTES) return undefined;
  const outer = tryDecode(token);
  if (!isRecord(outer) || !hasExactKeys(outer, ['c', 's'])) return undefined;
  const { c, s } = outer;
  if (!isBytes(c) || !isBytes(s, 64)) return undefined;
  const claims = tryDecode(c);
  if (!isRecord(claims) || !hasExactKeys(claims, ['d', 't', 'n'])) return undefined;
  const { d, t, n } = claims;
  if (typeof d !== 'string' || typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0 || !isBytes(n, CONNECT_NONCE_BYTES)) return undefined;
  if (!bytesEqual(encodeCanonical({ d, t, n }), c)) return undefined;
  return { claimsBytes: c, signature: s, deviceId: d, issuedAtMs: t, nonce: n };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** Checks in the inbound order: decode -> shape -> addressee (device) -> freshness -> signature. */
export function verifyConnectToken(
  crypto: CryptoBackend,
  token: Uint8Array,
  expectedDeviceId: DeviceId,
  publicKey: Uint8Array,
  now: number,
  maxSkewMs: number,
): ConnectTokenCheck {
  const parts = decodeToken(token);
  if (parts === undefined) return { ok: false, reason: 'malformed' };
  if (parts.deviceId !== expectedDeviceId) return { ok: false, reason: 'wrong-device' };
  if (Math.abs(now - parts.issuedAtMs) > maxSkewMs) return { ok: false, reason: 'stale' };
  if (!crypto.ed25519Verify(parts.signature, signingInput(parts.claimsBytes), publicKey)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, issuedAtMs: parts.issuedAtMs, nonce: parts.nonce };
}
