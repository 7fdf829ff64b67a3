import { describe, expect, it } from 'vitest';
import { jaccard } from '../../src/near-dup/jaccard.js';
import { candidateProbability, lshThreshold } from '../../src/near-dup/lsh.js';
import { EMPTY_SLOT, estimatedJaccard, MINHASH_SEED, MinHasher, minhashSignature } from '../../src/near-dup/minhash.js';
import { splitMix32 } from '../../src/text/hash32.js';
import { shingles } from '../../src/text/shingles.js';

const OPTIONS = { permutations: 120, seed: MINHASH_SEED };

/** Two sets over a shared pool with a given number of common elements. */
function overlappingSets(next: () => number, size: number, common: number): [Uint32Array, Uint32Array] {
  const shared = Array.from({ length: common }, next);
  const a = [...shared, ...Array.from({ length: size - common }, next)];
  const b = [...shared, ...Array.from({ length: size - common }, next)];
  return [Uint32Array.from(a).sort(), Uint32Array.from(b).sort()];
}

describe('minhashSignature', () => {
  it('is deterministic across hashers and calls', () => {
    const set = shingles('the same text gives the same signature on every run and machine');
    const a = new MinHasher(OPTIONS).signature(set);
    const b = new MinHasher(OPTIONS).signature(set);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(minhashSignature(set, OPTIONS))).toEqual(Array.from(a));
  });

  it('is pinned: these values change only if the format changes (and with it every selection)', () => {
    const signature = minhashSignature(shingles('pinned signature of a short english sentence'), OPTIONS);
    expect(Array.from(signature.slice(0, 4))).toMatchInlineSnapshot(`
      [
        -87243661,
        -2014418091,
        -1472157375,
        -1453116289,
      ]
    `);
  });

  it('changes with the seed', () => {
    const set = shingles('a text hashed under two different seeds');
    const a = minhashSignature(set, OPTIONS);
    const b = minhashSignature(set, { permutations: 120, seed: 1 });
    expect(estimatedJaccard(a, b)).toBeLessThan(0.2);
  });

  it('fills an empty set with the empty slot', () => {
    expect(Array.from(minhashSignature(new Uint32Array(0), { permutations: 3, seed: 0 }))).toEqual([
      EMPTY_SLOT,
      EMPTY_SLOT,
      EMPTY_SLOT,
    ]);
  });

  it('estimates Jaccard without bias', () => {
    const next = splitMix32(42);
    const hasher = new MinHasher(OPTIONS);
    for (const common of [100, 250, 400]) {
      let errorSum = 0;
      let squaredSum = 0;
      const trials = 60;
      let exact = 0;
      for (let t = 0; t < trials; t++) {
        const [a, b] = overlappingSets(next, 500, common);
        exact = jaccard(a, b);
        const error = estimatedJaccard(hasher.signature(a), hasher.signature(b)) - exact;
        errorSum += error;
        squaredSum += error * error;
      }
      const meanError = errorSum / trials;
      const rmse = Math.sqrt(squaredSum / trials);
      const expectedSd = Math.sqrt((exact * (1 - exact)) / 120);
      expect(Math.abs(meanError)).toBeLessThan(3 * (expectedSd / Math.sqrt(trials)) + 0.005);
      expect(rmse).toBeLessThan(1.5 * expectedSd);
    }
  });
});

describe('LSH S-curve', () => {
  it('puts the default 20 × 6 bands near 0.8 recall-first', () => {
    expect(candidateProbability(0.8, 20, 6)).toBeGreaterThan(0.997);
    expect(candidateProbability(0.5, 20, 6)).toBeLessThan(0.3);
    expect(candidateProbability(0.3, 20, 6)).toBeLessThan(0.02);
    expect(lshThreshold(20, 6)).toBeCloseTo(0.607, 2);
  });
});

describe('MinHasher with a permutation count not a multiple of four', () => {
  it('agrees slot by slot with the same permutations in a longer signature', () => {
    const set = shingles('the remainder loop must compute the same minima as the unrolled loop does');
    const long = new MinHasher({ permutations: 8, seed: 3 }).signature(set);
    const short = new MinHasher({ permutations: 7, seed: 3 }).signature(set);
    expect(Array.from(short)).toEqual(Array.from(long.slice(0, 7)));
  });
});
