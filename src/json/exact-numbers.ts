/**
 * JSON numbers that a double cannot hold, kept as their text.
 *
 * `JSON.parse` turns every number into a double: `9007199254740993` becomes `9007199254740992`,
 * `1e999999` becomes Infinity (which `JSON.stringify` writes as `null`), a 30-digit integer keeps 17
 * of its digits. Passthrough output promises the input record, so its numbers must keep their
 * value. This module finds the numbers of a JSON text whose value a double would change (an
 * "inexact" number), parses the text with those numbers as `ExactNumber` (their text), and writes
 * such a value back with the text in place.
 *
 * A number whose decimal value the double keeps exactly is left a number, however it was written
 * (`1.0`, `1e5`, `0.10`): its output is what it always was (`1`, `100000`, `0.1`), the same value.
 * The sign of a zero is not a value here (`-0` and `-0.0` are written `0`, as before).
 *
 * Cost: `mayHoldInexactNumber` is one regular-expression test per record; only a text that passes
 * it (a run of 16 or more digits, or a number with an exponent) is scanned, and only a text with
 * an inexact number is parsed a second time. Everything else takes the plain `JSON.parse` /
 * `JSON.stringify` path, byte for byte as before.
 */

/** A JSON number kept as its text, because a double would change its value. */
export class ExactNumber {
  constructor(readonly text: string) {}
}

/**
 * A number token (after `:`, `,` or `[`) with 16 or more digits and dots, or an exponent. Inside
 * strings it also matches (a text like "a: 1e5"): that only costs a scan. Without `^|` in front,
 * V8 runs it about 1.5× faster; a text that is one number is tested apart.
 */
const MAYBE_INEXACT = /[:,[]\s*-?\d(?:[\d.]{15}|\d*(?:\.\d*)?[eE])/;

/** Whether `text` may hold a number a double would change; false means it certainly does not. */
export function mayHoldInexactNumber(text: string): boolean {
  const first = text.trimStart().charCodeAt(0);
  return first === 45 || (first >= 48 && first <= 57) || MAYBE_INEXACT.test(text);
}

/**
 * `mayHoldInexactNumber` of UTF-8 bytes, without their text: true for a run of 16 or more digits
 * and dots that starts with a digit, an `e` or `E` right after a digit or dot, or a first byte
 * that is `-` or a digit; every text the string test matches holds one of these (more match: a
 * prose "1990s" is fine, "4.5e" is a needless true).
 */
export function mayHoldInexactNumberBytes(bytes: Uint8Array): boolean {
  let first = 0;
  while (
    first < bytes.length &&
    (bytes[first] === 32 || bytes[first] === 9 || bytes[first] === 10 || bytes[first] === 13)
  )
    first++;
  if (first < bytes.length && (bytes[first] === 45 || (bytes[first]! >= 48 && bytes[first]! <= 57))) return true;
  let run = 0; // digits and dots in a row, from a digit
  for (let i = first; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 48 && b <= 57) {
      if (++run >= 16) return true;
    } else if (b === 46) {
      if (run > 0 && ++run >= 16) return true;
    } else {
      if ((b === 101 || b === 69) && run > 0) return true;
      run = 0;
    }
  }
  return false;
}

/** The decimal value of a number's text, as `digits e exponent` with no leading or trailing zeros ('0' for zero). */
function decimalValue(text: string): string {
  const negative = text.charCodeAt(0) === 45; // '-'
  const e = text.search(/[eE]/);
  const mantissa = text.slice(negative ? 1 : 0, e < 0 ? text.length : e);
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? '' : mantissa.slice(dot + 1);
  let digits = (dot < 0 ? mantissa : mantissa.slice(0, dot)) + fraction;
  // Exponents past 2^53 are not exact here, but their numbers are 0 or Infinity as doubles, and
  // both sides of the comparison below then differ anyway (or are both zero).
  let exponent = (e < 0 ? 0 : Number(text.slice(e + 1))) - fraction.length;
  let start = 0;
  while (start < digits.length && digits.charCodeAt(start) === 48) start++;
  if (start === digits.length) return '0';
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  exponent += digits.length - end;
  digits = digits.slice(start, end);
  return `${negative ? '-' : ''}${digits}e${exponent}`;
}

/** Whether a JSON number's text has the same decimal value as the double it parses to. */
export function isExactAsDouble(text: string): boolean {
  const value = Number(text);
  if (!Number.isFinite(value)) return false;
  return decimalValue(text) === decimalValue(String(value));
}

