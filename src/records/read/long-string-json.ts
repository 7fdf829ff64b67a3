/**
 * `JSON.parse` of a huge UTF-8 record without decoding it into one JSON text first: each long
 * string value is cut out of the bytes, the rest (a small "skeleton" with a marker in each cut
 * string's place) is parsed, and the markers are replaced by the strings, each decoded alone from
 * its bytes once its escapes are undone in place (an escape is never shorter than its UTF-8). A
 * 300 MB record then costs its bytes and its value, not also a 300 MB JSON text that lingers until
 * the collector's next full run.
 *
 * The same value as `JSON.parse(text)`, or `undefined` (the caller parses the text as always)
 * whenever that is not certain: invalid UTF-8, no string to cut, a skeleton that does not parse,
 * or a marker that appears more often than it was put (a record holding the marker's text
 * itself). A string with a bad escape, a lone surrogate or a raw control character is not cut
 * (JSON.parse judges it in the skeleton). The record's bytes are rewritten only once the answer is
 * certain: the caller must not read them after an answer.
 */
import { isUtf8 } from 'node:buffer';
import { jsonStringCut, SIMPLE_ESCAPES } from '../../keys/key-bytes.js';

/** String values at least this long are cut out. */
export const LONG_STRING_BYTES = 1 << 20;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MARKER_START = '\u0000mixsmith-long-';
const MARKER_END = '\u0000';
const markerJson = (k: number) => JSON.stringify(`${MARKER_START}${k}${MARKER_END}`);

/** The k of a marker string, or -1 for any other string. */
function markerNumber(value: string): number {
  if (!value.startsWith(MARKER_START) || !value.endsWith(MARKER_END)) return -1;
  const digits = value.slice(MARKER_START.length, -MARKER_END.length);
  return /^\d+$/.test(digits) ? Number(digits) : -1;
}

function hexAt(bytes: Buffer, at: number, end: number): number {
  if (at + 4 > end) return -1;
  let code = 0;
  for (let k = at; k < at + 4; k++) {
    const byte = bytes[k]!;
    const lower = byte | 0x20;
    const digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
    if (digit < 0) return -1;
    code = (code << 4) | digit;
  }
  return code;
}

/**
 * The UTF-8 of JSON string content `bytes[from, to)` with its escapes undone, written over it
 * from `from` when `write` (it never outgrows the content); returns where it ends, or -1 for
 * content JSON.parse would refuse or that UTF-8 cannot hold (a lone surrogate).
 */
function unescaped(bytes: Buffer, from: number, to: number, write: boolean): number {
  let out = from;
  for (let i = from; i < to; ) {
    const byte = bytes[i]!;
    if (byte < 0x20) return -1;
    if (byte !== BACKSLASH) {
      if (write) bytes[out] = byte;
      out++;
      i++;
      continue;
    }
    const letter = bytes[i + 1]!;
    if (letter !== 0x75) {
      const code = letter < 128 && i + 1 < to ? SIMPLE_ESCAPES[letter]! : 0;
      if (code === 0) return -1;
      if (write) bytes[out] = code;
      out++;
      i += 2;
      continue;
    }
    let code = hexAt(bytes, i + 2, to);
    i += 6;
    if (code >= 0xdc00 && code <= 0xdfff) return -1;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = bytes[i] === BACKSLASH && bytes[i + 1] === 0x75 ? hexAt(bytes, i + 2, to) : -1;
      if (low < 0xdc00 || low > 0xdfff) return -1;
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      i += 6;
    }
    if (code < 0) return -1;
    const length = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (write) bytes.write(String.fromCodePoint(code), out, length, 'utf8');
    out += length;
  }
  return out;
}

/** Whether the string token ending before `at` is an object key (a colon follows). */
function isKey(bytes: Buffer, at: number): boolean {
  let i = at;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3a;
}

/** [from, to) of the content of every long string value that can be cut, in order. */
function longStrings(bytes: Buffer, minBytes: number): number[] | undefined {
  const spans: number[] = [];
  let nextBackslash = bytes.indexOf(BACKSLASH);
  for (let i = bytes.indexOf(QUOTE); i >= 0; ) {
    const from = i + 1;
    let end = from;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, end);
      if (quote < 0) return undefined; // unterminated: JSON.parse says what is wrong
      if (nextBackslash >= 0 && nextBackslash < end) nextBackslash = bytes.indexOf(BACKSLASH, end);
      if (nextBackslash < 0 || nextBackslash > quote) {
        end = quote;
        break;
      }
      end = nextBackslash + 2; // past the escaped character (an escaped quote included)
      nextBackslash = bytes.indexOf(BACKSLASH, end);
    }
    if (end - from >= minBytes && !isKey(bytes, end + 1) && unescaped(bytes, from, end, false) >= 0)
      spans.push(from, end);
    i = bytes.indexOf(QUOTE, end + 1);
  }
  return spans;
}

