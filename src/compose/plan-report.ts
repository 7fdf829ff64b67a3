/**
 * `mixsmith plan`: the quotas of every point against what the inputs hold, without writing.
 * It runs the same scan and selection as compose, so what it says is what compose would do.
 */

import type { EvalSetReport } from '../decontam/contamination-tally.js';
import { MixsmithError } from '../errors.js';
import { planMixture } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { expandSources } from '../records/read/source-files.js';
import { emptiedGroups } from '../select/emptied-groups.js';
import { loadEvalSets } from '../select/eval-sets.js';
import { scanWithRoom } from '../select/scan-with-room.js';
import { type GroupSelection, type OrderRanks, selectPoint } from '../select/select.js';
import { createTokenCounter } from '../tokens/token-counter.js';

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

export interface PointReport {
  readonly name: string;
  readonly volume: number;
  readonly groups: readonly GroupSelection[];
  /** Why this point cannot be composed as asked (shortage: error), or null. */
  readonly error: string | null;
}

export interface PlanReport {
  readonly name: string;
  readonly seed: number;
  readonly shortage: string;
  readonly validation: number;
  readonly points: readonly PointReport[];
  readonly sources: readonly SourceAvailability[];
  /** One line per point and group short of its quota; empty when every point composes as asked. */
  readonly shortfalls: readonly string[];
  /** Per eval set what decontamination would remove (as compose's manifest); null without `decontaminate:`. */
  readonly decontamination: readonly EvalSetReport[] | null;
  /** Groups the filters (decontamination, near duplicates) would empty. */
  readonly warnings: readonly string[];
}

export interface PlanReportOptions {
  readonly signal?: AbortSignal | undefined;
  /** Worker threads for the scan (0: none); absent: one per core, up to 4. Never changes the report. */
  readonly workers?: number | undefined;
}

export async function planReport(loaded: LoadedRecipe, options: PlanReportOptions = {}): Promise<PlanReport> {
  const { recipe } = loaded;
  const plan = planMixture(recipe);
  // Expanded once: a rescan reads the same files.
  const sourceFiles = await expandSources(loaded);
  const tokens = await createTokenCounter(recipe.mixture.tokenizer, loaded.baseDir);
  const evalMatcher = recipe.decontaminate ? await loadEvalSets(loaded, { signal: options.signal }) : undefined;
  const { scan, pools, filtered } = await scanWithRoom(loaded, plan, {
    signal: options.signal,
    tokens,
    workers: options.workers,
    evalMatcher,
    decontaminateFields: recipe.decontaminate?.fields ?? 'all',
    sourceFiles,
  }).finally(() => tokens.free());
  // `cap` here: plan reports an emptied group under every policy, it does not stop at it.
  const warnings = [...filtered.warnings, ...emptiedGroups(pools, filtered, 'cap')];
  // `cap` shows every point's shortfall instead of stopping at the first; the policy's own verdict is kept in `error`.
  const ranks: OrderRanks = new Map();
  const points = plan.points.map((point): PointReport => {
    let error: string | null = null;
    try {
      selectPoint(pools, point, plan, recipe.mixture, recipe.seed, ranks);
    } catch (e) {
      if (!(e instanceof MixsmithError)) throw e;
      error = e.message;
    }
    const capped = selectPoint(
      pools,
      point,
      plan,
      {
        ...recipe.mixture,
        shortage: recipe.mixture.shortage === 'error' ? 'cap' : recipe.mixture.shortage,
        max_epochs: Number.POSITIVE_INFINITY,
      },
      recipe.seed,
      ranks,
    );
    return { name: point.name, volume: point.volume, groups: capped.groups, error };
  });
  const shortfalls = points.flatMap((p) =>
    p.groups
      .filter((g) => g.shortfall > 0 || g.validationShortfall > 0 || g.epochs > 1 || g.quota !== g.plannedQuota)
      .map(
        (g) =>
          `${p.name ? `${p.name}: ` : ''}group "${g.pool}" asks ${g.plannedQuota} + ${g.validationQuota} validation, has ${g.available} distinct${g.epochs > 1 ? ` (repeated, ${g.epochs} epochs)` : ''}${g.quota !== g.plannedQuota ? ` (quota now ${g.quota})` : ''}`,
      ),
  );
  return {
    name: recipe.name,
    seed: recipe.seed,
    shortage: recipe.mixture.shortage,
    validation: plan.validation,
    points,
    sources: recipe.sources.map((spec) => {
      const s = scan.sources.find((x) => x.name === spec.name)!;
      return {
        name: s.name,
        group: s.group,
        files: s.files.length,
        read: s.read,
        invalid: s.invalid,
        duplicates: s.duplicates,
        crossGroupDuplicates: s.crossGroupDuplicates,
        available: s.available,
      };
    }),
    shortfalls,
    decontamination: filtered.decontamination,
    warnings,
  };
}
