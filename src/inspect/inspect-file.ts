/**
 * `mixsmith inspect` for one file: what mixsmith detects (format, compression, encoding, schema)
 * and what the data holds (records, invalid rows with their first locations, exact and
 * normalised duplicates, length percentiles, a few samples after mapping).
 *
 * One streaming pass with the compose readers and the compose per-record steps, so inspect
 * reports exactly what compose would see. Memory: the readers' batch, two 64-bit fingerprint
 * tables for duplicate counts (≈ 40 bytes per distinct record) and one counter per distinct
 * length; nothing grows with the bytes of the file.
 */
import { parseRecord } from '../records/facts/analyze-record.js';
import { formatWhere, MixsmithError } from '../errors.js';
import { charCount } from '../records/map/char-count.js';
import { type Compression, detectCompression } from '../io/compression.js';
import { detectFormat } from '../records/read/detect-format.js';
import type { RecordFormat } from '../recipe/names.js';
import type { ExpandedFile } from '../records/read/expand-paths.js';
import { isRowFormat, originOf, type RawRecord, whereOf } from '../records/read/raw-record.js';
import { readRecords } from '../records/read/read-records.js';
import { sniffEncoding } from '../records/read/sniff-encoding.js';
import { stableStringify } from '../json/stable-json.js';
import type { InputFormat, SchemaSpec } from '../recipe/types.js';
import { type SampleBody, sampleText } from '../sample.js';
import { RecordError } from '../records/map/record-error.js';
import { mapperFor, type RecordMapper } from '../records/map/schema-for.js';
import { FingerprintTable } from '../select/fingerprint-table.js';
import { contentKey, fingerprintOf } from '../keys/hashing.js';
import { normalizeForKey } from '../keys/normalize.js';
import { CountHistogram, type Percentiles } from './count-histogram.js';

export interface InspectOptions {
  readonly format: InputFormat;
  /** An encoding name, or `auto` to guess (utf-8 or gb18030) from the first 64 KiB. */
  readonly encoding: string;
  readonly schema: SchemaSpec;
  readonly signal?: AbortSignal | undefined;
  readonly maxExamples?: number;
  readonly maxInvalidExamples?: number;
}

