/**
 * Read one file as (line, parsed value, body) through the shared readers, with the file's bytes
 * hashed on the way: the audit verifies a shard's sha256 in the same pass that measures it.
 * A record that is not JSON or does not fit its schema is handed to `onInvalid`, never thrown:
 * an audit reports bad records, it does not stop at the first.
 */
import { createHash } from 'node:crypto';
import { detectFormat } from '../records/read/detect-format.js';
import type { RecordFormat } from '../recipe/names.js';
import type { RawRecord, RecordProblem } from '../records/read/raw-record.js';
import { sniffEncoding } from '../records/read/sniff-encoding.js';
import { readRecords } from '../records/read/read-records.js';
import type { SampleBody } from '../sample.js';
import { RecordError } from '../records/map/record-error.js';
import { type AuditSchema, type BodyReader, bodyReaderFor } from './record-body.js';

export interface FileRef {
  readonly absolutePath: string;
  readonly displayPath: string;
}

/** Where a record's bytes sit, so it can be read again by `io/read-at` (Parquet: `offset` is the row index). */
export type RecordPosition = Pick<RawRecord, 'line' | 'offset' | 'length' | 'row' | 'element'>;

export interface FileRecordHandlers {
  /** `line`: where the record starts (Parquet: its row); `ordinal`: its 1-based place in the file. */
  readonly onRecord: (
    line: number,
    value: unknown,
    body: SampleBody,
    ordinal: number,
    position: RecordPosition,
  ) => void;
  readonly onInvalid: (line: number, message: string) => void;
  /** Awaited after each batch the reader delivers (the audit hands its records on to worker threads here). */
  readonly onBatch?: () => Promise<void> | void;
}

export interface FileReadResult {
  readonly format: RecordFormat;
  /** The text encoding the file was read in: declared, detected (line formats) or UTF-8 (JSON, Parquet). */
  readonly encoding: string;
  /** Records whose bytes could not be read as a value (wrong encoding, not JSON, a broken CSV row), and the first such problem. */
  readonly unreadable: number;
  readonly firstUnreadable?: RecordProblem & { readonly line: number };
  /** The reader used: a preset name or `fields`; `none` when the file had no record. */
  readonly schema: string;
  /** Records read, valid or not. */
  readonly records: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** Formats whose text encoding is the file's choice (JSON and Parquet are UTF-8 by definition). */
const hasEncoding = (format: RecordFormat) => format === 'jsonl' || format === 'csv' || format === 'tsv';

/**
 * The encoding to read a file in: `declared` for JSONL/CSV/TSV unless it is `auto`, then a guess
 * from the first 64 KiB (UTF-8 or GB18030, as inspect guesses); UTF-8 for the other formats.
 */
export async function encodingOf(file: FileRef, format: RecordFormat, declared: string): Promise<string> {
  if (!hasEncoding(format)) return 'utf-8';
  return declared === 'auto' ? sniffEncoding(file.absolutePath, file.displayPath) : declared;
}

/** Row formats (Parquet, CSV) hand over a parsed `value`; JSON text is parsed here. */
function parsedValue(raw: RawRecord): unknown {
  return raw.value !== undefined ? raw.value : JSON.parse(raw.text);
}

export async function readFileRecords(
  file: FileRef,
  options: {
    readonly schema: AuditSchema;
    readonly signal?: AbortSignal | undefined;
    readonly encoding?: string | undefined;
  },
  handlers: FileRecordHandlers,
): Promise<FileReadResult> {
  const format = await detectFormat(file.absolutePath, file.displayPath, 'auto');
  const encoding = await encodingOf(file, format, options.encoding ?? 'auto');
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  let unreadable = 0;
  let firstUnreadable: FileReadResult['firstUnreadable'];
  const cannotRead = (line: number, problem: RecordProblem) => {
    unreadable++;
    firstUnreadable ??= { ...problem, line };
    handlers.onInvalid(line, problem.message);
  };
  let reader: BodyReader | undefined;
  const onFileBytes = (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  };
  for await (const batch of readRecords(file.absolutePath, {
    format,
    encoding,
    displayPath: file.displayPath,
    onFileBytes,
    signal: options.signal,
  })) {
    for (const raw of batch) {
      records++;
      if (raw.problem) {
        cannotRead(raw.line, raw.problem);
        continue;
      }
      let value: unknown;
      try {
        value = parsedValue(raw);
      } catch (cause) {
        cannotRead(raw.line, {
          code: 'INPUT_JSON',
          message: `not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`,
        });
        continue;
      }
      reader ??= bodyReaderFor(options.schema, value);
      let body: SampleBody;
      try {
        body = reader.toBody(value);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        handlers.onInvalid(raw.line, error.message);
        continue;
      }
      handlers.onRecord(raw.line, value, body, records, raw);
    }
    await handlers.onBatch?.();
  }
  return {
    format,
    encoding,
    unreadable,
    ...(firstUnreadable ? { firstUnreadable } : {}),
    schema: reader?.name ?? 'none',
    records,
    bytes,
    sha256: hash.digest('hex'),
  };
}
