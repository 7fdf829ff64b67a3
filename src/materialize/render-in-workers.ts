/**
 * The write phase's re-read records rendered in worker threads: this thread reads the wanted
 * records of a file by offset (io/read-at.ts), packs their bytes into batches and hands each line
 * on, in offset order, as the batches come back (compose/render-lines.ts does the work). Batches
 * are consumed in the order they were sent, so the lines, and the output, are the same as
 * rendering on this thread (materialize.ts) for any worker count.
 *
 * Only JSONL records read by offset qualify, checked by crc32 or by reading the whole file:
 * others (CSV, Parquet, JSON arrays, compressed files the scan did not copy) stay on this thread.
 */
import { MixsmithError } from '../errors.js';
import { releaseMemory } from '../workers/release-memory.js';
import { readAtBatches } from '../records/read/read-at.js';
import type { RenderSpec } from './render.js';
import { RecordError } from '../records/map/record-error.js';
import type { BatchRenderer } from './render-pool.js';
import { IN_FLIGHT_PER_WORKER } from '../workers/worker-pool.js';
import { changed, type FileReading, shorter, type WantedRecord } from '../records/read/read-candidates.js';
import type { RenderContext, RenderedLines, RenderInput } from './render-lines.js';
import type { ScanResult } from '../select/scan.js';

/** A batch closes at this many bytes of records, or at BATCH_RECORDS records. */
export const BATCH_BYTES = 1 << 20;
export const BATCH_RECORDS = 2048;
/**
 * A record this long goes to a worker alone, in the memory it was read into when that memory is
 * its own (copying a 300 MB record into a batch held it twice), and with no other batch in flight:
 * one worker holds it while the others wait, so the pool need not be sized for it (materialize.ts).
 */
export const ALONE_RECORD_BYTES = 4 * BATCH_BYTES;

/** Gets the line (UTF-8, no newline) of `wanted[index]`; returns a promise only when there is something to wait for. */
export type OnLineBytes = (index: number, line: Uint8Array) => Promise<void> | undefined;

export interface RenderInWorkersOptions {
  readonly output: RenderSpec;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Memory for batches: each batch's input and output buffers come back with its lines and are
 * used again, so the write phase allocates a few of them, not two per batch (fresh buffers would
 * make V8 count gigabytes of external memory and collect for it).
 */
class BufferRecycler {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly size: number) {}

  take(): ArrayBuffer {
    return this.free.pop() ?? new ArrayBuffer(this.size);
  }

  /** Keeps `buffer` for reuse; one grown past a few batches (a huge record's) is freed at once instead. */
  give(buffer: ArrayBufferLike): void {
    if (buffer.byteLength > 4 * this.size) void releaseMemory(buffer);
    else if (buffer.byteLength >= this.size && buffer instanceof ArrayBuffer) this.free.push(buffer);
  }
}

/** Records packed for one batch. */
class BatchPacker {
  readonly inputs = new BufferRecycler(BATCH_BYTES);
  readonly outputs = new BufferRecycler(BATCH_BYTES + (BATCH_BYTES >> 1));
  private bytes = Buffer.from(this.inputs.take());
  private used = 0;
  private readonly ends = new Uint32Array(BATCH_RECORDS);
  private readonly lines = new Float64Array(BATCH_RECORDS);
  private readonly groups = new Uint16Array(BATCH_RECORDS);
  private readonly lengths = new Float64Array(BATCH_RECORDS);
  private readonly expect = new Float64Array(BATCH_RECORDS);
  count = 0;

