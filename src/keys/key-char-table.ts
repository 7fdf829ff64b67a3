/**
 * `normalizeForKey` one character at a time, for the byte-level key path (key-bytes.ts).
 *
 * NFKC and lower-casing are not per-character operations in general: a combining mark composes
 * with the letter before it, and Σ lower-cases to ς only at the end of a word. But over the
 * ranges listed here they are: the NFKC of a string made only of these characters is the
 * concatenation of each character's NFKC, and lower-casing it is per character too
 * (test/select/key-char-table.test.ts checks every character in context). So each character gets
 * one entry, computed at start-up by the runtime's own `normalize` and `toLowerCase`, which is
 * what the string path (normalize.ts) calls too:
 *
 * - `SAME`: the character is its own normal form and not white space: its bytes are copied;
 * - `SPACE`: it normalises to white space only (U+3000, U+00A0…): it joins a white-space run;
 * - `MAPPED`: it normalises to other non-white-space characters (Ｆ → f, ² → 2, A → a);
 * - `OTHER`: anything else (combining marks, Σ, characters whose form mixes text and space,
 *   everything outside the ranges): the record takes the string path.
 *
 * Characters outside the BMP are `OTHER` except the emoji blocks, which are their own form.
 */

export const OTHER = 0;
export const SAME = 1;
export const SPACE = 2;
export const MAPPED = 3;

/**
 * Ranges whose characters compose and case-map without context (the test proves each one).
 * Left out on purpose: combining marks (U+0300–036F, U+0483–0489, U+20D0–20FF, U+302A–302F, U+3099–309A…), halfwidth
 * katakana (their voicing marks compose), Hangul jamo, Arabic and Indic scripts (combining
 * vowel signs), and the Greek capital sigma (context-dependent lower case).
 */
const SEPARABLE_BMP: readonly (readonly [number, number])[] = [
  [0x0000, 0x02ff], // ASCII, C1 controls, Latin-1 Supplement, Latin Extended-A/B, IPA, spacing modifiers
  [0x0370, 0x03ff], // Greek and Coptic (Σ excluded below)
  [0x0400, 0x0482], // Cyrillic, before its combining marks
  [0x048a, 0x052f], // Cyrillic and Cyrillic Supplement, after them
  [0x1e00, 0x1fff], // Latin Extended Additional, Greek Extended
  [0x2000, 0x20cf], // general punctuation, super/subscripts, currency
  [0x2100, 0x2bff], // letterlike, number forms, arrows, math, technical, boxes, shapes, symbols
  [0x3000, 0x3029], // CJK symbols and punctuation, before the ideographic tone marks
  [0x3030, 0x3098], // the rest of them, Hiragana
  [0x309d, 0x30ff], // Katakana
  [0x3190, 0x33ff], // Kanbun, Bopomofo extended, CJK strokes, enclosed CJK, CJK compatibility
  [0x3400, 0x4dbf], // CJK Extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xac00, 0xd7a3], // Hangul syllables
  [0xfb00, 0xfb06], // Latin ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ): common in text extracted from PDFs
  [0xff01, 0xff5e], // fullwidth ASCII
  [0xffe0, 0xffe6], // fullwidth signs
];

/** Emoji blocks outside the BMP (4 UTF-8 bytes, 2 UTF-16 units): their own normal form. */
export const EMOJI_FIRST = 0x1f300;
export const EMOJI_LAST = 0x1faff;

/** Code points whose lower case depends on their neighbours (Final_Sigma). */
const CONTEXTUAL_CASE = 0x03a3;

const WHITE_SPACE_ONLY = /^\s+$/;
const HAS_WHITE_SPACE = /\s/;

export interface KeyCharTable {
  /** Per BMP code point: OTHER, SAME, SPACE or MAPPED. */
  readonly kinds: Uint8Array;
  /** UTF-8 bytes of the normal form of each MAPPED code point. */
  readonly mapped: ReadonlyMap<number, Uint8Array>;
  /** The most output bytes any input byte can become (escapes and separators included). */
  readonly maxBytesPerByte: number;
}

function kindOf(code: number, mapped: Map<number, Uint8Array>): number {
  if (code >= 0xd800 && code <= 0xdfff) return OTHER;
  const char = String.fromCharCode(code);
  const composed = char.normalize('NFKC');
  // Σ lower-cases by context, and some characters become Σ under NFKC (U+03F9).
  if (composed.includes(String.fromCharCode(CONTEXTUAL_CASE))) return OTHER;
  const normal = composed.toLowerCase();
  if (WHITE_SPACE_ONLY.test(normal)) return SPACE;
  if (HAS_WHITE_SPACE.test(normal)) return OTHER;
  if (normal === char) return SAME;
  mapped.set(code, Buffer.from(normal, 'utf8'));
  return MAPPED;
}

function buildTable(): KeyCharTable {
  const kinds = new Uint8Array(0x10000);
  const mapped = new Map<number, Uint8Array>();
  for (const [first, last] of SEPARABLE_BMP) {
    for (let code = first; code <= last; code++) kinds[code] = kindOf(code, mapped);
  }
  // A \uXXXX escape is 6 bytes for one character; a raw character is 1–3 bytes: the widest
  // ratio is a 1-byte character mapped to many (none are) or a 3-byte one mapped to n bytes.
  let maxBytesPerByte = 3;
  for (const [code, bytes] of mapped)
    maxBytesPerByte = Math.max(maxBytesPerByte, Math.ceil(bytes.length / utf8Length(code)));
  return { kinds, mapped, maxBytesPerByte };
}

function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
}

let table: KeyCharTable | undefined;

/** The table, built on first use (about 60k `normalize` calls, a few milliseconds). */
export function keyCharTable(): KeyCharTable {
  table ??= buildTable();
  return table;
}
