import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ExactNumber,
  isExactAsDouble,
  mayHoldInexactNumber,
  mayHoldInexactNumberBytes,
  parseExact,
  stringifyExact,
  withExactNumbers,
} from '../../src/json/exact-numbers.js';

describe('exact numbers', () => {
  it('tells numbers a double keeps from those it changes', () => {
    for (const exact of ['0', '-0', '1', '1.0', '1e5', '0.1', '0.10', '-2.5E-3', '9007199254740992', '1e308', '5e-324'])
      expect(isExactAsDouble(exact), exact).toBe(true);
    for (const inexact of [
      '9007199254740993',
      '1e999999',
      '-1e999999',
      '1e-400',
      '123456789012345678901234567890',
      '0.1000000000000000000001',
      '3.14159265358979323846',
    ])
      expect(isExactAsDouble(inexact), inexact).toBe(false);
  });

  it('the quick test lets no inexact number through, and passes ordinary records', () => {
    for (const text of [
      '{"a":9007199254740993}',
      '[1e999999]',
      '{"x": -123456789012345678901234567890}',
      '{"y":[0, 3.14159265358979323846]}',
      '1e-400',
    ])
      expect(mayHoldInexactNumber(text), text).toBe(true);
    for (const text of ['{"a":1,"b":"x","c":[2.5,-3]}', '{"id":"3e4f-9","n":123456789012345}'])
      expect(mayHoldInexactNumber(text), text).toBe(false);
  });

  it('parses inexact numbers as their text and writes them back in place', () => {
    const text =
      '{"id":9007199254740993,"big":[1e999999,123456789012345678901234567890],"s":"9007199254740993","f":1.5}';
    const value = parseExact(text);
    expect(value).toEqual({
      id: new ExactNumber('9007199254740993'),
      big: [new ExactNumber('1e999999'), new ExactNumber('123456789012345678901234567890')],
      s: '9007199254740993',
      f: 1.5,
    });
    expect(stringifyExact(value)).toBe(text);
  });

  it('returns undefined when JSON.parse is already exact, whatever the quick test said', () => {
    expect(parseExact('{"id":"a:1234567890123456789","e":1e5}')).toBeUndefined();
  });

  it('a string in the text that looks like the marker stays a string', () => {
    const text = '{"a":"\\u0000mixsmith-exact-number:0","b":9007199254740993}';
    const value = parseExact(text) as Record<string, unknown>;
    expect(value.a).toBe('\u0000mixsmith-exact-number:0');
    expect(stringifyExact(value)).toBe(text);
  });

  it('writes what JSON.stringify writes for plain values', () => {
    const value = { b: [1, null, 'x\n"', { c: true }], a: -0, u: undefined, '1': 2.5e-7, e: {} };
    expect(stringifyExact(value)).toBe(JSON.stringify(value));
  });

  it('puts exact numbers into a wrapped record (keyed objects: $key, $value)', () => {
    const exact = parseExact('{"n":9007199254740993,"m":1}');
    expect(withExactNumbers({ $key: 'k', n: 9007199254740992, m: 1 }, exact)).toEqual({
      $key: 'k',
      n: new ExactNumber('9007199254740993'),
      m: 1,
    });
    expect(withExactNumbers({ $key: 'k', $value: Infinity }, parseExact('1e999999'))).toEqual({
      $key: 'k',
      $value: new ExactNumber('1e999999'),
    });
  });

  it('tells the same from UTF-8 bytes, never missing a text the string test flags', () => {
    const piece = fc.constantFrom('1', '0', '9', '.', '-', 'e', 'E', ':', ',', '[', ' ', '"', 'a', 'é', '{', '}');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        if (mayHoldInexactNumber(text)) expect(mayHoldInexactNumberBytes(Buffer.from(text)), text).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(mayHoldInexactNumberBytes(Buffer.from('{"a":"some prose, no numbers"}'))).toBe(false);
    expect(mayHoldInexactNumberBytes(Buffer.from('{"a":12345678901234567}'))).toBe(true);
    expect(mayHoldInexactNumberBytes(Buffer.from('{"a":1.5e3}'))).toBe(true);
    expect(mayHoldInexactNumberBytes(Buffer.from(' -1'))).toBe(true);
  });
});
