/** A long record's JSON line written in pieces (materialize/json-in-pieces.ts): the bytes of `stringifyRecord`, always. */
import { describe, expect, it } from 'vitest';
import { jsonLineInPieces, LONG_STRING_UNITS } from '../../src/materialize/json-in-pieces.js';
import { markExact, stringifyRecord } from '../../src/json/exact-numbers.js';

const same = (record: object) =>
  expect(Buffer.from(jsonLineInPieces(record)).equals(Buffer.from(stringifyRecord(record), 'utf8'))).toBe(true);

describe('jsonLineInPieces', () => {
  const long = (unit: string) => unit.repeat(Math.ceil((LONG_STRING_UNITS + 40_000) / unit.length));

  it('writes long strings in pieces with JSON.stringify’s escaping, cut never inside a surrogate pair', () => {
    // Pairs at every offset (an odd unit before them shifts them across each piece end), lone halves, escapes.
    same({ a: long('x😀'), b: [long('😀'), 1, null], c: { d: long('"\\\n\u2028é中\u0001') } });
    same({ lone: long('a\ud800b\udc00'), short: 'kept as is', n: 1.5 });
    same({ only: `${'y'.repeat(LONG_STRING_UNITS - 1)}\ud83d\ude00` });
  });

  it('writes a record without long strings, one holding the marker, and an exact one whole, the same way', () => {
    same({ a: 'short', b: [1, 2] });
    same({ a: long('z'), b: '\u0000mixsmith-long-string\u0000' });
    same(markExact({ a: long('w'), n: 1 }));
  });
});
