/**
 * Finds chosen top-level fields of one JSON object in its bytes without building the object, for
 * the byte-level key path (compose/line-keys.ts). It checks the whole text against JSON's grammar
 * but only vouches for what it is sure of: anything else (bad syntax, an escaped key, nesting
 * deeper than MAX_DEPTH, text that is not one object) answers false, and the caller parses the
 * record with `JSON.parse`, whose verdict and message stand.
 *
 * One part is left to the caller: the contents of the string fields it finds are not checked
 * (one pass over the record's longest strings saved), so a caller must read every non-empty
 * one with a checking reader (select/key-bytes.ts checks escapes and control characters as it
 * goes) before trusting the record. Apart from those, it never accepts what `JSON.parse` rejects
 * (test/io/json-object-fields.test.ts compares the two on generated and damaged texts). The bytes
 * must be valid UTF-8 (checked before).
 */

/** What a field holds: its string's content span, or one of these. */
export const ABSENT = -1;
export const NULL = -2;
export const NOT_STRING = -3;

const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The top-level fields a scan looks for, as bytes; slots follow `names`' order. */
export class FieldNames {
  readonly bytes: readonly Uint8Array[];
  constructor(readonly names: readonly string[]) {
    this.bytes = names.map((name) => Buffer.from(name, 'utf8'));
  }

  /** The slot of the key `src[start, end)`, or -1. */
  slotOf(src: Uint8Array, start: number, end: number): number {
    const length = end - start;
    outer: for (let slot = 0; slot < this.bytes.length; slot++) {
      const name = this.bytes[slot]!;
      if (name.length !== length) continue;
      for (let k = 0; k < length; k++) if (name[k] !== src[start + k]) continue outer;
      return slot;
    }
    return -1;
  }
}

/**
 * Per slot after a scan: `starts[slot]` is the content start of its string value (after the
 * quote) or ABSENT, NULL or NOT_STRING; `ends[slot]` the content end (before the quote). A key
 * given twice keeps its last value, as `JSON.parse` does.
 */
export interface FieldSpans {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export function fieldSpans(names: FieldNames): FieldSpans {
  return { starts: new Int32Array(names.names.length), ends: new Int32Array(names.names.length) };
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The scanner's state: one text at a time; every method returns false (or -1) when it cannot vouch for what it read. */
class Scan {
  pos: number;
  constructor(
    readonly src: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    while (this.pos < this.end && isSpace(this.src[this.pos]!)) this.pos++;
  }

  /** Past a string whose opening quote is at `pos`, checking every byte; returns its content end or -1. */
  string(): number {
    const { src, end } = this;
    let i = this.pos + 1;
    while (i < end) {
      const byte = src[i]!;
      if (byte === QUOTE) {
        this.pos = i + 1;
        return i;
      }
      if (byte === BACKSLASH) {
        const letter = src[i + 1];
        if (letter === 0x75) {
          for (let k = i + 2; k < i + 6; k++) if (!isHex(src[k])) return -1;
          i += 6;
        } else if (
          letter === QUOTE ||
          letter === BACKSLASH ||
          letter === 0x2f ||
          letter === 0x62 ||
          letter === 0x66 ||
          letter === 0x6e ||
          letter === 0x72 ||
          letter === 0x74
        ) {
          i += 2;
        } else return -1;
      } else if (byte < 0x20) return -1;
      else i++;
    }
    return -1;
  }

