/**
 * Summary statistics of a sorted sample: percentiles by the nearest-rank method (an actual value,
 * never an interpolation, so "p95 = 812 tokens" names a record that long) and a histogram on
 * "nice" bin edges (1, 2, 5 × 10ⁿ) so histograms of different groups share edges and compare.
 */

export interface Histogram {
  /** Bin i holds values in [edges[i], edges[i+1]). */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** The last bin also holds every value above its upper edge (the long tail past ~p99). */
  readonly openTop: boolean;
}

export interface Distribution {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly histogram: Histogram;
}

export const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;

/** Nearest rank: the smallest value with at least q of the sample at or below it. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const NICE_STEPS = [1, 2, 5] as const;

/** Step for about `bins` equal bins over [0, max]: 1, 2 or 5 × a power of ten. */
export function niceStep(max: number, bins: number): number {
  const raw = Math.max(1, max / bins);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of NICE_STEPS) if (step * power >= raw) return step * power;
  return 10 * power;
}

/**
 * Equal-width bins from 0 on a nice step up to `max` (default: the p99), the values above folded
 * into the last bin: one 15,899-character record must not squash every other bar into the first.
 */
export function histogramOf(sorted: ArrayLike<number>, options: { bins?: number; max?: number } = {}): Histogram {
  if (sorted.length === 0) return { edges: [0, 1], counts: [0], openTop: false };
  const max = options.max ?? percentile(sorted, 0.99);
  const step = niceStep(max, options.bins ?? 20);
  const binCount = Math.max(1, Math.floor(max / step) + 1);
  const counts = new Array<number>(binCount).fill(0);
  for (let i = 0; i < sorted.length; i++) {
    const bin = Math.min(binCount - 1, Math.floor(sorted[i]! / step));
    counts[bin]!++;
  }
  const edges = Array.from({ length: binCount + 1 }, (_, i) => i * step);
  return { edges, counts, openTop: sorted[sorted.length - 1]! >= binCount * step };
}

/** Summarise a sorted sample; `histogramMax` aligns bins across samples that are compared. */
export function summarize(sorted: ArrayLike<number>, histogramMax?: number): Distribution {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  const count = sorted.length;
  return {
    count,
    sum,
    min: count ? sorted[0]! : 0,
    max: count ? sorted[count - 1]! : 0,
    mean: count ? sum / count : 0,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    histogram: histogramOf(sorted, histogramMax === undefined ? {} : { max: histogramMax }),
  };
}
