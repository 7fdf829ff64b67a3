/** Percentiles (nearest rank) and histograms: exact on small cases, invariants by property. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramOf, niceStep, percentile, summarize } from '../../src/audit/distribution.js';
import { sortedUnion, ValueSeries } from '../../src/audit/value-series.js';

const sorted = (values: number[]) => Uint32Array.from(values).sort();

describe('percentile', () => {
  it('is the nearest rank', () => {
    const v = sorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(v, 0.5)).toBe(5);
    expect(percentile(v, 0.9)).toBe(9);
    expect(percentile(v, 0.95)).toBe(10);
    expect(percentile(v, 0.01)).toBe(1);
    expect(percentile(sorted([]), 0.5)).toBe(0);
  });

  it('is a member of the sample, monotone in q, and has at least q of the sample at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (values, q) => {
          const s = sorted(values);
          const p = percentile(s, q);
          expect(values).toContain(p);
          expect(s.filter((x) => x <= p).length).toBeGreaterThanOrEqual(Math.ceil(q * s.length));
          expect(percentile(s, Math.min(1, q + 0.1))).toBeGreaterThanOrEqual(p);
        },
      ),
    );
  });
});

describe('histogramOf', () => {
  it('uses nice steps and folds the tail past p99 into the last bin', () => {
    expect([niceStep(100, 20), niceStep(190, 20), niceStep(450, 20), niceStep(0, 20)]).toEqual([5, 10, 50, 1]);
    const values = sorted([...Array.from({ length: 99 }, (_, i) => i), 15_899]);
    const h = histogramOf(values);
    expect(h.edges[1]! - h.edges[0]!).toBe(5);
    expect(h.openTop).toBe(true);
    expect(h.counts.at(-1)).toBe(1 + 4); // 95..98 and the long record
  });

  it('counts every value exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 400 }), (values) => {
        const h = histogramOf(sorted(values));
        expect(h.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
        expect(h.edges).toHaveLength(h.counts.length + 1);
      }),
    );
  });
});

describe('summarize and ValueSeries', () => {
  it('merges series exactly', () => {
    const a = new ValueSeries();
    const b = new ValueSeries();
    for (let i = 0; i < 1000; i++) (i % 3 ? a : b).push(i);
    const d = summarize(sortedUnion([a, b]));
    expect(d).toMatchObject({ count: 1000, min: 0, max: 999, sum: 499_500, mean: 499.5, p50: 499, p95: 949 });
  });
});
