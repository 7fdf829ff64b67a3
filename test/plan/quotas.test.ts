import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, validationTotal } from '../../src/plan/quotas.js';

const weightsArb = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 });

describe('apportion (Webster / Sainte-Laguë)', () => {
  it('splits exactly, ties to the part listed first', () => {
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

  it('never takes a unit from a part when the total grows: 0.01/0.03/0.96 at 50 and 51', () => {
    // Largest remainder gives 1/1/48 at 50 and 0/2/49 at 51: the first part loses its record.
    const shares = [
      ['a', 0.01],
      ['b', 0.03],
      ['c', 0.96],
    ] as const;
    expect([...apportion(50, shares)]).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 48],
    ]);
    expect([...apportion(51, shares)]).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 48],
    ]);
  });

  it('is house monotone and equals handing out units one at a time (caps included)', () => {
    fc.assert(
      fc.property(
        weightsArb,
        fc.array(fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), { minLength: 8, maxLength: 8 }),
        (weights, capList) => {
          const shares = weights.map((w, i): readonly [string, number] => [`g${i}`, w / 7]);
          const caps = new Map(
            shares.flatMap(([name], i) => (capList[i] === undefined ? [] : [[name, capList[i]!] as const])),
          );
          const seats = new Map(shares.map(([name]) => [name, 0]));
          for (let total = 0; total <= 120; total++) {
            expect(apportion(total, shares, caps)).toEqual(seats);
            // The next unit: the part of highest w/(n+0.5) with room, first listed on a tie.
            let best: string | undefined;
            let bestPriority = 0;
            for (const [name, weight] of shares) {
              const n = seats.get(name)!;
              if (weight <= 0 || n >= (caps.get(name) ?? Number.POSITIVE_INFINITY)) continue;
              const priority = weight / (n + 0.5);
              if (priority > bestPriority) [best, bestPriority] = [name, priority];
            }
            if (best !== undefined) seats.set(best, seats.get(best)! + 1);
          }
        },
      ),
    );
  });

  it('always sums to the total and is a divisor rounding of the shares', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), weightsArb, (total, weights) => {
        const sum = weights.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0);
        const shares = weights.map((w, i) => [`g${i}`, w / sum] as const);
        const parts = apportion(total, shares);
        expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(total);
        // Webster: one divisor d rounds every share × (1/d) to its part: max (n-½)/w ≤ min (n+½)/w.
        const positive = shares.filter(([, w]) => w > 0);
        const lowest = Math.max(...positive.map(([g, w]) => (parts.get(g)! - 0.5) / w));
        const highest = Math.min(...positive.map(([g, w]) => (parts.get(g)! + 0.5) / w));
        expect(lowest).toBeLessThanOrEqual(highest * (1 + 1e-12));
        for (const [g, w] of shares) if (w === 0) expect(parts.get(g)).toBe(0);
      }),
    );
  });

  it('fills every cap when the caps leave less room than the total', () => {
    expect([
      ...apportion(
        100,
        [
          ['a', 0.5],
          ['b', 0.5],
        ],
        new Map([
          ['a', 10],
          ['b', 20],
        ]),
      ),
    ]).toEqual([
      ['a', 10],
      ['b', 20],
    ]);
  });

  it('validation: a fraction of the volume or a count', () => {
    expect(validationTotal(0, 1000)).toBe(0);
    expect(validationTotal(0.1, 1000)).toBe(100);
    expect(validationTotal(250, 1000)).toBe(250);
  });
});
