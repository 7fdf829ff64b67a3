/**
 * The normalised key text built straight from JSON string bytes: unescape, NFKC, lower-case,
 * white-space runs to one space and trim, in one pass, into a reused buffer, with no JS string
 * in between. For a record made of the characters in key-char-table.ts it gives exactly the UTF-8
 * bytes of `normalizeForKey(text)` (test/select/key-bytes.test.ts checks it against the plain
 * definition); any other character stops it, and the caller takes the string path.
 *
 * Why bytes: on two-byte strings (any record with one non-Latin-1 character) V8's `toLowerCase`
 * and white-space regex cost about 25 µs per 2 KB record, and decoding plus `JSON.parse` as much
 * again; this pass costs a few µs (docs/benchmarks.md).
 */
import { EMOJI_FIRST, EMOJI_LAST, keyCharTable, MAPPED, SAME, SPACE } from './key-char-table.js';

const BACKSLASH = 0x5c;
const SPACE_BYTE = 0x20;

/** JSON's one-letter escapes → the character; 0 for letters that are not escapes. */
export const SIMPLE_ESCAPES = new Uint8Array(128);
for (const [letter, code] of [
  ['"', 0x22],
  ['\\', 0x5c],
  ['/', 0x2f],
  ['b', 8],
  ['f', 12],
  ['n', 10],
  ['r', 13],
  ['t', 9],
] as const) {
  SIMPLE_ESCAPES[letter.charCodeAt(0)] = code;
}

/**
 * Per byte of a JSON string's raw content: what it writes, or 0 for the bytes the slow branch
 * takes (backslash, non-ASCII, and raw control characters, which JSON does not allow there).
 */
export const RAW_OUT = new Uint8Array(256);
/** 1 for the raw bytes that are white space (in a JSON string, only the space itself). */
export const RAW_SPACE = new Uint8Array(256);
for (let byte = 0x20; byte < 0x80; byte++) RAW_OUT[byte] = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
RAW_OUT[BACKSLASH] = 0;
RAW_SPACE[SPACE_BYTE] = 1;

/** ASCII from escapes (\n, \u0041…): what it writes, and whether it is JS white space. */
export const ASCII_OUT = new Uint8Array(128);
export const ASCII_SPACE = new Uint8Array(128);
for (let code = 0; code < 128; code++) ASCII_OUT[code] = code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
for (const code of [9, 10, 11, 12, 13, 32]) {
  ASCII_OUT[code] = SPACE_BYTE;
  ASCII_SPACE[code] = 1;
}

/** Value of one hex digit, -1 for other bytes. */
function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

function hex4(src: Uint8Array, at: number): number {
  const a = hexDigit(src[at]!);
  const b = hexDigit(src[at + 1]!);
  const c = hexDigit(src[at + 2]!);
  const d = hexDigit(src[at + 3]!);
  return a < 0 || b < 0 || c < 0 || d < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

/** Builds one record's key text from the JSON strings of its parts. */
export interface KeyTextWriter {
  /** UTF-16 units of the text before normalisation (what `String.length` gives). */
  readonly units: number;
  reset(): void;
  /** A '\n' between two parts of the text. */
  appendNewline(): void;
  /** The content of a JSON string, `src[start, end)` between its quotes; false when the writer declines it. */
  appendJsonString(src: Uint8Array, start: number, end: number): boolean;
  /** The normalised text so far, as UTF-8 (a view, valid until the next call). */
  text(): Uint8Array;
  /**
   * Hands `sink` the text so far but a white space that a later character may keep or the end
   * may drop, and starts the text over from that space: so a huge text is normalised and hashed
   * a piece at a time (line-keys.ts), with the same bytes in the end as `text()` once.
   */
  drainTo(sink: (text: Uint8Array) => void): void;
}

/**
 * White space without branches (the text's spaces are too irregular to predict): every white
 * space character writes a space at `out`, but `out` moves past it only when the previous
 * character was not white space too. So runs collapse to one space, nothing written counts as
 * white space (leading spaces never stay), and a trailing space is dropped at the end (`text`).
 */
export class KeyBytesWriter implements KeyTextWriter {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private out = 0;
  /** 1 when the last character was white space, or none came yet. */
  private afterSpace = 1;
  /** UTF-16 units of the text before normalisation (what `String.length` gives). */
  units = 0;
  private readonly table = keyCharTable();

  reset(): void {
    this.out = 0;
    this.afterSpace = 1;
    this.units = 0;
  }

  text(): Uint8Array {
    return this.buffer.subarray(0, this.out - (this.afterSpace & (this.out > 0 ? 1 : 0)));
  }

  drainTo(sink: (text: Uint8Array) => void): void {
    const held = this.afterSpace & (this.out > 0 ? 1 : 0);
    sink(this.buffer.subarray(0, this.out - held));
    this.buffer[0] = SPACE_BYTE;
    this.out = held;
  }

  /** A '\n' between two parts of the text. */
  appendNewline(): void {
    this.units++;
    this.buffer[this.out] = SPACE_BYTE;
    this.out += 1 - this.afterSpace;
    this.afterSpace = 1;
  }

  /**
   * Appends the content of a JSON string, `src[start, end)` between its quotes, as valid UTF-8.
   * Returns false when it holds a character the table does not cover or JSON does not allow (a raw
   * control character, a bad escape, a lone surrogate): the writer's state is then undefined.
   */
  appendJsonString(src: Uint8Array, start: number, end: number): boolean {
    this.reserve((end - start) * this.table.maxBytesPerByte + 8);
    const { kinds, mapped } = this.table;
    const dst = this.buffer;
    let out = this.out;
    let after = this.afterSpace;
    let units = this.units;
    let i = start;
    while (i < end) {
      const byte = src[i]!;
      const write = RAW_OUT[byte]!;
      if (write !== 0) {
        // The common case: printable ASCII.
        const space = RAW_SPACE[byte]!;
        dst[out] = write;
        out += 1 - (space & after);
        after = space;
        i++;
        units++;
        continue;
      }
      let code: number;
      let rawStart = -1;
      if (byte === BACKSLASH) {
        if (i + 1 >= end) return false;
        const letter = src[i + 1]!;
        if (letter === 0x75) {
          code = hex4(src, i + 2);
          i += 6;
          if (code < 0 || i > end) return false;
          if (code >= 0xd800 && code <= 0xdfff) {
            // Only a high surrogate escape followed by a low one makes a character.
            if (code > 0xdbff || src[i] !== BACKSLASH || src[i + 1] !== 0x75) return false;
            const low = hex4(src, i + 2);
            if (low < 0xdc00 || low > 0xdfff || i + 6 > end) return false;
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            i += 6;
          }
        } else {
          code = letter < 128 ? SIMPLE_ESCAPES[letter]! : 0;
          if (code === 0) return false;
          i += 2;
        }
        if (code < 0x80) {
          const space = ASCII_SPACE[code]!;
          dst[out] = ASCII_OUT[code]!;
          out += 1 - (space & after);
          after = space;
          units++;
          continue;
        }
      } else if (byte < 0x80) {
        return false; // a raw control character
      } else {
        // Raw UTF-8 (the caller checked the record is valid UTF-8).
        rawStart = i;
        if (byte < 0xe0) {
          code = ((byte & 0x1f) << 6) | (src[i + 1]! & 0x3f);
          i += 2;
        } else if (byte < 0xf0) {
          code = ((byte & 0x0f) << 12) | ((src[i + 1]! & 0x3f) << 6) | (src[i + 2]! & 0x3f);
          i += 3;
        } else {
          code =
            ((byte & 0x07) << 18) | ((src[i + 1]! & 0x3f) << 12) | ((src[i + 2]! & 0x3f) << 6) | (src[i + 3]! & 0x3f);
          i += 4;
        }
      }
      if (code > 0xffff) {
        if (code < EMOJI_FIRST || code > EMOJI_LAST) return false;
        units += 2;
      } else {
        units++;
        const kind = kinds[code]!;
        if (kind === SPACE) {
          dst[out] = SPACE_BYTE;
          out += 1 - after;
          after = 1;
          continue;
        }
        if (kind === MAPPED) {
          const bytes = mapped.get(code)!;
          for (let k = 0; k < bytes.length; k++) dst[out++] = bytes[k]!;
          after = 0;
          continue;
        }
        if (kind !== SAME) return false;
      }
      if (rawStart >= 0) {
        for (let k = rawStart; k < i; k++) dst[out++] = src[k]!;
      } else {
        out = writeUtf8(dst, out, code);
      }
      after = 0;
    }
    this.out = out;
    this.afterSpace = after;
    this.units = units;
    return true;
  }

  /** Room for `extra` more bytes. */
  private reserve(extra: number): void {
    const needed = this.out + extra;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.out);
    this.buffer = grown;
  }
}

