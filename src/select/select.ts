/**
 * From the scan's candidates to the records of each split, per DESIGN §3. `resolvePools` fixes,
 * once for all sweep points, each group's validation set (lowest split ranks) and its training
 * order (lowest priorities among the rest). `selectPoint` then takes each group's quota as a
 * prefix of that order, so a smaller point is a subset of a larger one (nesting).
 */
import { MixsmithError } from '../errors.js';
import { groupOf, type MixturePlan, type PointPlan, poolLabel, weigher } from '../plan/plan.js';
import { apportion } from '../plan/quotas.js';
import type { MixtureSpec } from '../recipe/types.js';
import { orderRank } from '../keys/hashing.js';
import type { Candidate } from '../records/facts/candidate.js';
import type { ScanResult } from './scan.js';

export type SplitName = 'train' | 'validation';

export interface GroupPool {
  /** The pool's key: a group's name, or `group/stratum` (see MixturePlan.pools). */
  readonly group: string;
  /** Distinct records the group owns. */
  readonly available: number;
  /** True when `training` holds every non-validation record of the group (nothing was cut). */
  readonly complete: boolean;
  /** True when every record of the group was a validation candidate. */
  readonly validationComplete: boolean;
  /** Weight of `training` in the plan's unit (records or tokens). */
  readonly trainingWeight: number;
  readonly validation: readonly Candidate[];
  /** Training candidates, lowest priority first; never any validation record. */
  readonly training: readonly Candidate[];
}

export interface GroupSelection {
  readonly group: string;
  /** The candidate pool: the group's name, or `group/stratum` for a length stratum. */
  readonly pool: string;
  readonly share: number;
  /** Training records the recipe asked for. */
  readonly plannedQuota: number;
  /** After redistribution (equal to plannedQuota otherwise). */
  readonly quota: number;
  readonly validationQuota: number;
  readonly available: number;
  /** Training rows, copies included. */
  readonly selected: number;
  /** Distinct records among the training rows. */
  readonly distinct: number;
  /** Most copies of one record (1 unless shortage: repeat). */
  readonly epochs: number;
  readonly validationSelected: number;
  readonly shortfall: number;
  readonly validationShortfall: number;
  /** Tokens of the training rows and of the validation records. */
  readonly tokens: number;
  readonly validationTokens: number;
}

export interface PlacedRecord {
  readonly candidate: Candidate;
  readonly group: string;
  readonly split: SplitName;
  /** 0 for the first appearance; repeats count up. */
  readonly copy: number;
  /** Position in the split's output order. */
  readonly position: number;
}

export interface PointSelection {
  readonly point: PointPlan;
  readonly groups: readonly GroupSelection[];
  readonly records: readonly PlacedRecord[];
  readonly rows: Readonly<Record<SplitName, number>>;
}

/** The shortest prefix of `ordered` whose weights reach `quota` (all of it when they do not). */
export function prefixCovering<T>(ordered: readonly T[], quota: number, weightOf: (item: T) => number): T[] {
  let total = 0;
  let end = 0;
  while (end < ordered.length && total < quota) total += weightOf(ordered[end++]!);
  return ordered.slice(0, end);
}

const sumOf = <T>(items: readonly T[], weightOf: (item: T) => number) =>
  items.reduce((sum, item) => sum + weightOf(item), 0);

/**
 * Validation sets and training orders per group; the same for every sweep point. `dropped` are
 * candidates removed after the scan (near duplicates, contaminated samples).
 */
export function resolvePools(
  scan: Pick<ScanResult, 'groups'>,
  plan: MixturePlan,
  dropped: ReadonlySet<Candidate> = new Set(),
): GroupPool[] {
  const kept = (c: Candidate) => !dropped.has(c);
  return plan.pools.map((group) => {
    const candidates = scan.groups.get(group)!;
    // Each heap is sorted once: the sorts are the costly part for large quotas.
    const bySplit = candidates.bySplit.sorted();
    const byPriority = candidates.byPriority.sorted();
    const validation = prefixCovering(
      bySplit.filter(kept),
      plan.validationQuotas[group] ?? 0,
      weigher(plan.validationUnit),
    );
    const heldOut = new Set(validation.map((c) => c.key));
    const training = byPriority.filter((c) => kept(c) && !heldOut.has(c.key));
    return {
      group,
      available: candidates.available - countDropped([byPriority, bySplit], dropped),
      complete: candidates.byPriority.complete,
      validationComplete: candidates.bySplit.complete,
      trainingWeight: sumOf(training, weigher(plan.unit)),
      validation,
      training,
    };
  });
}

/** How many of a group's candidates were dropped after the scan (a candidate in both lists counted once). */
function countDropped(lists: readonly (readonly Candidate[])[], dropped: ReadonlySet<Candidate>): number {
  if (dropped.size === 0) return 0;
  const removed = new Set<Candidate>();
  for (const list of lists) for (const c of list) if (dropped.has(c)) removed.add(c);
  return removed.size;
}

