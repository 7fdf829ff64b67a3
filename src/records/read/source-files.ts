/**
 * Every source's files, expanded once per run (`expandPaths`). compose hands the same expansion
 * to the output guard, the progress total and every scan of the run (a rescan included), so the
 * files it checked `--out` against, counted and read are one list even if a folder changes while
 * it runs.
 */
import type { LoadedRecipe } from '../../recipe/types.js';
import { type ExpandedFile, expandPaths } from './expand-paths.js';

/** Source name → its files, in reading order. */
export type SourceFiles = ReadonlyMap<string, readonly ExpandedFile[]>;

/** Expand every source of the recipe; a pattern that matches nothing is the error `expandPaths` gives. */
export async function expandSources(loaded: LoadedRecipe): Promise<SourceFiles> {
  const files = new Map<string, readonly ExpandedFile[]>();
  for (const source of loaded.recipe.sources)
    files.set(source.name, await expandPaths(source.path, loaded.baseDir, source.name));
  return files;
}
