/**
 * Re-read the selected records once and render each in the output schema. A record selected by
 * several sweep points is read and rendered once; `onLine` places it wherever it belongs.
 */
import { renderOutput } from '../output/render.js';
import type { OutputSpec } from '../recipe/types.js';
import type { Candidate } from './candidate.js';
import { type ReadCandidatesOptions, readCandidates, type WantedRecord } from './read-candidates.js';
import type { ScanResult } from './scan.js';

export type { WantedRecord } from './read-candidates.js';

export interface MaterializeOptions extends ReadCandidatesOptions {
  readonly output: OutputSpec;
}

export async function materialize(
  scan: ScanResult,
  wanted: readonly WantedRecord[],
  onLine: (candidate: Candidate, line: string) => Promise<void>,
  options: MaterializeOptions,
): Promise<void> {
  await readCandidates(scan, wanted, (candidate, sample) => onLine(candidate, JSON.stringify(renderOutput(sample, options.output))), options);
}
