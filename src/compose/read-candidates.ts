/**
 * Re-read chosen candidates as samples, in file and offset order (a few `pread`s for plain
 * files), mapping them exactly as the scan did and checking each still has the key the scan saw.
 * Used to materialise the output and to shingle candidates for near-duplicate removal.
 */
import { MixsmithError } from '../errors.js';
import { originOf, whereOf } from '../io/raw-record.js';
import { readAt } from '../io/read-at.js';
import type { Sample } from '../sample.js';
import { analyzeBody, parseRecord } from './analyze-record.js';
import type { Candidate } from './candidate.js';
import type { ScanResult } from './scan.js';

export interface WantedRecord {
  readonly candidate: Candidate;
  readonly group: string;
}

export interface ReadCandidatesOptions {
  readonly seed: number;
  readonly dedup: boolean;
  readonly signal?: AbortSignal | undefined;
}

export async function readCandidates(
  scan: ScanResult,
  wanted: readonly WantedRecord[],
  onSample: (candidate: Candidate, sample: Sample) => Promise<void> | void,
  options: ReadCandidatesOptions,
): Promise<void> {
  const byFile = new Map<number, WantedRecord[]>();
  for (const record of wanted) {
    const list = byFile.get(record.candidate.fileIndex) ?? [];
    list.push(record);
    byFile.set(record.candidate.fileIndex, list);
  }
  for (const [fileIndex, records] of [...byFile].sort((a, b) => a[0] - b[0])) {
    const file = scan.files[fileIndex]!;
    const mapper = scan.mappers.get(fileIndex)!;
    records.sort((a, b) => a.candidate.offset - b.candidate.offset);
    let i = 0;
    for await (const raw of readAt(file.absolutePath, records.map((r) => r.candidate), { format: file.format, encoding: file.encoding, displayPath: file.displayPath, signal: options.signal })) {
      if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
      const { candidate, group } = records[i++]!;
      const value = parseRecord(raw);
      const body = mapper.toBody(value);
      const origin = originOf(file.displayPath, raw);
      const { key } = analyzeBody(body, { seed: options.seed, ...(options.dedup ? {} : { distinctSuffix: `${file.displayPath}:${raw.line}` }) });
      if (key !== candidate.key) {
        throw new MixsmithError('INPUT_CHANGED', `${origin} changed while mixsmith was reading it`, {
          where: whereOf(file.displayPath, raw),
          hint: 'do not modify inputs during a run; run again',
        });
      }
      await onSample(candidate, { id: `${file.source}:${origin}`, source: file.source, group, origin, body, meta: mapper.toMeta(value), raw: value });
    }
    if (i !== records.length) {
      throw new MixsmithError('INPUT_CHANGED', `${file.displayPath} is shorter than when it was scanned`, {
        where: { file: file.displayPath },
        hint: 'do not modify inputs during a run; run again',
      });
    }
  }
}
