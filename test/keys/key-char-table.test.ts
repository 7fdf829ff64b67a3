import { describe, expect, it } from 'vitest';
import { keyCharTable, MAPPED, OTHER, SAME, SPACE } from '../../src/keys/key-char-table.js';

/** normalizeForKey's first two steps, on their own. */
const form = (text: string) => text.normalize('NFKC').toLowerCase();

/** The table's claim for a pair: the form of the pair is the forms of its characters, side by side. */
const separable = (a: string, b: string) => form(a + b) === form(a) + form(b);

function covered(kind?: number): string[] {
  const { kinds } = keyCharTable();
  const chars: string[] = [];
  for (let code = 0; code < 0x10000; code++)
    if (kind === undefined ? kinds[code] !== OTHER : kinds[code] === kind) chars.push(String.fromCharCode(code));
  return chars;
}

describe('keyCharTable', () => {
  it('covers the common scripts and leaves combining marks, Σ and mixed forms out', () => {
    const { kinds, mapped } = keyCharTable();
    expect(kinds[0x4e2d]).toBe(SAME); // 中
    expect(kinds[0xff0c]).toBe(MAPPED); // ，
    expect(Buffer.from(mapped.get(0xff0c)!).toString()).toBe(',');
    expect(kinds[0x0041]).toBe(MAPPED);
    expect(kinds[0x3000]).toBe(SPACE);
    expect(kinds[0x00a0]).toBe(SPACE);
    // Latin ligatures, as text extracted from PDFs has them: ﬁ → fi.
    expect(kinds[0xfb01]).toBe(MAPPED);
    expect(Buffer.from(mapped.get(0xfb01)!).toString()).toBe('fi');
    for (const code of [0x0301, 0x0483, 0x20d0, 0x302a, 0x3099, 0x03a3, 0x03f9, 0x00a8, 0xff76, 0x1100, 0xd800])
      expect(kinds[code], code.toString(16)).toBe(OTHER);
    expect(covered().length).toBeGreaterThan(40_000);
  });

  it('gives each character its own normal form', () => {
    const { kinds, mapped } = keyCharTable();
    for (let code = 0; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      if (kinds[code] === SAME) expect(form(char)).toBe(char);
      if (kinds[code] === SPACE) expect(form(char)).toMatch(/^\s+$/);
      if (kinds[code] === MAPPED) expect(Buffer.from(mapped.get(code)!).toString()).toBe(form(char));
    }
  });

  it('is separable: NFKC and lower case of a pair are those of its characters, for every character beside every kind of neighbour', () => {
    const all = covered();
    const mappedChars = covered(MAPPED);
    // Neighbours from every range and kind; the big uniform blocks (CJK, Hangul: all SAME) meet
    // these, everything else also meets every 8th mapped character (their forms are the risky ones).
    const base = [
      'a',
      'Z',
      '0',
      ' ',
      '.',
      'é',
      'Ā',
      'ǅ',
      'ʰ',
      'Ω',
      'ς',
      'Ж',
      'ḁ',
      'ᾳ',
      '–',
      '…',
      '²',
      '℃',
      '→',
      '、',
      'か',
      'カ',
      '㍿',
      '㐀',
      '中',
      '가',
      'Ｆ',
      '￥',
      '\u00a0',
      '\u3000',
    ];
    const wide = [...base, ...mappedChars.filter((_, i) => i % 8 === 0)];
    const bulk = (code: number) =>
      (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7a3);
    const failures: string[] = [];
    for (const char of all) {
      for (const n of bulk(char.charCodeAt(0)) ? base : wide) {
        if (!separable(n, char)) failures.push(`${JSON.stringify(n)} + U+${char.charCodeAt(0).toString(16)}`);
        if (!separable(char, n)) failures.push(`U+${char.charCodeAt(0).toString(16)} + ${JSON.stringify(n)}`);
      }
      if (failures.length > 10) break;
    }
    expect(failures).toEqual([]);
    // The check itself can fail: a combining mark after a letter is not separable.
    expect(separable('e', '\u0301')).toBe(false);
    expect(separable('aΣ', 'b')).toBe(false);
  });
});
