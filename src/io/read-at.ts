/**
 * Read chosen records again by position.
 *
 * - plain JSONL / JSON arrays / CSV: a `pread` per record at its byte offset, no matter the file
 *   size (CSV reads its header first and parses each row against it);
 * - Parquet: only the row groups that hold a wanted row (`offset` is the row index);
 * - gzip / zstd streams: decompressed once more, the wanted offsets picked as they pass.
 */
import { open } from 'node:fs/promises';
import { byteStream } from './byte-stream.js';
import { detectCompression } from './compression.js';
import { type CsvHeader, csvRow, readCsvHeader } from './csv-records.js';
import type { RecordFormat } from './detect-format.js';
import { parquetRowsAt } from './parquet-records.js';
import type { RawRecord } from './raw-record.js';
import { readRecords } from './read-records.js';
import { encodingProblem, recordDecoder } from './text-encoding.js';

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
}

async function* preadRecords(file: string, extents: readonly Extent[], options: ReadAtOptions): AsyncGenerator<RawRecord> {
  const encoding = options.encoding ?? 'utf-8';
  let header: CsvHeader | undefined;
  if (options.format === 'csv' || options.format === 'tsv') {
    header = await readCsvHeader(byteStream(file, { displayPath: options.displayPath }), { format: options.format, encoding, displayPath: options.displayPath });
  }
  const decode = recordDecoder(encoding);
  const handle = await open(file, 'r');
  try {
    for (const extent of extents) {
      if (options.signal?.aborted) return;
      const buffer = Buffer.allocUnsafe(extent.length);
      const { bytesRead } = await handle.read(buffer, 0, extent.length, extent.offset);
      const bytes = buffer.subarray(0, bytesRead);
      if (header) {
        yield csvRow(header, { line: extent.line, offset: extent.offset, bytes });
        continue;
      }
      const text = decode(bytes);
      yield text === undefined ? { ...extent, text: '', problem: encodingProblem(encoding, bytes) } : { ...extent, text };
    }
  } finally {
    await handle.close();
  }
}

/** Yields the records at `extents` (sorted by offset), in that order. */
export async function* readAt(file: string, extents: readonly Extent[], options: ReadAtOptions): AsyncGenerator<RawRecord> {
  if (options.format === 'parquet') {
    yield* parquetRowsAt(
      file,
      extents.map((e) => e.offset),
      options,
    );
    return;
  }
  if ((await detectCompression(file, options.displayPath)) === 'none') {
    yield* preadRecords(file, extents, options);
    return;
  }
  let next = 0;
  for await (const batch of readRecords(file, options)) {
    for (const record of batch) {
      while (next < extents.length && record.offset === extents[next]!.offset) {
        yield record;
        next++;
      }
    }
    if (next >= extents.length) return;
  }
}
