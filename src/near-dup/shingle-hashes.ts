/**
 * Shingle hashes in text order, repeats kept: what `shinglesOfTokens` (src/text/shingles.ts)
 * returns before it sorts and drops repeats. A MinHash signature is the same over either (a
 * minimum does not care about order or repeats), and `NearDupIndex.findMatchByBands` sorts a set
 * only when a candidate needs an exact Jaccard, so the audit skips the sort for nearly every
 * record. test/near-dup/shingle-hashes.test.ts pins the two together.
 */
import { murmurWords } from '../text/hash32.js';

/** The shingle hash seed of `src/text/shingles.ts` (part of the format; the test above checks it). */
const SHINGLE_SEED = 0x5eed5417;

/** Hashes of every run of `size` tokens (one of all tokens when fewer), in order; none for no token. */
export function shingleHashes(tokens: Uint32Array, size: number): Uint32Array {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`shingle size must be a positive integer, got ${size}`);
  if (tokens.length === 0) return new Uint32Array(0);
  const width = Math.min(size, tokens.length);
  const out = new Uint32Array(tokens.length - width + 1);
  for (let i = 0; i < out.length; i++) out[i] = murmurWords(tokens, i, width, SHINGLE_SEED);
  return out;
}
