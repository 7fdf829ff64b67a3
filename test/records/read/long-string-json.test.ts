/** parseLongStrings (records/read/long-string-json.ts): JSON.parse's value from the bytes, or undefined. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLongStrings, parsePiecewise } from '../../../src/records/read/long-string-json.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('parseLongStrings', () => {
  it('gives JSON.parse’s value for any JSON record, cutting out the long plain strings', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'é', '中', '😀', ' ', ':', '{', ',') }),
      fc.string({
        unit: fc.constantFrom(
          'a',
          'é',
          '中',
          '😀',
          ' ',
          '"',
          '\\',
          '\n',
          ':',
          '{',
          '\u0000',
          '\u2028',
          '\ud800',
          '\udfff',
        ),
      }),
    );
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('any'), { maxLength: 4 }),
        fc.dictionary(text, tie('any'), { maxKeys: 4 }),
      ),
    }));
    let cut = 0;
    fc.assert(
      fc.property(value.any, fc.integer({ min: 1, max: 6 }), fc.boolean(), (record, min, spaced) => {
        let json = JSON.stringify(record, null, spaced ? 1 : undefined);
        // Escapes JSON.stringify never writes: \u for any character, \/ and \b.
        if (min % 2 === 0) json = json.replace(/a/g, '\\u0061').replace(/é/g, '\\u00E9').replace(/:"/g, ':"\\/\\b');
        const got = parseLongStrings(utf8(json), min);
        if (got === undefined) return;
        cut++;
        expect(got).toEqual(JSON.parse(json));
      }),
      { numRuns: 2000 },
    );
    expect(cut).toBeGreaterThan(150); // the property is about records that were cut, not only refusals
  });

  it('cuts values with any escape, not keys, and leaves strings JSON.parse would refuse or UTF-8 cannot hold', () => {
    const json =
      '{"long key name":"plain value here","b":"with \\" quote \\\\ \\u00e9\\ud83d\\ude00 \\n","c":["another plain one",1]}';
    expect(parseLongStrings(utf8(json), 5)).toEqual(JSON.parse(json));
    const lone = '{"a":"a lone \\ud800 surrogate","b":"cut this one"}';
    expect(parseLongStrings(utf8(lone), 5)).toEqual(JSON.parse(lone));
    expect(parseLongStrings(utf8('{"a":"ab"}'), 5)).toBeUndefined(); // nothing to cut
  });

  it('leaves to JSON.parse what it cannot vouch for: bad UTF-8, bad JSON, a record holding the marker', () => {
    expect(
      parseLongStrings(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x61, 0x61, 0x22, 0x7d]), 1),
    ).toBeUndefined();
    expect(parseLongStrings(utf8('{"a":"long enough",}'), 5)).toBeUndefined();
    expect(parseLongStrings(utf8('{"a":"long enough"'), 5)).toBeUndefined();
    // The marker's own text, too short to be cut, in the skeleton beside the real marker.
    const holding = JSON.stringify({ a: 'x'.repeat(40), b: '\u0000mixsmith-long-0\u0000' });
    const bytes = utf8(holding.replace('xxx', 'x\\nx'));
    expect(parseLongStrings(bytes, 30)).toBeUndefined();
    expect(bytes.toString()).toBe(holding.replace('xxx', 'x\\nx')); // declined: its bytes untouched for JSON.parse
    expect(parseLongStrings(utf8(holding), 20)).toEqual(JSON.parse(holding)); // both cut: no doubt
    expect(parseLongStrings(utf8('{"a":"raw\ttab in it"}'), 5)).toBeUndefined();
  });
});

describe('parsePiecewise', () => {
  it('gives each long string as pieces that join to its text, cut in no escape or character', () => {
    const unit = fc.constantFrom('a', 'é', '中', '😀', ' ', '"', '\\', '\n', '\t', '\u2028');
    fc.assert(
      fc.property(
        fc.string({ unit, minLength: 40, maxLength: 400 }),
        fc.integer({ min: 4, max: 40 }),
        (long, piece) => {
          const record = { instruction: 'short', output: long, n: [1, 'x'] };
          const bytes = utf8(JSON.stringify(record));
          const copy = Buffer.from(bytes);
          const parsed = parsePiecewise(bytes, piece, 32)!;
          expect(parsed).toBeDefined();
          const value = parsed.value as typeof record;
          expect(value.instruction).toBe('short');
          expect(parsed.pieces(value.instruction)).toBeUndefined();
          expect([...parsed.pieces(value.output)!].join('')).toBe(long);
          expect(bytes.equals(copy)).toBe(true); // the bytes are not touched
        },
      ),
      { numRuns: 500 },
    );
  });
});
