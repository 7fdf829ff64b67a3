/**
 * Exact percentiles of small integers (characters, turns) in memory bounded by the number of
 * distinct values, not of records: a 1 GB file with a million samples keeps one counter per
 * distinct length.
 */

/** Nearest-rank percentiles and extremes of the values added. */
export interface Percentiles {
  readonly count: number;
  readonly min: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export class CountHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private sum = 0;

  add(value: number): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    this.total++;
    this.sum += value;
  }

  get count(): number {
    return this.total;
  }

  /** Undefined when nothing was added. */
  summary(): Percentiles | undefined {
    if (this.total === 0) return undefined;
    const values = [...this.counts.keys()].sort((a, b) => a - b);
    const at = (p: number): number => {
      const rank = Math.max(1, Math.ceil((p / 100) * this.total));
      let seen = 0;
      for (const value of values) {
        seen += this.counts.get(value)!;
        if (seen >= rank) return value;
      }
      return values.at(-1)!;
    };
    return {
      count: this.total,
      min: values[0]!,
      p10: at(10),
      p50: at(50),
      p90: at(90),
      p99: at(99),
      max: values.at(-1)!,
      mean: Math.round((this.sum / this.total) * 10) / 10,
    };
  }
}
