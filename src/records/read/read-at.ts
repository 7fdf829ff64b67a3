/**
 * Read chosen records again by position, a batch at a time.
 *
 * - plain JSONL / JSON arrays / CSV: records are read a window of up to 2 MiB at a time
 *   (io/read-windows.ts), the next window read while this one's records are used (CSV reads its
 *   header first and parses each row against it). With `wholeFile`, every byte is read and
 *   hashed on the way, and a file whose size or sha256 is no longer the scan's is INPUT_CHANGED;
 * - Parquet: only the row groups that hold a wanted row (`offset` is the row index);
 * - Arrow IPC: read once more batch by batch, the wanted rows (`offset` is the row index) picked;
 * - gzip / zstd streams, and keyed JSON objects (whose records carry the keys of the levels
 *   above them, which their own bytes do not hold): read once more, the wanted offsets picked as
 *   they pass.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { MixsmithError } from '../../errors.js';
import { byteStream } from '../../io/byte-stream.js';
import { detectCompression } from '../../io/compression.js';
import type { ReadLimits } from '../../io/read-limits.js';
import { mayHoldInexactNumberBytes } from '../../json/exact-numbers.js';
import { releaseMemory } from '../../workers/release-memory.js';
import { HUGE_ELEMENT_BYTES } from './json-array-records.js';
import { parseLongStrings } from './long-string-json.js';
import { type CsvHeader, csvRow, ownCsvRow, readCsvHeader } from './csv-records.js';
import type { RecordFormat } from '../../recipe/names.js';
import { parquetRowsAt } from './parquet-records.js';
import { isElementFormat, isRowFormat, placeOf, type RawRecord } from './raw-record.js';
import { lineBatches } from './line-batches.js';
import { lineRecordAt } from './line-records.js';
import { readRecords } from './read-records.js';
import {
  coveringWindowAt,
  DEFAULT_WINDOW_LIMITS,
  type ReadWindow,
  type WindowLimits,
  windowAt,
  windowBytes,
} from './read-windows.js';
import { encodingProblem, isUtf8Name, type RecordDecoder, recordDecoder } from './text-encoding.js';

export interface Extent {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
}

export interface ReadAtOptions {
  readonly format: RecordFormat;
  readonly displayPath: string;
  readonly encoding?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Window sizes for plain files; the defaults suit every caller (tests make them small). */
  readonly windows?: WindowLimits | undefined;
  /**
   * Read every byte of the file, not only the records, and check the file against this size and
   * sha256 (the scan's): the records then need no check of their own. Only for files that
   * `readsByOffset` accepts.
   */
  readonly wholeFile?: FileCheck | undefined;
  /** The source's limits while reading; the defaults when absent. */
  readonly limits?: ReadLimits | undefined;
}

/** What the scan saw of a file. */
export interface FileCheck {
  readonly bytes: number;
  readonly sha256: string;
}

/** Records per batch for formats read record by record (Parquet). */
const ROW_BATCH = 1024;

interface FilledWindow {
  readonly window: ReadWindow;
  /** The ranges' bytes, packed one after another. */
  readonly bytes: Buffer;
  /** Per range, where its bytes begin in `bytes` and where the bytes actually read end (short at the end of the file). */
  readonly from: Float64Array;
  readonly to: Float64Array;
  /** Whether `bytes` is memory of its own (a window larger than the reader's buffers), not one of those. */
  readonly own: boolean;
}

/**
 * Two window buffers used in turn: one is being filled while the records of the other are handed
 * out. A batch's records are decoded as they are asked for, so a buffer is free again once the
 * batch after its own is asked for. A window larger than the buffers (one huge record) gets a
 * buffer of its own.
 *
 * A window of one range is read with one `pread` on the thread pool, while the previous window's
 * records are used. A window of many small ranges (a sparse pick) reads them with `readSync`, one
 * after another: each is a copy from the page cache or a disk read that a promise per range would
 * only slow down.
 */
class WindowReader {
  private readonly buffers: [Buffer, Buffer];
  private turn = 0;

