import { describe, expect, it } from 'vitest';
import { sharesABandKey } from '../../src/near-dup/band-collisions.js';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../../src/near-dup/defaults.js';
import { minhashSignature } from '../../src/near-dup/minhash.js';
import { lshBandKeys, NearDupIndex } from '../../src/near-dup/near-dup-index.js';
import { shingles } from '../../src/text/shingles.js';

const { bands, rows, seed } = DEFAULT_NEAR_DUP_SETTINGS;

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether item `i` holds some band's key that another item holds in the same band, by brute force. */
function sharesByPairs(keys: Uint32Array, bandCount: number, i: number): boolean {
  const count = keys.length / bandCount;
  for (let j = 0; j < count; j++) {
    if (j === i) continue;
    for (let b = 0; b < bandCount; b++) if (keys[i * bandCount + b] === keys[j * bandCount + b]) return true;
  }
  return false;
}

describe('sharesABandKey', () => {
  it('flags exactly the items that hold another item’s key in the same band', () => {
    const next = random(7);
    for (let round = 0; round < 20; round++) {
      const bandCount = 1 + Math.floor(next() * 5);
      const count = Math.floor(next() * 60);
      // Few distinct keys, so collisions are common; the same key in another band is no collision.
      const keys = Uint32Array.from({ length: count * bandCount }, () => Math.floor(next() * 40) * 0x01010101);
      const flags = sharesABandKey(keys, bandCount);
      expect(flags.length).toBe(count);
      for (let i = 0; i < count; i++)
        expect(flags[i], `round ${round} item ${i}`).toBe(sharesByPairs(keys, bandCount, i) ? 1 : 0);
    }
    // One band's key equal to another band's key of a second item is not a collision.
    expect([...sharesABandKey(Uint32Array.from([1, 2, 2, 1]), 2)]).toEqual([0, 0]);
    expect(() => sharesABandKey(new Uint32Array(5), 2)).toThrow(RangeError);
  });

  it('lets the greedy pass skip the items that collide with none: the same drops, matches and counts', () => {
    const next = random(11);
    const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i}`);
    const texts: string[] = [];
    for (let i = 0; i < 300; i++) {
      const base = texts.length > 0 && next() < 0.3 ? texts[Math.floor(next() * texts.length)]! : undefined;
      const words = base
        ? base.split(' ').map((w) => (next() < 0.04 ? vocabulary[Math.floor(next() * vocabulary.length)]! : w))
        : Array.from({ length: 60 }, () => vocabulary[Math.floor(next() * vocabulary.length)]!);
      texts.push(words.join(' '));
    }
    const sets = texts.map((t) => shingles(t));
    const keys = sets.map((set) =>
      lshBandKeys(minhashSignature(set, { permutations: bands * rows, seed }), bands, rows),
    );
    const all = new Uint32Array(keys.length * bands);
    for (const [i, k] of keys.entries()) all.set(k, i * bands);
    const collides = sharesABandKey(all, bands);

    const whole = new NearDupIndex<number>();
    const skipping = new NearDupIndex<number>();
    const wholeAnswers = sets.map((set, i) => whole.offerByBands(i, set, keys[i]!));
    const skippingAnswers = sets.map((set, i) => {
      if (collides[i] === 1) return skipping.offerByBands(i, set, keys[i]!);
      skipping.acceptAlone();
      return undefined;
    });
    expect(skippingAnswers).toEqual(wholeAnswers);
    expect(skipping.stats).toEqual(whole.stats);
    // The case is worth testing: near duplicates were dropped, and most items collided with none.
    expect(wholeAnswers.filter((a) => a !== undefined).length).toBeGreaterThan(10);
    expect(collides.filter((f) => f === 0).length).toBeGreaterThan(100);
  });
});
