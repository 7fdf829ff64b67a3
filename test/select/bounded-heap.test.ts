import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedHeap } from '../../src/select/bounded-heap.js';

interface Item {
  readonly rank: number;
  readonly weight: number;
}

/** What the heap must hold: the shortest prefix, in rank order, of everything offered that covers the capacity. */
function expected(items: readonly Item[], capacity: number): Item[] {
  const sorted = [...items].sort((a, b) => a.rank - b.rank);
  const kept: Item[] = [];
  let total = 0;
  for (const item of sorted) {
    if (total >= capacity) break;
    kept.push(item);
    total += item.weight;
  }
  return capacity <= 0 ? [] : kept;
}

describe('BoundedHeap', () => {
  it('keeps the shortest rank-ordered prefix covering the capacity, by count or by weight, whatever the offer order', () => {
    const items = fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 300 });
    fc.assert(
      fc.property(
        items,
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        (ranks, capacity, weighted, seed) => {
          const offered = ranks.map((rank, i) => ({ rank, weight: weighted ? 1 + ((rank * 31 + seed + i) % 5) : 1 }));
          const heap = new BoundedHeap<Item>(
            capacity,
            (a, b) => a.rank - b.rank,
            (item) => item.weight,
          );
          for (const item of offered) heap.offer(item);
          expect(heap.sorted()).toEqual(expected(offered, capacity));
          const threshold = heap.threshold;
          if (threshold) expect(threshold.rank).toBe(Math.max(...heap.sorted().map((i) => i.rank)));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
