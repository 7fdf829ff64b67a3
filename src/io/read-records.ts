/** One entry point for every reader: a file in, batches of raw records out. */
import { byteStream } from './byte-stream.js';
import type { RecordFormat } from './detect-format.js';
import { jsonArrayRecords } from './json-array-records.js';
import { lineRecords } from './line-records.js';
import type { RawRecord } from './raw-record.js';

export interface ReadRecordsOptions {
  readonly format: RecordFormat;
  readonly displayPath: string;
  readonly onFileBytes?: (chunk: Buffer) => void;
  readonly signal?: AbortSignal | undefined;
}

export function readRecords(file: string, options: ReadRecordsOptions): AsyncGenerator<RawRecord[]> {
  const bytes = byteStream(file, options);
  return options.format === 'json' ? jsonArrayRecords(bytes, options.displayPath) : lineRecords(bytes);
}
