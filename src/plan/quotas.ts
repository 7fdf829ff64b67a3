/**
 * Split a whole number across parts (groups, strata, sources) by weight with Webster's divisor
 * method (Sainte-Laguë), so the parts sum exactly to the total and no part ever loses units when
 * the total grows (house monotone). Largest remainder is not: with shares 0.01/0.03/0.96 it gives
 * 1/1/48 at 50 and 0/2/49 at 51, so a sweep's larger point could hold fewer records of a part
 * than its smaller one and the selection would stop being nested.
 *
 * The rule, as a list: every part p contributes the entries w_p/(k+0.5) for k = 0, 1, … (at most
 * `cap` of them); the allocation at total h is how many of each part's entries are among the h
 * largest, ties going to the part listed first. The h largest are a prefix of the h+1 largest,
 * so a part's count never falls as h grows, caps included. This is the same as handing out units
 * one at a time to the part of highest w/(n+0.5) (Webster "seat by seat"), computed here by
 * bisecting on the threshold instead, so a billion-token budget costs no more than a small one.
 * Webster is exact when the quotas are whole and within one unit of the exact share in all but
 * rare cases with many parts; docs/recipe.md ("How quotas are rounded") says why it was chosen.
 */

/** A part's weight and, optionally, the most units it may take. */
export type Weighted = readonly [name: string, weight: number];

/** Entries of a part above `threshold`: the k ≥ 0 with w/(k+0.5) > threshold, at most `cap`. */
function entriesAbove(weight: number, cap: number, threshold: number): number {
  if (threshold <= 0) return cap;
  const estimate = weight / threshold - 0.5;
  if (estimate >= 2 ** 52) return Math.min(cap, 2 ** 52);
  let k = Math.max(0, Math.floor(estimate));
  // The estimate is off by at most a unit or two in floating point; settle it on the entries themselves.
  while (k > 0 && !(weight / (k - 1 + 0.5) > threshold)) k--;
  while (k < cap && weight / (k + 0.5) > threshold) k++;
  return Math.min(k, cap);
}

/**
 * `total` split over `shares` (weights: they need not sum to 1) by Webster's method; a part in
 * `caps` takes at most that many. Parts of weight 0 get 0. When the caps leave no room for the
 * whole total, every part gets its cap and the parts sum to less than `total`.
 */
export function apportion(
  total: number,
  shares: readonly Weighted[],
  caps: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const parts = shares.map(([name, weight]) => ({
    name,
    weight: Math.max(weight, 0),
    cap: weight > 0 ? Math.max(0, Math.floor(caps.get(name) ?? Number.POSITIVE_INFINITY)) : 0,
  }));
  const result = new Map(parts.map((p) => [p.name, 0]));
  const room = parts.reduce((sum, p) => sum + p.cap, 0);
  if (total <= 0 || room === 0) return result;
  if (room <= total) {
    for (const p of parts) result.set(p.name, p.cap);
    return result;
  }
  const countAbove = (threshold: number) => parts.reduce((sum, p) => sum + entriesAbove(p.weight, p.cap, threshold), 0);
  // Invariant: countAbove(low) ≥ total > countAbove(high). When the two are adjacent numbers, every
  // entry in (low, high] equals high, and the total-th largest entry is one of them.
  let low = 0;
  let high = 2 * Math.max(...parts.map((p) => p.weight));
  for (;;) {
    const mid = low + (high - low) / 2;
    if (mid <= low || mid >= high) break;
    if (countAbove(mid) >= total) low = mid;
    else high = mid;
  }
  let left = total;
  for (const p of parts) {
    const n = entriesAbove(p.weight, p.cap, high);
    result.set(p.name, n);
    left -= n;
  }
  // Ties at the threshold, to the part listed first.
  for (const p of parts) {
    if (left <= 0) break;
    const base = result.get(p.name)!;
    const tied = entriesAbove(p.weight, p.cap, low) - base;
    const taken = Math.min(tied, left);
    result.set(p.name, base + taken);
    left -= taken;
  }
  return result;
}

/** Validation records in all: a count as given, or a fraction of the training volume, rounded. */
export function validationTotal(validation: number, volume: number): number {
  if (validation <= 0) return 0;
  return validation >= 1 ? validation : Math.round(validation * volume);
}
