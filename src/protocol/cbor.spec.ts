// Proves the fast canonical key order gives exactly RFC 8949 deterministic CBOR, byte for byte, as cborg's own
// sorter does, for ASCII, non-ASCII and mixed keys, nested maps and key lengths across the header boundaries.
import { describe, expect, it } from '@jest/globals';
import { encode, rfc8949EncodeOptions } from 'cborg';
import { encodeCanonical } from './cbor.js';

function randomKey(seed: number): string {
  const alphabets = ['abcdefghijklmnopqrstuvwxyz', 'ABCxyz019_-', 'éü漢字🙂ab'];
  const alphabet = [...(alphabets[seed % alphabets.length] as string)];
  const length = [0, 1, 2, 5, 23, 24, 25, 30, 255, 256, 300][seed % 11] as number;
  let key = '';
  for (let index = 0; index < length; index += 1) key += alphabet[(seed * 31 + index * 7) % alphabet.length];
  return key;
}

describe('encodeCanonical', () => {
  it.each(Array.from({ length: 40 }, (_, index) => index))('matches cborg rfc8949 encoding for case %i', (seed) => {
    const value: Record<string, unknown> = {};
    for (let index = 0; index < 12; index += 1) {
      const key = randomKey(seed * 13 + index);
      value[key] = index % 3 === 0 ? { [randomKey(index + seed)]: index, z: [1, 'a', { b: 2, aa: 3 }] } : index % 3 === 1 ? new Uint8Array([index]) : `v${index}`;
    }
    expect(Buffer.from(encodeCanonical(value)).equals(Buffer.from(encode(value, rfc8949EncodeOptions)))).toBe(true);
  });

  it('orders shorter keys first, then by bytes', () => {
    expect(Buffer.from(encodeCanonical({ bb: 1, a: 2, ab: 3 })).equals(Buffer.from(encode({ a: 2, ab: 3, bb: 1 })))).toBe(true);
  });
});