  /** With `own`, `record`'s memory is its alone (read-at.ts `ownBytesOf`): alone in the batch, it is taken, not copied. */
  add(record: Uint8Array, line: number, group: number, length: number, expect: number, own = false): void {
    if (own && this.count === 0 && record.buffer instanceof ArrayBuffer) {
      this.inputs.give(this.bytes.buffer);
      this.bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
      this.used = record.byteLength;
      this.ends[0] = this.used;
      this.lines[0] = line;
      this.groups[0] = group;
      this.lengths[0] = length;
      this.expect[0] = expect;
      this.count = 1;
      return;
    }
    if (this.used + record.length > this.bytes.length) {
      const grown = Buffer.from(new ArrayBuffer(Math.max(this.bytes.length * 2, this.used + record.length)));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.bytes.set(record, this.used);
    this.used += record.length;
    this.ends[this.count] = this.used;
    this.lines[this.count] = line;
    this.groups[this.count] = group;
    this.lengths[this.count] = length;
    this.expect[this.count] = expect;
    this.count++;
  }

  get full(): boolean {
    return this.count === BATCH_RECORDS || this.used >= BATCH_BYTES;
  }

  /** The batch so far, in memory of its own (to transfer); the packer starts a new one. */
  take(): RenderInput {
    const n = this.count;
    const input: RenderInput = {
      bytes: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used),
      out: this.outputs.take(),
      ends: this.ends.slice(0, n),
      lines: this.lines.slice(0, n),
      groups: this.groups.slice(0, n),
      lengths: this.lengths.slice(0, n),
      expect: this.expect.slice(0, n),
    };
    this.bytes = Buffer.from(this.inputs.take());
    this.used = 0;
    this.count = 0;
    return input;
  }
}

/** Whether a file's wanted records, read as `reading` says, can be rendered in workers (see above). */
export function rendersInWorkers(scan: ScanResult, reading: FileReading): boolean {
  return (
    scan.mapperSchemas.has(reading.file.index) &&
    reading.byOffset &&
    (reading.wholeFile !== undefined || reading.candidates.every((c) => c.crc32 >= 0))
  );
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
  const { file, indexes, candidates } = reading;
  const schema = scan.mapperSchemas.get(file.index)!;
  const groupIds = new Map<string, number>();
  for (const i of indexes) if (!groupIds.has(wanted[i]!.group)) groupIds.set(wanted[i]!.group, groupIds.size);
  const context: RenderContext = {
    file: file.index,
    displayPath: file.displayPath,
    source: file.source,
    encoding: file.encoding ?? 'utf-8',
    schema,
    output: options.output,
    check: reading.wholeFile ? 'chars' : 'crc32',
    groups: [...groupIds.keys()],
  };
  const packer = new BatchPacker();
  const inFlight: { readonly first: number; readonly lines: Promise<RenderedLines> }[] = [];
  const deliverHead = async () => {
    const { first, lines } = inFlight.shift()!;
    const result = await lines;
    if ('changedAt' in result) {
      const k = first + result.changedAt;
      const cause = result.cause && new RecordError(result.cause.code, result.cause.message, result.cause.hint);
      throw changed(file, { line: reading.extents[k]!.line }, cause);
    }
    if ('error' in result) throw new MixsmithError(result.error.code, result.error.message, result.error.options);
    for (let k = 0, start = 0; k < result.ends.length; start = result.ends[k++]!) {
      const pending = onLine(indexes[first + k]!, result.bytes.subarray(start, result.ends[k]!));
      if (pending) await pending;
    }
    packer.inputs.give(result.input.buffer);
    packer.outputs.give(result.bytes.buffer);
  };
  let sent = 0;
  const send = async () => {
    const count = packer.count;
    const lines = pool.render(context, packer.take());
    // Awaited in turn below; a batch left behind by an earlier failure must not count as unhandled.
    lines.catch(() => {});
    inFlight.push({ first: sent, lines });
    sent += count;
    while (inFlight.length >= pool.size * IN_FLIGHT_PER_WORKER) await deliverHead();
  };
  let n = 0;
  for await (const batch of readAtBatches(reading.path, reading.extents, reading.options)) {
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    for (let b = 0; b < batch.length; b++, n++) {
      const candidate = candidates[n]!;
      let bytes = batch.bytesOf(b)!;
      const alone = bytes.length >= ALONE_RECORD_BYTES;
      if (alone) {
        if (packer.count > 0) await send();
        while (inFlight.length > 0) await deliverHead();
      }
      const own = alone ? batch.ownBytesOf?.(b) : undefined;
      if (own) bytes = own;
      packer.add(
        bytes,
        reading.extents[n]!.line,
        groupIds.get(wanted[indexes[n]!]!.group)!,
        candidate.length,
        reading.wholeFile ? candidate.chars : candidate.crc32,
        own !== undefined,
      );
      if (alone || packer.full) await send();
      if (alone) while (inFlight.length > 0) await deliverHead();
    }
  }
  if (packer.count > 0) await send();
  while (inFlight.length > 0) await deliverHead();
  if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
  if (n !== indexes.length) throw shorter(file);
}
