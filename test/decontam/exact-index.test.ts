/** The exact layer: a key found whole at any position, under its rarest anchor, one probe per position. */
import { describe, expect, it } from 'vitest';
import { ExactIndex, MAX_EXACT_TOKENS } from '../../src/decontam/exact-index.js';
import { GramHasher } from '../../src/decontam/gram-hash.js';

const tokens = (...values: number[]) => Uint32Array.from(values);
const hasherOf = (text: Uint32Array, index: ExactIndex) =>
  new GramHasher(text, Math.max(index.anchor, index.maxLength));

describe('ExactIndex', () => {
  it('finds a key whole anywhere in a text, and not a part of it', () => {
    const index = new ExactIndex(3);
    index.add(0, tokens(1, 2, 3, 4, 5));
    index.add(1, tokens(7, 8, 9));
    expect(index.find(hasherOf(tokens(9, 9, 1, 2, 3, 4, 5, 9), index))).toEqual({ item: 0, start: 2, length: 5 });
    expect(index.find(hasherOf(tokens(6, 7, 8, 9), index))).toEqual({ item: 1, start: 1, length: 3 });
    expect(index.find(hasherOf(tokens(1, 2, 3, 4, 6), index))).toBeUndefined();
    expect(index.find(hasherOf(tokens(2, 3, 4, 5), index))).toBeUndefined();
  });

  it('files keys sharing a common opening under a window of their own', () => {
    const index = new ExactIndex(2);
    // 50 keys opening with the same phrase (10, 11, 12): each must still be found, also at text start
    for (let k = 0; k < 50; k++) index.add(k, tokens(10, 11, 12, 100 + k, 200 + k));
    for (const k of [0, 17, 49])
      expect(index.find(hasherOf(tokens(10, 11, 12, 100 + k, 200 + k), index))?.item).toBe(k);
    expect(index.find(hasherOf(tokens(10, 11, 12, 100, 201), index))).toBeUndefined();
  });

  it('cuts very long keys to their first tokens and refuses keys shorter than the anchor', () => {
    const index = new ExactIndex(4);
    const long = Uint32Array.from({ length: MAX_EXACT_TOKENS + 50 }, (_, i) => i + 1);
    index.add(0, long);
    expect(index.maxLength).toBe(MAX_EXACT_TOKENS);
    expect(index.find(hasherOf(long.subarray(0, MAX_EXACT_TOKENS), index))?.item).toBe(0);
    expect(() => index.add(1, tokens(1, 2, 3))).toThrow(RangeError);
  });
});

describe('GramHasher.load', () => {
  it('gives a reloaded hasher the keys a fresh one has, for longer and shorter sequences alike', () => {
    const reused = new GramHasher(tokens(), 1);
    const sequences = [
      Uint32Array.from({ length: 40 }, (_, i) => (i * 2654435761) >>> 0),
      tokens(5, 6, 7),
      Uint32Array.from({ length: 300 }, (_, i) => (i * 40503 + 7) >>> 0),
      tokens(1, 2),
    ];
    for (const sequence of sequences) {
      const maxGram = Math.min(13, sequence.length);
      const fresh = new GramHasher(sequence, maxGram);
      reused.load(sequence, maxGram);
      expect(reused.length).toBe(sequence.length);
      for (let size = 1; size <= maxGram; size++)
        for (let start = 0; start + size <= sequence.length; start++) {
          expect(reused.high(start, size)).toBe(fresh.high(start, size));
          expect(reused.low(start, size)).toBe(fresh.low(start, size));
        }
    }
  });
});
