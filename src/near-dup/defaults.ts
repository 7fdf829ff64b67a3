/**
 * Default near-duplicate settings. The reasons and measurements are in docs/near-dup.md; in short:
 * 20 bands of 6 rows (120 permutations) make a pair at Jaccard 0.8 a candidate with probability
 * 0.998 and one at 0.5 with probability 0.27, and every candidate is verified exactly.
 */
import { MINHASH_SEED } from './minhash.js';

export interface NearDupSettings {
  /** Exact Jaccard on the shingle sets at or above which a later item is a near duplicate. */
  readonly threshold: number;
  readonly bands: number;
  readonly rows: number;
  /** Seed of the MinHash permutations. */
  readonly seed: number;
}

export const DEFAULT_NEAR_DUP_SETTINGS: NearDupSettings = { threshold: 0.8, bands: 20, rows: 6, seed: MINHASH_SEED };

/** Default share of a source one cluster may remove before the large-cluster guard speaks. */
export const DEFAULT_MAX_CLUSTER_SHARE = 0.01;

/**
 * Most MinHash permutations (bands × rows) a recipe may ask for. Every record's signature costs
 * one minimum per permutation and shingle, and every accepted item one bucket entry per band, so
 * time and memory grow linearly with both; the default is 120, and 1024 (8.5× that) is room for any
 * useful S-curve (e.g. 32 × 32) while a typo such as `bands: 1000000` is refused instead of
 * allocating a million bucket tables. schemas/recipe.schema.json caps bands and rows alone at 1024.
 */
export const MAX_NEAR_DUP_HASHES = 1024;
