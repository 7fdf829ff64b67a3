/**
 * Number formatting for reports, without `toLocaleString` (whose output depends on the machine's
 * locale): thousands separated by a thin space, shares as percentages with one decimal.
 */

/** 1234567 → "1 234 567" (narrow no-break spaces). */
export function int(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += '\u202f';
    out += digits[i];
  }
  return sign + out;
}

/** 0.3 → "30.0%". */
export function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A signed difference of shares in percentage points: 0.05 → "+5.0 pt". */
export function points(delta: number): string {
  const text = (delta * 100).toFixed(1);
  if (Number(text) === 0) return '0.0 pt';
  return `${delta > 0 ? '+' : ''}${text} pt`;
}

/** A figure as a rule would print it: integers as is, others to 6 significant digits. */
export function figure(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
