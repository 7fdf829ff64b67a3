/**
 * `mixsmith inspect SOURCE…`: every file the arguments name (files, folders, globs), each
 * inspected. A file that cannot be read (its format, its bytes, a path that matches nothing) is
 * reported with its error and the other files are still inspected.
 */
import { isMixsmithError, MixsmithError } from '../errors.js';
import { type ExpandedFile, expandPaths } from '../records/read/expand-paths.js';
import { type FileInspection, type InspectOptions, inspectFile } from './inspect-file.js';

/** A file (or an argument that matches no file) that could not be inspected. */
export interface FileFailure {
  readonly file: string;
  readonly error: MixsmithError;
}

/** One file's outcome: its inspection, or why there is none. */
export type InspectOutcome = { readonly file: string; readonly inspection: FileInspection } | FileFailure;

export const isFailure = (outcome: InspectOutcome): outcome is FileFailure => 'error' in outcome;

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

/** A problem of this file alone (its format, bytes, encoding), as opposed to a bug or an interruption. */
const isFileProblem = (error: unknown): error is MixsmithError =>
  isMixsmithError(error) && error.code !== 'INTERRUPTED' && error.code !== 'INTERNAL';

/** Every file's outcome in argument order, files of one argument sorted by path; only bugs and interruptions stop it. */
export async function inspectEachSource(
  patterns: readonly string[],
  baseDir: string,
  options: InspectOptions,
): Promise<InspectOutcome[]> {
  const outcomes: InspectOutcome[] = [];
  for (const pattern of patterns) {
    let files: ExpandedFile[];
    try {
      files = await filesOf(pattern, baseDir);
    } catch (error) {
      if (!isFileProblem(error)) throw error;
      outcomes.push({ file: pattern, error });
      continue;
    }
    for (const file of files) {
      try {
        outcomes.push({ file: file.displayPath, inspection: await inspectFile(file, options) });
      } catch (error) {
        if (!isFileProblem(error)) throw error;
        outcomes.push({ file: file.displayPath, error });
      }
    }
  }
  return outcomes;
}

/** Inspections in argument order, files of one argument sorted by path; the first file that cannot be read throws. */
export async function inspectSources(
  patterns: readonly string[],
  baseDir: string,
  options: InspectOptions,
): Promise<FileInspection[]> {
  const outcomes = await inspectEachSource(patterns, baseDir, options);
  const failure = outcomes.find(isFailure);
  if (failure) throw failure.error;
  return outcomes.map((o) => (o as { inspection: FileInspection }).inspection);
}
