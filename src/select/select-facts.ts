/**
 * The selection as a pure function of plain fact rows (records/facts/fact-rows.ts), the plan and
 * the seed: ownership (the first copy in scan order owns a key), pools (plan.poolOf), then the
 * very `resolvePools` and `selectPoint` compose uses. It holds every row, so its memory grows with
 * the input; compose reaches the same selection with bounded heaps filled during the scan
 * (select/scan.ts). This is the reference a second implementation (SQL over facts) is compared
 * with, row for row; test/select/facts.test.ts compares it with compose's own path.
 *
 * Ownership here compares whole content keys; the scan's table compares their first 64 bits, so
 * the two can differ only on a 64-bit collision between distinct texts.
 */
import { groupOf, type MixturePlan, poolOf, weigher } from '../plan/plan.js';
import type { Recipe } from '../recipe/types.js';
import { byPriority, bySplitRank, type Candidate, ranksOfDigest } from '../records/facts/candidate.js';
import type { FactRow } from '../records/facts/fact-rows.js';
import { BoundedHeap } from './bounded-heap.js';
import type { GroupCandidates } from './scan.js';
import { type PointSelection, resolvePools, selectPoints } from './select.js';

export type FactSelectionRecipe = Pick<Recipe, 'seed' | 'mixture' | 'dedup'>;

/** Every pool's candidates from the rows: each key once, in the pool of its first copy. */
export function poolsOfFacts(
  facts: Iterable<FactRow>,
  plan: MixturePlan,
  dedup: boolean,
): Map<string, GroupCandidates> {
  const groups = new Map<string, GroupCandidates>(
    plan.pools.map((pool) => [
      pool,
      {
        group: pool,
        available: 0,
        byPriority: new BoundedHeap<Candidate>(Number.POSITIVE_INFINITY, byPriority, weigher(plan.unit)),
        bySplit: new BoundedHeap<Candidate>(Number.POSITIVE_INFINITY, bySplitRank, weigher(plan.validationUnit)),
      },
    ]),
  );
  const owned = new Set<string>();
  for (const row of facts) {
    if (dedup) {
      if (owned.has(row.key)) continue;
      owned.add(row.key);
    }
    offerFact(groups, plan, row);
  }
  return groups;
}

/**
 * Count an owned record's fact row in its pool and offer it to the pool's heaps, as the scan
 * offers a record it owns; `crc32` of its bytes when known (the staged select stage's re-reads check it).
 */
export function offerFact(
  pools: ReadonlyMap<string, GroupCandidates>,
  plan: MixturePlan,
  row: FactRow,
  crc32 = -1,
): void {
  const target = pools.get(poolOf(plan, row.group, row.chars, () => row.tokens, row.source));
  if (!target || groupOf(plan, target.group) !== row.group) throw new Error(`no pool for group "${row.group}"`);
  target.available++;
  const candidate: Candidate = {
    key: row.key,
    ...ranksOfDigest(row.ranks),
    fileIndex: row.fileIndex,
    offset: row.offset,
    length: row.length,
    line: row.line,
    chars: row.chars,
    tokens: row.tokens,
    spill: -1,
    crc32,
  };
  target.byPriority.offer(candidate);
  target.bySplit.offer(candidate);
}

/** Every point's selection from the rows; `removed` are content keys a post-scan filter dropped (near duplicates, contaminated). */
export function selectFromFacts(
  facts: Iterable<FactRow>,
  plan: MixturePlan,
  recipe: FactSelectionRecipe,
  removed: ReadonlySet<string> = new Set(),
): PointSelection[] {
  const groups = poolsOfFacts(facts, plan, recipe.dedup.exact);
  const dropped = new Set<Candidate>();
  if (removed.size > 0)
    for (const pool of groups.values())
      for (const c of pool.byPriority.sorted()) if (removed.has(c.key)) dropped.add(c);
  const pools = resolvePools({ groups }, plan, dropped);
  return selectPoints(pools, plan, recipe.mixture, recipe.seed);
}