/** Groups whose kept candidates cannot serve their largest quota although more records exist: rescan them with more room. */
export function groupsNeedingRoom(pools: readonly GroupPool[], plan: MixturePlan): string[] {
  const shortOfTraining = (p: GroupPool) => !p.complete && p.trainingWeight < (plan.trainingCapacity[p.group] ?? 0);
  const shortOfValidation = (p: GroupPool) =>
    !p.validationComplete && sumOf(p.validation, weigher(plan.validationUnit)) < (plan.validationQuotas[p.group] ?? 0);
  return pools.filter((p) => shortOfTraining(p) || shortOfValidation(p)).map((p) => p.group);
}

/** What redistribution needs of the plan: which pools are a group's sources, and which are capped. */
export type RedistributionPlan = Pick<MixturePlan, 'sources' | 'capped'>;

const NO_SOURCES: RedistributionPlan = { sources: {}, capped: [] };

/**
 * Quotas after giving missing records to pools with spare ones. In a group split by source, a
 * short source's missing records go first to the group's other sources (its quota apportioned
 * again over them, each at most what it holds); what the group cannot take, and the missing
 * records of other pools, go to every pool with room in proportion to its share. A source with a
 * `max` never takes more than its planned quota. Needs of each pool only its weight and whether
 * it is complete (the SQL selection calls it too).
 */
export function redistribute(
  pools: readonly Pick<GroupPool, 'group' | 'complete' | 'trainingWeight'>[],
  point: PointPlan,
  plan: RedistributionPlan = NO_SOURCES,
): Map<string, number> {
  type Pool = (typeof pools)[number];
  const quotas = new Map(pools.map((p) => [p.group, point.quotas[p.group] ?? 0]));
  const capped = new Set(plan.capped);
  const room = (p: Pool) => {
    const held = p.complete ? p.trainingWeight : Number.POSITIVE_INFINITY;
    return capped.has(p.group) ? Math.min(held, point.quotas[p.group] ?? 0) : held;
  };
  let missing = 0;
  for (const parts of Object.values(plan.sources)) {
    const members = parts.flatMap((part) => pools.filter((p) => p.group === part.pool));
    if (!members.some((p) => quotas.get(p.group)! > room(p))) continue;
    const total = members.reduce((sum, p) => sum + quotas.get(p.group)!, 0);
    const split = apportion(
      total,
      parts.map((part) => [part.pool, part.share] as const),
      new Map(members.map((p) => [p.group, room(p)])),
    );
    for (const [pool, n] of split) if (quotas.has(pool)) quotas.set(pool, n);
    missing += total - members.reduce((sum, p) => sum + quotas.get(p.group)!, 0);
  }
  for (;;) {
    for (const pool of pools) {
      const quota = quotas.get(pool.group)!;
      if (quota > room(pool)) {
        missing += quota - room(pool);
        quotas.set(pool.group, room(pool));
      }
    }
    const shareOf = (p: Pool) => point.poolShares[p.group] ?? 0;
    const receivers = pools.filter((p) => quotas.get(p.group)! < room(p) && shareOf(p) > 0 && !capped.has(p.group));
    if (missing === 0 || receivers.length === 0) return quotas;
    const weight = receivers.reduce((sum, p) => sum + shareOf(p), 0);
    const extra = apportion(
      missing,
      receivers.map((p) => [p.group, shareOf(p) / weight] as const),
    );
    for (const [group, n] of extra) quotas.set(group, quotas.get(group)! + n);
    missing = 0;
  }
}

interface Chosen {
  readonly candidate: Candidate;
  readonly group: string;
  readonly split: SplitName;
  readonly copy: number;
}

/**
 * Training rows of one group: the shortest priority prefix reaching the quota; under shortage
 * `repeat`, whole copies of every record plus the lowest-priority remainder.
 */
function trainingRows(
  pool: GroupPool,
  group: string,
  quota: number,
  mixture: MixtureSpec,
  weightOf: (c: Candidate) => number,
  pointName: string,
  label: string,
): Chosen[] {
  const total = pool.trainingWeight;
  const row = (candidate: Candidate, copy: number): Chosen => ({ candidate, group, split: 'train', copy });
  if (quota <= total || mixture.shortage !== 'repeat' || total === 0 || !pool.complete) {
    return prefixCovering(pool.training, quota, weightOf).map((c) => row(c, 0));
  }
  const epochs = Math.ceil(quota / total);
  if (epochs > mixture.max_epochs) {
    throw new MixsmithError(
      'SHORTAGE',
      `${pointName}${label} needs ${quota} training ${mixture.unit === 'tokens' ? 'tokens' : 'records'} but has ${total}: that is ${epochs} epochs, above max_epochs = ${mixture.max_epochs}`,
      {
        hint: 'raise mixture.max_epochs, lower the volume or share, or add sources',
      },
    );
  }
  const rows: Chosen[] = [];
  const whole = Math.floor(quota / total);
  for (let copy = 0; copy < whole; copy++) for (const candidate of pool.training) rows.push(row(candidate, copy));
  for (const candidate of prefixCovering(pool.training, quota - whole * total, weightOf))
    rows.push(row(candidate, whole));
  return rows;
}

