/**
 * The pure half of a mixture: for every sweep point (one when there is no sweep), the training
 * quota per group; the one validation set all points share; and how many candidates per group
 * the scan must keep so that every point can be served from a single pass.
 */
import type { Recipe } from '../recipe/types.js';
import type { VolumeUnit } from '../recipe/volume.js';
import { apportion, validationTotal } from './quotas.js';

export interface PointPlan {
  /** Folder name of the point (`v100000-medical0.25`); empty for a single mixture. */
  readonly name: string;
  readonly volume: number;
  /** Group → share, every group of the recipe, in recipe order. */
  readonly shares: Readonly<Record<string, number>>;
  /** Pool → training records (or tokens) wanted. */
  readonly quotas: ReadonlyMap<string, number>;
  /** Pool → its share of the volume (group share × stratum share), for redistribution. */
  readonly poolShares: ReadonlyMap<string, number>;
}

/** What a quota weighs of a record: the scan's candidates carry their token count. */
export interface Weighed {
  readonly tokens: number;
}

export interface MixturePlan {
  /** Groups in the order of mixture.shares. */
  readonly groups: readonly string[];
  /**
   * Candidate pools: one per group (keyed by the group's name), plus one per length stratum of a
   * stratified group (`group/stratum`); the group's own pool then holds the records in no stratum.
   * Quotas, capacities and validation quotas below are keyed by pool.
   */
  readonly pools: readonly string[];
  /** Groups with strata. */
  readonly stratified: ReadonlySet<string>;
  /** The pool a record of `group` belongs to, by its length (tokens measured only when a stratum needs them). */
  readonly poolOf: (group: string, chars: number, tokens: () => number) => string;
  /** The group a pool belongs to. */
  readonly groupOf: (pool: string) => string;
  /** Pool → validation records, drawn once for all points with the base shares. */
  readonly validationQuotas: ReadonlyMap<string, number>;
  readonly validation: number;
  readonly points: readonly PointPlan[];
  /** True when the recipe has a sweep (points get their own folders). */
  readonly isSweep: boolean;
  /** Group → training candidates the scan must keep (largest quota any point may ask of it). */
  readonly trainingCapacity: ReadonlyMap<string, number>;
  /** What quotas count: records, or tokens (token budgets). */
  readonly unit: VolumeUnit;
  /** A candidate's weight against training quotas: 1, or its tokens. */
  readonly weightOf: (candidate: Weighed) => number;
  /** The same for validation quotas: a count of validation records is always records. */
  readonly validationWeightOf: (candidate: Weighed) => number;
}

const one = () => 1;
const tokensOf = (candidate: Weighed) => candidate.tokens;

/** Shares with `group` set to `value` and the other groups splitting the rest in proportion. */
export function sharesWith(base: Readonly<Record<string, number>>, group: string, value: number): Record<string, number> {
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
    const shareSets = sweep.shares ? sweep.shares.values.map((v) => sharesWith(mixture.shares, sweep.shares!.group, v)) : [{ ...mixture.shares }];
    const swept = sweep.shares?.group;
    for (const volume of volumes) {
      for (const shares of shareSets) points.push({ volume, shares, name: swept ? pointName(volume, shares, swept) : `v${volume}` });
    }
  }
  for (const point of sweep.points ?? []) {
    const volume = point.volume ?? mixture.volume;
    const shares = { ...Object.fromEntries(Object.keys(mixture.shares).map((g) => [g, 0])), ...(point.shares ?? mixture.shares) };
    points.push({ volume, shares, name: point.name ?? pointName(volume, shares, undefined) });
  }
  return points;
}

/** Each group's quota split over its strata (largest remainder; the rest to the group's own pool). */
function splitByStrata(groupQuotas: ReadonlyMap<string, number>, strata: Recipe['mixture']['strata']): Map<string, number> {
  const quotas = new Map<string, number>();
  for (const [group, quota] of groupQuotas) {
    const list = strata[group];
    if (!list) {
      quotas.set(group, quota);
      continue;
    }
    const rest = Math.max(0, 1 - list.reduce((sum, s) => sum + s.share, 0));
    const parts = apportion(quota, [...list.map((s) => [`${group}/${s.name}`, s.share] as const), [group, rest] as const]);
    for (const [pool, n] of parts) quotas.set(pool, n);
  }
  return quotas;
}

function inRange(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

export function planMixture(recipe: Recipe): MixturePlan {
  const groups = Object.keys(recipe.mixture.shares);
  const { strata } = recipe.mixture;
  const pools = groups.flatMap((g) => [...(strata[g] ?? []).map((s) => `${g}/${s.name}`), g]);
  const poolGroup = new Map(groups.flatMap((g) => [[g, g] as const, ...(strata[g] ?? []).map((s) => [`${g}/${s.name}`, g] as const)]));
  const points = sweepPoints(recipe).map((p) => {
    const quotas = splitByStrata(apportion(p.volume, groups.map((g) => [g, p.shares[g] ?? 0] as const)), strata);
    const poolShares = new Map(pools.map((pool) => [pool, (p.shares[poolGroup.get(pool)!] ?? 0) * stratumShare(pool)]));
    return { ...p, quotas, poolShares };
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
  const trainingCapacity = new Map<string, number>();
  for (const group of pools) {
    const largestQuota = Math.max(...points.map((p) => p.quotas.get(group) ?? 0));
    // redistribute may hand a group any part of a point's volume.
    trainingCapacity.set(group, recipe.mixture.shortage === 'redistribute' ? largestVolume : largestQuota);
  }
  const unit = recipe.mixture.unit;
  const weightOf = unit === 'tokens' ? tokensOf : one;
  const validationInRecords = recipe.split.validation >= 1;
  const poolOf = (group: string, chars: number, tokens: () => number): string => {
    let measured: number | undefined;
    for (const s of strata[group] ?? []) {
      if (!inRange(chars, s.min_chars, s.max_chars)) continue;
      if (s.min_tokens !== undefined || s.max_tokens !== undefined) {
        measured ??= tokens();
        if (!inRange(measured, s.min_tokens, s.max_tokens)) continue;
      }
      return `${group}/${s.name}`;
    }
    return group;
  };
  return {
    groups,
    pools,
    stratified: new Set(Object.keys(strata)),
    poolOf,
    groupOf: (pool) => poolGroup.get(pool) ?? pool,
    validationQuotas,
    validation,
    points,
    isSweep: recipe.sweep !== null,
    trainingCapacity,
    unit,
    weightOf,
    validationWeightOf: validationInRecords ? one : weightOf,
  };
}
