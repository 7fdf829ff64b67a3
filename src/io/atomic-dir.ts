/**
 * The output appears whole or not at all: everything is written into a temporary folder beside
 * the target and renamed into place at the end.
 *
 * Without `force` the commit never replaces anything: rename(2) of a folder fails when the target
 * is a folder with content or a file, so of two runs racing for one target exactly one commits and
 * the other gets OUTPUT_EXISTS (checking first and renaming later would let both succeed). With
 * `force` only an earlier mixsmith output or an empty folder is replaced, checked again at commit.
 *
 * The staged folder holds an owner marker until the commit, so that a later run into the same
 * parent can collect it if this process is killed (stale-partials.ts).
 */
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { existingTarget, refuseUnreplaceableFolder } from './output-guard.js';
import { collectStalePartials, markOwner, type StalePartials, unmarkOwner } from './stale-partials.js';

export interface StagedDir {
  /** Where to write meanwhile. */
  readonly path: string;
  /** Move the staged folder to the target (replacing an earlier output when forced). */
  commit(): Promise<void>;
  /** Remove the staged folder; safe to call twice. */
  discard(): Promise<void>;
  /** Staged folders of dead runs removed from the parent before staging, and those left alone (stale-partials.ts). */
  readonly partials: StalePartials;
}

function outputError(message: string, target: string, cause: unknown): MixsmithError {
  return new MixsmithError('OUTPUT_IO', `${message}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
    where: { file: target },
    cause,
    hint: 'check that the folder is writable and the disk has room',
  });
}

function existsError(target: string): MixsmithError {
  return new MixsmithError('OUTPUT_EXISTS', `the output ${target} already exists`, {
    where: { file: target },
    hint: 'choose another --out, or pass --force to replace an earlier mixsmith output',
  });
}

/** rename(2) refuses these when the target is a file or a folder with content. */
const TARGET_TAKEN = new Set(['ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EISDIR']);

async function commitWithoutReplacing(staged: string, absolute: string, target: string): Promise<void> {
  // An empty folder at the target is all rename(2) would replace: nothing is lost.
  try {
    await rename(staged, absolute);
  } catch (cause) {
    if (TARGET_TAKEN.has((cause as NodeJS.ErrnoException).code ?? '')) throw existsError(target);
    throw outputError(`cannot move the finished output into ${target}`, target, cause);
  }
}

async function commitReplacing(staged: string, absolute: string, target: string): Promise<void> {
  await refuseUnreplaceableFolder(target, absolute);
  try {
    if ((await existingTarget(absolute)) === 'none') {
      await rename(staged, absolute);
      return;
    }
    const old = `${staged}.replaced`;
    await rename(absolute, old);
    await rename(staged, absolute);
    await rm(old, { recursive: true, force: true });
  } catch (cause) {
    throw outputError(`cannot move the finished output into ${target}`, target, cause);
  }
}

export async function stageDir(target: string, force: boolean): Promise<StagedDir> {
  const absolute = path.resolve(target);
  const existing = await existingTarget(absolute);
  if (existing !== 'none' && !force) throw existsError(target);
  if (force) await refuseUnreplaceableFolder(target, absolute);
  const parent = path.dirname(absolute);
  const partials = await collectStalePartials(parent);
  let staged: string;
  try {
    await mkdir(parent, { recursive: true });
    staged = await mkdtemp(path.join(parent, `.${path.basename(absolute)}.partial-`));
  } catch (cause) {
    throw outputError(`cannot create a folder beside ${target}`, target, cause);
  }
  try {
    await markOwner(staged);
  } catch (cause) {
    await rm(staged, { recursive: true, force: true });
    throw outputError(`cannot write into ${staged}`, target, cause);
  }
  return {
    path: staged,
    partials,
    async commit() {
      try {
        await unmarkOwner(staged);
      } catch (cause) {
        throw outputError(`cannot finish ${staged}`, target, cause);
      }
      await (force ? commitReplacing(staged, absolute, target) : commitWithoutReplacing(staged, absolute, target));
    },
    async discard() {
      await rm(staged, { recursive: true, force: true });
    },
  };
}
