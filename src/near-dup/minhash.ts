/**
 * MinHash signatures over 32-bit shingle sets.
 *
 * Permutation k maps a shingle hash x to `imul(x ^ a_k, m_k)` (m_k odd): a bijection on 32 bits,
 * and since shingle hashes are already well mixed (MurmurHash3 finaliser) one xor and one multiply
 * per element are enough; docs/near-dup.md checks that the estimated Jaccard is unbiased. Minima
 * are taken over the signed 32-bit value, which is just another fixed total order. The
 * parameters come from a fixed seed, so signatures are the same on every run and machine.
 */
import { splitMix32 } from '../text/hash32.js';
import { simdSignatures } from './minhash-simd.js';

export interface MinHashOptions {
  /** Signature length: one minimum per permutation. */
  readonly permutations: number;
  /** Seed of the permutation parameters. Changing it changes every signature. */
  readonly seed: number;
}

/** Fixed seed of the permutations ("mixs"): not the recipe seed, so LSH misses do not vary with it. */
export const MINHASH_SEED = 0x6d697873;

/** The signature slot value of an empty set; such sets are never indexed. */
export const EMPTY_SLOT = 0x7fffffff;

/** Computes signatures for one fixed set of permutations; build once, reuse for every text. */
export class MinHasher {
  readonly permutations: number;
  private readonly xors: Int32Array;
  private readonly muls: Int32Array;

  constructor(options: MinHashOptions) {
    const { permutations, seed } = options;
    if (!Number.isInteger(permutations) || permutations < 1) {
      throw new RangeError(`permutations must be a positive integer, got ${permutations}`);
    }
    this.permutations = permutations;
    this.xors = new Int32Array(permutations);
    this.muls = new Int32Array(permutations);
    const next = splitMix32(seed);
    for (let k = 0; k < permutations; k++) {
      this.xors[k] = next();
      this.muls[k] = next() | 1;
    }
    this.simd = simdSignatures(this.xors, this.muls);
  }

  private readonly simd: ((shingles: Uint32Array) => Int32Array) | undefined;

  /** Signature of a shingle set (any order; repeats do not matter). */
  signature(shingles: Uint32Array): Int32Array {
    return this.simd ? this.simd(shingles) : this.scalarSignature(shingles);
  }

  /** The same signature without WebAssembly: what `minhash-simd.ts` must agree with slot for slot. */
  scalarSignature(shingles: Uint32Array): Int32Array {
    const values = new Int32Array(shingles.buffer, shingles.byteOffset, shingles.length);
    const out = new Int32Array(this.permutations);
    const { xors, muls } = this;
    const n = values.length;
    // Four permutations per pass over the set: each shingle is loaded once for four minima kept in
    // registers. Measured 2× faster than one permutation per pass (docs/near-dup.md).
    let k = 0;
    for (; k + 4 <= this.permutations; k += 4) {
      const a0 = xors[k]!;
      const a1 = xors[k + 1]!;
      const a2 = xors[k + 2]!;
      const a3 = xors[k + 3]!;
      const m0 = muls[k]!;
      const m1 = muls[k + 1]!;
      const m2 = muls[k + 2]!;
      const m3 = muls[k + 3]!;
      let min0 = EMPTY_SLOT;
      let min1 = EMPTY_SLOT;
      let min2 = EMPTY_SLOT;
      let min3 = EMPTY_SLOT;
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        const v0 = Math.imul(x ^ a0, m0);
        const v1 = Math.imul(x ^ a1, m1);
        const v2 = Math.imul(x ^ a2, m2);
        const v3 = Math.imul(x ^ a3, m3);
        if (v0 < min0) min0 = v0;
        if (v1 < min1) min1 = v1;
        if (v2 < min2) min2 = v2;
        if (v3 < min3) min3 = v3;
      }
      out[k] = min0;
      out[k + 1] = min1;
      out[k + 2] = min2;
      out[k + 3] = min3;
    }
    for (; k < this.permutations; k++) {
      const a = xors[k]!;
      const m = muls[k]!;
      let min = EMPTY_SLOT;
      for (let i = 0; i < n; i++) {
        const v = Math.imul(values[i]! ^ a, m);
        if (v < min) min = v;
      }
      out[k] = min;
    }
    return out;
  }
}

const hashers = new Map<string, MinHasher>();

/** Signature with a cached `MinHasher` for these options. */
export function minhashSignature(shingles: Uint32Array, options: MinHashOptions): Int32Array {
  const key = `${options.permutations}:${options.seed}`;
  let hasher = hashers.get(key);
  if (!hasher) {
    hasher = new MinHasher(options);
    hashers.set(key, hasher);
  }
  return hasher.signature(shingles);
}

/** Share of equal slots: the MinHash estimate of Jaccard similarity (for diagnostics). */
export function estimatedJaccard(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) throw new RangeError(`signatures differ in length: ${a.length} vs ${b.length}`);
  let same = 0;
  for (let k = 0; k < a.length; k++) if (a[k] === b[k]) same++;
  return a.length === 0 ? 0 : same / a.length;
}
