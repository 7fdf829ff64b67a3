/**
 * Exact Jaccard similarity of two shingle sets given as sorted arrays without repeats: the check
 * that stands between an LSH bucket collision and a removal.
 */

/**
 * |A ∩ B| / |A ∪ B| by one merge. Two empty sets give 0, not 1: an empty text is no evidence of
 * duplication (exact duplicates are caught by the content key, not here).
 */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

/**
 * The largest Jaccard two sets of these sizes can have (min / max). Skipping pairs under the
 * threshold by size alone avoids most merges for candidates of very different lengths.
 */
export function jaccardUpperBound(sizeA: number, sizeB: number): number {
  if (sizeA === 0 || sizeB === 0) return 0;
  return Math.min(sizeA, sizeB) / Math.max(sizeA, sizeB);
}
