/**
 * The write phase's re-read records rendered in worker threads: this thread reads the wanted
 * records of a file by offset and packs their bytes into batches (records/read/reread-batches.ts),
 * and hands each line on, in offset order, as the batches come back (render-lines.ts does the
 * work). Batches are consumed in the order they were sent, so the lines, and the output, are the
 * same as rendering on this thread (materialize.ts) for any worker count.
 *
 * Only JSONL records read by offset qualify, checked by crc32 or by reading the whole file:
 * others (CSV, Parquet, JSON arrays, compressed files the scan did not copy) stay on this thread.
 */
import type { RenderSpec } from './render.js';
import type { BatchRenderer } from './render-pool.js';
import { IN_FLIGHT_PER_WORKER } from '../workers/worker-pool.js';
import type { FileReading, WantedRecord } from '../records/read/read-candidates.js';
import {
  BATCH_BYTES,
  BufferRecycler,
  type BatchedReread,
  rereadFileInBatches,
  rereadsAsBytes,
} from '../records/read/reread-batches.js';
import type { RereadContext } from '../records/read/reread-record.js';
import type { RenderContext, RenderedBatch } from './render-lines.js';
import type { ScanResult } from '../select/scan.js';

/** Gets the line (UTF-8, no newline) of `wanted[index]`; returns a promise only when there is something to wait for. */
export type OnLineBytes = (index: number, line: Uint8Array) => Promise<void> | undefined;

export interface RenderInWorkersOptions {
  readonly output: RenderSpec;
  readonly signal?: AbortSignal | undefined;
}

/** Whether a file's wanted records, read as `reading` says, can be rendered in workers (see above). */
export function rendersInWorkers(scan: ScanResult, reading: FileReading): boolean {
  return rereadsAsBytes(scan.mapperSchemas, reading);
}

/**
 * Renders one file's wanted records, read as `reading` says (`rendersInWorkers` must hold), in
 * `pool`, handing each line to `onLine` in offset order.
 */
export async function renderFileInWorkers(
  pool: BatchRenderer,
  scan: ScanResult,
  reading: FileReading,
  wanted: readonly WantedRecord[],
  onLine: OnLineBytes,
  options: RenderInWorkersOptions,
): Promise<void> {
  const { indexes } = reading;
  const outputs = new BufferRecycler(BATCH_BYTES + (BATCH_BYTES >> 1));
  let context: RenderContext | undefined;
  const batched: BatchedReread<RenderedBatch> = {
    inFlight: pool.size * IN_FLIGHT_PER_WORKER,
    send: (base: RereadContext, input) => {
      context ??= { ...base, output: options.output };
      return pool.render(context, { ...input, out: outputs.take() });
    },
    deliver: async (first, result) => {
      for (let k = 0, start = 0; k < result.ends.length; start = result.ends[k++]!) {
        const pending = onLine(indexes[first + k]!, result.bytes.subarray(start, result.ends[k]!));
        if (pending) await pending;
      }
      outputs.give(result.bytes.buffer);
    },
  };
  await rereadFileInBatches(reading, wanted, scan.mapperSchemas.get(reading.file.index)!, batched, options.signal);
}
