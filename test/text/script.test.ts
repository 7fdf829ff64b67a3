import { describe, expect, it } from 'vitest';
import { charClass, CJK_CHAR, isCjkDominant, SEPARATOR, scriptCounts, WORD_CHAR } from '../../src/text/script.js';

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
