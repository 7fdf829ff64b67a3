/**
 * Scan, then check that each group kept enough candidates for its largest quota; if a group's
 * margin ran out (token budgets, or records removed after the scan) while more records exist,
 * scan again with more room for it (DESIGN §3.5: "scan again rather than return a short mixture").
 * In the common case — record counts, no filters after the scan — one scan is always enough.
 */
import type { MixturePlan } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { type ScanOptions, type ScanResult, scanInputs } from './scan.js';
import { type GroupPool, groupsNeedingRoom, resolvePools } from './select.js';

const MAX_SCANS = 6;

export async function scanWithRoom(loaded: LoadedRecipe, plan: MixturePlan, options: ScanOptions): Promise<{ scan: ScanResult; pools: GroupPool[]; scans: number }> {
  const boost = new Map<string, number>();
  for (let scans = 1; ; scans++) {
    const scan = await scanInputs(loaded, plan, { ...options, capacityBoost: boost });
    const pools = resolvePools(scan, plan);
    const short = groupsNeedingRoom(pools, plan);
    if (short.length === 0 || scans >= MAX_SCANS) return { scan, pools, scans };
    for (const group of short) boost.set(group, (boost.get(group) ?? 1) * 2);
  }
}
