/**
 * A growable array of non-negative integers (lengths, token counts, turns), 4 bytes per value.
 * Percentiles are exact: keeping a number per record is within the audit's memory budget of
 * "a fingerprint per record", and an exact p95 is what an `--expect tokens.p95<=8192` rule should
 * be judged on, not a sketch's estimate.
 */
export class ValueSeries {
  private data = new Uint32Array(64);
  private length = 0;

  get size(): number {
    return this.length;
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    // Lengths above 2³²−1 cannot occur for one record; clamp rather than wrap if one ever does.
    this.data[this.length++] = Math.min(value, 0xffffffff);
  }

  /** The values so far, as a view (no copy). */
  values(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/** All values of several series in one sorted array (ascending). */
export function sortedUnion(series: readonly ValueSeries[]): Uint32Array {
  let total = 0;
  for (const s of series) total += s.size;
  const all = new Uint32Array(total);
  let at = 0;
  for (const s of series) {
    all.set(s.values(), at);
    at += s.size;
  }
  return all.sort();
}