  /** Past a string whose content its reader will check: finds the closing quote only; returns its content end or -1. */
  quickString(): number {
    const { src, end } = this;
    let i = this.pos + 1;
    for (;;) {
      const quote = src.indexOf(QUOTE, i);
      if (quote < 0 || quote >= end) return -1;
      let backslashes = 0;
      while (src[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) {
        this.pos = quote + 1;
        return quote;
      }
      i = quote + 1;
    }
  }

  literal(word: readonly number[]): boolean {
    for (let k = 0; k < word.length; k++) if (this.src[this.pos + k] !== word[k]) return false;
    this.pos += word.length;
    return this.pos <= this.end;
  }

  number(): boolean {
    const { src } = this;
    let i = this.pos;
    if (src[i] === 0x2d) i++;
    if (src[i] === 0x30) i++;
    else if (isDigit(src[i]) && src[i] !== 0x30) while (isDigit(src[i])) i++;
    else return false;
    if (src[i] === 0x2e) {
      i++;
      if (!isDigit(src[i])) return false;
      while (isDigit(src[i])) i++;
    }
    if (src[i] === 0x65 || src[i] === 0x45) {
      i++;
      if (src[i] === 0x2b || src[i] === 0x2d) i++;
      if (!isDigit(src[i])) return false;
      while (isDigit(src[i])) i++;
    }
    if (i > this.end) return false;
    this.pos = i;
    return true;
  }

  /** Past any value at `pos` (after white space), checking it. */
  value(depth: number): boolean {
    this.skipSpace();
    const byte = this.src[this.pos];
    if (this.pos >= this.end) return false;
    if (byte === QUOTE) return this.string() >= 0;
    if (byte === 0x7b) return depth < MAX_DEPTH && this.object(depth + 1, undefined, undefined);
    if (byte === 0x5b) return depth < MAX_DEPTH && this.array(depth + 1);
    if (byte === 0x74) return this.literal(TRUE);
    if (byte === 0x66) return this.literal(FALSE);
    if (byte === 0x6e) return this.literal(NULL_WORD);
    return this.number();
  }

  array(depth: number): boolean {
    this.pos++;
    this.skipSpace();
    if (this.src[this.pos] === 0x5d && this.pos < this.end) {
      this.pos++;
      return true;
    }
    for (;;) {
      if (!this.value(depth)) return false;
      this.skipSpace();
      if (this.pos >= this.end) return false;
      const byte = this.src[this.pos++];
      if (byte === 0x5d) return true;
      if (byte !== 0x2c) return false;
    }
  }

  /** Past an object; at the top level (`names` given) records the chosen fields into `spans`. */
  object(depth: number, names: FieldNames | undefined, spans: FieldSpans | undefined): boolean {
    const { src } = this;
    this.pos++;
    this.skipSpace();
    if (src[this.pos] === 0x7d && this.pos < this.end) {
      this.pos++;
      return true;
    }
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.end || src[this.pos] !== QUOTE) return false;
      const keyStart = this.pos + 1;
      const keyEnd = this.string();
      if (keyEnd < 0) return false;
      let slot = -1;
      if (names) {
        // An escaped key could spell a chosen name: leave such records to JSON.parse.
        for (let k = keyStart; k < keyEnd; k++) if (src[k] === BACKSLASH) return false;
        slot = names.slotOf(src, keyStart, keyEnd);
      }
      this.skipSpace();
      if (this.pos >= this.end || src[this.pos] !== 0x3a) return false;
      this.pos++;
      if (slot >= 0 && spans) {
        this.skipSpace();
        const byte = src[this.pos];
        if (byte === QUOTE && this.pos < this.end) {
          const start = this.pos + 1;
          const end = this.quickString();
          if (end < 0) return false;
          spans.starts[slot] = start;
          spans.ends[slot] = end;
        } else {
          const isNull = byte === 0x6e;
          if (!this.value(depth)) return false;
          spans.starts[slot] = isNull ? NULL : NOT_STRING;
        }
      } else if (!this.value(depth)) return false;
      this.skipSpace();
      if (this.pos >= this.end) return false;
      const byte = src[this.pos++];
      if (byte === 0x7d) return true;
      if (byte !== 0x2c) return false;
    }
  }
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL_WORD = [0x6e, 0x75, 0x6c, 0x6c];

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && (isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66));
}

/**
 * Scans `src[start, end)`, which must be one JSON object and nothing else but white space, and
 * fills `spans` for `names`. False when it cannot vouch for the text (see the module comment).
 */
export function scanObjectFields(
  src: Uint8Array,
  start: number,
  end: number,
  names: FieldNames,
  spans: FieldSpans,
): boolean {
  spans.starts.fill(ABSENT);
  const scan = new Scan(src, start, end);
  scan.skipSpace();
  if (scan.pos >= end || src[scan.pos] !== 0x7b) return false;
  if (!scan.object(1, names, spans)) return false;
  scan.skipSpace();
  return scan.pos === end;
}
