/**
 * A direct reader for the CBOR that messages are made of: shortest-form integers in the safe range, definite-length
 * byte strings, text, arrays and maps with distinct text keys, false, true, null. For such input it returns what
 * cborg's strict decode returns (byte strings as copies, see byte-pool.ts; text decoded as cborg does; cbor-fast.spec.ts holds it to
 * that). Everything else, including every malformed input, returns NOT_HANDLED and goes to cborg, which decodes or
 * refuses it with its own message: the set of accepted inputs and the values they decode to do not change.
 */

import { copyBytes } from './byte-pool.js';

export const NOT_HANDLED: unique symbol = Symbol('cbor: not handled by the fast reader');

const MAX_DEPTH = 64;
const textDecoder = new TextDecoder();

class Unhandled {}
const UNHANDLED = new Unhandled();

class Reader {
  position = 0;
  constructor(private readonly data: Uint8Array) {}

  get done(): boolean {
    return this.position === this.data.length;
  }

  /** The argument of a head with `minor`, refusing non-shortest forms (strict) and anything beyond the safe range. */
  private argument(minor: number): number {
    const data = this.data;
    const at = this.position;
    if (minor < 24) return minor;
    let value: number;
    if (minor === 24) {
      if (at + 1 > data.length) throw UNHANDLED;
      value = data[at] ?? 0;
      this.position = at + 1;
      if (value < 24) throw UNHANDLED;
    } else if (minor === 25) {
      if (at + 2 > data.length) throw UNHANDLED;
      value = ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);
      this.position = at + 2;
      if (value < 0x100) throw UNHANDLED;
    } else if (minor === 26) {
      if (at + 4 > data.length) throw UNHANDLED;
      value = this.uint32(at);
      this.position = at + 4;
      if (value < 0x10000) throw UNHANDLED;
    } else if (minor === 27) {
      if (at + 8 > data.length) throw UNHANDLED;
      const high = this.uint32(at);
      value = high * 0x100000000 + this.uint32(at + 4);
      this.position = at + 8;
      if (high === 0 || value > Number.MAX_SAFE_INTEGER) throw UNHANDLED;
    } else {
      throw UNHANDLED;
    }
    return value;
  }

  private uint32(at: number): number {
    const data = this.data;
    return (data[at] ?? 0) * 0x1000000 + (((data[at + 1] ?? 0) << 16) | ((data[at + 2] ?? 0) << 8) | (data[at + 3] ?? 0));
  }

  private take(length: number): number {
    const start = this.position;
    if (length > this.data.length - start) throw UNHANDLED;
    this.position = start + length;
    return start;
  }

  private text(length: number): string {
    const data = this.data;
    const start = this.take(length);
    const end = start + length;
    // cborg's own rule: short ASCII by a loop, anything else through a non-fatal TextDecoder.
    if (length < 32) {
      let text = '';
      for (let i = start; i < end; i++) {
        const byte = data[i] ?? 0;
        if (byte & 0x80) return textDecoder.decode(data.subarray(start, end));
        text += String.fromCharCode(byte);
      }
      return text;
    }
    return textDecoder.decode(data.subarray(start, end));
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH || this.position >= this.data.length) throw UNHANDLED;
    const initial = this.data[this.position++] ?? 0;
    const major = initial >> 5;
    const minor = initial & 31;
    switch (major) {
      case 0:
        return this.argument(minor);
      case 1: {
        const argument = this.argument(minor);
        // -2^53 is past the safe range: cborg makes it a BigInt.
        if (argument === Number.MAX_SAFE_INTEGER) throw UNHANDLED;
        return -1 - argument;
      }
      case 2: {
        const length = this.argument(minor);
        const start = this.take(length);
        return copyBytes(this.data, start, start + length);
      }
      case 3:
        return this.text(this.argument(minor));
      case 4: {
        const length = this.argument(minor);
        if (length > this.data.length - this.position) throw UNHANDLED;
        const items: unknown[] = new Array<unknown>(length);
        for (let i = 0; i < length; i++) items[i] = this.value(depth + 1);
        return items;
      }
      case 5: {
        const length = this.argument(minor);
        if (length > this.data.length - this.position) throw UNHANDLED;
        const record: Record<string, unknown> = {};
        for (let i = 0; i < length; i++) {
          const head = this.data[this.position] ?? 0;
          if (head >> 5 !== 3) throw UNHANDLED;
          this.position += 1;
          const key = this.text(this.argument(head & 31));
          if (key === '__proto__' || Object.hasOwn(record, key)) throw UNHANDLED;
          record[key] = this.value(depth + 1);
        }
        return record;
      }
      case 7:
        if (initial === 0xf4) return false;
        if (initial === 0xf5) return true;
        if (initial === 0xf6) return null;
        throw UNHANDLED;
      default:
        throw UNHANDLED;
    }
  }
}

/** The decoded value, or NOT_HANDLED when the input is outside this reader's subset (or malformed). */
export function decodeFast(bytes: Uint8Array): unknown {
  // A plain view of a Buffer: Buffer's slice() makes views into the input, where cborg makes copies.
  const reader = new Reader(bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    const value = reader.value(0);
    return reader.done ? value : NOT_HANDLED;
  } catch (error) {
    if (error === UNHANDLED) return NOT_HANDLED;
    throw error;
  }
}
