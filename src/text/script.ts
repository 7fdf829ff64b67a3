/**
 * Character classes for shingling and n-grams, and the per-text choice between word and character
 * units.
 *
 * Chinese and Japanese do not put spaces between words, so a "word" there would be a whole clause;
 * their characters (Han, Hiragana, Katakana) are the unit instead. Korean (Hangul) separates words
 * with spaces and counts as a word script. Thai, Lao, Khmer and Myanmar also omit spaces but are not
 * treated specially: a run of them is one word (choose `unit: 'char'` for such sources).
 */

/** Separator: white space, punctuation, symbols and controls. Never part of a token. */
export const SEPARATOR = 1;
/** A letter, digit or combining mark of a space-separated script: part of a word. */
export const WORD_CHAR = 2;
/** A Han, Hiragana or Katakana character: a token of its own. */
export const CJK_CHAR = 3;
export type CharClass = typeof SEPARATOR | typeof WORD_CHAR | typeof CJK_CHAR;

const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006]$/u;
const ANY_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006]/u;
/**
 * Any code unit from U+2E80 up: U+2E80 (CJK Radicals Supplement) is the first code point of the
 * CJK class, and characters beyond the BMP start with a surrogate (U+D800 up), so a text without
 * such a unit has no CJK character. A plain range is about ten times cheaper than ANY_CJK's
 * script properties, and most texts checked (English) stop here. test/text/script.test.ts checks
 * the bound against every code point.
 */
const FROM_FIRST_CJK = /[\u2e80-\uffff]/;
/** The first code point in the CJK class (see FROM_FIRST_CJK). */
export const FIRST_CJK_CODE_POINT = 0x2e80;
const WORD = /^[\p{L}\p{N}\p{M}]$/u;

/**
 * Class of every BMP code unit, filled lazily (0 = not yet classified). Regex tests per character
 * would dominate tokenisation time; the table makes it one array read. It only caches a pure
 * function, so results do not depend on what was classified before.
 */
const BMP_CLASS = new Uint8Array(0x10000);
const ASTRAL_CLASS = new Map<number, CharClass>();

function classifyUncached(codePoint: number): CharClass {
  const ch = String.fromCodePoint(codePoint);
  if (CJK.test(ch)) return CJK_CHAR;
  if (WORD.test(ch)) return WORD_CHAR;
  return SEPARATOR;
}

/** Class of one code point (surrogate halves on their own are separators). */
export function charClass(codePoint: number): CharClass {
  if (codePoint < 0x80) {
    // a-z, A-Z, 0-9
    const lower = codePoint | 0x20;
    if ((lower >= 0x61 && lower <= 0x7a) || (codePoint >= 0x30 && codePoint <= 0x39)) return WORD_CHAR;
    return SEPARATOR;
  }
  if (codePoint < 0x10000) {
    let cls = BMP_CLASS[codePoint]!;
    if (cls === 0) {
      cls = codePoint >= 0xd800 && codePoint <= 0xdfff ? SEPARATOR : classifyUncached(codePoint);
      BMP_CLASS[codePoint] = cls;
    }
    return cls as CharClass;
  }
  let cls = ASTRAL_CLASS.get(codePoint);
  if (cls === undefined) {
    cls = classifyUncached(codePoint);
    ASTRAL_CLASS.set(codePoint, cls);
  }
  return cls;
}

/** Counts behind the unit choice: CJK characters and runs of word characters (words). */
export interface ScriptCounts {
  readonly cjkChars: number;
  readonly words: number;
}

/** Count CJK characters and words in a text (any normalisation; case does not matter). */
export function scriptCounts(text: string): ScriptCounts {
  let cjkChars = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    const cls = charClass(cp);
    if (cls === WORD_CHAR) {
      if (!inWord) words++;
      inWord = true;
    } else {
      if (cls === CJK_CHAR) cjkChars++;
      inWord = false;
    }
  }
  return { cjkChars, words };
}

/**
 * True when CJK characters are at least as many as the other words: a Chinese text with a few
 * English terms ("患者的HbA1c为7.5%") is CJK-dominant, an English text quoting a Chinese name is
 * not. One CJK character weighs as much as one word because each is one token of its unit.
 */
export function isCjkDominant(text: string): boolean {
  // Most texts have no CJK character at all; one native regex scan settles those.
  if (!hasCjk(text)) return false;
  const { cjkChars, words } = scriptCounts(text);
  return cjkChars > 0 && cjkChars >= words;
}

/** Whether the text holds at least one CJK character (the `CJK_CHAR` class). */
export function hasCjk(text: string): boolean {
  return FROM_FIRST_CJK.test(text) && ANY_CJK.test(text);
}
