/**
 * What an output may never touch. `--out` and `--html` are refused, with or without `--force`,
 * when the target is, contains or lies inside a file the run reads (the recipe, an input, an eval
 * set, a tokenizer, the folder being audited), and `--force` only ever replaces what mixsmith
 * itself wrote: an output folder (its `manifest.json` or `sweep.json` says so), an empty folder,
 * or, for a report, a regular file. Paths are compared after resolving symbolic links, so a link
 * to an input is the input.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';

/** A path the run reads, and how to name it in a message. */
export interface GuardedPath {
  readonly path: string;
  /** e.g. `the recipe`, `an input of source "medqa"`. */
  readonly role: string;
}

/** The absolute path with symbolic links resolved as far as the path exists. */
async function realTarget(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(await realpath(existing), ...missing.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** Throws OUTPUT_UNSAFE when `target` is, contains or lies inside one of `guarded`. */
export async function refuseGuardedTarget(
  target: string,
  guarded: readonly GuardedPath[],
  option: string,
): Promise<void> {
  const real = await realTarget(target);
  for (const entry of guarded) {
    const protectedPath = await realpath(path.resolve(entry.path)).catch(() => undefined);
    if (protectedPath === undefined) continue;
    const relation =
      real === protectedPath
        ? 'is'
        : within(protectedPath, real)
          ? 'contains'
          : within(real, protectedPath)
            ? 'lies inside'
            : null;
    if (relation === null) continue;
    throw new MixsmithError(
      'OUTPUT_UNSAFE',
      `${option} ${target} ${relation} ${entry.role} (${entry.path}); writing there would destroy it`,
      {
        where: { file: target },
        hint: `choose ${option} outside every file this run reads; --force never overrides this`,
      },
    );
  }
}

/** What stands at `absolute` now, as far as replacing it goes. */
export type ExistingTarget = 'none' | 'empty-folder' | 'mixsmith-output' | 'folder' | 'file' | 'other';

async function isJsonWith(file: string, test: (value: Record<string, unknown>) => boolean): Promise<boolean> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof value === 'object' && value !== null && test(value as Record<string, unknown>);
  } catch {
    return false;
  }
}

/** Classifies the target without following a final symbolic link (a link is `other`: never replaced). */
export async function existingTarget(absolute: string): Promise<ExistingTarget> {
  const info = await lstat(absolute).catch(() => undefined);
  if (!info) return 'none';
  if (info.isFile()) return 'file';
  if (!info.isDirectory()) return 'other';
  const entries = await readdir(absolute);
  if (entries.length === 0) return 'empty-folder';
  const manifest = await isJsonWith(
    path.join(absolute, 'manifest.json'),
    (v) => (v.tool as { name?: unknown } | undefined)?.name === 'mixsmith',
  );
  if (manifest) return 'mixsmith-output';
  const sweep = await isJsonWith(path.join(absolute, 'sweep.json'), (v) => typeof v.sweepVersion === 'number');
  return sweep ? 'mixsmith-output' : 'folder';
}

const DESCRIBED: Record<Exclude<ExistingTarget, 'none' | 'empty-folder' | 'mixsmith-output'>, string> = {
  folder: 'a folder that is not a mixsmith output (no manifest.json or sweep.json)',
  file: 'a file, not a folder',
  other: 'not a regular folder (a device, pipe, socket or symbolic link)',
};

/** Throws OUTPUT_UNSAFE unless what stands at `absolute` may be replaced by an output folder. */
export async function refuseUnreplaceableFolder(target: string, absolute: string): Promise<void> {
  const kind = await existingTarget(absolute);
  if (kind === 'none' || kind === 'empty-folder' || kind === 'mixsmith-output') return;
  throw new MixsmithError(
    'OUTPUT_UNSAFE',
    `--out ${target} is ${DESCRIBED[kind]}; --force replaces only an earlier mixsmith output`,
    {
      where: { file: target },
      hint: 'choose another --out, or remove it yourself if you really mean to replace it',
    },
  );
}
