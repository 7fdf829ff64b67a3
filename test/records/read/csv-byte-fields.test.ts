/**
 * A huge CSV row cut from its bytes (csv-byte-fields.ts) has the fields `splitFields` gives its
 * text, or none (the text path decides) with its bytes untouched: badly quoted rows, rows with
 * another count of fields, invalid UTF-8.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldsOfBytes } from '../../../src/records/read/csv-byte-fields.js';
import { splitFields, textAfterClosingQuote } from '../../../src/records/read/csv-fields.js';

const piece = fc.constantFrom('a', 'é', '😀', ',', '\t', '"', '""', '\n', ' ', 'x"y', '');

describe('CSV fields from bytes', () => {
  it("are splitFields' fields of the text, for any row of well quoted or unquoted fields", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 6 })), { minLength: 1, maxLength: 6 }),
        (spec) => {
          const row = spec
            .map(([quoted, parts]) => {
              const content = parts.join('');
              return quoted ? `"${content.replaceAll('"', '""')}"` : content.replaceAll(/["\n,]/g, '');
            })
            .join(',');
          const expected = splitFields(row, ',');
          const bytes = Buffer.from(row);
          const fields = fieldsOfBytes(bytes, 44, expected.length);
          expect(fields, row).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('answers nothing, with the bytes untouched, when the text path must decide', () => {
    for (const [row, count] of [
      ['"a""b"c,d', 2], // text after a closing quote
      ['"a""b,c', 2], // never closed
      ['"a""b",c', 3], // another count
      ['a,"b""c"', 1],
    ] as const) {
      const bytes = Buffer.from(row);
      expect(fieldsOfBytes(bytes, 44, count), row).toBeUndefined();
      expect(bytes.toString(), row).toBe(row);
    }
    expect(textAfterClosingQuote('"a""b"c,d', ',')).toBeGreaterThan(0);
    const invalid = Buffer.from([0x22, 0x61, 0xff, 0x22, 0x2c, 0x62]);
    expect(fieldsOfBytes(invalid, 44, 2)).toBeUndefined();
    expect([...invalid]).toEqual([0x22, 0x61, 0xff, 0x22, 0x2c, 0x62]);
  });
});
