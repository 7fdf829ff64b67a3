/**
 * Every path a compose run reads, for the output guard (io/output-guard.ts): the recipe, each
 * source's files as the run expanded them (and the folders named as sources), each eval set's
 * files, and a tokenizer file. Eval patterns that match nothing are left out here: loading the
 * eval sets reports them in its own words.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { GuardedPath } from '../io/output-guard.js';
import type { LoadedRecipe, SourceSpec } from '../recipe/types.js';
import { type ExpandedFile, expandPaths } from '../records/read/expand-paths.js';
import type { SourceFiles } from '../records/read/source-files.js';

/** The folders named in `source.path`, and `files` (its expansion; eval sets: expanded here). */
async function sourcePaths(
  source: SourceSpec,
  baseDir: string,
  role: string,
  files?: readonly ExpandedFile[],
): Promise<GuardedPath[]> {
  const guarded: GuardedPath[] = [];
  for (const pattern of source.path) {
    const absolute = path.resolve(baseDir, pattern);
    if ((await stat(absolute).catch(() => undefined))?.isDirectory()) guarded.push({ path: absolute, role });
    if (files) continue;
    for (const file of await expandPaths([pattern], baseDir, source.name).catch(() => []))
      guarded.push({ path: file.absolutePath, role });
  }
  for (const file of files ?? []) guarded.push({ path: file.absolutePath, role });
  return guarded;
}

export async function composeReadPaths(loaded: LoadedRecipe, sourceFiles: SourceFiles): Promise<GuardedPath[]> {
  const { recipe, baseDir } = loaded;
  const guarded: GuardedPath[] = [];
  // loadRecipe sets baseDir to the recipe's folder; parseRecipe's file is a name in baseDir
  // (`<inline>` for recipes built in code, `<stdin>` for one read from standard input: no file).
  if (!loaded.file.startsWith('<'))
    guarded.push({ path: path.resolve(baseDir, path.basename(loaded.file)), role: 'the recipe' });
  for (const source of recipe.sources)
    guarded.push(
      ...(await sourcePaths(source, baseDir, `an input of source "${source.name}"`, sourceFiles.get(source.name))),
    );
  for (const evalSet of recipe.decontaminate?.eval ?? [])
    guarded.push(...(await sourcePaths(evalSet, baseDir, `eval set "${evalSet.name}"`)));
  const tokenizer = recipe.mixture.tokenizer;
  if (tokenizer !== null && typeof tokenizer === 'object')
    guarded.push({ path: path.resolve(baseDir, tokenizer.path), role: 'the tokenizer' });
  return guarded;
}
