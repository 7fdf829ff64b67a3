/** `mixsmith inspect SOURCE…`: every file the arguments name (files, folders, globs), each inspected. */
import { isMixsmithError, MixsmithError } from '../errors.js';
import { type ExpandedFile, expandPaths } from '../records/read/expand-paths.js';
import { type FileInspection, type InspectOptions, inspectFile } from './inspect-file.js';

async function filesOf(pattern: string, baseDir: string): Promise<ExpandedFile[]> {
  try {
    return await expandPaths([pattern], baseDir, pattern);
  } catch (error) {
    if (!isMixsmithError(error) || error.code !== 'INPUT_NOT_FOUND') throw error;
    throw new MixsmithError('INPUT_NOT_FOUND', `"${pattern}" matches no file (looked in ${baseDir})`, {
      where: { file: pattern },
      hint: 'check the path; quote a glob so the shell does not expand it',
    });
  }
}

/** Inspections in argument order, files of one argument sorted by path. */
export async function inspectSources(patterns: readonly string[], baseDir: string, options: InspectOptions): Promise<FileInspection[]> {
  const inspections: FileInspection[] = [];
  for (const pattern of patterns) {
    for (const file of await filesOf(pattern, baseDir)) inspections.push(await inspectFile(file, options));
  }
  return inspections;
}