/** UTF-8 of a non-ASCII code point (from an escape) at `out`; returns the new end. */
function writeUtf8(dst: Uint8Array, out: number, code: number): number {
  if (code < 0x800) {
    dst[out] = 0xc0 | (code >> 6);
    dst[out + 1] = 0x80 | (code & 0x3f);
    return out + 2;
  }
  if (code < 0x10000) {
    dst[out] = 0xe0 | (code >> 12);
    dst[out + 1] = 0x80 | ((code >> 6) & 0x3f);
    dst[out + 2] = 0x80 | (code & 0x3f);
    return out + 3;
  }
  dst[out] = 0xf0 | (code >> 18);
  dst[out + 1] = 0x80 | ((code >> 12) & 0x3f);
  dst[out + 2] = 0x80 | ((code >> 6) & 0x3f);
  dst[out + 3] = 0x80 | (code & 0x3f);
  return out + 4;
}

/** Bytes back from a wished-for cut that `jsonStringCut` looks for a safe one. */
const CUT_REACH = 1 << 16;

/**
 * A place in the content of a JSON string, at most `at` and after `from`, where it can be cut in
 * two pieces that a writer appends one after the other with the same result as whole: at the
 * start of a character (not a UTF-8 continuation byte) with no backslash in the 12 bytes before
 * it, so the cut is in no escape and not between the two escapes of a surrogate pair. -1 when
 * none lies within CUT_REACH (a text that is nearly all escapes): the caller then does not cut.
 */
export function jsonStringCut(src: Uint8Array, from: number, at: number): number {
  for (let c = at, stop = Math.max(from + 1, at - CUT_REACH); c >= stop; c--) {
    if ((src[c]! & 0xc0) === 0x80) continue;
    let k = c - 1;
    while (k >= from && k >= c - 12 && src[k] !== BACKSLASH) k--;
    if (k < from || k < c - 12) return c;
  }
  return -1;
}

/**
 * The JSON string content `src[from, to)` appended to `writer` in pieces of about `pieceBytes`,
 * the text drained into `sink` after each (where the string cannot be cut, the rest goes whole).
 * False when the writer declines a piece.
 */
export function appendInPieces(
  writer: KeyTextWriter,
  src: Uint8Array,
  from: number,
  to: number,
  sink: (text: Uint8Array) => void,
  pieceBytes: number,
): boolean {
  let at = from;
  for (;;) {
    const cut = to - at > pieceBytes ? jsonStringCut(src, at, at + pieceBytes) : -1;
    if (!writer.appendJsonString(src, at, cut < 0 ? to : cut)) return false;
    writer.drainTo(sink);
    if (cut < 0) return true;
    at = cut;
  }
}
