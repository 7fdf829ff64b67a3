/**
 * What the write phase takes from the recipe: seed, dedup, output, the shard sinks and the meta keys.
 * One function for compose and the staged materialize parts, so the two write the same bytes.
 */
import { recipeHash } from '../manifest/manifest.js';
import { outputMetaKeys } from '../materialize/output-meta.js';
import { outputSinks } from '../materialize/output-sinks.js';
import type { WritePointsOptions } from '../materialize/write-points.js';
import { toolVersion } from '../package-info.js';
import type { Recipe } from '../recipe/types.js';

export type RecipeWriteOptions = Pick<WritePointsOptions, 'seed' | 'dedup' | 'output' | 'sinks' | 'metaKeys'>;

export function recipeWriteOptions(recipe: Recipe): RecipeWriteOptions {
  const metaKeys = outputMetaKeys(recipe.sources);
  return {
    seed: recipe.seed,
    dedup: recipe.dedup.exact,
    output: recipe.output,
    sinks: outputSinks(
      recipe.output,
      { recipeSha256: recipeHash(recipe), toolVersion: toolVersion() },
      metaKeys.length > 0,
    ),
    metaKeys,
  };
}
