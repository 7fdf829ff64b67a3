/**
 * Re-read the selected records once, map them exactly as the scan did, check that each still has
 * the key the scan saw, and render each in the output schema. A record selected by several sweep
 * points is read and rendered once; `onLine` places it wherever it belongs.
 */
import { MixsmithError } from '../errors.js';
import { originOf, whereOf } from '../io/raw-record.js';
import { readAt } from '../io/read-at.js';
import { renderOutput } from '../output/render.js';
import type { OutputSpec } from '../recipe/types.js';
import type { Sample } from '../sample.js';
import { analyzeBody, parseRecord } from './analyze-record.js';
import type { Candidate } from './candidate.js';
import type { ScanResult } from './scan.js';

export interface WantedRecord {
  readonly candidate: Candidate;
  readonly group: string;
}

export interface MaterializeOptions {
  readonly seed: number;
  readonly dedup: boolean;
  readonly output: OutputSpec;
  readonly signal?: AbortSignal | undefined;
}

export async function materialize(
  scan: ScanResult,
  wanted: readonly WantedRecord[],
  onLine: (candidate: Candidate, line: string) => Promise<void>,
  options: MaterializeOptions,
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
      const { key } = analyzeBody(body, { seed: options.seed, ...(options.dedup ? {} : { distinctSuffix: `${file.displayPath}:${raw.line}` }) });
      if (key !== candidate.key) {
        const origin = originOf(file.displayPath, raw);
        throw new MixsmithError('INPUT_CHANGED', `${origin} changed while mixsmith was reading it`, {
          where: whereOf(file.displayPath, raw),
          hint: 'do not modify inputs during a run; run again',
        });
      }
      const origin = originOf(file.displayPath, raw);
      const sample: Sample = { id: `${file.source}:${origin}`, source: file.source, group, origin, body, meta: mapper.toMeta(value), raw: value };
      await onLine(candidate, JSON.stringify(renderOutput(sample, options.output)));
    }
    if (i !== records.length) {
      throw new MixsmithError('INPUT_CHANGED', `${file.displayPath} is shorter than when it was scanned`, {
        where: { file: file.displayPath },
        hint: 'do not modify inputs during a run; run again',
      });
    }
  }
}
