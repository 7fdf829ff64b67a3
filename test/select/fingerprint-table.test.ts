import { describe, expect, it } from 'vitest';
import { FingerprintTable } from '../../src/select/fingerprint-table.js';

/** A deterministic stream of 32-bit words. */
function words(seed: number, n: number): number[] {
  let x = seed >>> 0;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return x;
  });
}

describe('FingerprintTable', () => {
  it('claims each key once, names its first owner and place later, across shards and growth', () => {
    const table = new FingerprintTable(16);
    const hi = words(1, 60_000);
    const lo = words(2, 60_000);
    // keys sharing a top byte (one shard) and keys differing only in the low word
    hi.push(...Array.from({ length: 5000 }, (_, i) => (0x7f000000 | i) >>> 0));
    lo.push(...Array.from({ length: 5000 }, () => 7));
    hi.push(hi[0]!, hi[0]!);
    lo.push((lo[0]! ^ 1) >>> 0, (lo[0]! ^ 2) >>> 0);
    for (let i = 0; i < hi.length; i++) expect(table.claim(hi[i]!, lo[i]!, i % 3, 3 * i + 1)).toBe(-1);
    expect(table.size).toBe(hi.length);
    for (let i = 0; i < hi.length; i++) {
      expect(table.claim(hi[i]!, lo[i]!, 9, 0)).toBe(i % 3);
      expect(table.foundPlace).toBe(3 * i + 1);
    }
    expect(table.size).toBe(hi.length);
  });

  it('keeps owners up to 254 and places past 2³²', () => {
    const table = new FingerprintTable(16);
    expect(table.claim(0x12345678, 1, 254, 2 ** 32 - 1)).toBe(-1);
    expect(table.claim(0x12345679, 1, 0, 7)).toBe(-1);
    expect(table.claim(0x1234567a, 1, 1, 2 ** 40 + 5)).toBe(-1); // widens the column
    for (let i = 0; i < 3000; i++) table.claim((0x12000000 | (i * 7919)) >>> 0, i + 2, i % 255, i); // growth keeps them
    expect(table.claim(0x12345678, 1, 3)).toBe(254);
    expect(table.foundPlace).toBe(2 ** 32 - 1);
    expect(table.claim(0x12345679, 1, 3)).toBe(0);
    expect(table.foundPlace).toBe(7);
    expect(table.claim(0x1234567a, 1, 3)).toBe(1);
    expect(table.foundPlace).toBe(2 ** 40 + 5);
  });

  it('fills a shard to three quarters before it grows, by half again', () => {
    // Keys of one shard (top byte 0x42) with spread low words: the slots used tell the growth steps.
    const table = new FingerprintTable(256 * 16);
    const lo = words(5, 41);
    for (let i = 0; i < 41; i++) table.claim(0x42000000 | i, lo[i]!, 0, i);
    const shard = (table as unknown as { shards: { ownerHi: Uint32Array }[] }).shards[0x42]!;
    // 16 slots → 24 at the 13th key → 36 at the 19th → 54 at the 28th → 81 at the 41st
    expect(shard.ownerHi.length).toBe(81);
    for (let i = 0; i < 41; i++) expect(table.claim(0x42000000 | i, lo[i]!, 1)).toBe(0);
  });

  it('without first-copy tracking still counts and names owners', () => {
    const table = new FingerprintTable(undefined, false);
    expect(table.claim(1, 2, 4)).toBe(-1);
    expect(table.claim(1, 2, 0)).toBe(4);
    expect(table.claim(0xff000000, 2, 1)).toBe(-1);
    expect(table.size).toBe(2);
  });
});
