/**
 * Re-read the selected records, map them exactly as the scan did, check that each still has the
 * key the scan saw, render them in the output schema and put them in their output position.
 */
import { MixsmithError } from '../errors.js';
import { readAt } from '../io/read-at.js';
import type { OrderSpool } from '../io/order-spool.js';
import type { OutputSpec } from '../recipe/types.js';
import type { Sample } from '../sample.js';
import { renderRecord } from '../output/render.js';
import { analyzeBody, parseRecord } from './analyze-record.js';
import type { ScanResult } from './scan.js';
import type { PlacedRecord, Selection } from './select.js';

export interface MaterializeOptions {
  readonly seed: number;
  readonly dedup: boolean;
  readonly output: OutputSpec;
  readonly signal?: AbortSignal | undefined;
  /** Global spool position of a placed record (train first, then validation). */
  readonly spoolPosition: (record: PlacedRecord) => number;
}

export async function materialize(scan: ScanResult, selection: Selection, spool: OrderSpool, options: MaterializeOptions): Promise<void> {
  const byFile = new Map<number, PlacedRecord[]>();
  for (const record of selection.records) {
    const list = byFile.get(record.candidate.fileIndex) ?? [];
    list.push(record);
    byFile.set(record.candidate.fileIndex, list);
  }
  for (const [fileIndex, records] of [...byFile].sort((a, b) => a[0] - b[0])) {
    const file = scan.files[fileIndex]!;
    const mapper = scan.mappers.get(fileIndex)!;
    records.sort((a, b) => a.candidate.offset - b.candidate.offset);
    const extents = records.map((r) => r.candidate);
    let i = 0;
    for await (const raw of readAt(file.absolutePath, extents, { format: file.format, displayPath: file.displayPath, signal: options.signal })) {
      if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
      const placed = records[i++]!;
      const value = parseRecord(raw);
      const body = mapper.toBody(value);
      const { key } = analyzeBody(body, { seed: options.seed, ...(options.dedup ? {} : { distinctSuffix: `${file.displayPath}:${raw.line}` }) });
      if (key !== placed.candidate.key) {
        throw new MixsmithError('INPUT_CHANGED', `${file.displayPath}:${raw.line} changed while mixsmith was reading it`, {
          where: { file: file.displayPath, line: raw.line },
          hint: 'do not modify inputs during a run; run again',
        });
      }
      const origin = `${file.displayPath}:${raw.line}`;
      const sample: Sample = { id: `${file.source}:${origin}`, source: file.source, group: placed.group, origin, body, meta: mapper.toMeta(value), raw: value };
      await spool.put(options.spoolPosition(placed), JSON.stringify(renderRecord(sample, options.output.schema, options.output.provenance)));
    }
    if (i !== records.length) {
      throw new MixsmithError('INPUT_CHANGED', `${file.displayPath} is shorter than when it was scanned`, {
        where: { file: file.displayPath },
        hint: 'do not modify inputs during a run; run again',
      });
    }
  }
}
