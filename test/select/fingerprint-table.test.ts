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
    for (let i = 0; i < hi.length; i++) expect(table.claim(hi[i]!, lo[i]!, i % 3, i % 5, i + 1)).toBe(-1);
    expect(table.size).toBe(hi.length);
    for (const i of [0, 1, 59_999, 60_000, 64_999, hi.length - 1]) {
      expect(table.claim(hi[i]!, lo[i]!, 9, 0, 0)).toBe(i % 3);
      expect(table.found).toEqual({ fileIndex: i % 5, line: i + 1 });
    }
    expect(table.size).toBe(hi.length);
  });

  it('keeps owners up to 254 and file indexes past 65,535', () => {
    const table = new FingerprintTable(16);
    expect(table.claim(0x12345678, 1, 254, 70_000, 3)).toBe(-1);
    expect(table.claim(0x12345679, 1, 0, 65_535, 4)).toBe(-1);
    for (let i = 0; i < 3000; i++) table.claim((0x12000000 | (i * 7919)) >>> 0, i + 2, i % 255, i, i); // growth keeps them
    expect(table.claim(0x12345678, 1, 3)).toBe(254);
    expect(table.found).toEqual({ fileIndex: 70_000, line: 3 });
    expect(table.claim(0x12345679, 1, 3)).toBe(0);
    expect(table.found).toEqual({ fileIndex: 65_535, line: 4 });
  });

  it('without first-copy tracking still counts and names owners', () => {
    const table = new FingerprintTable(undefined, false);
    expect(table.claim(1, 2, 4)).toBe(-1);
    expect(table.claim(1, 2, 0)).toBe(4);
    expect(table.claim(0xff000000, 2, 1)).toBe(-1);
    expect(table.size).toBe(2);
  });
});
