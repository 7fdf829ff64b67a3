import { describe, expect, it } from 'vitest';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../../src/near-dup/defaults.js';
import { jaccard } from '../../src/near-dup/jaccard.js';
import { minhashSignature } from '../../src/near-dup/minhash.js';
import { lshBandKeys, NearDupIndex } from '../../src/near-dup/near-dup-index.js';
import { shingles } from '../../src/text/shingles.js';

const { bands, rows, seed } = DEFAULT_NEAR_DUP_SETTINGS;
const sign = (set: Uint32Array) => minhashSignature(set, { permutations: bands * rows, seed });

/** 80 distinct words; `swaps` replaces the words at those positions. */
function text(swaps: Record<number, string> = {}): string {
  return Array.from({ length: 80 }, (_, i) => swaps[i] ?? `word${i}`).join(' ');
}

function item(t: string) {
  const set = shingles(t);
  return { set, signature: sign(set) };
}

describe('NearDupIndex', () => {
  it('drops a near duplicate of an accepted item, citing it with the exact Jaccard', () => {
    const index = new NearDupIndex();
    const a = item(text());
    const b = item(text({ 40: 'changed' }));
    expect(index.offer('a', a.set, a.signature)).toBeUndefined();
    const match = index.offer('b', b.set, b.signature);
    expect(match).toEqual({ matchId: 'a', jaccard: jaccard(a.set, b.set) });
    expect(match!.jaccard).toBeGreaterThanOrEqual(0.8);
    expect(index.stats.accepted).toBe(1);
  });

  it("offerByBands with a signature's band keys answers as offer with the signature", () => {
    const items = [
      text(),
      text({ 40: 'changed' }),
      text({ 5: 'x', 12: 'y', 19: 'z', 26: 'u', 33: 'v' }),
      text({ 41: 'changed', 70: 'again' }),
      text({ 1: 'a', 2: 'b' }),
    ].map(item);
    const bySignature = new NearDupIndex<number>();
    const byBands = new NearDupIndex<number>();
    const answers = items.map((it, i) => [
      bySignature.offer(i, it.set, it.signature),
      byBands.offerByBands(i, it.set, lshBandKeys(it.signature, bands, rows)),
    ]);
    for (const [a, b] of answers) expect(b).toEqual(a);
    expect(answers.filter(([a]) => a !== undefined).length).toBeGreaterThan(0);
    expect(byBands.stats).toEqual(bySignature.stats);
    expect(() => byBands.offerByBands(9, items[0]!.set, new Uint32Array(3))).toThrow(RangeError);
  });

  it('keeps a dissimilar item', () => {
    const index = new NearDupIndex();
    const a = item(text());
    const c = item(text({ 5: 'x', 12: 'y', 19: 'z', 26: 'u', 33: 'v' }));
    index.offer('a', a.set, a.signature);
    expect(index.offer('c', c.set, c.signature)).toBeUndefined();
  });

  it('never drops on a bucket collision alone: candidates are verified by exact Jaccard', () => {
    const index = new NearDupIndex();
    const a = item(text());
    const other = shingles('a completely different sample about something else entirely with other words');
    // Force a collision in every band: the same signature for dissimilar sets.
    index.add('a', a.set, a.signature);
    expect(index.findMatch(other, a.signature)).toBeUndefined();
    expect(index.stats.candidates).toBe(1);
    expect(index.stats.rejectedCandidates).toBe(1);
  });

  it('does not chain: C is judged only against accepted items, not against the dropped B', () => {
    const a = item(text());
    const b = item(text({ 10: 'first' }));
    const c = item(text({ 10: 'first', 60: 'second' }));
    expect(jaccard(a.set, b.set)).toBeGreaterThanOrEqual(0.8);
    expect(jaccard(b.set, c.set)).toBeGreaterThanOrEqual(0.8);
    expect(jaccard(a.set, c.set)).toBeLessThan(0.8);

    const index = new NearDupIndex();
    expect(index.offer('A', a.set, a.signature)).toBeUndefined();
    expect(index.offer('B', b.set, b.signature)?.matchId).toBe('A');
    expect(index.offer('C', c.set, c.signature)).toBeUndefined(); // B was dropped, A is too far

    // In another priority order B is accepted first and both A and C go.
    const other = new NearDupIndex();
    other.offer('B', b.set, b.signature);
    expect(other.offer('A', a.set, a.signature)?.matchId).toBe('B');
    expect(other.offer('C', c.set, c.signature)?.matchId).toBe('B');
  });

  it('cites the best match, ties going to the earliest accepted', () => {
    const index = new NearDupIndex({ threshold: 0.5, bands, rows });
    const far = item(text({ 3: 'p', 15: 'q' }));
    const near = item(text({ 3: 'p' }));
    // The two stored items are far enough from each other to both be accepted at 0.5? Use add.
    index.add('far', far.set, far.signature);
    index.add('near', near.set, near.signature);
    const query = item(text({ 3: 'p', 36: 'r' }));
    expect(index.findMatch(query.set, query.signature)?.matchId).toBe('near');
    const twin = new NearDupIndex();
    twin.add('first', near.set, near.signature);
    twin.add('second', near.set, near.signature);
    expect(twin.findMatch(near.set, near.signature)?.matchId).toBe('first');
  });

  it('never matches empty texts', () => {
    const index = new NearDupIndex();
    const empty = item('');
    expect(index.offer('e1', empty.set, empty.signature)).toBeUndefined();
    expect(index.offer('e2', empty.set, empty.signature)).toBeUndefined();
  });

  it('gives the same decisions for a prefix of the order, whatever follows (nesting)', () => {
    const texts = Array.from({ length: 30 }, (_, i) => text({ [i % 40]: `v${i % 7}`, [(i * 7) % 40]: `w${i % 5}` }));
    const decide = (n: number) => {
      const index = new NearDupIndex<number>();
      return texts.slice(0, n).map((t, i) => {
        const { set, signature } = item(t);
        return index.offer(i, set, signature)?.matchId ?? 'kept';
      });
    };
    const full = decide(30);
    expect(decide(12)).toEqual(full.slice(0, 12));
    expect(full.filter((d) => d !== 'kept').length).toBeGreaterThan(0);
  });

  it('rejects a signature of the wrong length and bad settings', () => {
    const index = new NearDupIndex();
    expect(() => index.findMatch(Uint32Array.of(1), new Int32Array(7))).toThrow(/bands × rows/);
    expect(() => new NearDupIndex({ threshold: 0, bands: 20, rows: 6 })).toThrow(RangeError);
    expect(() => new NearDupIndex({ threshold: 0.8, bands: 0, rows: 6 })).toThrow(RangeError);
  });

  it('grows its tables past their first capacity', () => {
    const index = new NearDupIndex<number>();
    for (let i = 0; i < 3000; i++) {
      const { set, signature } = item(`record number ${i} with its own words ${i * 7} and ${i * 13}`);
      index.add(i, set, signature);
    }
    const probe = item('record number 1234 with its own words 8638 and 16042');
    expect(index.findMatch(probe.set, probe.signature)?.matchId).toBe(1234);
  });
});
