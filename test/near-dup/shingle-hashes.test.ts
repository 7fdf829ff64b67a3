/**
 * `shingleHashes` is `shinglesOfTokens` before its sort: the same hashes (so the same seed), in
 * text order with repeats; and `NearDupIndex` gives the same matches, candidates and stats for
 * shingles in text order (`*ByBands`) as for sorted sets.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../../src/near-dup/defaults.js';
import { MINHASH_SEED, MinHasher } from '../../src/near-dup/minhash.js';
import { lshBandKeys, NearDupIndex, sortedSet } from '../../src/near-dup/near-dup-index.js';
import { shingleHashes } from '../../src/text/shingles.js';
import { splitMix32 } from '../../src/text/hash32.js';
import { normalizeForTokens } from '../../src/text/normalize.js';
import { shinglesOfTokens } from '../../src/text/shingles.js';
import { tokenHashes } from '../../src/text/tokens.js';

const TEXTS = [
  '',
  'one',
  'two words',
  'a b c d',
  'the cat sat on the mat and the cat sat on the mat again',
  '同一个句子同一个句子重复出现',
  'x '.repeat(50),
];

describe('shingleHashes', () => {
  it('sorted without repeats, is shinglesOfTokens', () => {
    for (const text of TEXTS) {
      for (const unit of ['word', 'char'] as const) {
        const tokens = tokenHashes(normalizeForTokens(text), unit);
        for (const size of [1, 3, 5])
          expect(Array.from(sortedSet(shingleHashes(tokens, size)))).toEqual(
            Array.from(shinglesOfTokens(tokens, size)),
          );
      }
    }
  });
});

describe('NearDupIndex with shingles in text order', () => {
  it('finds what it finds with sorted sets, with the same stats', () => {
    const next = splitMix32(5);
    const vocabulary = Array.from({ length: 40 }, next);
    const hasher = new MinHasher({ permutations: 120, seed: MINHASH_SEED });
    const { bands, rows } = DEFAULT_NEAR_DUP_SETTINGS;
    // 300 token sequences, many of them edited copies of earlier ones
    const sequences: Uint32Array[] = [];
    for (let i = 0; i < 300; i++) {
      const base =
        i > 10 && next() % 2 === 0
          ? Array.from(sequences[next() % sequences.length]!)
          : Array.from({ length: 20 + (next() % 60) }, () => vocabulary[next() % vocabulary.length]!);
      if (i > 10) base[next() % base.length] = next();
      sequences.push(Uint32Array.from(base));
    }
    const sorted = new NearDupIndex<number>();
    const unsorted = new NearDupIndex<number>();
    sequences.forEach((tokens, i) => {
      const hashes = shingleHashes(tokens, 5);
      const set = shinglesOfTokens(tokens, 5);
      const signature = hasher.signature(set);
      expect(Array.from(hasher.signature(hashes))).toEqual(Array.from(signature));
      const keys = lshBandKeys(signature, bands, rows);
      expect(unsorted.findMatchByBands(hashes, keys)).toEqual(sorted.findMatch(set, signature));
      sorted.add(i, set, signature);
      unsorted.addByBands(i, hashes, keys);
    });
    expect(unsorted.stats).toEqual(sorted.stats);
    expect(sorted.stats.candidates).toBeGreaterThan(100);
  });
});
