/**
 * The pure half of a mixture: for every sweep point (one when there is no sweep), the training
 * quota per group; the one validation set all points share; and how many candidates per group
 * the scan must keep so that every point can be served from a single pass.
 */
import type { Recipe, StratumSpec } from '../recipe/types.js';
import type { VolumeUnit } from '../recipe/volume.js';
import { apportion, validationTotal } from './quotas.js';

/** One sweep point (or the single mixture). Records keyed by pool; iterate `MixturePlan.pools` for order. */
export interface PointPlan {
  /** Folder name of the point (`v100000-medical0.25`); empty for a single mixture. */
  readonly name: string;
  readonly volume: number;
  /** Group → share, every group of the recipe, in recipe order. */
  readonly shares: Readonly<Record<string, number>>;
  /** Pool → training records (or tokens) wanted. */
  readonly quotas: Readonly<Record<string, number>>;
  /** Pool → its share of the volume (group share × stratum share), for redistribution. */
  readonly poolShares: Readonly<Record<string, number>>;
}

/** What a quota weighs of a record: the scan's candidates carry their token count. */
export interface Weighed {
  readonly tokens: number;
}

/**
 * Everything a mixture's quotas are, as plain JSON data (`mixsmith plan --json` prints it, no input
 * read): the functions below derive pools and weights from it, so a second implementation of the
 * selection (SQL) takes the same object as its parameters.
 */
export interface MixturePlan {
  readonly planVersion: 1;
  /** Groups in the order of mixture.shares. */
  readonly groups: readonly string[];
  /**
   * Candidate pools: one per group (keyed by the group's name), plus one per length stratum of a
   * stratified group (`group/stratum`); the group's own pool then holds the records in no stratum.
   * Quotas, capacities and validation quotas below are keyed by pool.
   */
  readonly pools: readonly string[];
  /** Pool → the group it belongs to. */
  readonly poolGroup: Readonly<Record<string, string>>;
  /** Group → its length strata, in recipe order (a record goes to the first it fits); groups without strata absent. */
  readonly strata: Readonly<Record<string, readonly StratumSpec[]>>;
  /** Pool → validation records (or tokens) of the one validation set. */
  readonly validationQuotas: Readonly<Record<string, number>>;
  /** Validation records in all. */
  readonly validation: number;
  readonly points: readonly PointPlan[];
  /** True when the recipe has a sweep (points get their own folders). */
  readonly isSweep: boolean;
  /** Pool → training candidates the scan must keep (largest quota any point may ask of it). */
  readonly trainingCapacity: Readonly<Record<string, number>>;
  /** What training quotas count: samples (records), or tokens (token budgets). */
  readonly unit: VolumeUnit;
  /** What validation quotas count: a count of validation records is always samples. */
  readonly validationUnit: VolumeUnit;
}

const one = () => 1;
const tokensOf = (candidate: Weighed) => candidate.tokens;

/** A record's weight against quotas counted in `unit`: 1, or its tokens. */
export const weigher = (unit: VolumeUnit): ((candidate: Weighed) => number) => (unit === 'tokens' ? tokensOf : one);

/** The group a pool belongs to. */
export const groupOf = (plan: MixturePlan, pool: string): string => plan.poolGroup[pool] ?? pool;

/** The group has length strata: its records are pooled by length. */
export const isStratified = (plan: MixturePlan, group: string): boolean => plan.strata[group] !== undefined;

