import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byPriority,
  bySplitRank,
  type Candidate,
  candidateRanks,
  mayEnter,
  rankWord,
} from '../../../src/records/facts/candidate.js';
import { contentKey, ranksOf } from '../../../src/keys/hashing.js';

const candidate = (seed: number, text: string): Candidate => {
  const key = contentKey(text);
  return {
    key,
    ...candidateRanks(seed, key),
    fileIndex: 0,
    offset: 0,
    length: 1,
    line: 1,
    chars: 1,
    tokens: 1,
    spill: -1,
    crc32: -1,
  };
};

describe('candidate ranks as numbers', () => {
  it('order exactly as the hex strings of docs/determinism.md order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.string(), fc.string(), (seed, x, y) => {
        const a = candidate(seed, x);
        const b = candidate(seed, y);
        const [ra, rb] = [ranksOf(seed, a.key), ranksOf(seed, b.key)];
        const hexOrder = (p: string, q: string) =>
          p < q ? -1 : p > q ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
        expect(Math.sign(byPriority(a, b))).toBe(hexOrder(ra.priority, rb.priority));
        expect(Math.sign(bySplitRank(a, b))).toBe(hexOrder(ra.splitRank, rb.splitRank));
      }),
      { numRuns: 3000 },
    );
  });

  it('read from digest bytes equal those parsed from hex, at the extremes too', () => {
    for (const hex of ['00000000', 'ffffffff', '7fffffff', '80000000', '0a1b2c3d']) {
      const word = rankWord(Buffer.from(hex, 'hex'), 0);
      expect(word).toBe(Number.parseInt(hex, 16) ^ 0x80000000);
      expect(Number.isInteger(word) && word >= -(2 ** 31) && word < 2 ** 31).toBe(true);
    }
    expect(rankWord(Buffer.from('00000000', 'hex'), 0)).toBeLessThan(rankWord(Buffer.from('ffffffff', 'hex'), 0));
  });

  it('pre-check admits whatever a full comparison could admit', () => {
    const root = candidate(1, 'root');
    expect(mayEnter(root.priorityHi, root.priorityLo, root, 'priority')).toBe(true);
    expect(mayEnter(root.priorityHi, root.priorityLo + 1, root, 'priority')).toBe(false);
    expect(mayEnter(root.priorityHi - 1, 2 ** 31 - 1, root, 'priority')).toBe(true);
    expect(mayEnter(root.splitHi + 1, -(2 ** 31), root, 'split')).toBe(false);
    expect(mayEnter(0, 0, undefined, 'split')).toBe(true);
  });
});
