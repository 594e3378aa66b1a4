// Holds the fast CBOR writer and reader to cborg: the writer's bytes are cborg's (deterministic and frame options),
// and the reader either decodes exactly what cborg's strict decode does or leaves the input to it, for random values,
// random corruptions of their encodings and the edge cases of strict decoding.
import { describe, expect, it } from '@jest/globals';
import { decode, encode, rfc8949EncodeOptions } from 'cborg';
import { decodeStrict, encodeCanonical, encodeFrame } from './cbor.js';
import { decodeFast, NOT_HANDLED } from './cbor-fast-decode.js';
import { encodeFast } from './cbor-fast-encode.js';

const STRICT = { strict: true, useMaps: false, rejectDuplicateMapKeys: true, allowUndefined: false, allowInfinity: false, allowNaN: false } as const;

/** A small deterministic PRNG (mulberry32), so that a failure names a reproducible seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTEGERS = [0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 1767225600000, Number.MAX_SAFE_INTEGER, -1, -24, -25, -256, -257, -65537, -(2 ** 32), -(2 ** 32) - 1, Number.MIN_SAFE_INTEGER, -0];
const STRINGS = ['', 'a', 'usr:alice', 'x'.repeat(23), 'y'.repeat(24), 'z'.repeat(31), 'w'.repeat(32), 'v'.repeat(300), 'éü', '漢字 🙂', 'a\u0000b'];
const KEYS = ['', 'a', 'b', 'aa', 'ab', 'to', 'v', 't', 'kid', 'sig', 'fields', 'issuedAt', 'Z', '_', 'k'.repeat(24), 'orderNumber'];
/** Outside the writer's subset: it must hand these to cborg. */
const OTHERS: readonly unknown[] = [1.5, -0.25, Number.NaN, Infinity, 2 ** 53, 10n, undefined, new Map([['a', 1]]), { é: 1 }, 'lone \ud800 surrogate', new Uint16Array(2), Object.create(null) as object];

function randomValue(next: () => number, depth: number, withOthers: boolean): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const kind = Math.floor(next() * (depth > 3 ? 5 : 8));
  switch (kind) {
    case 0:
      return pick(INTEGERS);
    case 1:
      return pick(STRINGS);
    case 2:
      return Uint8Array.from({ length: pick([0, 1, 12, 23, 24, 32, 64, 300]) }, () => Math.floor(next() * 256));
    case 3:
      return pick([null, true, false]);
    case 4:
      return withOthers && next() < 0.1 ? pick(OTHERS) : Math.floor(next() * 2 ** 40) - 2 ** 39;
    case 5:
      return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth + 1, withOthers));
    default: {
      const record: Record<string, unknown> = {};
      const count = Math.floor(next() * 7);
      for (let i = 0; i < count; i++) record[pick(KEYS)] = randomValue(next, depth + 1, withOthers);
      return record;
    }
  }
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** cborg's strict decode, or the error it throws. */
function cborgDecode(bytes: Uint8Array): { value: unknown } | { error: unknown } {
  try {
    return { value: decode(bytes, STRICT) };
  } catch (error) {
    return { error };
  }
}

describe('fast CBOR writer', () => {
  it.each(Array.from({ length: 20 }, (_, seed) => seed))('writes cborg’s bytes for random values (seed %i)', (seed) => {
    const next = prng(seed);
    for (let i = 0; i < 200; i++) {
      const value = randomValue(next, 0, false);
      const fast = encodeFast(value);
      expect(fast).toBeDefined();
      expect(same(fast as Uint8Array, encode(value, rfc8949EncodeOptions))).toBe(true);
      expect(same(encodeFrame(value), encode(value))).toBe(true);
    }
  });

  it('hands values outside its subset to cborg, with the same result', () => {
    for (const other of OTHERS) {
      expect(encodeFast({ a: 1, b: [other] })).toBeUndefined();
      const nested = { a: 1, b: [other] };
      let expected: Uint8Array | Error;
      try {
        expected = encode(nested, rfc8949EncodeOptions);
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) expect(() => encodeCanonical(nested)).toThrow();
      else expect(same(encodeCanonical(nested), expected)).toBe(true);
    }
  });

  it('leaves a cycle to cborg, which refuses it', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(encodeFast(cyclic)).toBeUndefined();
    expect(() => encodeCanonical(cyclic)).toThrow();
  });

  it('returns bytes of its own, not a view of a shared buffer', () => {
    const first = encodeCanonical({ a: 'first' });
    const copy = Uint8Array.from(first);
    encodeCanonical({ a: 'second', b: new Uint8Array(10_000) });
    expect(same(first, copy)).toBe(true);
    expect(first.constructor).toBe(Uint8Array);
  });
});

describe('fast CBOR reader', () => {
  it.each(Array.from({ length: 20 }, (_, seed) => seed))('agrees with cborg on random values and their corruptions (seed %i)', (seed) => {
    const next = prng(1000 + seed);
    for (let i = 0; i < 150; i++) {
      let bytes: Uint8Array;
      try {
        bytes = encode(randomValue(next, 0, true));
      } catch {
        continue;
      }
      const variants = [bytes, bytes.subarray(0, Math.floor(next() * bytes.length)), Uint8Array.of(...bytes, 0)];
      for (let m = 0; m < 6; m++) {
        const mutated = Uint8Array.from(bytes);
        if (mutated.length > 0) mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
        variants.push(mutated);
      }
      for (const variant of variants) {
        const fast = decodeFast(variant);
        if (fast === NOT_HANDLED) continue;
        const reference = cborgDecode(variant);
        expect(reference).toStrictEqual({ value: fast });
      }
    }
  });

  it.each([
    ['non-shortest integer', '1817'],
    ['non-shortest length', '5801ff'],
    ['64-bit integer that fits 32 bits', '1b00000000ffffffff'],
    ['integer past the safe range', '1b0020000000000000'],
    ['negative integer past the safe range', '3b001fffffffffffff'],
    ['indefinite-length text', '7f6161ff'],
    ['tag', 'c11a5bd1e4c0'],
    ['float', 'f93c00'],
    ['undefined', 'f7'],
    ['duplicate key', 'a2616101616102'],
    ['__proto__ key', 'a1695f5f70726f746f5f5f01'],
    ['integer key', 'a10101'],
    ['trailing byte', '0000'],
    ['truncated', '6461'],
    ['empty', ''],
  ])('leaves %s to cborg', (_, hex) => {
    const bytes = Buffer.from(hex, 'hex');
    expect(decodeFast(new Uint8Array(bytes))).toBe(NOT_HANDLED);
    const reference = cborgDecode(bytes);
    if ('error' in reference) expect(() => decodeStrict(bytes)).toThrow('not strict CBOR');
    else expect(decodeStrict(bytes)).toStrictEqual(reference.value);
  });

  it('reads the edges of the integer heads as cborg does', () => {
    for (const value of INTEGERS) {
      const bytes = encode(value);
      expect(decodeFast(bytes)).toStrictEqual(decode(bytes, STRICT));
    }
  });

  it('returns byte strings as plain copies, also from a Buffer', () => {
    const input = Buffer.from(encode({ b: new Uint8Array([1, 2, 3]) }));
    const decoded = decodeFast(input) as { b: Uint8Array };
    expect(decoded).toStrictEqual(decode(input, STRICT));
    input.fill(0);
    expect([...decoded.b]).toEqual([1, 2, 3]);
  });
});
