/**
 * A single report file (the audit's HTML), written whole or not at all: into a temporary file
 * beside the target, then linked into place. link(2) fails when the target exists, so without
 * `force` nothing is ever replaced, not even by a run that started after ours; with `force` only
 * a regular file is replaced (never a folder, device, pipe or link).
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';

function existsError(target: string): MixsmithError {
  return new MixsmithError('OUTPUT_EXISTS', `the report ${target} already exists`, {
    where: { file: target },
    hint: 'choose another --html, or pass --force to replace it',
  });
}

export async function writeReportFile(
  target: string,
  text: string,
  options: { readonly force: boolean },
): Promise<void> {
  const absolute = path.resolve(target);
  const existing = await lstat(absolute).catch(() => undefined);
  if (existing && !options.force) throw existsError(target);
  if (existing && !existing.isFile()) {
    throw new MixsmithError(
      'OUTPUT_UNSAFE',
      `--html ${target} is not a regular file; --force replaces only an earlier report`,
      {
        where: { file: target },
        hint: 'choose another --html',
      },
    );
  }
  const temporary = path.join(
    path.dirname(absolute),
    `.${path.basename(absolute)}.partial-${randomBytes(6).toString('hex')}`,
  );
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    if (options.force) await rename(temporary, absolute);
    else await link(temporary, absolute);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST' && !options.force) throw existsError(target);
    throw new MixsmithError(
      'OUTPUT_IO',
      `cannot write the report ${target}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      {
        where: { file: target },
        cause,
        hint: 'check that the folder exists and is writable',
      },
    );
  } finally {
    await rm(temporary, { force: true });
  }
}
