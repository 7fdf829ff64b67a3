/** Medians and number formatting for the tables. */

export function median(values) {
  const xs = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Seconds with 2 significant decimals under 10, 1 under 100, none above. */
export function seconds(x) {
  if (!Number.isFinite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function ratio(x) {
  return Number.isFinite(x) ? `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×` : '–';
}

export function mib(kb) {
  return Number.isFinite(kb) ? (kb / 1024).toFixed(0) : '–';
}
