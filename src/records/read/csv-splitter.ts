/**
 * CSV/TSV bytes → the byte extents of records. A record ends at a newline outside quotes, so a
 * quoted field may hold newlines (RFC 4180); the record keeps the line it starts on. Scanning
 * bytes (not text) keeps offsets those of the file, for re-reading by position, and is safe for
 * every encoding `encoding:` accepts (see text-encoding.ts).
 *
 * Quotes count only at the start of a field, as in Python's csv module and pandas; a quote in
 * the middle of an unquoted field is a literal character.
 */
import { DEFAULT_READ_LIMITS, type ReadLimits, recordTooLarge } from '../../io/read-limits.js';
import { MixsmithError } from '../../errors.js';
import { CarriedBytes } from './carried-bytes.js';

/** One record's bytes (without its line terminator), the line it starts on and its stream offset. */
export interface CsvRecordBytes {
  readonly line: number;
  readonly offset: number;
  readonly bytes: Buffer;
  /** Set when the bytes' memory is this record's alone (a long record carried across chunks): it may be rewritten and given back. */
  readonly own?: boolean;
}

const QUOTE = 34;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/** Field start, inside an unquoted field, inside quotes, just after a quote inside quotes. */
type State = 0 | 1 | 2 | 3;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 32 && b !== 9 && b !== CARRIAGE_RETURN) return false;
  return true;
}

const withoutCarriageReturn = (bytes: Buffer) =>
  bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.subarray(0, bytes.length - 1) : bytes;

/**
 * Yields one batch of non-blank records per input chunk. A record longer than
 * `limits.maxRecordBytes` stops the read: INPUT_CSV inside a quoted field (almost surely a quote
 * never closed, swallowing the file), INPUT_LIMIT otherwise.
 */
export async function* csvRecordBytes(
  chunks: AsyncIterable<Buffer>,
  delimiter: number,
  displayPath: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): AsyncGenerator<CsvRecordBytes[]> {
  let state: State = FIELD_START;
  /** The current record's bytes in earlier chunks (already scanned), until it ends. */
  const carried = new CarriedBytes();
  let recordStart = 0; // stream offset of the current record
  let recordLine = 1;
  let line = 1;
  let streamOffset = 0; // stream offset of the next chunk
  for await (const chunk of chunks) {
    const buffer = chunk;
    const base = streamOffset; // stream offset of buffer[0]
    const batch: CsvRecordBytes[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const b = buffer[i]!;
      if (base + i < 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) continue; // a UTF-8 BOM is not field content
      if (b === NEWLINE) {
        line++;
        if (state === QUOTED) continue;
        const { bytes: joined, own } =
          recordStart >= base
            ? { bytes: buffer.subarray(recordStart - base, i), own: false }
            : carried.take(buffer.subarray(0, i));
        const bytes = withoutCarriageReturn(joined);
        if (bytes.length > limits.maxRecordBytes)
          throw recordTooLarge(
            { file: displayPath, line: recordLine },
            `the row starting on line ${recordLine}`,
            limits,
          );
        if (!isBlank(bytes)) batch.push({ line: recordLine, offset: recordStart, bytes, ...(own ? { own } : {}) });
        recordStart = base + i + 1;
        recordLine = line;
        state = FIELD_START;
        continue;
      }
      if (state === QUOTED) {
        if (b === QUOTE) state = QUOTE_IN_QUOTED;
      } else if (state === QUOTE_IN_QUOTED) {
        state = b === QUOTE ? QUOTED : b === delimiter ? FIELD_START : UNQUOTED;
      } else if (b === delimiter) {
        state = FIELD_START;
      } else if (state === FIELD_START) {
        state = b === QUOTE ? QUOTED : UNQUOTED;
      }
    }
    streamOffset += chunk.length;
    if (recordStart < base + buffer.length) {
      if (recordStart >= base) carried.clear();
      carried.add(recordStart >= base ? buffer.subarray(recordStart - base) : buffer);
    }
    if (streamOffset - recordStart > limits.maxRecordBytes) {
      const where = { file: displayPath, line: recordLine };
      if (state !== QUOTED) throw recordTooLarge(where, `the row starting on line ${recordLine}`, limits);
      throw new MixsmithError(
        'INPUT_CSV',
        `${displayPath}:${recordLine}: a row longer than max_record_bytes (${limits.maxRecordBytes} bytes) starts here, inside a quoted field`,
        {
          where,
          hint: "a quote that is never closed makes the rest of the file one field: check the quotes on this line (if the row is real, raise the source's max_record_bytes)",
        },
      );
    }
    if (batch.length > 0) yield batch;
  }
  if (state === QUOTED) {
    throw new MixsmithError(
      'INPUT_CSV',
      `${displayPath}:${recordLine}: a quoted field opened in the row starting here is never closed`,
      {
        where: { file: displayPath, line: recordLine },
        hint: 'every " that opens a field needs a closing "; a " inside a quoted field is written ""',
      },
    );
  }
  if (carried.length > 0) {
    const { bytes: joined, own } = carried.take(Buffer.alloc(0));
    const bytes = withoutCarriageReturn(joined);
    if (!isBlank(bytes)) yield [{ line: recordLine, offset: recordStart, bytes, ...(own ? { own } : {}) }];
  }
}
