import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromBase64, toBase64 } from '../common/bytes.js';
import { generatePrincipalKeys, type CryptoBackend, type PrincipalKeys } from '../protocol/crypto/crypto-backend.js';

interface KeyFileJson {
  id: string;
  signing: { secretKey: string; publicKey: string };
  sealing: { secretKey: string; publicKey: string };
}

export interface StoredIdentity {
  readonly id: string;
  readonly keys: PrincipalKeys;
}

export function encodeIdentity(identity: StoredIdentity): KeyFileJson {
  const { signing, sealing } = identity.keys;
  return {
    id: identity.id,
    signing: { secretKey: toBase64(signing.secretKey), publicKey: toBase64(signing.publicKey) },
    sealing: { secretKey: toBase64(sealing.secretKey), publicKey: toBase64(sealing.publicKey) },
  };
}

export function decodeIdentity(json: KeyFileJson): StoredIdentity {
  return {
    id: json.id,
    keys: {
      signing: { secretKey: fromBase64(json.signing.secretKey), publicKey: fromBase64(json.signing.publicKey) },
      sealing: { secretKey: fromBase64(json.sealing.secretKey), publicKey: fromBase64(json.sealing.publicKey) },
    },
  };
}

/**
 * A principal's secret keys in a file readable by its owner only (0600), outside the database rows they sign.
 * Created on first use.
 */
export function loadOrCreateKeyFile(path: string, id: string, crypto: CryptoBackend): StoredIdentity {
  if (existsSync(path)) {
    const identity = decodeIdentity(JSON.parse(readFileSync(path, 'utf8')) as KeyFileJson);
    if (identity.id !== id) throw new Error(`key file ${path} belongs to ${identity.id}, not ${id}`);
    return identity;
  }
  const identity = { id, keys: generatePrincipalKeys(crypto) };
  writeKeyFile(path, identity);
  return identity;
}

export function writeKeyFile(path: string, identity: StoredIdentity, extra: Record<string, unknown> = {}): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify({ ...encodeIdentity(identity), ...extra }, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
}
