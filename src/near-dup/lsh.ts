/**
 * The LSH banding arithmetic. A signature of `bands × rows` slots is cut into bands; two items
 * become candidates when all rows of at least one band agree. For a pair with Jaccard s:
 *
 *   P(candidate) = 1 − (1 − s^rows)^bands
 *
 * an S-curve whose steep part sits near (1/bands)^(1/rows). Candidates are then verified by exact
 * Jaccard, so the curve only decides recall (pairs it misses are never compared) and cost (pairs it
 * lets through are compared and rejected).
 */

/** Probability that a pair with Jaccard `similarity` shares at least one band. */
export function candidateProbability(similarity: number, bands: number, rows: number): number {
  return 1 - (1 - similarity ** rows) ** bands;
}

/** Similarity where the S-curve is steepest, roughly: (1/bands)^(1/rows). */
export function lshThreshold(bands: number, rows: number): number {
  return (1 / bands) ** (1 / rows);
}
