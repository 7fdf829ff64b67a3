/**
 * Scan, remove near duplicates and contaminated samples from the candidates, and check that each
 * group kept enough for its largest quota; if a group's margin ran out while more records exist,
 * scan again with more room for it (DESIGN §3.5: "scan again rather than return a short
 * mixture"). Without post-scan filters and with record counts, one scan is always enough.
 *
 * The loop (`filterWithRoom`) takes the scan as a function of the room, so compose (a pass over
 * the inputs) and the staged select stage (the owners' fact rows into the same heaps) share it.
 */
import type { RemovalLog } from '../io/removal-log.js';
import type { MixturePlan } from '../plan/plan.js';
import type { LoadedRecipe, Recipe } from '../recipe/types.js';
import { type FilterOptions, type FilterResult, filterCandidates } from './filter-candidates.js';
import { type ScanOptions, type ScanResult, scanInputs } from './scan.js';
import { type GroupPool, groupsNeedingRoom, resolvePools } from './select.js';

export const MAX_SCANS = 6;
/** Room to start with when filters will drop candidates after the scan. */
const FILTER_MARGIN = 1.25;

export interface ScannedPools<S extends ScanResult = ScanResult> {
  readonly scan: S;
  readonly pools: GroupPool[];
  readonly filtered: FilterResult;
  /** Scans made: 1, more when the filters ate a pool's room; MAX_SCANS + 1 when the last had to keep whole pools. */
  readonly scans: number;
}

export interface ScanWithRoomOptions extends ScanOptions, FilterOptions {
  /** Evidence for every record left out; restarted on a rescan. */
  readonly log?: RemovalLog | undefined;
}

/** Scan (with `room`: pool → factor on its capacity), filter, and scan again with more room while a pool ran short. */
export async function filterWithRoom<S extends ScanResult>(
  recipe: Recipe,
  plan: MixturePlan,
  options: FilterOptions,
  scanOnce: (room: ReadonlyMap<string, number>) => Promise<S>,
): Promise<ScannedPools<S>> {
  const filtering = recipe.dedup.near !== null || options.evalMatcher !== undefined;
  const boost = new Map<string, number>(filtering ? plan.pools.map((g) => [g, FILTER_MARGIN]) : []);
  const unbounded: string[] = [];
  for (let scans = 1; ; scans++) {
    const scan = await scanOnce(boost);
    const filtered = await filterCandidates(scan, recipe, options);
    const pools = resolvePools(scan, plan, filtered.dropped);
    const short = groupsNeedingRoom(pools, plan);
    if (short.length === 0) {
      const warnings = unbounded.map((pool) => unboundedWarning(pool, pools));
      return { scan, pools, filtered: { ...filtered, warnings: [...filtered.warnings, ...warnings] }, scans };
    }
    // Doubling the room did not keep up with the filters: the last scan keeps every record of the
    // pools still short (their pools are then complete), so the selection is exact, never short.
    const last = scans >= MAX_SCANS;
    for (const group of short) {
      boost.set(group, last ? Number.POSITIVE_INFINITY : (boost.get(group) ?? 1) * 2);
      if (last) unbounded.push(group);
    }
  }
}

function unboundedWarning(pool: string, pools: readonly GroupPool[]): string {
  const kept = pools.find((p) => p.group === pool);
  return `WARNING: the filters removed so many of pool "${pool}"'s candidates that ${MAX_SCANS} scans with growing room fell short; a last scan kept all of its records (${kept?.available ?? 0} left after the filters) in memory to select exactly. Check removed.jsonl: dedup.near or decontaminate may be removing far more than intended`;
}

export async function scanWithRoom(
  loaded: LoadedRecipe,
  plan: MixturePlan,
  options: ScanWithRoomOptions,
): Promise<ScannedPools> {
  const log = options.log;
  const result = await filterWithRoom(loaded.recipe, plan, options, async (room) => {
    await log?.begin();
    return scanInputs(loaded, plan, {
      ...options,
      capacityBoost: room,
      ...(log ? { onRemoved: (r) => log.write(r) } : {}),
    });
  });
  for (const removal of result.filtered.removals) log?.write(removal);
  return result;
}
