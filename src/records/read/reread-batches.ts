/**
 * One file's wanted records read again by offset (read-at.ts) and handed to worker threads as
 * bytes, in batches, whose results come back in the order the batches were sent: the loop the
 * write phase's render workers and the post-scan filters' fact workers share. This thread only
 * reads and packs; the workers decode, parse, map and check each record (reread-record.ts).
 *
 * Only JSONL records read by offset qualify, checked by crc32 or by reading the whole file
 * (`rereadsAsBytes`): others (CSV, Parquet, JSON arrays, compressed files the scan did not copy)
 * are read on this thread (read-candidates.ts).
 */
import { MixsmithError } from '../../errors.js';
import { releaseMemory } from '../../workers/release-memory.js';
import type { FieldMapping, PresetName } from '../../recipe/types.js';
import { RecordError } from '../map/record-error.js';
import { changed, type FileReading, shorter, type WantedRecord } from './read-candidates.js';
import { readAtBatches } from './read-at.js';
import type { RereadContext, RereadFailure, RereadInput } from './reread-record.js';

/** A batch closes at this many bytes of records, or at BATCH_RECORDS records. */
export const BATCH_BYTES = 1 << 20;
export const BATCH_RECORDS = 2048;
/**
 * A record this long goes to a worker alone, in the memory it was read into when that memory is
 * its own (copying a 300 MB record into a batch held it twice), and with no other batch in flight:
 * one worker holds it while the others wait, so the pool need not be sized for it (materialize.ts).
 */
export const ALONE_RECORD_BYTES = 4 * BATCH_BYTES;

/**
 * Memory for batches: each batch's buffers come back with its results and are used again, so a
 * phase allocates a few of them, not one or two per batch (fresh buffers would make V8 count
 * gigabytes of external memory and collect for it).
 */
export class BufferRecycler {
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
  take(): RereadInput {
    const n = this.count;
    const input: RereadInput = {
      bytes: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used),
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

/** Whether a file's wanted records, read as `reading` says, can go to workers as bytes (see above). */
export function rereadsAsBytes(mapperSchemas: ReadonlyMap<number, unknown>, reading: FileReading): boolean {
  return (
    mapperSchemas.has(reading.file.index) &&
    reading.byOffset &&
    (reading.wholeFile !== undefined || reading.candidates.every((c) => c.crc32 >= 0))
  );
}

/** Where a file's batches go, and what becomes of their results. */
export interface BatchedReread<R extends { readonly input: Uint8Array }> {
  /** Batches sent and not yet delivered, at most. */
  readonly inFlight: number;
  /** One batch of the file whose records `context` describes (the same object for all its batches). */
  send(context: RereadContext, input: RereadInput): Promise<R | RereadFailure>;
  /** A batch's result, in the order batches were sent; `first`: its first record's index in the file's reading. */
  deliver(first: number, result: R): Promise<void> | void;
}

/**
 * Reads one file's wanted records as `reading` says (`rereadsAsBytes` must hold; `schema`: the
 * file's mapper as the scan used it) and hands them to `batched` in batches, in offset order.
 * Throws INPUT_CHANGED at the first record no longer what the scan saw.
 */
export async function rereadFileInBatches<R extends { readonly input: Uint8Array }>(
  reading: FileReading,
  wanted: readonly WantedRecord[],
  schema: PresetName | FieldMapping,
  batched: BatchedReread<R>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { file, indexes, candidates } = reading;
  const groupIds = new Map<string, number>();
  for (const i of indexes) if (!groupIds.has(wanted[i]!.group)) groupIds.set(wanted[i]!.group, groupIds.size);
  const context: RereadContext = {
    file: file.index,
    displayPath: file.displayPath,
    source: file.source,
    encoding: file.encoding ?? 'utf-8',
    schema,
    check: reading.wholeFile ? 'chars' : 'crc32',
    groups: [...groupIds.keys()],
  };
  const packer = new BatchPacker();
  const inFlight: { readonly first: number; readonly result: Promise<R | RereadFailure> }[] = [];
  const deliverHead = async () => {
    const { first, result: pending } = inFlight.shift()!;
    const result = await pending;
    if ('changedAt' in result) {
      const k = first + result.changedAt;
      const cause = result.cause && new RecordError(result.cause.code, result.cause.message, result.cause.hint);
      throw changed(file, { line: reading.extents[k]!.line }, cause);
    }
    if ('error' in result) throw new MixsmithError(result.error.code, result.error.message, result.error.options);
    await batched.deliver(first, result);
    packer.inputs.give(result.input.buffer);
  };
  let sent = 0;
  const send = async () => {
    const count = packer.count;
    const result = batched.send(context, packer.take());
    // Awaited in turn below; a batch left behind by an earlier failure must not count as unhandled.
    result.catch(() => {});
    inFlight.push({ first: sent, result });
    sent += count;
    while (inFlight.length >= batched.inFlight) await deliverHead();
  };
  let n = 0;
  for await (const batch of readAtBatches(reading.path, reading.extents, reading.options)) {
    if (signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
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
  if (signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
  if (n !== indexes.length) throw shorter(file);
}