/** The [start, end) of every inexact number token of a valid JSON text, in text order. */
function inexactNumbers(text: string): [number, number][] {
  const found: [number, number][] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: to its closing quote, past escaped characters.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) i++;
        else break;
      }
      if (!isExactAsDouble(text.slice(start, i))) found.push([start, i]);
    } else i++;
  }
  return found;
}

/** A marker string for numbers, not found in `text`: the text cannot hold a string equal to it. */
function markerFor(text: string): string {
  let tag = 'mixsmith-exact-number';
  while (text.includes(tag)) tag += '~';
  return `\u0000${tag}:`;
}

/**
 * `text` (valid JSON) parsed with its inexact numbers as `ExactNumber`, or undefined when it has
 * none (then `JSON.parse(text)` is already exact). Numbers that a double holds exactly stay numbers.
 */
export function parseExact(text: string): unknown {
  const spans = inexactNumbers(text);
  if (spans.length === 0) return undefined;
  const marker = markerFor(text);
  // Each inexact number becomes a string literal holding the marker and its index, then JSON.parse
  // (fast, and it has no depth limit) does the rest; the markers are swapped for ExactNumber.
  let marked = '';
  let at = 0;
  spans.forEach(([start, end], index) => {
    marked += `${text.slice(at, start)}${JSON.stringify(marker + index)}`;
    at = end;
  });
  marked += text.slice(at);
  const numbers = spans.map(([start, end]) => new ExactNumber(text.slice(start, end)));
  const swap = (value: unknown): unknown =>
    typeof value === 'string' && value.startsWith(marker) ? numbers[Number(value.slice(marker.length))] : value;
  const root = swap(JSON.parse(marked));
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object' || value instanceof ExactNumber) continue;
    const container = value as Record<string, unknown>;
    for (const key of Object.keys(container)) {
      const item = container[key];
      if (typeof item === 'string') container[key] = swap(item);
      else if (item !== null && typeof item === 'object') pending.push(item);
    }
  }
  return root;
}

/**
 * `value` with every number that `exact` (the same record parsed by `parseExact`) holds as
 * `ExactNumber` replaced by it. `value` may wrap the record (a keyed object's `$key` members, or
 * `$value` around a record that is not an object): members `exact` lacks are kept as they are.
 */
export function withExactNumbers(value: unknown, exact: unknown): unknown {
  if (value === null || typeof value !== 'object')
    return exact instanceof ExactNumber && typeof value === 'number' ? exact : value;
  if (Array.isArray(value)) {
    if (!Array.isArray(exact) || exact.length !== value.length) return value;
    return value.map((item: unknown, i) => withExactNumbers(item, exact[i]));
  }
  const fields = value as Record<string, unknown>;
  if (exact === null || typeof exact !== 'object' || Array.isArray(exact) || exact instanceof ExactNumber) {
    return '$value' in fields ? { ...fields, $value: withExactNumbers(fields.$value, exact) } : value;
  }
  const exactFields = exact as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields))
    out[key] = Object.hasOwn(exactFields, key) ? withExactNumbers(fields[key], exactFields[key]) : fields[key];
  return out;
}

/** Whether `value` holds an `ExactNumber` anywhere. */
export function holdsExactNumber(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof ExactNumber) return true;
    if (item !== null && typeof item === 'object') pending.push(...Object.values(item as object));
  }
  return false;
}

/**
 * `JSON.stringify(value)`, with each `ExactNumber` written as its text. For JSON values (plain
 * objects, arrays, strings, numbers, booleans, null, undefined members) it writes exactly what
 * `JSON.stringify` writes.
 */
export function stringifyExact(value: unknown): string {
  if (value instanceof ExactNumber) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined || typeof item === 'function' ? 'null' : stringifyExact(item);
    }
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function') continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${stringifyExact(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** Records rendered with `ExactNumber` in them; `stringifyRecord` writes those with their texts. */
const EXACT_RECORDS = new WeakSet<object>();

/** Mark a rendered record as holding `ExactNumber` values. */
export function markExact<T extends object>(record: T): T {
  EXACT_RECORDS.add(record);
  return record;
}

/** Whether `record` was marked by `markExact` (its JSON text is `stringifyExact`'s, not `JSON.stringify`'s). */
export function isMarkedExact(record: object): boolean {
  return EXACT_RECORDS.has(record);
}

/** A rendered record's JSON text: `JSON.stringify`, or `stringifyExact` for a record marked by `markExact`. */
export function stringifyRecord(record: object): string {
  return EXACT_RECORDS.has(record) ? stringifyExact(record) : JSON.stringify(record);
}
