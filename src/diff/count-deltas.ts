/** Row counts of two mixtures side by side, per (split, name), with the change (pure). */

export interface CountDelta {
  readonly split: string;
  readonly name: string;
  readonly a: number;
  readonly b: number;
  readonly delta: number;
}

/** Counts keyed `split\u0000name`. */
export type Counts = Map<string, number>;

export function countKey(split: string, name: string): string {
  return `${split}\u0000${name}`;
}

export function bump(counts: Counts, split: string, name: string): void {
  const key = countKey(split, name);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function countDeltas(a: Counts, b: Counts): CountDelta[] {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return keys.map((key) => {
    const [split, name] = key.split('\u0000') as [string, string];
    const left = a.get(key) ?? 0;
    const right = b.get(key) ?? 0;
    return { split, name, a: left, b: right, delta: right - left };
  });
}
