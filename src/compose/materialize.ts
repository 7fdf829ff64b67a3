/**
 * Re-read the selected records once and render each in the output schema, as its JSON line. A
 * record selected by several sweep points is read and rendered once; `onLine` places it wherever
 * it belongs.
 */
import { renderOutput } from '../output/render.js';
import type { OutputSpec } from '../recipe/types.js';
import { type ReadCandidatesOptions, readCandidates, type WantedRecord } from './read-candidates.js';
import type { ScanResult } from './scan.js';

export type { WantedRecord } from './read-candidates.js';

export interface MaterializeOptions extends ReadCandidatesOptions {
  readonly output: OutputSpec;
}

/**
 * `onLine` gets the record's index in `wanted` and its line; it returns a promise only when it
 * has something to wait for (a spool going to disk).
 */
export async function materialize(
  scan: ScanResult,
  wanted: readonly WantedRecord[],
  onLine: (index: number, line: string) => Promise<void> | undefined,
  options: MaterializeOptions,
): Promise<void> {
  await readCandidates(scan, wanted, (_candidate, sample, index) => onLine(index, JSON.stringify(renderOutput(sample, options.output))), options);
}
