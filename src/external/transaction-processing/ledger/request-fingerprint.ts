import { createHash } from 'node:crypto';
import { encodeCanonical } from '../../../protocol/cbor.js';

/** Absent and undefined must fingerprint alike: a field left out is not a different request. */
function definedOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(definedOnly);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([key, entry]) => (entry === undefined ? [] : [[key, definedOnly(entry)]])));
}

/** Hex SHA-256 of the message type and its fields in canonical CBOR: what "the same request" means. */
export function requestFingerprint(messageType: string, fields: object): string {
  return createHash('sha256').update(encodeCanonical({ type: messageType, fields: definedOnly(fields) })).digest('hex');
}
