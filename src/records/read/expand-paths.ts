/**
 * A source's `path` (files, globs, folders; relative to the recipe) → the sorted list of files.
 * Sorting is by code unit on the recipe-relative POSIX path: no locale, same on every machine.
 *
 * Only regular files are read. A path named on its own that is a FIFO, socket or device is refused
 * (reading one blocks or never ends); folder and glob walks take only the regular files they find
 * (and symlinks to them), as `find -type f` does. No path and no walk may reach into /proc, /sys or
 * /dev (by their real paths, so through symlinks too): their entries are not data and reading them
 * blocks, never ends or changes as it is read, so the source is refused at once, the walk stopped.
 */
import { readdir, realpath } from 'node:fs';
import { stat, realpath as realpathAsync } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { MixsmithError } from '../../errors.js';
import { fileKind, isSystemPath, SYSTEM_DIRS } from '../../io/file-kind.js';
import { folderDataFiles } from './save-to-disk.js';

export interface ExpandedFile {
  readonly absolutePath: string;
  /** Relative to the recipe's folder, with `/` separators: what provenance and the manifest show. */
  readonly displayPath: string;
}

export function displayPathOf(absolutePath: string, baseDir: string): string {
  return path.relative(baseDir, absolutePath).split(path.sep).join('/');
}

function systemPathError(sourceName: string, shown: string, real: string): MixsmithError {
  const dir = SYSTEM_DIRS.find((d) => real === d || real.startsWith(`${d}/`)) ?? real;
  const what =
    shown === real
      ? real === dir
        ? `${shown} is a system folder`
        : `${shown} is under ${dir}`
      : `${shown} leads to ${real}${real === dir ? '' : `, under ${dir}`}`;
  return new MixsmithError(
    'INPUT_FORMAT',
    `source "${sourceName}": ${what}, which mixsmith never reads (${SYSTEM_DIRS.join(', ')} hold no data files)`,
    {
      where: { file: shown },
      hint: 'name the data files, or a folder or glob that does not reach those folders (check for symlinks)',
    },
  );
}

interface Walked {
  readonly files: string[];
  /** The first entry that led into SYSTEM_DIRS, as the walk met it, and its real path. */
  readonly reached?: { readonly entry: string; readonly real: string };
}

/**
 * Run a glob whose walk stops at the first entry that leads into SYSTEM_DIRS: a folder reached
 * directly (walking `/`) or a symlink to anything there. tinyglobby lists and resolves symlinks
 * through the `fs` it is given; an error from `realpath` makes it skip the link.
 */
async function walk(pattern: string, cwd: string, options: { expandDirectories: boolean }): Promise<Walked> {
  const controller = new AbortController();
  let reached: { entry: string; real: string } | undefined;
  const stop = (entry: string, real: string) => {
    reached ??= { entry: entry.length > 1 ? entry.replace(/\/+$/, '') : entry, real };
    controller.abort();
  };
  const guardedRealpath = ((link: string, callback: (error: NodeJS.ErrnoException | null, real?: string) => void) => {
    realpath(link, (error, real) => {
      if (!error && isSystemPath(real)) {
        stop(link, real);
        callback(Object.assign(new Error(`${link} leads into a system folder`), { code: 'ESYSTEMDIR' }));
        return;
      }
      callback(error, real);
    });
  }) as unknown as typeof realpath;
  const guardedReaddir = ((
    dir: string,
    opts: object,
    callback: (error: NodeJS.ErrnoException | null, entries?: unknown[]) => void,
  ) => {
    realpath(dir, (error, real) => {
      if (!error && isSystemPath(real)) {
        stop(dir, real);
        callback(null, []);
        return;
      }
      readdir(dir, opts as { withFileTypes: true }, callback as never);
    });
  }) as unknown as typeof readdir;
  const files = await glob(pattern, {
    cwd,
    absolute: true,
    onlyFiles: true,
    dot: false,
    expandDirectories: options.expandDirectories,
    signal: controller.signal,
    fs: { readdir: guardedReaddir, realpath: guardedRealpath },
  });
  return reached ? { files, reached } : { files };
}

function refuseReached(walked: Walked, sourceName: string, baseDir: string): void {
  if (!walked.reached) return;
  const { entry, real } = walked.reached;
  const shown = entry === real ? entry : displayPathOf(entry, baseDir);
  throw systemPathError(sourceName, shown, real);
}

/** Files stat'ed at once while checking a walk's files. */
const STAT_BATCH = 256;

/** The regular files a walk found (symlinks to anything else are left out, as a walk leaves out FIFOs). */
async function regularFiles(files: string[], sourceName: string): Promise<string[]> {
  const kept: string[] = [];
  for (let start = 0; start < files.length; start += STAT_BATCH) {
    const batch = files.slice(start, start + STAT_BATCH);
    const infos = await Promise.all(batch.map((file) => stat(file).catch(() => undefined)));
    batch.forEach((file, i) => {
      // The walk refused links into SYSTEM_DIRS as it resolved them; this only keeps the promise if it did not.
      if (isSystemPath(file)) throw systemPathError(sourceName, file, file);
      if (infos[i]?.isFile()) kept.push(file);
    });
  }
  return kept;
}

async function expandOne(pattern: string, baseDir: string, sourceName: string): Promise<string[]> {
  if (isDynamicPattern(pattern)) {
    const walked = await walk(pattern, baseDir, { expandDirectories: false });
    refuseReached(walked, sourceName, baseDir);
    return regularFiles(walked.files, sourceName);
  }
  const absolute = path.resolve(baseDir, pattern);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) return [];
  const real = await realpathAsync(absolute).catch(() => absolute);
  if (isSystemPath(real)) throw systemPathError(sourceName, pattern, real);
  if (info.isDirectory()) {
    const walked = await walk('**/*', absolute, { expandDirectories: true });
    refuseReached(walked, sourceName, baseDir);
    // A folder holds its data files: its README.md or SOURCE.md is not data (the rule every command shares);
    // a save_to_disk split folder holds the .arrow files its state.json lists.
    return folderDataFiles(await regularFiles(walked.files, sourceName), baseDir);
  }
  if (!info.isFile()) {
    throw new MixsmithError(
      'INPUT_FORMAT',
      `source "${sourceName}": ${pattern} is ${fileKind(info)}, not a regular file`,
      {
        where: { file: pattern },
        hint: 'mixsmith reads regular files only (it reads them twice and checks their size): save the stream to a file first',
      },
    );
  }
  return [absolute];
}

/** Throws INPUT_NOT_FOUND naming the pattern that matched nothing. */
export async function expandPaths(
  patterns: readonly string[],
  baseDir: string,
  sourceName: string,
): Promise<ExpandedFile[]> {
  const seen = new Map<string, ExpandedFile>();
  for (const pattern of patterns) {
    const matches = await expandOne(pattern, baseDir, sourceName);
    if (matches.length === 0) {
      throw new MixsmithError(
        'INPUT_NOT_FOUND',
        `source "${sourceName}": "${pattern}" matches no file (looked in ${baseDir})`,
        {
          where: { file: pattern },
          hint: 'paths are relative to the recipe file; check the spelling, or quote a glob so the shell does not expand it',
        },
      );
    }
    for (const absolutePath of matches) {
      const normalized = path.resolve(absolutePath);
      seen.set(normalized, { absolutePath: normalized, displayPath: displayPathOf(normalized, baseDir) });
    }
  }
  return [...seen.values()].sort((a, b) =>
    a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0,
  );
}
