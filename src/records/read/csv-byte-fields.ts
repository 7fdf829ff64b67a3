/**
 * One huge CSV/TSV row's fields straight from its UTF-8 bytes: each quoted field's `""` undone in
 * place, each field decoded alone. The row's text was one more copy of it, and `splitFields`
 * built a quoted field as a rope of its pieces between quotes (millions of them for a long text
 * that quotes), larger than the text.
 *
 * The same fields as `splitFields(decode(bytes))` (csv-fields.ts), or undefined (the caller takes
 * the text path, which also reports what is wrong) for anything else: bytes that are not valid
 * UTF-8, text after a closing quote, a quote never closed, a count of fields not the header's. The bytes are checked first and
 * rewritten only once the answer is certain: after an answer the caller must not read them.
 */
import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;

/** Where the quoted field opening at `i` (a quote) ends, one past its closing quote; -1 when never closed. */
function quotedEnd(bytes: Buffer, i: number): number {
  let at = i + 1;
  for (;;) {
    const close = bytes.indexOf(QUOTE, at);
    if (close === -1) return -1;
    if (bytes[close + 1] !== QUOTE) return close + 1;
    at = close + 2;
  }
}

/** How many fields the row has, or -1 when a quoted field does not close right before a delimiter or the end (what `textAfterClosingQuote` asks). */
function fieldCount(bytes: Buffer, delimiter: number): number {
  const n = bytes.length;
  let count = 1;
  let i = 0;
  for (;;) {
    if (bytes[i] === QUOTE) {
      i = quotedEnd(bytes, i);
      if (i === -1 || (i < n && bytes[i] !== delimiter)) return -1;
      if (i === n) return count;
      i++;
      count++;
      continue;
    }
    const next = bytes.indexOf(delimiter, i);
    if (next === -1) return count;
    i = next + 1;
    count++;
  }
}

/** The content of the quoted field opening at `i`, its `""` undone in place, decoded; and where it ends. */
function unquoted(bytes: Buffer, i: number): { field: string; end: number } {
  const from = i + 1;
  let out = from;
  let at = from;
  for (;;) {
    const close = bytes.indexOf(QUOTE, at);
    if (out !== at) bytes.copyWithin(out, at, close);
    out += close - at;
    if (bytes[close + 1] !== QUOTE) return { field: bytes.toString('utf8', from, out), end: close + 1 };
    bytes[out++] = QUOTE;
    at = close + 2;
  }
}

/** The row's fields when it has `count` of them (the header's), else undefined with the bytes untouched. */
export function fieldsOfBytes(bytes: Buffer, delimiter: number, count: number): string[] | undefined {
  if (!isUtf8(bytes) || fieldCount(bytes, delimiter) !== count) return undefined;
  const fields: string[] = [];
  const n = bytes.length;
  let i = 0;
  for (;;) {
    if (bytes[i] === QUOTE) {
      const { field, end } = unquoted(bytes, i);
      fields.push(field);
      if (end === n) return fields;
      i = end + 1;
      continue;
    }
    const next = bytes.indexOf(delimiter, i);
    fields.push(bytes.toString('utf8', i, next === -1 ? n : next));
    if (next === -1) return fields;
    i = next + 1;
  }
}
