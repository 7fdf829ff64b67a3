/**
 * A batch of records as the scan sees it, whatever the reader: positions for every record, and
 * the record itself on demand. JSONL arrives as undecoded lines (io/line-batches.ts), so this
 * thread never decodes a record unless it must (the file's first records, errors, a tokenizer);
 * the other formats arrive as records their readers already made.
 */
import type { BlockPool } from '../../io/block-pool.js';
import { type LineBatch, lineBatches } from './line-batches.js';
import { lineRecordAt } from './line-records.js';
import type { RawRecord, RecordPlace } from './raw-record.js';
import { byteStream } from '../../io/byte-stream.js';
import type { ReadRecordsOptions } from './input-format.js';
import { withLineOnFailure } from './read-failure.js';
import { readRecords } from './read-records.js';
import { type RecordDecoder, recordDecoder } from './text-encoding.js';

export interface ScanBatch {
  readonly size: number;
  lineAt(i: number): number;
  offsetAt(i: number): number;
  lengthAt(i: number): number;
  /** Where the i-th record sits, as provenance and errors name it (line, row for Parquet, element for JSON arrays). */
  placeAt(i: number): RecordPlace;
  /** The i-th record, decoded if it was not yet. */
  recordAt(i: number): RawRecord;
  /** The i-th record's bytes as read, when the batch still has them (undecoded lines). */
  bytesAt(i: number): Uint8Array | undefined;
  /** Records `start` up to (not including) `end`. */
  slice(start: number, end?: number): ScanBatch;
}

/** Records a reader already made (CSV, Parquet, JSON arrays, small tests). */
export class RecordsBatch implements ScanBatch {
  constructor(readonly records: readonly RawRecord[]) {}

  get size(): number {
    return this.records.length;
  }

  lineAt(i: number): number {
    return this.records[i]!.line;
  }

  offsetAt(i: number): number {
    return this.records[i]!.offset;
  }

  lengthAt(i: number): number {
    return this.records[i]!.length;
  }

  placeAt(i: number): RecordPlace {
    return this.records[i]!;
  }

  recordAt(i: number): RawRecord {
    return this.records[i]!;
  }

  bytesAt(): undefined {
    return undefined;
  }

  slice(start: number, end = this.size): RecordsBatch {
    return new RecordsBatch(this.records.slice(start, end));
  }
}

/** Undecoded JSONL lines. While a worker holds the bytes, only positions may be read. */
export class LinesBatch implements ScanBatch {
  constructor(
    readonly lines: LineBatch,
    readonly encoding: string,
    private readonly decode: RecordDecoder = recordDecoder(encoding),
  ) {}

  get size(): number {
    return this.lines.starts.length;
  }

  lineAt(i: number): number {
    return this.lines.lines[i]!;
  }

  offsetAt(i: number): number {
    return this.lines.base + this.lines.starts[i]!;
  }

  lengthAt(i: number): number {
    return this.lines.ends[i]! - this.lines.starts[i]!;
  }

  placeAt(i: number): RecordPlace {
    return { line: this.lines.lines[i]! };
  }

  recordAt(i: number): RawRecord {
    return lineRecordAt(this.lines, i, this.decode, this.encoding);
  }

  bytesAt(i: number): Uint8Array {
    return this.lines.bytes.subarray(this.lines.starts[i]!, this.lines.ends[i]!);
  }

  slice(start: number, end = this.size): LinesBatch {
    const { bytes, starts, ends, lines, base } = this.lines;
    return new LinesBatch(
      {
        bytes,
        starts: starts.subarray(start, end),
        ends: ends.subarray(start, end),
        lines: lines.subarray(start, end),
        base,
      },
      this.encoding,
      this.decode,
    );
  }
}

/**
 * The records of a plain JSONL file that start in bytes `start`…`end` (exclusive): `start` is a
 * line start (records/read/line-start.ts) with its line number `line`; the record that starts
 * before `end` is read whole, wherever it ends.
 */
export interface LineRange {
  readonly start: number;
  readonly line: number;
  readonly end: number;
}

/** Batches of `file` for the scan: JSONL as undecoded lines, everything else as records; `range`: one piece of a plain JSONL file. */
export async function* scanBatches(
  file: string,
  options: ReadRecordsOptions,
  blocks?: BlockPool,
  range?: LineRange,
): AsyncGenerator<ScanBatch> {
  if (options.format !== 'jsonl') {
    if (range) throw new Error(`only JSONL is read in pieces, not ${options.format}`);
    for await (const records of readRecords(file, options)) yield new RecordsBatch(records);
    return;
  }
  const encoding = options.encoding ?? 'utf-8';
  const decode = recordDecoder(encoding);
  const batches = lineBatches(byteStream(file, { ...options, ...(range ? { startByte: range.start } : {}) }), {
    blocks,
    displayPath: options.displayPath,
    limits: options.limits,
    ...(range ? { startByte: range.start, startLine: range.line } : {}),
  });
  const withLines = withLineOnFailure(batches, (batch) => batch.lines[batch.lines.length - 1], options.displayPath);
  for await (const lines of withLines) {
    const batch = new LinesBatch(lines, encoding, decode);
    if (!range) {
      yield batch;
      continue;
    }
    // Lines are in offset order: keep those that start before the end, and stop at the first that does not.
    let keep = 0;
    while (keep < batch.size && batch.offsetAt(keep) < range.end) keep++;
    if (keep > 0) yield keep === batch.size ? batch : batch.slice(0, keep);
    if (keep < batch.size) return;
  }
}