export interface InvalidExample {
  readonly where: string;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export interface ExampleSample {
  readonly origin: string;
  readonly body?: SampleBody;
  /** The record as read, when no schema could be applied. */
  readonly raw?: unknown;
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface FileInspection {
  readonly file: string;
  readonly bytes: number;
  readonly format: RecordFormat;
  readonly compression: Compression;
  /** `declared` (given), `detected` (guessed from content) or `fixed` (the format has one). */
  readonly encoding: { readonly name: string; readonly how: 'declared' | 'detected' | 'fixed' };
  /** The preset or `mapping` applied; null with `problem` when auto-detection found none. */
  readonly schema: { readonly name: string | null; readonly how: 'declared' | 'detected'; readonly problem?: string };
  readonly records: number;
  readonly valid: number;
  readonly invalid: {
    readonly count: number;
    readonly byCode: Readonly<Record<string, number>>;
    readonly first: readonly InvalidExample[];
  };
  /**
   * Copies beyond the first: `exact` of the record as read, `normalized` of its mapped text (what
   * compose dedups); null when no record could be mapped (no schema fits, or every record failed).
   */
  readonly duplicates: { readonly exact: number; readonly normalized: number | null };
  /** Valid records whose mapped text is empty (compose drops them as `filtered.empty`). */
  readonly empty: number;
  readonly lengths: { readonly chars: Percentiles | null; readonly turns: Percentiles | null };
  readonly examples: readonly ExampleSample[];
}

function isNew(table: FingerprintTable, key: string): boolean {
  const [hi, lo] = fingerprintOf(key);
  return table.claim(hi, lo, 0) === -1;
}

function fixedEncoding(format: RecordFormat): boolean {
  return isRowFormat(format) || format === 'json' || format === 'json-object';
}

async function encodingFor(
  file: ExpandedFile,
  format: RecordFormat,
  declared: string,
): Promise<FileInspection['encoding']> {
  if (isRowFormat(format) || (fixedEncoding(format) && declared === 'auto')) return { name: 'utf-8', how: 'fixed' };
  if (declared !== 'auto') return { name: declared, how: 'declared' };
  return { name: await sniffEncoding(file.absolutePath, file.displayPath), how: 'detected' };
}

/** Inspect one file; throws MixsmithError only for problems of the whole file (format, I/O). */
export async function inspectFile(file: ExpandedFile, options: InspectOptions): Promise<FileInspection> {
  const maxExamples = options.maxExamples ?? 3;
  const maxInvalid = options.maxInvalidExamples ?? 5;
  const format = await detectFormat(file.absolutePath, file.displayPath, options.format);
  const compression = isRowFormat(format) ? 'none' : await detectCompression(file.absolutePath, file.displayPath);
  const encoding = await encodingFor(file, format, options.encoding);
  const exactKeys = new FingerprintTable(undefined, false);
  const textKeys = new FingerprintTable(undefined, false);
  const chars = new CountHistogram();
  const turns = new CountHistogram();
  const invalidByCode: Record<string, number> = {};
  const invalidFirst: InvalidExample[] = [];
  const examples: ExampleSample[] = [];
  let records = 0;
  let valid = 0;
  let invalid = 0;
  let exactDuplicates = 0;
  let normalizedDuplicates = 0;
  let empty = 0;
  let mapped = 0;
  let bytes = 0;
  let mapper: RecordMapper | undefined;
  let schemaProblem: string | undefined;

  const recordInvalid = (raw: RawRecord, error: RecordError) => {
    invalid++;
    invalidByCode[error.code] = (invalidByCode[error.code] ?? 0) + 1;
    if (invalidFirst.length < maxInvalid) {
      invalidFirst.push({
        where: formatWhere(whereOf(file.displayPath, raw)),
        code: error.code,
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
  };

  const reading = readRecords(file.absolutePath, {
    format,
    encoding: encoding.name,
    displayPath: file.displayPath,
    signal: options.signal,
    onFileBytes: (chunk) => {
      bytes += chunk.length;
    },
  });
  for await (const batch of reading) {
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    for (const raw of batch) {
      records++;
      let value: unknown;
      try {
        value = parseRecord(raw);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        recordInvalid(raw, error);
        continue;
      }
      if (!isNew(exactKeys, contentKey(stableStringify(value)))) exactDuplicates++;
      if (!mapper && schemaProblem === undefined) {
        try {
          mapper = mapperFor(options.schema, value);
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          schemaProblem = `${error.message}${error.hint ? `; ${error.hint}` : ''}`;
        }
      }
      if (!mapper) {
        valid++;
        if (examples.length < maxExamples) examples.push({ origin: originOf(file.displayPath, raw), raw: value });
        continue;
      }
      let body: SampleBody;
      try {
        body = mapper.toBody(value);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        recordInvalid(raw, error);
        continue;
      }
      valid++;
      mapped++;
      const text = sampleText(body);
      const normalized = normalizeForKey(text);
      if (normalized === '') empty++;
      if (!isNew(textKeys, contentKey(normalized))) normalizedDuplicates++;
      chars.add(charCount(text));
      turns.add(body.kind === 'chat' ? body.messages.length : 1);
      if (examples.length < maxExamples)
        examples.push({ origin: originOf(file.displayPath, raw), body, meta: mapper.toMeta(value) });
    }
  }
  const declared = options.schema !== 'auto';
  return {
    file: file.displayPath,
    bytes,
    format,
    compression,
    encoding,
    schema: {
      name: mapper?.name ?? null,
      how: declared ? 'declared' : 'detected',
      ...(schemaProblem ? { problem: schemaProblem } : {}),
    },
    records,
    valid,
    invalid: { count: invalid, byCode: invalidByCode, first: invalidFirst },
    duplicates: { exact: exactDuplicates, normalized: mapped > 0 ? normalizedDuplicates : null },
    empty,
    lengths: { chars: chars.summary() ?? null, turns: turns.summary() ?? null },
    examples,
  };
}
