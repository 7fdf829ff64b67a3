/**
 * Split a whole number across groups by share with the largest-remainder method, so the parts
 * sum exactly to the total. Ties in the remainder go to the group listed first.
 */

const EPSILON = 1e-9;

export function apportion(total: number, shares: ReadonlyArray<readonly [string, number]>): Map<string, number> {
  const parts = shares.map(([group, share], order) => {
    const exact = total * share;
    const whole = Math.floor(exact + EPSILON);
    return { group, order, whole, remainder: exact - whole };
  });
  let left = total - parts.reduce((sum, part) => sum + part.whole, 0);
  const byRemainder = [...parts].sort((a, b) =>
    Math.abs(b.remainder - a.remainder) > EPSILON ? b.remainder - a.remainder : a.order - b.order,
  );
  for (const part of byRemainder) {
    if (left <= 0) break;
    if (part.remainder <= EPSILON) continue;
    part.whole++;
    left--;
  }
  return new Map(parts.map((part) => [part.group, part.whole]));
}

/** Validation records in all: a count as given, or a fraction of the training volume, rounded. */
export function validationTotal(validation: number, volume: number): number {
  if (validation <= 0) return 0;
  return validation >= 1 ? validation : Math.round(validation * volume);
}