/**
 * Order ranks of first copies, by candidate: a record's rank does not depend on the point, so a
 * sweep's points share one memo (`selectPoint`'s last argument, `selectPoints`) and each record's md5 is taken
 * once, not once per point (30 points at 2 × 1M: 2.65M md5s for 200k records).
 */
export type OrderRanks = Map<Candidate, string>;

/** One point's records per group and split, in output order. Pure (`ranks` only memoises). */
export function selectPoint(
  pools: readonly GroupPool[],
  point: PointPlan,
  plan: MixturePlan,
  mixture: MixtureSpec,
  seed: number,
  ranks: OrderRanks = new Map(),
): PointSelection {
  const quotas =
    mixture.shortage === 'redistribute' ? redistribute(pools, point, plan) : new Map(Object.entries(point.quotas));
  const label = point.name ? `point ${point.name}: ` : '';
  const groups: GroupSelection[] = [];
  const chosen: Chosen[] = [];
  const short: string[] = [];
  for (const pool of pools) {
    const plannedQuota = point.quotas[pool.group] ?? 0;
    const quota = quotas.get(pool.group) ?? 0;
    const validationQuota = plan.validationQuotas[pool.group] ?? 0;
    const group = groupOf(plan, pool.group);
    const weightOf = weigher(plan.unit);
    const train = trainingRows(pool, group, quota, mixture, weightOf, label, poolLabel(plan, pool.group));
    const distinct = Math.min(train.length, pool.training.length);
    const trainWeight = sumOf(train, (r) => weightOf(r.candidate));
    const validationWeight = sumOf(pool.validation, weigher(plan.validationUnit));
    if (trainWeight < quota || validationWeight < validationQuota) {
      short.push(
        `${poolLabel(plan, pool.group)} needs ${quota} training + ${validationQuota} validation records but has ${pool.available} distinct`,
      );
    }
    groups.push({
      group,
      pool: pool.group,
      share: point.poolShares[pool.group] ?? 0,
      plannedQuota,
      quota,
      validationQuota,
      available: pool.available,
      selected: train.length,
      distinct,
      epochs: distinct === 0 ? 0 : Math.ceil(train.length / distinct),
      validationSelected: pool.validation.length,
      shortfall: Math.max(0, quota - trainWeight),
      validationShortfall: Math.max(0, validationQuota - validationWeight),
      tokens: sumOf(train, (r) => r.candidate.tokens),
      validationTokens: sumOf(pool.validation, (c) => c.tokens),
    });
    for (const candidate of pool.validation) chosen.push({ candidate, group, split: 'validation', copy: 0 });
    for (const row of train) chosen.push(row); // not push(...train): a spread of 100k+ arguments overflows the stack
  }
  if (short.length > 0 && mixture.shortage === 'error') {
    throw new MixsmithError('SHORTAGE', `${label}not enough distinct records: ${short.join('; ')}`, {
      hint: 'lower mixture.volume or the share, add sources, or set mixture.shortage to cap, repeat or redistribute',
    });
  }
  return { point, groups, ...placeInOrder(chosen, seed, ranks) };
}

/** Every point of `plan`, in order, sharing one order-rank memo. */
export function selectPoints(
  pools: readonly GroupPool[],
  plan: MixturePlan,
  mixture: MixtureSpec,
  seed: number,
): PointSelection[] {
  const ranks: OrderRanks = new Map();
  return plan.points.map((point) => selectPoint(pools, point, plan, mixture, seed, ranks));
}

/** A global keyed shuffle per split: position = rank of md5(seed:order:key:copy). */
function placeInOrder(chosen: readonly Chosen[], seed: number, ranks: OrderRanks) {
  const rankOf = ({ candidate, copy }: Chosen): string => {
    if (copy !== 0) return orderRank(seed, candidate.key, copy);
    let rank = ranks.get(candidate);
    if (rank === undefined) {
      rank = orderRank(seed, candidate.key, 0);
      ranks.set(candidate, rank);
    }
    return rank;
  };
  const ranked = chosen.map((entry) => ({ entry, rank: rankOf(entry) }));
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  const next: Record<SplitName, number> = { train: 0, validation: 0 };
  // Written out, not `{ ...entry, position }`: V8 gave each spread copy a map of its own (~200
  // bytes more per output record, seen in a heap snapshot at 100k records).
  const records: PlacedRecord[] = ranked.map(({ entry: { candidate, group, split, copy } }) => ({
    candidate,
    group,
    split,
    copy,
    position: next[split]++,
  }));
  return { records, rows: { ...next } };
}
