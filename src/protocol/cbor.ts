import { decode, encode, rfc8949EncodeOptions } from 'cborg';
import { ProtocolError } from './errors.js';

/** Deterministic CBOR (RFC 8949 section 4.2.1): the bytes that are signed are reproducible by every party. */
export function encodeCanonical(value: unknown): Uint8Array {
  return encode(value, rfc8949EncodeOptions);
}

/**
 * Plain CBOR for the outer frames, which nobody signs: their fields are written in one fixed order by this code, so
 * the bytes are still stable, without the cost of sorting map keys that deterministic encoding pays.
 */
export function encodeFrame(value: unknown): Uint8Array {
  return encode(value);
}

const DECODE_OPTIONS = { strict: true, useMaps: false, rejectDuplicateMapKeys: true, allowUndefined: false, allowInfinity: false, allowNaN: false } as const;

/** Decodes untrusted bytes; anything that is not strict, well-formed CBOR is `malformed`. */
export function decodeStrict(bytes: Uint8Array): unknown {
  try {
    return decode(bytes, DECODE_OPTIONS);
  } catch (error) {
    throw new ProtocolError('malformed', `not strict CBOR (${error instanceof Error ? error.message : String(error)})`);
  }
}
