import { describe, expect, it } from 'vitest';
import {
  CJK_CHAR,
  charClass,
  FIRST_CJK_CODE_POINT,
  hasCjk,
  isCjkDominant,
  SEPARATOR,
  scriptCounts,
  WORD_CHAR,
} from '../../src/text/script.js';

describe('charClass', () => {
  it.each([
    ['a', WORD_CHAR],
    ['Z', WORD_CHAR],
    ['7', WORD_CHAR],
    ['é', WORD_CHAR],
    ['한', WORD_CHAR], // Hangul: Korean separates words with spaces
    ['中', CJK_CHAR],
    ['の', CJK_CHAR],
    ['カ', CJK_CHAR],
    ['ー', CJK_CHAR],
    ['𠀀', CJK_CHAR], // CJK Extension B, outside the BMP
    [' ', SEPARATOR],
    ['，', SEPARATOR],
    ['。', SEPARATOR],
    ['-', SEPARATOR],
    ['€', SEPARATOR],
  ])('%s', (ch, cls) => {
    expect(charClass(ch.codePointAt(0)!)).toBe(cls);
  });
});

describe('isCjkDominant', () => {
  it('counts CJK characters against words', () => {
    expect(scriptCounts('患者的HbA1c为7.5%')).toEqual({ cjkChars: 4, words: 3 });
    expect(isCjkDominant('患者的HbA1c为7.5%')).toBe(true);
    expect(isCjkDominant('The patient from 北京 has a fever')).toBe(false);
    expect(isCjkDominant('日本語のテキストです')).toBe(true);
    expect(isCjkDominant('')).toBe(false);
    expect(isCjkDominant('한국어 문장입니다')).toBe(false);
  });
});

describe('hasCjk', () => {
  it('FIRST_CJK_CODE_POINT is the first code point of the CJK class (its fast path rests on it)', () => {
    let first = -1;
    for (let cp = 0; cp <= 0x10ffff && first < 0; cp++) if (charClass(cp) === CJK_CHAR) first = cp;
    expect(first).toBe(FIRST_CJK_CODE_POINT);
  });

  it('agrees with charClass on every BMP character, alone and inside English text', () => {
    const wrong: string[] = [];
    for (let cp = 0; cp < 0x10000; cp++) {
      const expected = charClass(cp) === CJK_CHAR;
      const ch = String.fromCharCode(cp);
      if (hasCjk(ch) !== expected || hasCjk(`The patient ${ch} has a fever`) !== expected) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('sees CJK beyond the BMP and ignores other astral characters and lone surrogates', () => {
    expect(hasCjk('rare Han \u{20000} here')).toBe(true);
    expect(hasCjk('emoji \u{1f600} only')).toBe(false);
    expect(hasCjk('lone \ud840 surrogate')).toBe(false);
    expect(hasCjk('Guillain–Barré, naïve café')).toBe(false);
    expect(hasCjk('患者')).toBe(true);
  });
});