  constructor(
    private readonly handle: FileHandle,
    bufferBytes: number,
  ) {
    this.buffers = [Buffer.allocUnsafe(bufferBytes), Buffer.allocUnsafe(bufferBytes)];
  }

  async read(window: ReadWindow): Promise<FilledWindow> {
    const size = windowBytes(window);
    const own = this.buffers[this.turn]!;
    this.turn ^= 1;
    const bytes = size <= own.length ? own : Buffer.allocUnsafe(size);
    const from = new Float64Array(window.ranges.length);
    const to = new Float64Array(window.ranges.length);
    let at = 0;
    for (const [r, range] of window.ranges.entries()) {
      const length = range.end - range.start;
      let filled = 0;
      // A short read means the file ended (or shrank): the records past it come back cut short.
      while (filled < length) {
        const bytesRead =
          window.ranges.length === 1
            ? (await this.handle.read(bytes, at + filled, length - filled, range.start + filled)).bytesRead
            : readSync(this.handle.fd, bytes, at + filled, length - filled, range.start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      from[r] = at;
      to[r] = at + filled;
      at += length;
    }
    return { window, bytes, from, to, own: bytes !== own };
  }
}

/**
 * Records read together. A record is decoded when asked for, so that only the window's bytes
 * (outside the JS heap) wait, not a thousand decoded strings: use a batch's records before asking
 * for the next batch, whose bytes may go where this one's were.
 */
export interface RecordBatch {
  readonly length: number;
  record(index: number): RawRecord;
  /** The record's bytes as read, for line formats read by offset; undefined otherwise. */
  bytesOf(index: number): Uint8Array | undefined;
  /**
   * `bytesOf`, when its memory is the record's alone, read for it (one huge record): the caller
   * may keep it or transfer it to a worker. Undefined when the memory is shared or reused.
   */
  ownBytesOf?(index: number): Uint8Array | undefined;
  /**
   * Settles once the memory `record` gave back is free (the window of a huge JSON-array element or CSV row, once
   * parsed); undefined when it gave none back. A caller about to allocate as much awaits it.
   */
  freed?(): Promise<void> | undefined;
}

function arrayBatch(records: readonly RawRecord[]): RecordBatch {
  return { length: records.length, record: (index) => records[index]!, bytesOf: () => undefined };
}

/**
 * A huge JSON-array element's value from its bytes, without its text, or undefined (decode and
 * parse it as always): only when no output could need the text (it may hold a number a double
 * would change, which passthrough output takes from the text), and when long-string-json.ts is
 * certain. Its window, its own, is rewritten and given back: nothing reads it after.
 */
function hugeElementValue(element: Uint8Array, encoding: string): { value: unknown; freed: Promise<void> } | undefined {
  if (!isUtf8Name(encoding) || mayHoldInexactNumberBytes(element)) return undefined;
  const value = parseLongStrings(element);
  return value === undefined ? undefined : { value, freed: releaseMemory(element.buffer) };
}

function windowBatch(
  filled: FilledWindow,
  extents: readonly Extent[],
  decode: RecordDecoder,
  encoding: string,
  header: CsvHeader | undefined,
  elements: boolean,
): RecordBatch {
  const { window, bytes, from, to } = filled;
  const { ranges } = window;
  // Where each record's bytes sit in the buffer: the last range that starts at or before it.
  const count = window.last - window.first;
  const starts = new Float64Array(count);
  const limits = new Float64Array(count);
  for (let i = 0, r = 0; i < count; i++) {
    const offset = extents[window.first + i]!.offset;
    while (r + 1 < ranges.length && offset >= ranges[r + 1]!.start) r++;
    starts[i] = from[r]! + offset - ranges[r]!.start;
    limits[i] = to[r]!;
  }
  // A window of UTF-8 that is all ASCII decodes record by record as Latin-1 (a plain copy),
  // unchecked. Asked at the first record decoded: callers that only take bytes never pay for it.
  const bytesOf = (index: number): Uint8Array | undefined => {
    // A huge element's window is given back once parsed (hugeElementValue): no bytes then.
    if (header || bytes.buffer.byteLength === 0) return undefined;
    const end = Math.min(starts[index]! + extents[window.first + index]!.length, limits[index]!);
    return bytes.subarray(Math.min(starts[index]!, limits[index]!), end);
  };
  let asciiWindow: boolean | undefined;
  let freeing: Promise<void> | undefined;
  const isAsciiWindow = () =>
    (asciiWindow ??= header === undefined && isUtf8Name(encoding) && isAscii(bytes.subarray(0, to[to.length - 1])));
  return {
    length: count,
    record(index) {
      const ascii = isAsciiWindow();
      const extent = extents[window.first + index]!;
      const begin = Math.min(starts[index]!, limits[index]!);
      const end = Math.min(starts[index]! + extent.length, limits[index]!);
      // JSON arrays number their elements: `line` is the element (raw-record.ts).
      const position = {
        ...(elements ? placeOf('json', extent.line) : { line: extent.line }),
        offset: extent.offset,
        length: extent.length,
      };
      if (elements && filled.own && count === 1 && extent.length >= HUGE_ELEMENT_BYTES) {
        const huge = hugeElementValue(bytes.subarray(begin, end), encoding);
        if (huge) {
          freeing = huge.freed;
          return { ...position, text: '', value: huge.value };
        }
      }
      if (ascii) return { ...position, text: bytes.toString('latin1', begin, end) };
      const slice = bytes.subarray(begin, end);
      if (header) {
        const record = { line: extent.line, offset: extent.offset, bytes: slice };
        if (!filled.own || count !== 1) return csvRow(header, record);
        // A window of its own holds one (huge) row: cut from its bytes, then given back.
        const { row, freed } = ownCsvRow(header, { ...record, own: true });
        freeing = freed;
        return row;
      }
      const text = decode(slice);
      return text === undefined
        ? { ...position, text: '', problem: encodingProblem(encoding, slice) }
        : { ...position, text };
    },
    bytesOf,
    ownBytesOf: (index) => (filled.own && count === 1 ? bytesOf(index) : undefined),
    freed: () => freeing,
  };
}

async function* preadBatches(
  file: string,
  extents: readonly Extent[],
  options: ReadAtOptions,
): AsyncGenerator<RecordBatch> {
  if (extents.length === 0) return;
  const encoding = options.encoding ?? 'utf-8';
  const limits = options.windows ?? DEFAULT_WINDOW_LIMITS;
  const check = options.wholeFile;
  let header: CsvHeader | undefined;
  if (options.format === 'csv' || options.format === 'tsv') {
    header = await readCsvHeader(byteStream(file, { displayPath: options.displayPath }), {
      format: options.format,
      encoding,
      displayPath: options.displayPath,
    });
  }
  const decode = recordDecoder(encoding);
  // Whole-file windows are contiguous from byte 0 to the scanned size, so the hash sees every byte in order.
  const windowFrom = (first: number, start: number) =>
    check ? coveringWindowAt(extents, first, start, check.bytes, limits) : windowAt(extents, first, limits);
  const endOf = (window: ReadWindow) => window.ranges[window.ranges.length - 1]!.end;
  const more = (window: ReadWindow) =>
    window.last < extents.length || (check !== undefined && endOf(window) < check.bytes);
  const hash = check ? createHash('sha256') : undefined;
  const handle = await open(file, 'r');
  const reader = new WindowReader(handle, limits.windowBytes);
  let ahead: Promise<FilledWindow> | undefined = reader.read(windowFrom(0, 0));
  try {
    while (ahead) {
      const filled: FilledWindow = await ahead;
      ahead = more(filled.window) ? reader.read(windowFrom(filled.window.last, endOf(filled.window))) : undefined;
      if (options.signal?.aborted) return;
      // Whole-file windows have one range: the bytes read, in file order.
      hash?.update(filled.bytes.subarray(0, filled.to[0]));
      if (filled.window.last > filled.window.first)
        yield windowBatch(filled, extents, decode, encoding, header, isElementFormat(options.format));
    }
    if (check && ((await handle.stat()).size !== check.bytes || hash!.digest('hex') !== check.sha256)) {
      throw new MixsmithError(
        'INPUT_CHANGED',
        `${options.displayPath} changed while mixsmith was reading it (its size or sha256 is no longer what the scan saw)`,
        {
          where: { file: options.displayPath },
          hint: 'do not modify inputs during a run; run again',
        },
      );
    }
  } finally {
    // A read still in flight must finish before its handle closes.
    await ahead?.catch(() => {});
    await handle.close();
  }
}

/** Formats whose records are read again by reading the file again (Parquet by its row groups, Arrow batch by batch, keyed objects for their keys). */
const notByOffset = (format: RecordFormat) => isRowFormat(format) || format === 'json-object';

/** Whether `readAtBatches` reads this file by offset (plain line formats), which `wholeFile` needs. */
export async function readsByOffset(file: string, format: RecordFormat, displayPath: string): Promise<boolean> {
  return !notByOffset(format) && (await detectCompression(file, displayPath)) === 'none';
}

/** Yields the records at `extents` (sorted by offset), in that order, in batches. */
export async function* readAtBatches(
  file: string,
  extents: readonly Extent[],
  options: ReadAtOptions,
): AsyncGenerator<RecordBatch> {
  if (options.wholeFile && !(await readsByOffset(file, options.format, options.displayPath))) {
    throw new MixsmithError('INTERNAL', `${options.displayPath} is not read by offset, so it cannot be checked whole`);
  }
  if (options.format === 'parquet') {
    let batch: RawRecord[] = [];
    for await (const record of parquetRowsAt(
      file,
      extents.map((e) => e.offset),
      options,
    )) {
      batch.push(record);
      if (batch.length >= ROW_BATCH) {
        yield arrayBatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) yield arrayBatch(batch);
    return;
  }
  if (!notByOffset(options.format) && (await detectCompression(file, options.displayPath)) === 'none') {
    yield* preadBatches(file, extents, options);
    return;
  }
  if (options.format === 'jsonl') {
    yield* pickedLines(file, extents, options);
    return;
  }
  let next = 0;
  for await (const batch of readRecords(file, options)) {
    const picked: RawRecord[] = [];
    for (const record of batch) {
      while (next < extents.length && record.offset === extents[next]!.offset) {
        picked.push(record);
        next++;
      }
    }
    if (picked.length > 0) yield arrayBatch(picked);
    if (next >= extents.length) return;
  }
}

/**
 * Compressed JSONL: decompressed once more, split into lines without decoding them, and only the
 * wanted lines decoded (decoding every line of the file cost more than decompressing it).
 */
async function* pickedLines(
  file: string,
  extents: readonly Extent[],
  options: ReadAtOptions,
): AsyncGenerator<RecordBatch> {
  const encoding = options.encoding ?? 'utf-8';
  const decode = recordDecoder(encoding);
  let next = 0;
  for await (const batch of lineBatches(byteStream(file, options), {
    displayPath: options.displayPath,
    limits: options.limits,
  })) {
    const picked: RawRecord[] = [];
    for (let i = 0; i < batch.starts.length && next < extents.length; i++) {
      const offset = batch.base + batch.starts[i]!;
      // A record picked more than once (repeats) is read once per pick.
      if (offset !== extents[next]!.offset) continue;
      const record = lineRecordAt(batch, i, decode, encoding);
      while (next < extents.length && extents[next]!.offset === offset) {
        picked.push(record);
        next++;
      }
    }
    if (picked.length > 0) yield arrayBatch(picked);
    if (next >= extents.length) return;
  }
}

/** Yields the records at `extents` (sorted by offset), in that order. */
export async function* readAt(
  file: string,
  extents: readonly Extent[],
  options: ReadAtOptions,
): AsyncGenerator<RawRecord> {
  for await (const batch of readAtBatches(file, extents, options)) {
    for (let i = 0; i < batch.length; i++) yield batch.record(i);
  }
}
