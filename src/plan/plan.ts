/**
 * The pure half of a mixture: for every sweep point (one when there is no sweep), the training
 * quota per group; the one validation set all points share; and how many candidates per group
 * the scan must keep so that every point can be served from a single pass.
 */
import type { Recipe, SourceSpec, StratumSpec } from '../recipe/types.js';
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

/**
 * A source of a group that is split by source (one of its sources sets `weight` or `max`): the
 * source is a pool of its own, and the group's quota is apportioned over such pools.
 */
export interface SourcePart {
  readonly source: string;
  /** The pool's key: `group/source`. */
  readonly pool: string;
  /**
   * Its share of the group's quota: weight over the group's total weight, after share caps (a
   * source whose share would pass its `max` below 1 is held at that max, the others grow in
   * proportion). The same at every point, so quotas grow with the volume (docs/recipe.md).
   */
  readonly share: number;
  /** `max` of 1 or more: the most training records (or tokens) the source gives at any point. */
  readonly maxCount?: number;
  /** `max` below 1: the most of the group's quota it takes (already in `share`). */
  readonly maxShare?: number;
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
  readonly planVersion: 2;
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
  /**
   * Group → its sources with their shares, in recipe order, when the group is split by source (a
   * source sets `weight` or `max`): each is a pool `group/source` and the group has no pool of its
   * own. Pooled groups absent. A group is never both stratified and split by source.
   */
  readonly sources: Readonly<Record<string, readonly SourcePart[]>>;
  /** Pools of sources with a `max`: redistribution never hands them another pool's shortfall. */
  readonly capped: readonly string[];
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

/** The group is split by source: each of its sources is a pool `group/source`. */
export const isSplitBySource = (plan: MixturePlan, group: string): boolean => plan.sources[group] !== undefined;

/** How messages name a pool: `source "en" of group "general"` for a source's pool, else `group "<pool>"`. */
export function poolLabel(plan: Pick<MixturePlan, 'sources' | 'poolGroup'>, pool: string): string {
  const group = plan.poolGroup[pool] ?? pool;
  const part = plan.sources[group]?.find((p) => p.pool === pool);
  return part ? `source "${part.source}" of group "${group}"` : `group "${pool}"`;
}

/** The pool of a record of `source` in a group split by source. */
export const sourcePool = (group: string, source: string): string => `${group}/${source}`;

/**
 * The pool a record of `source` in `group` belongs to: its source's pool when the group is split
 * by source, else by its length (tokens measured only when a stratum needs them).
 */
export function poolOf(plan: MixturePlan, group: string, chars: number, tokens: () => number, source = ''): string {
  if (plan.sources[group] !== undefined) return sourcePool(group, source);
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

/**
 * Each group's quota split over its pools: over its strata (the rest to the group's own pool), or
 * over its sources by share, `maxCount` capping training quotas (`caps`); else the group's own.
 */
function splitGroups(
  groupQuotas: ReadonlyMap<string, number>,
  strata: Recipe['mixture']['strata'],
  sources: Readonly<Record<string, readonly SourcePart[]>>,
  caps: boolean,
): Map<string, number> {
  const quotas = new Map<string, number>();
  for (const [group, quota] of groupQuotas) {
    const list = strata[group];
    const parts = sources[group];
    if (parts) {
      for (const [pool, n] of splitOverSources(quota, parts, caps)) quotas.set(pool, n);
      continue;
    }
    if (!list) {
      quotas.set(group, quota);
      continue;
    }
    const rest = Math.max(0, 1 - list.reduce((sum, s) => sum + s.share, 0));
    const split = apportion(quota, [
      ...list.map((s) => [`${group}/${s.name}`, s.share] as const),
      [group, rest] as const,
    ]);
    for (const [pool, n] of split) quotas.set(pool, n);
  }
  return quotas;
}

/**
 * A split group's quota over its sources. Without count caps (or with `caps` off: validation), the
 * quota by share. With them, a source with a share `max` keeps exactly its part of that split, and
 * the rest of the quota goes over the other sources by share, a count `max` capping each: so the
 * records a count cap turns away never push a share-capped source past its max. Each step is
 * house monotone (the rest never shrinks as the quota grows), so every source's quota is too.
 */
function splitOverSources(quota: number, parts: readonly SourcePart[], caps: boolean): Map<string, number> {
  const byShare = apportion(
    quota,
    parts.map((p) => [p.pool, p.share] as const),
  );
  if (!caps || parts.every((p) => p.maxCount === undefined)) return byShare;
  const held = parts.filter((p) => p.maxShare !== undefined);
  const others = parts.filter((p) => p.maxShare === undefined);
  const rest = quota - held.reduce((sum, p) => sum + byShare.get(p.pool)!, 0);
  const maxima = new Map(others.flatMap((p) => (p.maxCount === undefined ? [] : [[p.pool, p.maxCount] as const])));
  const split = apportion(
    rest,
    others.map((p) => [p.pool, p.share] as const),
    maxima,
  );
  return new Map(parts.map((p) => [p.pool, split.get(p.pool) ?? byShare.get(p.pool)!]));
}

/** A group is split by source when one of its sources sets `weight` or `max`. */
export function splitsBySource(sources: readonly Pick<SourceSpec, 'weight' | 'max'>[]): boolean {
  return sources.some((s) => s.weight !== undefined || s.max !== undefined);
}

/**
 * The shares of a split group's sources: weight (1 when unset) over the total, except that a source
 * whose share would pass its share `max` is held at it and the others share the rest by weight,
 * repeated until no free source passes its max (water filling). Recipe validation ensures a
 * source without `max`, so the shares sum to 1.
 */
export function sourceShares(sources: readonly Pick<SourceSpec, 'name' | 'weight' | 'max'>[]): Map<string, number> {
  const weightOf = (s: (typeof sources)[number]) => s.weight ?? 1;
  const held = new Map<string, number>();
  for (;;) {
    const free = sources.filter((s) => !held.has(s.name));
    const mass = 1 - [...held.values()].reduce((a, b) => a + b, 0);
    const total = free.reduce((sum, s) => sum + weightOf(s), 0);
    const over = free.filter(
      (s) => s.max !== undefined && s.max < 1 && total > 0 && (weightOf(s) / total) * mass > s.max,
    );
    if (over.length === 0) {
      return new Map(
        sources.map((s) => [s.name, held.get(s.name) ?? (total > 0 ? (weightOf(s) / total) * mass : 0)] as const),
      );
    }
    for (const s of over) held.set(s.name, s.max!);
  }
}

function sourceParts(recipe: Recipe, groups: readonly string[]): Record<string, SourcePart[]> {
  const parts: Record<string, SourcePart[]> = {};
  for (const group of groups) {
    const members = recipe.sources.filter((s) => s.group === group);
    if (!splitsBySource(members)) continue;
    const shares = sourceShares(members);
    parts[group] = members.map((s) => ({
      source: s.name,
      pool: sourcePool(group, s.name),
      share: shares.get(s.name)!,
      ...(s.max !== undefined && s.max >= 1 ? { maxCount: s.max } : {}),
      ...(s.max !== undefined && s.max < 1 ? { maxShare: s.max } : {}),
    }));
  }
  return parts;
}

export function planMixture(recipe: Recipe): MixturePlan {
  const groups = Object.keys(recipe.mixture.shares);
  const { strata } = recipe.mixture;
  const sources = sourceParts(recipe, groups);
  const poolsOf = (g: string) =>
    sources[g] ? sources[g].map((p) => p.pool) : [...(strata[g] ?? []).map((s) => `${g}/${s.name}`), g];
  const pools = groups.flatMap(poolsOf);
  const poolGroup = new Map(groups.flatMap((g) => poolsOf(g).map((pool) => [pool, g] as const)));
  const points = sweepPoints(recipe).map((p): PointPlan => {
    const quotas = splitGroups(
      apportion(
        p.volume,
        groups.map((g) => [g, p.shares[g] ?? 0] as const),
      ),
      strata,
      sources,
      true,
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
    const part = sources[group]?.find((p) => p.pool === pool);
    if (part) return part.share;
    const list = strata[group] ?? [];
    if (pool === group) return Math.max(0, 1 - list.reduce((sum, s) => sum + s.share, 0));
    return list.find((s) => `${group}/${s.name}` === pool)?.share ?? 0;
  }
  const largestVolume = Math.max(...points.map((p) => p.volume));
  // One validation set for every point: its size follows the largest volume, its split the base shares.
  const validation = validationTotal(recipe.split.validation, largestVolume);
  // A count max bounds training rows only; validation follows the sources' shares.
  const validationQuotas = splitGroups(
    apportion(validation, Object.entries(recipe.mixture.shares)),
    strata,
    sources,
    false,
  );
  const capped = Object.values(sources).flatMap((parts) =>
    parts.filter((p) => p.maxCount !== undefined || p.maxShare !== undefined).map((p) => p.pool),
  );
  const trainingCapacity: Record<string, number> = {};
  for (const pool of pools) {
    const largestQuota = Math.max(...points.map((p) => p.quotas[pool] ?? 0));
    // redistribute may hand a pool any part of a point's volume, except a capped source's.
    trainingCapacity[pool] =
      recipe.mixture.shortage === 'redistribute' && !capped.includes(pool) ? largestVolume : largestQuota;
  }
  const unit = recipe.mixture.unit;
  return {
    planVersion: 2,
    groups,
    pools,
    poolGroup: Object.fromEntries(poolGroup),
    strata: Object.fromEntries(groups.filter((g) => strata[g] !== undefined).map((g) => [g, strata[g]!])),
    sources,
    capped,
    validationQuotas: Object.fromEntries(validationQuotas),
    validation,
    points,
    isSweep: recipe.sweep !== null,
    trainingCapacity,
    unit,
    validationUnit: recipe.split.validation >= 1 ? 'samples' : unit,
  };
}
