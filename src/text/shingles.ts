/**
 * Shingle sets for near-duplicate detection: every run of `size` consecutive tokens, hashed to 32
 * bits, as a sorted array without repeats (a set, so exact Jaccard is one merge).
 *
 * A text with fewer tokens than `size` gives one shingle of all its tokens, so two short texts
 * match only when their token sequences are equal. An empty text gives no shingles and never
 * matches anything.
 */
import { murmurWords } from './hash32.js';
import { normalizeForTokens } from './normalize.js';
import { isCjkDominant } from './script.js';
import { type TokenUnit, tokenHashes } from './tokens.js';

/** `auto` picks `char` for CJK-dominant texts (`isCjkDominant`) and `word` otherwise, per text. */
export type ShingleUnit = 'auto' | TokenUnit;

export interface ShingleOptions {
  readonly unit: ShingleUnit;
  /** Tokens per shingle when the unit is `word`. */
  readonly wordSize: number;
  /** Tokens per shingle when the unit is `char`. */
  readonly charSize: number;
}

/**
 * Defaults, chosen by measurement (docs/near-dup.md). 5 words: on templated short questions
 * ("When to seek urgent medical care when I have Aortic coarctation?") 3-word shingles put pairs
 * about different diseases at Jaccard 0.8 (189 pairs in medalpaca's questions, against 28 with 5
 * words); the price is that a few changed words in a short text fall below 0.8. 5 characters (about
 * three Chinese words): smaller sizes found no more true pairs on the real Chinese data and larger
 * ones lost a third of the planted synthetic ones.
 */
export const DEFAULT_SHINGLE_OPTIONS: ShingleOptions = { unit: 'auto', wordSize: 5, charSize: 5 };

/** Seed of the shingle hash; part of the format, like the shingle size. */
const SHINGLE_SEED = 0x5eed5417;

/** The unit `options.unit` resolves to for this (unnormalised or normalised) text. */
export function resolveUnit(text: string, unit: ShingleUnit): TokenUnit {
  if (unit !== 'auto') return unit;
  return isCjkDominant(text) ? 'char' : 'word';
}

/** A text's shingle set and the unit it was cut in. */
export interface ShingleSet {
  readonly unit: TokenUnit;
  /** Sorted ascending, no repeats. */
  readonly hashes: Uint32Array;
}

/** Shingle set of a text with the unit stated. */
export function shingleSet(text: string, options: ShingleOptions = DEFAULT_SHINGLE_OPTIONS): ShingleSet {
  const normalized = normalizeForTokens(text);
  const unit = resolveUnit(normalized, options.unit);
  const size = unit === 'word' ? options.wordSize : options.charSize;
  return { unit, hashes: shinglesOfTokens(tokenHashes(normalized, unit), size) };
}

/** Shingle hashes of a text: sorted ascending, no repeats. */
export function shingles(text: string, options: ShingleOptions = DEFAULT_SHINGLE_OPTIONS): Uint32Array {
  return shingleSet(text, options).hashes;
}

/**
 * Hashes of every run of `size` tokens (one of all tokens when fewer), in text order, repeats
 * kept; none for no token. A MinHash signature is the same over these as over the sorted set, so
 * callers that only sign (the audit) can skip the sort.
 */
export function shingleHashes(tokens: Uint32Array, size: number): Uint32Array {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`shingle size must be a positive integer, got ${size}`);
  if (tokens.length === 0) return new Uint32Array(0);
  const width = Math.min(size, tokens.length);
  const out = new Uint32Array(tokens.length - width + 1);
  for (let i = 0; i < out.length; i++) out[i] = murmurWords(tokens, i, width, SHINGLE_SEED);
  return out;
}

/** Shingles of `size` tokens over a token-hash sequence, as a sorted set. */
export function shinglesOfTokens(tokens: Uint32Array, size: number): Uint32Array {
  const out = shingleHashes(tokens, size);
  out.sort();
  return uniqueSorted(out);
}

/** Drop repeats from a sorted array, in place; returns the filled prefix. */
function uniqueSorted(sorted: Uint32Array): Uint32Array {
  if (sorted.length < 2) return sorted;
  let w = 1;
  for (let r = 1; r < sorted.length; r++) {
    if (sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r]!;
  }
  return w === sorted.length ? sorted : sorted.slice(0, w);
}
