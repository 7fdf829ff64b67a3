/**
 * CSV/TSV with a header row as records: each row becomes an object keyed by the header, every
 * value a string ('' for an empty field). A row with the wrong number of fields, or bytes invalid
 * in the source's encoding, becomes a record with a `problem`, so `on_error: skip` can count it.
 */
import type { ReadLimits } from '../../io/read-limits.js';
import { MixsmithError } from '../../errors.js';
import { releaseMemory } from '../../workers/release-memory.js';
import { fieldsOfBytes } from './csv-byte-fields.js';
import { splitFields, textAfterClosingQuote } from './csv-fields.js';
import { type CsvRecordBytes, csvRecordBytes } from './csv-splitter.js';
import type { RawRecord } from './raw-record.js';
import { encodingProblem, isUtf8Name, type RecordDecoder, recordDecoder } from './text-encoding.js';

export type CsvFormat = 'csv' | 'tsv';

export interface CsvOptions {
  readonly format: CsvFormat;
  readonly encoding: string;
  readonly displayPath: string;
  readonly limits?: ReadLimits | undefined;
}

/** The parsed header row, and what decoding each row needs. */
export interface CsvHeader {
  readonly columns: readonly string[];
  readonly delimiter: string;
  readonly decode: RecordDecoder;
  readonly encoding: string;
}

export function delimiterOf(format: CsvFormat): string {
  return format === 'tsv' ? '\t' : ',';
}

/** Column names from the header row: a leading BOM dropped, empty names numbered (pandas writes one for its index). */
export function parseHeader(record: CsvRecordBytes, options: CsvOptions): CsvHeader {
  const decode = recordDecoder(options.encoding);
  const text = decode(record.bytes);
  const where = { file: options.displayPath, line: record.line };
  if (text === undefined) {
    const problem = encodingProblem(options.encoding, record.bytes);
    throw new MixsmithError(
      'INPUT_ENCODING',
      `${options.displayPath}:${record.line}: the header row: ${problem.message}`,
      { where, hint: problem.hint },
    );
  }
  const delimiter = delimiterOf(options.format);
  const stray = quotingProblem(text, delimiter, record.line);
  if (stray)
    throw new MixsmithError('INPUT_CSV', `${options.displayPath}:${record.line}: the header row: ${stray.message}`, {
      where,
      hint: stray.hint,
    });
  const columns = splitFields(text.replace(/^\uFEFF/, ''), delimiter).map((name, i) =>
    name === '' ? `column_${i + 1}` : name,
  );
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) {
      throw new MixsmithError(
        'INPUT_CSV',
        `${options.displayPath}:${record.line}: the header names the column "${name}" twice`,
        {
          where,
          hint: 'rename one of the columns so that every field of a row has its own name',
        },
      );
    }
    seen.add(name);
  }
  if (columns.length === 1 && options.format === 'csv' && text.includes('\t')) {
    throw new MixsmithError(
      'INPUT_CSV',
      `${options.displayPath}:${record.line}: the header has one column and contains tabs`,
      {
        where,
        hint: 'the file looks tab-separated: set format: tsv',
      },
    );
  }
  return { columns, delimiter, decode, encoding: options.encoding };
}

/**
 * Text after a closing quote (`"a"b`), as a problem of the row; it usually means a quote on the
 * row's first line is not closed, so the row ran on to the next `"` of the file and swallowed the
 * rows between (the field count can still match, which is why this is checked on its own).
 */
function quotingProblem(text: string, delimiter: string, line: number): { message: string; hint: string } | undefined {
  const at = textAfterClosingQuote(text, delimiter);
  if (at === -1) return undefined;
  let strayLine = line;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) strayLine++;
  const hint =
    'a field that starts with " must end with " right before the delimiter or the line end; write a " inside it as ""';
  if (strayLine === line) return { message: 'text follows the closing quote of a quoted field', hint };
  return {
    message: `a quote on this line seems never closed: the row runs on to line ${strayLine}, where text follows the quote that closes it`,
    hint,
  };
}

/** One data row as a record keyed by the header. */
export function csvRow(header: CsvHeader, record: CsvRecordBytes): RawRecord {
  const position = { line: record.line, offset: record.offset, length: record.bytes.length };
  const text = header.decode(record.bytes);
  if (text === undefined) return { ...position, text: '', problem: encodingProblem(header.encoding, record.bytes) };
  const stray = quotingProblem(text, header.delimiter, record.line);
  if (stray) return { ...position, text, problem: { code: 'INPUT_CSV', ...stray } };
  const fields = splitFields(text, header.delimiter);
  if (fields.length !== header.columns.length) {
    return {
      ...position,
      text,
      problem: {
        code: 'INPUT_CSV',
        message: `the row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.columns.length}`,
        hint: `a field holding "${header.delimiter === '\t' ? '\\t' : header.delimiter}", a quote or a line break must be quoted ("…", with "" for a quote inside)`,
      },
    };
  }
  return { ...position, text, value: Object.fromEntries(header.columns.map((name, i) => [name, fields[i]!])) };
}

/** Rows at least this long, their bytes their own, are cut into fields from their bytes (csv-byte-fields.ts). */
export const HUGE_ROW_BYTES = 16 << 20;

/**
 * `csvRow` for a row whose bytes are its own (`record.own`): a huge one is cut from its bytes,
 * which are given back then (`freed` settles once they are free); nothing may read them after.
 */
export function ownCsvRow(header: CsvHeader, record: CsvRecordBytes): { row: RawRecord; freed?: Promise<void> } {
  if (record.bytes.length >= HUGE_ROW_BYTES && isUtf8Name(header.encoding)) {
    const fields = fieldsOfBytes(record.bytes, header.delimiter.charCodeAt(0), header.columns.length);
    if (fields) {
      const position = { line: record.line, offset: record.offset, length: record.bytes.length };
      const value = Object.fromEntries(header.columns.map((name, i) => [name, fields[i]!]));
      return { row: { ...position, text: '', value }, freed: releaseMemory(record.bytes.buffer) };
    }
  }
  return { row: csvRow(header, record) };
}

/** Rows of a CSV/TSV stream, the header consumed first. */
export async function* csvRecords(chunks: AsyncIterable<Buffer>, options: CsvOptions): AsyncGenerator<RawRecord[]> {
  let header: CsvHeader | undefined;
  for await (const batch of csvRecordBytes(
    chunks,
    delimiterOf(options.format).charCodeAt(0),
    options.displayPath,
    options.limits,
  )) {
    const rows: RawRecord[] = [];
    for (const record of batch) {
      if (header) rows.push(record.own ? ownCsvRow(header, record).row : csvRow(header, record));
      else header = parseHeader(record, options);
    }
    if (rows.length > 0) yield rows;
  }
}

/** Just the header of a CSV/TSV stream, for re-reading rows by offset. */
export async function readCsvHeader(chunks: AsyncIterable<Buffer>, options: CsvOptions): Promise<CsvHeader> {
  for await (const batch of csvRecordBytes(
    chunks,
    delimiterOf(options.format).charCodeAt(0),
    options.displayPath,
    options.limits,
  )) {
    const first = batch[0];
    if (first) return parseHeader(first, options);
  }
  throw new MixsmithError('INPUT_CSV', `${options.displayPath}: the file has no header row`, {
    where: { file: options.displayPath },
    hint: 'a CSV/TSV source needs a first row naming its columns',
  });
}
