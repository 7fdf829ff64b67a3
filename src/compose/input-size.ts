/** How many files and bytes the scan will read: the denominator of progress and ETA. */
import { stat } from 'node:fs/promises';
import { expandPaths } from '../records/read/expand-paths.js';
import type { LoadedRecipe } from '../recipe/types.js';

export async function inputSize(loaded: LoadedRecipe): Promise<{ files: number; totalBytes: number }> {
  let files = 0;
  let totalBytes = 0;
  for (const source of loaded.recipe.sources) {
    for (const file of await expandPaths(source.path, loaded.baseDir, source.name)) {
      files++;
      totalBytes += (await stat(file.absolutePath)).size;
    }
  }
  return { files, totalBytes };
}
