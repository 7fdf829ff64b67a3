/**
 * A rendered record's JSON line as UTF-8, written without ever holding its JSON text whole: the
 * record is stringified with each long string replaced by a marker, and each long string is
 * escaped a piece at a time into the output. For a 300 MB record this saves the 300 MB JSON
 * string beside the output bytes (and the bytes are sized exactly, not 3× the text), at the cost
 * of escaping the long strings twice (once to measure, once to write).
 *
 * The bytes are exactly `Buffer.from(stringifyRecord(record))`: `JSON.stringify` with a replacer
 * that returns every value unchanged writes the same text, a piece of a string escapes as the
 * string does where the cut is not inside a surrogate pair, and a record whose text could hold a
 * marker of its own (or is marked exact, json/exact-numbers.ts) is stringified whole.
 */
import { isMarkedExact, stringifyRecord } from '../json/exact-numbers.js';

/** Strings at least this long are written in pieces of PIECE_UNITS UTF-16 units. */
export const LONG_STRING_UNITS = 1 << 20;
// Small enough that each piece's JSON text is a young, cheaply collected string (1 MiB pieces went to the
// large-object space and stayed until a full collection: ~100 MB more at the peak).
const PIECE_UNITS = 1 << 14;
const MARKER = '\u0000mixsmith-long-string\u0000';
const MARKER_JSON = JSON.stringify(MARKER);

/** The JSON text of `text[from, to)` without its quotes. */
function escapedPiece(text: string, from: number, to: number): string {
  return JSON.stringify(text.slice(from, to)).slice(1, -1);
}

/** Calls `visit` with each piece of `text`'s JSON escaping (no quotes), cut between characters. */
function forEachPiece(text: string, visit: (piece: string) => void): void {
  for (let from = 0; from < text.length; ) {
    let to = Math.min(text.length, from + PIECE_UNITS);
    const last = text.charCodeAt(to - 1);
    // Never between the halves of a pair: each would be escaped as a lone surrogate.
    if (to < text.length && last >= 0xd800 && last <= 0xdbff) to--;
    visit(escapedPiece(text, from, to));
    from = to;
  }
}

/** The UTF-8 JSON line of `record` (no newline), in memory of its own (transferable). */
export function jsonLineInPieces(record: object): Uint8Array {
  const long: string[] = [];
  const frame = isMarkedExact(record)
    ? undefined
    : JSON.stringify(record, (_key, value: unknown) => {
        if (typeof value !== 'string' || value.length < LONG_STRING_UNITS) return value;
        long.push(value);
        return MARKER;
      });
  const parts = frame?.split(MARKER_JSON);
  if (frame === undefined || parts!.length !== long.length + 1) {
    const text = stringifyRecord(record);
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
    bytes.write(text, 0, 'utf8');
    return bytes;
  }
  let total = 0;
  for (const part of parts!) total += Buffer.byteLength(part, 'utf8');
  for (const text of long) {
    total += 2;
    forEachPiece(text, (piece) => {
      total += Buffer.byteLength(piece, 'utf8');
    });
  }
  const out = Buffer.allocUnsafeSlow(total);
  let used = out.write(parts![0]!, 0, 'utf8');
  for (let k = 0; k < long.length; k++) {
    out[used++] = 0x22;
    forEachPiece(long[k]!, (piece) => {
      used += out.write(piece, used, 'utf8');
    });
    out[used++] = 0x22;
    used += out.write(parts![k + 1]!, used, 'utf8');
  }
  return out;
}
