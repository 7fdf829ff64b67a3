/**
 * Read the recipe's eval sets with the shared eval reader (`records/eval-items.ts`: an item is its
 * question and options, by field-name rules or the set's `schema:` mapping) into the index that
 * decontamination matches training samples against. Eval sets are small; they are read whole into
 * the index, never into the mixture.
 */
import { readLimitsOf } from '../io/read-limits.js';
import type { EvalItem } from '../decontam/eval-index.js';
import { readEvalSet } from '../records/eval-items.js';
import { expandPaths } from '../records/read/expand-paths.js';
import type { LoadedRecipe, SourceSpec } from '../recipe/types.js';
import { buildEvalMatcher } from './eval-matcher.js';
import type { EvalMatcher } from './filter-candidates.js';

export async function readEvalItems(loaded: LoadedRecipe, spec: SourceSpec, signal?: AbortSignal): Promise<EvalItem[]> {
  const files = await expandPaths(spec.path, loaded.baseDir, spec.name);
  const read = await readEvalSet({
    name: spec.name,
    files,
    schema: spec.schema,
    format: spec.format,
    encoding: spec.encoding,
    limits: readLimitsOf(spec),
    onError: spec.on_error,
    signal,
  });
  return read.items;
}

export async function loadEvalSets(
  loaded: LoadedRecipe,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<EvalMatcher | undefined> {
  const spec = loaded.recipe.decontaminate;
  if (!spec) return undefined;
  const items: EvalItem[] = [];
  for (const evalSet of spec.eval)
    for (const item of await readEvalItems(loaded, evalSet, options.signal)) items.push(item);
  return buildEvalMatcher(items, spec);
}
