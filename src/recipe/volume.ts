/** Volumes as people write them: 20000, "10k", "1.5M". */

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6 };

/** A whole number of samples; the schema has already checked the form. */
export function parseVolume(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^([0-9]+(?:\.[0-9]+)?)([kKmM]?)$/.exec(value.trim());
  if (!match) throw new Error(`not a volume: ${value}`);
  return Math.round(Number(match[1]) * SUFFIX[match[2]!.toLowerCase()]!);
}
