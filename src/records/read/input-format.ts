/**
 * What every input format implements: its name, the file extensions that name it, how its records
 * are placed, and a reader from a file to batches of raw records. records/read/input-formats.ts
 * lists the formats; adding one is one module of this shape plus one line there.
 */
import type { GzipDecoder } from '../../io/byte-stream.js';
import type { ZstdDecoder } from '../../io/zstd-stream.js';
import type { ReadLimits } from '../../io/read-limits.js';
import type { RecordFormat } from '../../recipe/names.js';
import type { RawRecord } from './raw-record.js';

export interface ReadRecordsOptions {
  readonly format: RecordFormat;
  readonly displayPath: string;
  /** The text encoding of line formats; UTF-8 when absent. Parquet stores UTF-8 by definition. */
  readonly encoding?: string | undefined;
  readonly onFileBytes?: ((chunk: Buffer) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly zstdDecoder?: ZstdDecoder;
  readonly gzipDecoder?: GzipDecoder;
  /** Limits while reading (io/read-limits.ts); the defaults when absent. */
  readonly limits?: ReadLimits | undefined;
  /** Parquet: only the row groups starting in these rows (a staged facts part); other formats refuse it. */
  readonly rows?: { readonly start: number; readonly end: number } | undefined;
}

export interface InputFormatReader {
  readonly name: RecordFormat;
  /** Lower-case extensions (with the dot, before any .gz/.zst) that name this format. */
  readonly extensions: readonly string[];
  /** How messages name the format and its extensions. */
  readonly description: string;
  /** Where a record sits: the line it starts on (JSONL, CSV/TSV), its row (Parquet) or its element (JSON arrays, keyed objects). */
  readonly position: 'line' | 'row' | 'element';
  /** Batches of the file's records; fails with MixsmithError for problems of the whole file. */
  read(file: string, options: ReadRecordsOptions): AsyncGenerator<RawRecord[]>;
}
