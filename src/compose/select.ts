/**
 * From the scan's candidates to the records of each split, per DESIGN §3: the validation set is
 * the lowest split ranks of each group; training takes the lowest priorities among the rest.
 * Both are functions of content and seed only, so smaller volumes select subsets (nesting).
 */
import { MixsmithError } from '../errors.js';
import type { MixturePlan } from '../plan/plan.js';
import type { ShortagePolicy } from '../recipe/types.js';
import { orderRank } from '../select/hashing.js';
import type { Candidate } from './candidate.js';
import type { ScanResult } from './scan.js';

export type SplitName = 'train' | 'validation';

export interface GroupSelection {
  readonly group: string;
  readonly share: number;
  readonly quota: number;
  readonly validationQuota: number;
  readonly available: number;
  readonly selected: number;
  readonly validationSelected: number;
  /** Training records missing against the quota (shortage: cap). */
  readonly shortfall: number;
  readonly validationShortfall: number;
}

export interface PlacedRecord {
  readonly candidate: Candidate;
  readonly group: string;
  readonly split: SplitName;
  /** Position in the split's output order. */
  readonly position: number;
}

export interface Selection {
  readonly groups: readonly GroupSelection[];
  /** Every output record, in file order of neither: callers sort as they need. */
  readonly records: readonly PlacedRecord[];
  readonly rows: Readonly<Record<SplitName, number>>;
}

/** Quotas against availability, with the shortage policy applied. Pure. */
export function selectRecords(scan: ScanResult, plan: MixturePlan, seed: number, shortage: ShortagePolicy): Selection {
  const groups: GroupSelection[] = [];
  const chosen: { candidate: Candidate; group: string; split: SplitName }[] = [];
  const short: string[] = [];
  for (const quota of plan.groups) {
    const pool = scan.groups.get(quota.group)!;
    const validation = pool.bySplit.sorted().slice(0, quota.validationQuota);
    const heldOut = new Set(validation.map((c) => c.key));
    const train = pool.byPriority
      .sorted()
      .filter((c) => !heldOut.has(c.key))
      .slice(0, quota.quota);
    if (train.length < quota.quota || validation.length < quota.validationQuota) short.push(`group "${quota.group}" needs ${quota.quota} training + ${quota.validationQuota} validation records but has ${pool.available} distinct`);
    groups.push({
      group: quota.group,
      share: quota.share,
      quota: quota.quota,
      validationQuota: quota.validationQuota,
      available: pool.available,
      selected: train.length,
      validationSelected: validation.length,
      shortfall: quota.quota - train.length,
      validationShortfall: quota.validationQuota - validation.length,
    });
    for (const candidate of validation) chosen.push({ candidate, group: quota.group, split: 'validation' });
    for (const candidate of train) chosen.push({ candidate, group: quota.group, split: 'train' });
  }
  if (short.length > 0 && shortage === 'error') {
    throw new MixsmithError('SHORTAGE', `not enough distinct records: ${short.join('; ')}`, {
      hint: 'lower mixture.volume or the share, add sources, or set mixture.shortage: cap to take what there is',
    });
  }
  return { groups, ...placeInOrder(chosen, seed) };
}

/** A global keyed shuffle per split: position = rank of md5(seed:order:key:copy). */
function placeInOrder(chosen: readonly { candidate: Candidate; group: string; split: SplitName }[], seed: number) {
  const ranked = chosen.map((entry) => ({ ...entry, rank: orderRank(seed, entry.candidate.key, 0) }));
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.candidate.key < b.candidate.key ? -1 : 1));
  const next: Record<SplitName, number> = { train: 0, validation: 0 };
  const records = ranked.map(({ candidate, group, split }) => ({ candidate, group, split, position: next[split]++ }));
  return { records, rows: { ...next } };
}
