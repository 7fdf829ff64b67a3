/**
 * The WebAssembly SIMD signature agrees with the scalar loop slot for slot: for empty, tiny and
 * large sets, for permutation counts that fill the 12-wide groups and for ones that leave
 * padding, and on shingle values at the edges of the signed range.
 */
import { describe, expect, it } from 'vitest';
import { MINHASH_SEED, MinHasher } from '../../src/near-dup/minhash.js';
import { simdSignatures } from '../../src/near-dup/minhash-simd.js';
import { splitMix32 } from '../../src/text/hash32.js';
import { shingles } from '../../src/text/shingles.js';

function randomSet(next: () => number, size: number): Uint32Array {
  return Uint32Array.from({ length: size }, next).sort();
}

describe('simdSignatures', () => {
  it('is available on this Node (so MinHasher uses it)', () => {
    expect(simdSignatures(new Int32Array([1]), new Int32Array([3]))).toBeDefined();
  });

  it('gives the scalar signature for every set size and permutation count', () => {
    const next = splitMix32(99);
    const sets = [
      new Uint32Array(0),
      new Uint32Array([0]),
      Uint32Array.from([0x7fffffff, 0x80000000, 0xffffffff]),
      shingles('a short english sentence of a few words'),
    ];
    for (const size of [1, 2, 5, 11, 12, 13, 100, 1000, 40_000]) sets.push(randomSet(next, size));
    for (const permutations of [1, 4, 11, 12, 13, 24, 120, 128]) {
      const hasher = new MinHasher({ permutations, seed: MINHASH_SEED + permutations });
      for (const set of sets) {
        const scalar = hasher.scalarSignature(set);
        const simd = hasher.signature(set);
        expect(simd.length).toBe(permutations);
        expect(Array.from(simd)).toEqual(Array.from(scalar));
      }
    }
  });

  it('keeps working after its memory grows for a large set', () => {
    const hasher = new MinHasher({ permutations: 120, seed: MINHASH_SEED });
    const next = splitMix32(7);
    const small = randomSet(next, 50);
    const before = Array.from(hasher.signature(small));
    expect(Array.from(hasher.signature(randomSet(next, 100_000))).length).toBe(120);
    expect(Array.from(hasher.signature(small))).toEqual(before);
    expect(before).toEqual(Array.from(hasher.scalarSignature(small)));
  });
});
