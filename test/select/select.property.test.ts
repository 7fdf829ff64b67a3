/** Property tests of the pure selection: nesting, disjointness, repeat bounds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byPriority as priorityOrder,
  bySplitRank,
  type Candidate,
  candidateRanks,
} from '../../src/records/facts/candidate.js';
import { type GroupPool, type OrderRanks, selectPoint } from '../../src/select/select.js';
import type { MixturePlan, PointPlan } from '../../src/plan/plan.js';
import type { MixtureSpec } from '../../src/recipe/types.js';
import { contentKey } from '../../src/keys/hashing.js';

function pool(group: string, size: number, validation: number): GroupPool {
  const all: Candidate[] = Array.from({ length: size }, (_, i) => {
    const key = contentKey(`${group}-${i}`);
    return {
      key,
      ...candidateRanks(1, key),
      fileIndex: 0,
      offset: i,
      length: 10,
      line: i + 1,
      chars: 10,
      tokens: 3,
      spill: -1,
      crc32: -1,
    };
  });
  const byPriority = [...all].sort(priorityOrder);
  const held = [...all].sort(bySplitRank).slice(0, validation);
  const heldKeys = new Set(held.map((c) => c.key));
  const training = byPriority.filter((c) => !heldKeys.has(c.key));
  return {
    group,
    available: size,
    complete: true,
    validationComplete: true,
    trainingWeight: training.length,
    validation: held,
    training,
  };
}

const point = (volume: number, quotas: Record<string, number>): PointPlan => ({
  name: `v${volume}`,
  volume,
  shares: { a: 0.5, b: 0.5 },
  quotas,
  poolShares: { a: 0.5, b: 0.5 },
});
const plan = (validation: Record<string, number>): MixturePlan => ({
  planVersion: 2,
  groups: ['a', 'b'],
  pools: ['a', 'b'],
  poolGroup: { a: 'a', b: 'b' },
  strata: {},
  sources: {},
  capped: [],
  validationQuotas: validation,
  validation: Object.values(validation).reduce((x, y) => x + y, 0),
  points: [],
  isSweep: true,
  trainingCapacity: {},
  unit: 'samples',
  validationUnit: 'samples',
});
const mixture = (shortage: MixtureSpec['shortage'], maxEpochs = 100): MixtureSpec => ({
  volume: 0,
  unit: 'samples',
  tokenizer: null,
  shares: { a: 0.5, b: 0.5 },
  shortage,
  max_epochs: maxEpochs,
  strata: {},
});

describe('selectPoint', () => {
  it('nests: a smaller quota selects a subset, validation is identical and disjoint', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 150 }),
        (size, v, q1, q2) => {
          const pools = [pool('a', size + v, v), pool('b', 50, 0)];
          const p = plan({ a: v, b: 0 });
          const [small, large] = [Math.min(q1, q2), Math.max(q1, q2)];
          const s = selectPoint(pools, point(small, { a: small, b: 0 }), p, mixture('cap'), 1);
          const l = selectPoint(pools, point(large, { a: large, b: 0 }), p, mixture('cap'), 1);
          const keys = (sel: typeof s, split: string) =>
            sel.records.filter((r) => r.split === split).map((r) => r.candidate.key);
          const largeTrain = new Set(keys(l, 'train'));
          for (const key of keys(s, 'train')) expect(largeTrain.has(key)).toBe(true);
          expect(keys(s, 'validation').sort()).toEqual(keys(l, 'validation').sort());
          for (const key of keys(l, 'validation')) expect(largeTrain.has(key)).toBe(false);
          expect(keys(l, 'train')).toHaveLength(Math.min(large, size));
        },
      ),
    );
  });

  it("a sweep's points sharing one order-rank memo select exactly what each selects alone", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom<MixtureSpec['shortage']>('cap', 'repeat'),
        (quotas, shortage) => {
          const pools = [pool('a', 60, 5), pool('b', 40, 0)];
          const p = plan({ a: 5, b: 0 });
          const ranks: OrderRanks = new Map();
          for (const [a, b] of quotas) {
            const at = point(a + b, { a, b });
            const shared = selectPoint(pools, at, p, mixture(shortage), 1, ranks);
            expect(shared).toEqual(selectPoint(pools, at, p, mixture(shortage), 1));
          }
          // The memo holds first copies only, each once.
          expect(ranks.size).toBeLessThanOrEqual(105);
        },
      ),
    );
  });

  it('repeat: exact quota, no record more than ceil(quota/distinct) times, at most max_epochs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 300 }), (distinct, quota) => {
        const pools = [pool('a', distinct, 0), pool('b', 1, 0)];
        const epochs = Math.ceil(quota / distinct);
        const sel = selectPoint(
          pools,
          point(quota, { a: quota, b: 0 }),
          plan({ a: 0, b: 0 }),
          mixture('repeat', epochs),
          1,
        );
        const rows = sel.records.filter((r) => r.group === 'a');
        expect(rows).toHaveLength(quota);
        const counts = new Map<string, number>();
        for (const r of rows) counts.set(r.candidate.key, (counts.get(r.candidate.key) ?? 0) + 1);
        expect(Math.max(...counts.values())).toBe(epochs);
        expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(Math.floor(quota / distinct));
        const positions = rows.map((r) => r.position).sort((x, y) => x - y);
        expect(new Set(positions).size).toBe(quota);
        if (epochs > 1)
          expect(() =>
            selectPoint(
              pools,
              point(quota, { a: quota, b: 0 }),
              plan({ a: 0, b: 0 }),
              mixture('repeat', epochs - 1),
              1,
            ),
          ).toThrow(/max_epochs/);
      }),
    );
  });
});
