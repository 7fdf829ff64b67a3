/**
 * `mixsmith plan`: the quotas of the recipe against what the inputs hold, without writing.
 * It runs the same scan and selection as compose, so what it says is what compose would do.
 */
import { planMixture } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { scanInputs } from './scan.js';
import { type GroupSelection, selectRecords } from './select.js';

export interface SourceAvailability {
  readonly name: string;
  readonly group: string;
  readonly files: number;
  readonly read: number;
  readonly invalid: number;
  readonly duplicates: number;
  readonly crossGroupDuplicates: number;
  readonly available: number;
}

export interface PlanReport {
  readonly name: string;
  readonly seed: number;
  readonly volume: number;
  readonly validation: number;
  readonly shortage: string;
  readonly groups: readonly GroupSelection[];
  readonly sources: readonly SourceAvailability[];
  /** One line per group short of its quota; empty when the mixture can be composed as asked. */
  readonly shortfalls: readonly string[];
}

export async function planReport(loaded: LoadedRecipe, options: { signal?: AbortSignal | undefined } = {}): Promise<PlanReport> {
  const { recipe } = loaded;
  const plan = planMixture(recipe);
  const scan = await scanInputs(loaded, plan, { signal: options.signal });
  // `cap` here so the report shows every shortfall instead of stopping at the first.
  const selection = selectRecords(scan, plan, recipe.seed, 'cap');
  const shortfalls = selection.groups
    .filter((g) => g.shortfall > 0 || g.validationShortfall > 0)
    .map((g) => `group "${g.group}": needs ${g.quota} + ${g.validationQuota} validation, has ${g.available} distinct`);
  return {
    name: recipe.name,
    seed: recipe.seed,
    volume: plan.volume,
    validation: plan.validation,
    shortage: recipe.mixture.shortage,
    groups: selection.groups,
    sources: recipe.sources.map((spec) => {
      const s = scan.sources.find((x) => x.name === spec.name)!;
      return { name: s.name, group: s.group, files: s.files.length, read: s.read, invalid: s.invalid, duplicates: s.duplicates, crossGroupDuplicates: s.crossGroupDuplicates, available: s.available };
    }),
    shortfalls,
  };
}
