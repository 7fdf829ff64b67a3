/**
 * Re-read the selected records once and render each in the output schema, as its JSON line. A
 * record selected by several sweep points is read and rendered once; `onLine` places it wherever
 * it belongs. JSONL records read by offset are rendered in worker threads when there are enough
 * of them (render-in-workers.ts); the rest here. Either way each line is the same.
 */
import { renderOutput } from './render.js';
import { jsonLineInPieces } from './json-in-pieces.js';
import { ALONE_RENDER_BYTES } from './render-lines.js';
import { stringifyRecord } from '../json/exact-numbers.js';
import type { OutputSpec } from '../recipe/types.js';
import { type BatchRenderer, InlineRenderer, RenderPool } from './render-pool.js';
import { defaultWorkerCount, MIN_POOL_BYTES } from '../workers/worker-pool.js';
import {
  byFile,
  fileReading,
  type ReadCandidatesOptions,
  readFileCandidates,
  type WantedRecord,
} from '../records/read/read-candidates.js';
import { ALONE_RECORD_BYTES, BATCH_BYTES, BATCH_RECORDS } from '../records/read/reread-batches.js';
import { renderFileInWorkers, rendersInWorkers } from './render-in-workers.js';
import type { ScanResult } from '../select/scan.js';
import { collectGarbage } from '../workers/release-memory.js';

export type { WantedRecord } from '../records/read/read-candidates.js';

export interface MaterializeOptions extends ReadCandidatesOptions {
  readonly output: OutputSpec;
  /**
   * Worker threads for rendering (0: all on this thread). Absent: one per core up to 4, when the
   * wanted records hold 4 MB or more. The output is the same for any count.
   */
  readonly workers?: number | undefined;
  /** The mappings' meta keys (output-meta.ts): rendered records carry them in `meta`. */
  readonly metaKeys?: readonly string[] | undefined;
}

/**
 * What the wanted records besides the huge ones (rendered one at a time, with nothing else in
 * flight: render-in-workers.ts) make: their bytes and batches. More workers than batches would
 * only sit idle, each costing its memory (with one 300 MB record among 50 small ones, a second
 * worker was 60 MB of the peak).
 */
function ordinaryWork(wanted: readonly WantedRecord[]): { bytes: number; batches: number; huge: boolean } {
  let bytes = 0;
  let records = 0;
  for (const { candidate } of wanted) {
    if (candidate.length >= ALONE_RECORD_BYTES) continue;
    bytes += candidate.length;
    records++;
  }
  const batches = Math.max(1, Math.ceil(bytes / BATCH_BYTES), Math.ceil(records / BATCH_RECORDS));
  return { bytes, batches, huge: records < wanted.length };
}

/**
 * Where `wanted` is rendered: a render pool, or undefined for this thread. Huge records take the
 * workers' step on this thread (`InlineRenderer`) when the rest would not have a pool: a worker
 * started for them alone adds its own memory (~60 MB under tsx) to their peak.
 */
function renderPoolFor(wanted: readonly WantedRecord[], options: MaterializeOptions): BatchRenderer | undefined {
  const count = options.workers ?? defaultWorkerCount();
  const work = ordinaryWork(wanted);
  if (count < 1 || (options.workers === undefined && work.bytes < MIN_POOL_BYTES))
    return work.huge ? new InlineRenderer() : undefined;
  return new RenderPool(Math.min(count, work.batches), options.signal);
}

/**
 * `onLine` gets the record's index in `wanted` and its line, as a string or as UTF-8 bytes (`owned`
 * when that memory is the line's alone, never reused); it returns a promise only when it has
 * something to wait for (a spool going to disk).
 */
export async function materialize(
  scan: ScanResult,
  wanted: readonly WantedRecord[],
  onLine: (index: number, line: string | Uint8Array, owned?: boolean) => Promise<void> | undefined,
  options: MaterializeOptions,
): Promise<void> {
  const { schema, provenance, template, target, format } = options.output;
  // The scan's copies of a huge record are garbage V8 may not have collected yet: gone before the
  // record is read again beside them (collectGarbage says why).
  if (wanted.some(({ candidate }) => candidate.length >= ALONE_RECORD_BYTES || candidate.chars >= ALONE_RENDER_BYTES))
    collectGarbage();
  const pool = renderPoolFor(wanted, options);
  try {
    for (const [fileIndex, indexes] of byFile(wanted)) {
      const reading = await fileReading(scan, fileIndex, indexes, wanted, options.signal);
      if (pool && rendersInWorkers(scan, reading)) {
        await renderFileInWorkers(pool, scan, reading, wanted, onLine, {
          output: { schema, provenance, template, target, format, metaKeys: options.metaKeys },
          signal: options.signal,
        });
      } else {
        await readFileCandidates(
          scan,
          reading,
          wanted,
          (candidate, sample, index) => {
            const rendered = renderOutput(sample, { ...options.output, metaKeys: options.metaKeys });
            // A huge record's line as UTF-8 in pieces (the same bytes): its JSON text whole would be one more
            // copy. That memory is the line's alone: the spool may keep it rather than copy it.
            if (candidate.chars >= ALONE_RENDER_BYTES) return onLine(index, jsonLineInPieces(rendered), true);
            return onLine(index, stringifyRecord(rendered));
          },
          options,
        );
      }
    }
  } finally {
    await pool?.close();
  }
}