function inRange(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/** The pool a record of `group` belongs to, by its length (tokens measured only when a stratum needs them). */
export function poolOf(plan: MixturePlan, group: string, chars: number, tokens: () => number): string {
  let measured: number | undefined;
  for (const s of plan.strata[group] ?? []) {
    if (!inRange(chars, s.min_chars, s.max_chars)) continue;
    if (s.min_tokens !== undefined || s.max_tokens !== undefined) {
      measured ??= tokens();
      if (!inRange(measured, s.min_tokens, s.max_tokens)) continue;
    }
    return `${group}/${s.name}`;
  }
  return group;
}

/** Shares with `group` set to `value` and the other groups splitting the rest in proportion. */
export function sharesWith(
  base: Readonly<Record<string, number>>,
  group: string,
  value: number,
): Record<string, number> {
  const rest = Object.entries(base).filter(([g]) => g !== group);
  const restSum = rest.reduce((sum, [, share]) => sum + share, 0);
  const shares: Record<string, number> = {};
  for (const g of Object.keys(base)) {
    if (g === group) shares[g] = value;
    else shares[g] = restSum > 0 ? ((base[g] ?? 0) / restSum) * (1 - value) : 0;
  }
  return shares;
}

const formatShare = (share: number) => String(Number(share.toFixed(6)));

function pointName(volume: number, shares: Readonly<Record<string, number>>, sweptGroup: string | undefined): string {
  if (sweptGroup) return `v${volume}-${sweptGroup}${formatShare(shares[sweptGroup] ?? 0)}`;
  return `v${volume}-${Object.entries(shares)
    .map(([g, s]) => `${g}${formatShare(s)}`)
    .join('-')}`;
}

function sweepPoints(recipe: Recipe): { volume: number; shares: Record<string, number>; name: string }[] {
  const { mixture, sweep } = recipe;
  if (!sweep) return [{ volume: mixture.volume, shares: { ...mixture.shares }, name: '' }];
  const points: { volume: number; shares: Record<string, number>; name: string }[] = [];
  if (sweep.volume || sweep.shares) {
    const volumes = sweep.volume ?? [mixture.volume];
    const shareSets = sweep.shares
      ? sweep.shares.values.map((v) => sharesWith(mixture.shares, sweep.shares!.group, v))
      : [{ ...mixture.shares }];
    const swept = sweep.shares?.group;
    for (const volume of volumes) {
      for (const shares of shareSets)
        points.push({ volume, shares, name: swept ? pointName(volume, shares, swept) : `v${volume}` });
    }
  }
  for (const point of sweep.points ?? []) {
    const volume = point.volume ?? mixture.volume;
    const shares = {
      ...Object.fromEntries(Object.keys(mixture.shares).map((g) => [g, 0])),
      ...(point.shares ?? mixture.shares),
    };
    points.push({ volume, shares, name: point.name ?? pointName(volume, shares, undefined) });
  }
  return points;
}

/** Each group's quota split over its strata (largest remainder; the rest to the group's own pool). */
function splitByStrata(
  groupQuotas: ReadonlyMap<string, number>,
  strata: Recipe['mixture']['strata'],
): Map<string, number> {
  const quotas = new Map<string, number>();
  for (const [group, quota] of groupQuotas) {
    const list = strata[group];
    if (!list) {
      quotas.set(group, quota);
      continue;
    }
    const rest = Math.max(0, 1 - list.reduce((sum, s) => sum + s.share, 0));
    const parts = apportion(quota, [
      ...list.map((s) => [`${group}/${s.name}`, s.share] as const),
      [group, rest] as const,
    ]);
    for (const [pool, n] of parts) quotas.set(pool, n);
  }
  return quotas;
}

export function planMixture(recipe: Recipe): MixturePlan {
  const groups = Object.keys(recipe.mixture.shares);
  const { strata } = recipe.mixture;
  const pools = groups.flatMap((g) => [...(strata[g] ?? []).map((s) => `${g}/${s.name}`), g]);
  const poolGroup = new Map(
    groups.flatMap((g) => [[g, g] as const, ...(strata[g] ?? []).map((s) => [`${g}/${s.name}`, g] as const)]),
  );
  const points = sweepPoints(recipe).map((p): PointPlan => {
    const quotas = splitByStrata(
      apportion(
        p.volume,
        groups.map((g) => [g, p.shares[g] ?? 0] as const),
      ),
      strata,
    );
    const poolShares = pools.map((pool) => [pool, (p.shares[poolGroup.get(pool)!] ?? 0) * stratumShare(pool)] as const);
    return {
      name: p.name,
      volume: p.volume,
      shares: p.shares,
      quotas: Object.fromEntries(quotas),
      poolShares: Object.fromEntries(poolShares),
    };
  });
  function stratumShare(pool: string): number {
    const group = poolGroup.get(pool)!;
    const list = strata[group] ?? [];
    if (pool === group) return Math.max(0, 1 - list.reduce((sum, s) => sum + s.share, 0));
    return list.find((s) => `${group}/${s.name}` === pool)?.share ?? 0;
  }
  const largestVolume = Math.max(...points.map((p) => p.volume));
  // One validation set for every point: its size follows the largest volume, its split the base shares.
  const validation = validationTotal(recipe.split.validation, largestVolume);
  const validationQuotas = splitByStrata(apportion(validation, Object.entries(recipe.mixture.shares)), strata);
  const trainingCapacity: Record<string, number> = {};
  for (const pool of pools) {
    const largestQuota = Math.max(...points.map((p) => p.quotas[pool] ?? 0));
    // redistribute may hand a group any part of a point's volume.
    trainingCapacity[pool] = recipe.mixture.shortage === 'redistribute' ? largestVolume : largestQuota;
  }
  const unit = recipe.mixture.unit;
  return {
    planVersion: 1,
    groups,
    pools,
    poolGroup: Object.fromEntries(poolGroup),
    strata: Object.fromEntries(groups.filter((g) => strata[g] !== undefined).map((g) => [g, strata[g]!])),
    validationQuotas: Object.fromEntries(validationQuotas),
    validation,
    points,
    isSweep: recipe.sweep !== null,
    trainingCapacity,
    unit,
    validationUnit: recipe.split.validation >= 1 ? 'samples' : unit,
  };
}
