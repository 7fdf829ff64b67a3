/**
 * One entry point for every reader: a file in, batches of raw records out, by the format's module
 * (input-formats.ts). JSON formats yield text for the scan to parse; row formats (CSV, Parquet)
 * yield parsed values.
 */
import type { ReadRecordsOptions } from './input-format.js';
import { INPUT_FORMAT_READERS } from './input-formats.js';
import type { RawRecord } from './raw-record.js';

/** Batches of records of `file` in `options.format`; fails with MixsmithError for problems of the whole file. */
export function readRecords(file: string, options: ReadRecordsOptions): AsyncGenerator<RawRecord[]> {
  if (options.rows && options.format !== 'parquet')
    throw new Error(`only Parquet is read by rows, not ${options.format}`);
  return INPUT_FORMAT_READERS[options.format].read(file, options);
}
