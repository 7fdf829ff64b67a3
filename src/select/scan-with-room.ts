/**
 * Scan, remove near duplicates and contaminated samples from the candidates, and check that each
 * group kept enough for its largest quota; if a group's margin ran out while more records exist,
 * scan again with more room for it (DESIGN §3.5: "scan again rather than return a short
 * mixture"). Without post-scan filters and with record counts, one scan is always enough.
 */
import type { RemovalLog } from '../io/removal-log.js';
import type { MixturePlan } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { type FilterOptions, type FilterResult, filterCandidates } from './filter-candidates.js';
import { type ScanOptions, type ScanResult, scanInputs } from './scan.js';
import { type GroupPool, groupsNeedingRoom, resolvePools } from './select.js';

const MAX_SCANS = 6;
/** Room to start with when filters will drop candidates after the scan. */
const FILTER_MARGIN = 1.25;

export interface ScannedPools {
  readonly scan: ScanResult;
  readonly pools: GroupPool[];
  readonly filtered: FilterResult;
  readonly scans: number;
}

export interface ScanWithRoomOptions extends ScanOptions, FilterOptions {
  /** Evidence for every record left out; restarted on a rescan. */
  readonly log?: RemovalLog | undefined;
}

export async function scanWithRoom(
  loaded: LoadedRecipe,
  plan: MixturePlan,
  options: ScanWithRoomOptions,
): Promise<ScannedPools> {
  const filtering = loaded.recipe.dedup.near !== null || options.evalMatcher !== undefined;
  const boost = new Map<string, number>(filtering ? plan.pools.map((g) => [g, FILTER_MARGIN]) : []);
  for (let scans = 1; ; scans++) {
    const log = options.log;
    await log?.begin();
    const scan = await scanInputs(loaded, plan, {
      ...options,
      capacityBoost: boost,
      ...(log ? { onRemoved: (r) => log.write(r) } : {}),
    });
    const filtered = await filterCandidates(scan, loaded.recipe, options);
    const pools = resolvePools(scan, plan, filtered.dropped);
    const short = groupsNeedingRoom(pools, plan);
    if (short.length === 0 || scans >= MAX_SCANS) {
      for (const removal of filtered.removals) log?.write(removal);
      return { scan, pools, filtered, scans };
    }
    for (const group of short) boost.set(group, (boost.get(group) ?? 1) * 2);
  }
}
