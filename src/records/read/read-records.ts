/**
 * One entry point for every reader: a file in, batches of raw records out. JSON formats yield
 * text for the scan to parse; row formats (CSV, Parquet) yield parsed values.
 */
import { MixsmithError } from '../../errors.js';
import { byteStream, type GzipDecoder } from '../../io/byte-stream.js';
import { csvRecords } from './csv-records.js';
import type { RecordFormat } from './detect-format.js';
import { jsonArrayRecords } from './json-array-records.js';
import { lineRecords } from './line-records.js';
import { parquetRecords } from './parquet-records.js';
import type { RawRecord } from './raw-record.js';
import { isUtf8Name } from './text-encoding.js';
import type { ZstdDecoder } from '../../io/zstd-stream.js';

export interface ReadRecordsOptions {
  readonly format: RecordFormat;
  readonly displayPath: string;
  /** The text encoding of line formats; UTF-8 when absent. Parquet stores UTF-8 by definition. */
  readonly encoding?: string | undefined;
  readonly onFileBytes?: ((chunk: Buffer) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly zstdDecoder?: ZstdDecoder;
  readonly gzipDecoder?: GzipDecoder;
}

function refuseEncoding(options: ReadRecordsOptions): void {
  if (options.format !== 'json' || isUtf8Name(options.encoding ?? 'utf-8')) return;
  throw new MixsmithError('INPUT_ENCODING', `${options.displayPath}: a JSON array is read as UTF-8 only, not ${options.encoding}`, {
    where: { file: options.displayPath },
    hint: `JSON exchanged between systems is UTF-8 (RFC 8259): convert it (iconv -f ${options.encoding} -t utf-8), or write one record per line and use format: jsonl`,
  });
}

/**
 * A failure of the byte stream itself (truncated gzip/zstd) is reported at the line after the
 * last record read, so the user sees how far the file got. `lastLineOf` gives a batch's last line.
 */
export async function* withLineOnFailure<B>(batches: AsyncGenerator<B>, lastLineOf: (batch: B) => number | undefined, displayPath: string): AsyncGenerator<B> {
  let lastLine = 0;
  try {
    for await (const batch of batches) {
      lastLine = lastLineOf(batch) ?? lastLine;
      yield batch;
    }
  } catch (error) {
    if (error instanceof MixsmithError && error.code === 'INPUT_IO' && error.where?.line === undefined && lastLine > 0) {
      throw new MixsmithError('INPUT_IO', `${error.message}, after line ${lastLine}`, { where: { file: displayPath, line: lastLine + 1 }, hint: error.hint, cause: error.cause });
    }
    throw error;
  }
}

const lastRecordLine = (batch: RawRecord[]) => batch.at(-1)?.line;

/** Batches of records of `file` in `options.format`; fails with MixsmithError for problems of the whole file. */
export function readRecords(file: string, options: ReadRecordsOptions): AsyncGenerator<RawRecord[]> {
  if (options.format === 'parquet') return parquetRecords(file, options);
  refuseEncoding(options);
  const bytes = byteStream(file, options);
  const encoding = options.encoding ?? 'utf-8';
  switch (options.format) {
    case 'csv':
    case 'tsv':
      return withLineOnFailure(csvRecords(bytes, { format: options.format, encoding, displayPath: options.displayPath }), lastRecordLine, options.displayPath);
    case 'json':
      return withLineOnFailure(jsonArrayRecords(bytes, options.displayPath), lastRecordLine, options.displayPath);
    default:
      return withLineOnFailure(lineRecords(bytes, encoding), lastRecordLine, options.displayPath);
  }
}
