/**
 * The output appears whole or not at all: everything is written into a temporary folder beside
 * the target and renamed into place at the end. An existing target is kept unless `force`.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';

export interface StagedDir {
  /** Where to write meanwhile. */
  readonly path: string;
  /** Move the staged folder to the target (replacing it when forced). */
  commit(): Promise<void>;
  /** Remove the staged folder; safe to call twice. */
  discard(): Promise<void>;
}

function outputError(message: string, target: string, cause: unknown): MixsmithError {
  return new MixsmithError('OUTPUT_IO', `${message}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
    where: { file: target },
    cause,
    hint: 'check that the folder is writable and the disk has room',
  });
}

export async function stageDir(target: string, force: boolean): Promise<StagedDir> {
  const absolute = path.resolve(target);
  const existing = await stat(absolute).catch(() => undefined);
  if (existing && !force) {
    throw new MixsmithError('OUTPUT_EXISTS', `the output ${target} already exists`, {
      where: { file: target },
      hint: 'choose another --out, or pass --force to replace it',
    });
  }
  const parent = path.dirname(absolute);
  let staged: string;
  try {
    await mkdir(parent, { recursive: true });
    staged = await mkdtemp(path.join(parent, `.${path.basename(absolute)}.partial-`));
  } catch (cause) {
    throw outputError(`cannot create a folder beside ${target}`, target, cause);
  }
  return {
    path: staged,
    async commit() {
      try {
        if (await stat(absolute).catch(() => undefined)) {
          const old = `${staged}.replaced`;
          await rename(absolute, old);
          await rename(staged, absolute);
          await rm(old, { recursive: true, force: true });
        } else {
          await rename(staged, absolute);
        }
      } catch (cause) {
        throw outputError(`cannot move the finished output into ${target}`, target, cause);
      }
    },
    async discard() {
      await rm(staged, { recursive: true, force: true });
    },
  };
}
