/**
 * Groups the post-scan filters (decontamination, near-duplicate removal) left without a single
 * record. A quota can no longer be met from such a group whatever the volume: under `shortage:
 * error` it is an error, under the other policies a loud warning (the mixture then lacks the group).
 */
import { MixsmithError } from '../errors.js';
import type { ShortagePolicy } from '../recipe/types.js';
import type { FilterResult } from './filter-candidates.js';
import type { GroupPool } from './select.js';

/** One line per emptied group; throws SHORTAGE for them under `shortage: error`. */
export function emptiedGroups(pools: readonly GroupPool[], filtered: FilterResult, shortage: ShortagePolicy): string[] {
  const removed = new Map<string, Map<string, number>>();
  for (const r of filtered.removals) {
    if (r.reason !== 'contaminated' && r.reason !== 'dup-near') continue;
    const reasons = removed.get(r.group) ?? new Map<string, number>();
    reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    removed.set(r.group, reasons);
  }
  const left = new Map<string, number>();
  for (const pool of pools) {
    const group = removed.has(pool.group) ? pool.group : pool.group.slice(0, Math.max(0, pool.group.indexOf('/')));
    left.set(group, (left.get(group) ?? 0) + pool.available);
  }
  const lines: string[] = [];
  for (const [group, reasons] of removed) {
    if ((left.get(group) ?? 0) > 0) continue;
    const why = [...reasons]
      .map(([reason, n]) => `${n} ${reason === 'contaminated' ? 'contaminated' : 'near duplicates'}`)
      .join(', ');
    lines.push(
      `group "${group}" is empty after decontamination and near-duplicate removal (${why} removed): the mixture has none of it`,
    );
  }
  if (lines.length > 0 && shortage === 'error') {
    throw new MixsmithError('SHORTAGE', lines.join('; '), {
      hint: "check removed.jsonl and the manifest's evidence.decontamination; add sources to the group, or loosen decontaminate / dedup.near",
    });
  }
  return lines.map((l) => `WARNING: ${l}`);
}
