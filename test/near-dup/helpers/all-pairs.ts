/**
 * Exact all-pairs similarity join (AllPairs with prefix filtering, Bayardo et al. 2007): every pair
 * of sets with Jaccard ≥ t, found without MinHash or LSH, so it can serve as ground truth for them.
 *
 * Tokens are put in a global order, rarest first. Two sets with Jaccard ≥ t share a token among the
 * first |x| − ⌈t·|x|⌉ + 1 tokens of each (their prefixes), so only prefixes are indexed and every
 * candidate is verified by exact Jaccard. A token found in one set only ("singleton") comes first in
 * the order and can never be shared: a set whose prefix is all singletons has no partner, and the
 * others index only the few shared tokens left in their prefix. Exact, not approximate.
 */
import { jaccard } from '../../../src/near-dup/jaccard.js';

export interface SimilarPair {
  readonly a: number;
  readonly b: number;
  readonly jaccard: number;
}

/** All pairs (a < b, indices into `sets`) with exact Jaccard ≥ threshold. Sets: sorted, unique. */
export function allPairsAtLeast(sets: readonly Uint32Array[], threshold: number): SimilarPair[] {
  const counts = new TokenCounts(sets);
  const head = new Map<number, number[]>();
  const pairs: SimilarPair[] = [];
  const seen = new Int32Array(sets.length).fill(-1);
  for (let b = 0; b < sets.length; b++) {
    const set = sets[b]!;
    const prefixLength = set.length - Math.ceil(threshold * set.length) + 1;
    const shared = counts.sharedByRarity(set);
    const prefix = shared.slice(0, prefixLength - (set.length - shared.length));
    for (const token of prefix) {
      for (const a of head.get(token) ?? []) {
        if (seen[a] === b) continue;
        seen[a] = b;
        const j = jaccard(sets[a]!, set);
        if (j >= threshold) pairs.push({ a, b, jaccard: j });
      }
    }
    for (const token of prefix) {
      const posting = head.get(token);
      if (posting) posting.push(b);
      else head.set(token, [b]);
    }
  }
  return pairs;
}

/** Document frequencies in an open-addressing table (Maps are too slow for ~10⁷ shingles). */
class TokenCounts {
  private readonly keys: Uint32Array;
  private readonly counts: Int32Array;
  private readonly mask: number;

  constructor(sets: readonly Uint32Array[]) {
    let total = 0;
    for (const set of sets) total += set.length;
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, total * 2)));
    this.keys = new Uint32Array(capacity);
    this.counts = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (const set of sets) for (let i = 0; i < set.length; i++) this.counts[this.slotOf(set[i]!)]!++;
  }

  /** The set's tokens found in other sets too, rarest first (ties by hash): its usable prefix order. */
  sharedByRarity(set: Uint32Array): number[] {
    const keyed: number[] = [];
    for (let i = 0; i < set.length; i++) {
      const df = this.counts[this.slotOf(set[i]!)]!;
      if (df > 1) keyed.push(df * 2 ** 32 + set[i]!);
    }
    return Float64Array.from(keyed)
      .sort()
      .reduce<number[]>((out, k) => {
        out.push(k % 2 ** 32);
        return out;
      }, []);
  }

  private slotOf(key: number): number {
    let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & this.mask;
    while (this.counts[slot] !== 0 && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    return slot;
  }
}
