/**
 * JSONL as records: the lines of `lineBatches` (line-batches.ts), each decoded on its own (see
 * text-encoding.ts), so a bad byte becomes a problem of that line, not of the file.
 */
import { type LineBatch, type LineBatchOptions, lineBatches } from './line-batches.js';
import type { RawRecord } from './raw-record.js';
import { encodingProblem, type RecordDecoder, recordDecoder } from './text-encoding.js';

/** The `i`-th line of `batch` as a record. */
export function lineRecordAt(batch: LineBatch, i: number, decode: RecordDecoder, encoding: string): RawRecord {
  const bytes = batch.bytes.subarray(batch.starts[i]!, batch.ends[i]!);
  const line = batch.lines[i]!;
  const offset = batch.base + batch.starts[i]!;
  const text = decode(bytes);
  if (text === undefined)
    return { line, offset, length: bytes.length, text: '', problem: encodingProblem(encoding, bytes) };
  return { line, offset, length: bytes.length, text };
}

/** Yields the records of each batch of lines. */
export async function* lineRecords(
  chunks: AsyncIterable<Buffer>,
  encoding = 'utf-8',
  options: LineBatchOptions = {},
): AsyncGenerator<RawRecord[]> {
  const decode = recordDecoder(encoding);
  for await (const batch of lineBatches(chunks, options)) {
    const records = new Array<RawRecord>(batch.starts.length);
    for (let i = 0; i < records.length; i++) records[i] = lineRecordAt(batch, i, decode, encoding);
    yield records;
  }
}
