/**
 * A source's `path` (files, globs, folders; relative to the recipe) → the sorted list of files.
 * Sorting is by code unit on the recipe-relative POSIX path: no locale, same on every machine.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { MixsmithError } from '../errors.js';

export interface ExpandedFile {
  readonly absolutePath: string;
  /** Relative to the recipe's folder, with `/` separators: what provenance and the manifest show. */
  readonly displayPath: string;
}

export function displayPathOf(absolutePath: string, baseDir: string): string {
  return path.relative(baseDir, absolutePath).split(path.sep).join('/');
}

async function expandOne(pattern: string, baseDir: string): Promise<string[]> {
  if (isDynamicPattern(pattern)) {
    return glob(pattern, { cwd: baseDir, absolute: true, onlyFiles: true, dot: false, expandDirectories: false });
  }
  const absolute = path.resolve(baseDir, pattern);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) return [];
  if (info.isDirectory()) return glob('**/*', { cwd: absolute, absolute: true, onlyFiles: true, dot: false });
  // A pipe or device (`<(cmd)`, /dev/stdin) cannot be read twice or at an offset, as every reader does.
  if (!info.isFile()) {
    throw new MixsmithError('INPUT_FORMAT', `"${pattern}" is a pipe or device, not a file: mixsmith reads its inputs more than once and by offset`, {
      where: { file: pattern },
      hint: 'save the stream to a file and name the file (mixsmith inspect - reads standard input)',
    });
  }
  return [absolute];
}

/** Throws INPUT_NOT_FOUND naming the pattern that matched nothing. */
export async function expandPaths(patterns: readonly string[], baseDir: string, sourceName: string): Promise<ExpandedFile[]> {
  const seen = new Map<string, ExpandedFile>();
  for (const pattern of patterns) {
    const matches = await expandOne(pattern, baseDir);
    if (matches.length === 0) {
      throw new MixsmithError('INPUT_NOT_FOUND', `source "${sourceName}": "${pattern}" matches no file (looked in ${baseDir})`, {
        where: { file: pattern },
        hint: 'paths are relative to the recipe file; check the spelling, or quote a glob so the shell does not expand it',
      });
    }
    for (const absolutePath of matches) {
      const normalized = path.resolve(absolutePath);
      seen.set(normalized, { absolutePath: normalized, displayPath: displayPathOf(normalized, baseDir) });
    }
  }
  return [...seen.values()].sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
}