/** How many marker strings `skeleton` holds (its own text may hold some: then it cannot be trusted). */
function markersIn(skeleton: string): number {
  let count = 0;
  JSON.parse(skeleton, (_key, value: unknown) => {
    if (typeof value === 'string' && markerNumber(value) >= 0) count++;
    return value;
  });
  return count;
}

/** The record's skeleton and the spans of its long strings, or undefined (see above). */
function skeletonOf(bytes: Buffer, minBytes: number): { skeleton: string; spans: number[] } | undefined {
  if (!isUtf8(bytes)) return undefined;
  const spans = longStrings(bytes, minBytes);
  if (!spans || spans.length === 0) return undefined;
  let skeleton = '';
  let at = 0;
  for (let k = 0; k < spans.length; k += 2) {
    skeleton += bytes.toString('utf8', at, spans[k]! - 1) + markerJson(k / 2);
    at = spans[k + 1]! + 1;
  }
  skeleton += bytes.toString('utf8', at);
  try {
    if (markersIn(skeleton) !== spans.length / 2) return undefined;
  } catch {
    return undefined; // JSON.parse will say what is wrong
  }
  return { skeleton, spans };
}

/**
 * The record's shape: its value with every long string value replaced by the empty string, for
 * what only the shape decides (a file's schema, from its first record: field names and nesting),
 * or undefined when the caller must parse its text (see above). The bytes are not touched.
 */
export function parseShape(record: Uint8Array, minBytes = LONG_STRING_BYTES): unknown {
  const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const cut = skeletonOf(bytes, minBytes);
  if (!cut) return undefined;
  return JSON.parse(cut.skeleton, (_key, value: unknown) =>
    typeof value === 'string' && markerNumber(value) >= 0 ? '' : value,
  );
}

/** The record's value with its long strings still markers, and each marker's text in pieces. */
export interface PiecewiseRecord {
  readonly value: unknown;
  /** The text of a marker string of `value`, as decoded pieces of about `pieceBytes`; undefined for any other string. */
  pieces(value: string): Iterable<string> | undefined;
}

/** Whether `text` holds a marker of a long string (a body that built a string around one, say). */
export const holdsLongStringMarker = (text: string): boolean => text.includes(MARKER_START);

/**
 * The record's value with each long string left as a marker, whose text is decoded from the
 * bytes a piece at a time when asked (`pieces`): for what needs the text but not whole (a token
 * count). Undefined as `parseShape`; the bytes are not touched, and must not change while the
 * pieces are read.
 */
export function parsePiecewise(
  record: Uint8Array,
  pieceBytes: number,
  minBytes = LONG_STRING_BYTES,
): PiecewiseRecord | undefined {
  const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const cut = skeletonOf(bytes, minBytes);
  if (!cut) return undefined;
  const { skeleton, spans } = cut;
  function* piecesOf(from: number, to: number): Generator<string> {
    for (let at = from; at < to; ) {
      // A cut in no escape and no UTF-8 sequence (key-bytes.ts), so each piece parses alone.
      const cut = to - at > pieceBytes ? jsonStringCut(bytes, at, at + pieceBytes) : -1;
      const end = cut < 0 ? to : cut;
      yield JSON.parse(`"${bytes.toString('utf8', at, end)}"`) as string;
      at = end;
    }
  }
  return {
    value: JSON.parse(skeleton),
    pieces(value: string) {
      const k = markerNumber(value);
      return k < 0 ? undefined : piecesOf(spans[2 * k]!, spans[2 * k + 1]!);
    },
  };
}

/**
 * The parsed record, or undefined when the caller must parse its text (see above). With an
 * answer, `record`'s bytes have been rewritten. `minBytes`: tests cut shorter strings.
 */
export function parseLongStrings(record: Uint8Array, minBytes = LONG_STRING_BYTES): unknown {
  const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const cut = skeletonOf(bytes, minBytes);
  if (!cut) return undefined;
  const { skeleton, spans } = cut;
  // Certain now: each string's escapes are undone in place, and its value decoded from that.
  const ends = new Float64Array(spans.length / 2);
  for (let k = 0; k < spans.length; k += 2) ends[k / 2] = unescaped(bytes, spans[k]!, spans[k + 1]!, true);
  return JSON.parse(skeleton, (_key, value: unknown) => {
    const k = typeof value === 'string' ? markerNumber(value) : -1;
    return k < 0 ? value : bytes.toString('utf8', spans[2 * k]!, ends[k]!);
  });
}
