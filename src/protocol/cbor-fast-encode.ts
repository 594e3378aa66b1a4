/**
 * A direct CBOR writer for the values messages are made of: null, booleans, safe integers, well-formed strings, byte
 * strings, arrays and plain objects with ASCII keys. Its bytes are exactly cborg's (RFC 8949 §4.2.1 deterministic
 * form: shortest heads, keys shorter first then bytewise, which for ASCII keys is code unit order); cbor-fast.spec.ts
 * holds it to that. Anything else (floats, bigints, undefined, Maps, non-ASCII keys, lone surrogates, cycles) returns
 * `undefined`, and the caller encodes the whole value with cborg instead, so the two never disagree.
 */

import { copyBytes } from './byte-pool.js';

const MAX_DEPTH = 64;
const INITIAL_BYTES = 8192;
/** In unicode mode a surrogate matches only when unpaired: the strings UTF-8 cannot represent. */
const LONE_SURROGATE = /\p{Cs}/u;

class Unsupported {}
const UNSUPPORTED = new Unsupported();

let scratch = new Uint8Array(INITIAL_BYTES);
let text = Buffer.from(scratch.buffer);
let position = 0;
let busy = false;

function reserve(bytes: number): void {
  if (position + bytes <= scratch.length) return;
  const grown = new Uint8Array(Math.max(scratch.length * 2, position + bytes));
  grown.set(scratch.subarray(0, position));
  scratch = grown;
  text = Buffer.from(grown.buffer);
}

function writeHead(major: number, value: number): void {
  reserve(9);
  const m = major << 5;
  if (value < 24) {
    scratch[position++] = m | value;
  } else if (value < 0x100) {
    scratch[position++] = m | 24;
    scratch[position++] = value;
  } else if (value < 0x10000) {
    scratch[position++] = m | 25;
    scratch[position++] = value >>> 8;
    scratch[position++] = value & 0xff;
  } else if (value < 0x100000000) {
    scratch[position++] = m | 26;
    writeUint32(value);
  } else {
    scratch[position++] = m | 27;
    writeUint32(Math.floor(value / 0x100000000));
    writeUint32(value >>> 0);
  }
}

function writeUint32(value: number): void {
  scratch[position++] = value >>> 24;
  scratch[position++] = (value >>> 16) & 0xff;
  scratch[position++] = (value >>> 8) & 0xff;
  scratch[position++] = value & 0xff;
}

/** Writes an ASCII string directly; returns false (writing nothing) when it is not ASCII. */
function writeAscii(value: string): boolean {
  const length = value.length;
  for (let i = 0; i < length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  writeKnownAscii(value);
  return true;
}

function writeKnownAscii(value: string): void {
  const length = value.length;
  writeHead(3, length);
  reserve(length);
  if (length > 48) {
    text.write(value, position, length, 'latin1');
  } else {
    for (let i = 0; i < length; i++) scratch[position + i] = value.charCodeAt(i);
  }
  position += length;
}

function writeString(value: string): void {
  if (writeAscii(value)) return;
  if (LONE_SURROGATE.test(value)) throw UNSUPPORTED;
  const length = Buffer.byteLength(value, 'utf8');
  writeHead(3, length);
  reserve(length);
  text.write(value, position, length, 'utf8');
  position += length;
}

function isAsciiKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Shorter first, then code unit order: RFC 8949's bytewise order of the encoded keys, for ASCII keys. */
function before(a: string, b: string): boolean {
  return a.length < b.length || (a.length === b.length && a < b);
}

/** Insertion sort: maps in messages have a handful of keys, where it beats Array.prototype.sort with a comparator. */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && before(key, keys[j] as string)) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
}

function writeValue(value: unknown, depth: number): void {
  if (value === null) {
    reserve(1);
    scratch[position++] = 0xf6;
    return;
  }
  switch (typeof value) {
    case 'boolean':
      reserve(1);
      scratch[position++] = value ? 0xf5 : 0xf4;
      return;
    case 'number':
      if (!Number.isSafeInteger(value)) throw UNSUPPORTED;
      if (value >= 0) writeHead(0, value);
      else writeHead(1, -1 - value);
      return;
    case 'string':
      writeString(value);
      return;
    case 'object':
      break;
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      throw UNSUPPORTED;
  }
  if (depth >= MAX_DEPTH) throw UNSUPPORTED;
  if (value instanceof Uint8Array) {
    writeHead(2, value.length);
    reserve(value.length);
    scratch.set(value, position);
    position += value.length;
    return;
  }
  if (Array.isArray(value)) {
    writeHead(4, value.length);
    for (const item of value as readonly unknown[]) writeValue(item, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw UNSUPPORTED;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (const key of keys) if (!isAsciiKey(key)) throw UNSUPPORTED;
  sortKeys(keys);
  writeHead(5, keys.length);
  for (const key of keys) {
    writeKnownAscii(key);
    const item = record[key];
    if (item === undefined) throw UNSUPPORTED;
    writeValue(item, depth + 1);
  }
}

/** The deterministic encoding of `value`, or undefined when it holds something this writer leaves to cborg. */
export function encodeFast(value: unknown): Uint8Array | undefined {
  // A getter that encodes while we encode would share the scratch buffer: let cborg have the inner call.
  if (busy) return undefined;
  busy = true;
  position = 0;
  try {
    writeValue(value, 0);
    return copyBytes(scratch, 0, position);
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  } finally {
    busy = false;
    if (scratch.length > 16 * INITIAL_BYTES) {
      scratch = new Uint8Array(INITIAL_BYTES);
      text = Buffer.from(scratch.buffer);
    }
  }
}
