import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForKey, normalizeForKeyPlain } from '../../src/keys/normalize.js';
import { nfkcMayChange, normalizeForTokens } from '../../src/text/normalize.js';

const agrees = (s: string) => {
  expect(normalizeForKey(s)).toBe(normalizeForKeyPlain(s));
};

/** Every BMP code unit but the surrogates. */
const bmp = Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => c < 0xd800 || c > 0xdfff);

describe('normalizeForKey', () => {
  it('equals NFKC + lower-case + collapsed white space on any text, shortcuts or not', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), agrees), { numRuns: 2000 });
    const near = fc.constantFrom(
      'A',
      'b',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      'ﬁ',
      'Ｆ',
      '，',
      'é',
      'e\u0301',
      '\u0301',
      '½',
      '\u00a0',
      '\u3000',
      '\u2003',
      '中',
      'İ',
      'Σ',
      'ß',
      '\ufeff',
      '\u0085',
      'Ā',
      '\u1100\u1161',
    );
    fc.assert(
      fc.property(fc.array(near, { maxLength: 30 }), (parts) => agrees(parts.join(''))),
      { numRuns: 3000 },
    );
  });

  it('agrees on every BMP character, alone and between letters, spaces and CJK', () => {
    for (const c of bmp) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `A${ch}b`, ` ${ch}  ${ch}\t`, `中${ch}。${ch}`, `${ch}\u0301`, `e${ch}`]) agrees(s);
    }
  });

  it('skips NFKC only for characters NFKC never changes, in any context tried', () => {
    // The characters that take the fast path must be NFKC-stable: unchanged alone, and not composing with a neighbour.
    const skipped = bmp.map((c) => String.fromCharCode(c)).filter((ch) => !nfkcMayChange(ch));
    expect(skipped.length).toBeGreaterThan(20_000);
    const neighbours = ['a', 'Z', 'é', 'Ā', '中', '-', ' ', '\u0085'];
    for (const ch of skipped) {
      for (const n of neighbours) {
        for (const s of [`${n}${ch}`, `${ch}${n}`, `${ch}${ch}`])
          if (s.normalize('NFKC') !== s) expect.fail(`NFKC changes ${JSON.stringify(s)}`);
      }
    }
    // And the test itself can fail: a character outside the set is caught.
    expect(nfkcMayChange('ﬁ')).toBe(true);
    expect(nfkcMayChange('\u0301')).toBe(true);
  });

  it('folds compatibility forms, case and white space', () => {
    expect(normalizeForKey('  Ｆｉｎｅ\u00a0ﬁle\t\nOK ')).toBe('fine file ok');
    expect(normalizeForKey('a b  c\u3000d')).toBe('a b c d');
  });
});

describe('normalizeForTokens', () => {
  it('equals NFKC + lower-case on any text, with the NFKC shortcut or without', () => {
    const plain = (s: string) => s.normalize('NFKC').toLowerCase();
    const pieces = fc.constantFrom(
      'A',
      'b',
      ' ',
      'ﬁ',
      'Ｆ',
      'é',
      'e\u0301',
      '\u0301',
      '½',
      '\u00a0',
      '中',
      'İ',
      'Σ',
      '–',
      'ǅ',
    );
    const mixed = fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), mixed), (s) => {
        expect(normalizeForTokens(s)).toBe(plain(s));
      }),
      { numRuns: 3000, seed: 20 },
    );
    for (const c of bmp) {
      const ch = String.fromCharCode(c);
      if (normalizeForTokens(`x${ch}y`) !== plain(`x${ch}y`)) expect.fail(`differs on U+${c.toString(16)}`);
    }
  });
});
