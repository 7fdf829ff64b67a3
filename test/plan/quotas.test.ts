import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, validationTotal } from '../../src/plan/quotas.js';

describe('apportion', () => {
  it('splits exactly by largest remainder', () => {
    expect([
      ...apportion(100, [
        ['a', 0.3],
        ['b', 0.7],
      ]),
    ]).toEqual([
      ['a', 30],
      ['b', 70],
    ]);
    expect([
      ...apportion(10, [
        ['a', 1 / 3],
        ['b', 1 / 3],
        ['c', 1 / 3],
      ]),
    ]).toEqual([
      ['a', 4],
      ['b', 3],
      ['c', 3],
    ]);
    expect([
      ...apportion(7, [
        ['a', 0.5],
        ['b', 0.25],
        ['c', 0.25],
      ]),
    ]).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 2],
    ]);
  });

  it('always sums to the total and stays within one of the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          fc.pre(sum > 0);
          const shares = weights.map((w, i) => [`g${i}`, w / sum] as const);
          const parts = apportion(total, shares);
          expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(total);
          for (const [group, share] of shares)
            expect(Math.abs(parts.get(group)! - total * share)).toBeLessThan(1 + 1e-6);
        },
      ),
    );
  });

  it('validation: a fraction of the volume or a count', () => {
    expect(validationTotal(0, 1000)).toBe(0);
    expect(validationTotal(0.1, 1000)).toBe(100);
    expect(validationTotal(250, 1000)).toBe(250);
  });
});
