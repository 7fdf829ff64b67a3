/** Volumes as people write them: 20000, "10k", "1.5M", "50M tokens". */

export type VolumeUnit = 'samples' | 'tokens';

export interface Volume {
  readonly amount: number;
  readonly unit: VolumeUnit;
}

/**
 * The largest volume (samples or tokens) a recipe may ask for: 10^15, far beyond any real mixture
 * and below 2^53, so quotas, counts and their sums stay exact integers and the manifest stores a
 * number (a volume of .inf or 1e308 would be written as null or overflow the arithmetic).
 * schemas/recipe.schema.json states the same maximum for a numeric volume and split.validation.
 */
export const MAX_VOLUME = 1e15;

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9 };

/** The schema has already checked the form. */
export function parseVolume(value: number | string): Volume {
  if (typeof value === 'number') return { amount: value, unit: 'samples' };
  const match = /^([0-9]+(?:\.[0-9]+)?)([kKmMbB]?)( tokens?)?$/.exec(value.trim());
  if (!match) throw new Error(`not a volume: ${value}`);
  return {
    amount: Math.round(Number(match[1]) * SUFFIX[match[2]!.toLowerCase()]!),
    unit: match[3] ? 'tokens' : 'samples',
  };
}
