import { decode, encode, rfc8949EncodeOptions, Token } from 'cborg';
import { decodeFast, NOT_HANDLED } from './cbor-fast-decode.js';
import { encodeFast } from './cbor-fast-encode.js';
import { ProtocolError } from './errors.js';

type MapEntry = (Token | Token[])[];
const ASCII = /^[\x00-\x7f]*$/;
const bytewiseSorter = rfc8949EncodeOptions.mapSorter as (e1: MapEntry, e2: MapEntry) => number;

/**
 * RFC 8949 orders map keys by their encoded bytes. For ASCII text keys that is shorter first, then code unit order,
 * which needs no encoding; cborg's sorter encodes every key to compare it, the largest cost of signing a message.
 * Any other pair goes to cborg's sorter, which agrees with this one wherever both apply.
 */
function canonicalKeyOrder(e1: MapEntry, e2: MapEntry): number {
  const [k1, k2] = [e1[0], e2[0]];
  if (k1 instanceof Token && k2 instanceof Token && typeof k1.value === 'string' && typeof k2.value === 'string' && ASCII.test(k1.value) && ASCII.test(k2.value)) {
    return k1.value.length - k2.value.length || (k1.value < k2.value ? -1 : k1.value > k2.value ? 1 : 0);
  }
  return bytewiseSorter(e1, e2);
}

const CANONICAL_OPTIONS = { ...rfc8949EncodeOptions, mapSorter: canonicalKeyOrder };

/** Deterministic CBOR (RFC 8949 section 4.2.1): the bytes that are signed are reproducible by every party. */
export function encodeCanonical(value: unknown): Uint8Array {
  return encodeFast(value) ?? encode(value, CANONICAL_OPTIONS);
}

/**
 * The outer frames, which nobody signs. cborg's default order (shorter keys first, then bytewise) is the deterministic
 * one for the frames' ASCII keys, so the fast writer's bytes are cborg's here too.
 */
export function encodeFrame(value: unknown): Uint8Array {
  return encodeFast(value) ?? encode(value);
}

const DECODE_OPTIONS = { strict: true, useMaps: false, rejectDuplicateMapKeys: true, allowUndefined: false, allowInfinity: false, allowNaN: false } as const;

/** Decodes untrusted bytes; anything that is not strict, well-formed CBOR is `malformed`. */
export function decodeStrict(bytes: Uint8Array): unknown {
  const fast = decodeFast(bytes);
  if (fast !== NOT_HANDLED) return fast;
  try {
    return decode(bytes, DECODE_OPTIONS);
  } catch (error) {
    throw new ProtocolError('malformed', `not strict CBOR (${error instanceof Error ? error.message : String(error)})`);
  }
}
