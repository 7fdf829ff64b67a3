/**
 * Tokenisation for shingles and n-grams, straight to 32-bit token hashes (no substrings are made).
 *
 * Units:
 * - `word`: a token is a maximal run of letters, digits and combining marks; punctuation, symbols
 *   and white space separate tokens and are dropped. A Han, Hiragana or Katakana character is a
 *   token of its own even here, since those scripts have no spaces to split on.
 * - `char`: every letter, digit, mark or CJK character is a token; separators are dropped.
 *
 * The input must already be normalised (`normalizeForTokens`).
 */
import { charClass, SEPARATOR, WORD_CHAR } from './script.js';
import { FNV_OFFSET, FNV_PRIME, fmix32, fnvStep } from './hash32.js';

/** The token unit after detection. */
export type TokenUnit = 'word' | 'char';

/** Token hashes of a text, plus where each token lies in the normalised text when asked. */
export interface Tokens {
  readonly hashes: Uint32Array;
  /** `[start0, end0, start1, end1, …]` UTF-16 offsets into the normalised text; empty unless asked. */
  readonly spans: Uint32Array;
}

/** Token hashes of a normalised text. */
export function tokenHashes(normalized: string, unit: TokenUnit): Uint32Array {
  return unit === 'word' ? wordHashes(normalized) : scan(normalized, unit, false).hashes;
}

/** 1 for an ASCII letter or digit (a word character), else 0 (a separator). */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, c) => {
  const lower = c | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39) ? 1 : 0;
});

/**
 * Where `wordHashes` cuts a text before copying out its tokens: a text has at most one token per
 * character, and a fresh array that long for each text checked was most of the tokeniser's garbage.
 * Nothing outside `wordHashes` sees it (one thread's module instance, never shared).
 */
let wordScratch = new Uint32Array(4096);

const OFFSET_INT32 = FNV_OFFSET | 0;

/**
 * `scan(text, 'word', false).hashes` on the hot path (every candidate decontamination or
 * near-duplicate removal reads): ASCII characters by one table read, without the spans and unit
 * branches. test/text/tokens.test.ts holds the two equal on every kind of character.
 */
function wordHashes(text: string): Uint32Array {
  const n = text.length;
  if (wordScratch.length < n) wordScratch = new Uint32Array(Math.max(n, 2 * wordScratch.length));
  const out = wordScratch;
  let count = 0;
  // The open word's hash; the offset again once a word is closed, so a word's first character
  // needs no test of whether one is open (`fnvStep` written out: this loop runs once per character).
  // Signed: FNV_OFFSET is above 2³¹, a double, and V8 would carry the hash as a double through the
  // whole loop (the same 32 bits either way).
  let hash = OFFSET_INT32;
  let open = false;
  for (let i = 0; i < n; i++) {
    const unit0 = text.charCodeAt(i);
    if (unit0 < 0x80) {
      if (ASCII_WORD[unit0] !== 0) {
        hash = Math.imul(hash ^ unit0, FNV_PRIME);
        open = true;
      } else if (open) {
        out[count++] = fmix32(hash);
        open = false;
        hash = OFFSET_INT32;
      }
      continue;
    }
    let codePoint = unit0;
    let unit1 = -1;
    if (unit0 >= 0xd800 && unit0 <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = 0x10000 + ((unit0 - 0xd800) << 10) + (low - 0xdc00);
        unit1 = low;
        i++;
      }
    }
    const cls = charClass(codePoint);
    if (cls === WORD_CHAR) {
      hash = fnvStep(hash, unit0);
      if (unit1 >= 0) hash = fnvStep(hash, unit1);
      open = true;
      continue;
    }
    if (open) {
      out[count++] = fmix32(hash);
      open = false;
      hash = OFFSET_INT32;
    }
    if (cls === SEPARATOR) continue;
    // A CJK character: a token of its own.
    let single = fnvStep(FNV_OFFSET, unit0);
    if (unit1 >= 0) single = fnvStep(single, unit1);
    out[count++] = fmix32(single);
  }
  if (open) out[count++] = fmix32(hash);
  return out.slice(0, count);
}

/**
 * One normalised text's token hashes per unit, each cut at most once: for callers that feed the
 * same text to several checks (decontamination's `EvalIndex.matchTokens`, shingling).
 */
export class TokenCache {
  private words: Uint32Array | undefined;
  private chars: Uint32Array | undefined;

  constructor(readonly normalized: string) {}

  /** `tokenHashes(normalized, unit)`, computed on first use. */
  readonly tokens = (unit: TokenUnit): Uint32Array => {
    if (unit === 'word') {
      this.words ??= tokenHashes(this.normalized, 'word');
      return this.words;
    }
    this.chars ??= tokenHashes(this.normalized, 'char');
    return this.chars;
  };
}

/**
 * Token hashes and their spans: for showing which words matched, not for the hot path. `limit`:
 * stop after that many tokens (an example quoted from the start of a long text needs no more).
 */
export function tokenize(normalized: string, unit: TokenUnit, limit = Number.POSITIVE_INFINITY): Tokens {
  return scan(normalized, unit, true, limit);
}

function scan(text: string, unit: TokenUnit, withSpans: boolean, limit = Number.POSITIVE_INFINITY): Tokens {
  // At most one token per character; a character can close a word and be a token itself, so a
  // scan stopped at `limit` holds at most limit + 1.
  const room = Math.min(text.length, limit + 1);
  const hashes = new Uint32Array(room);
  const spans = new Uint32Array(withSpans ? room * 2 : 0);
  const words = unit === 'word';
  let count = 0;
  let hash = FNV_OFFSET;
  let start = -1; // start offset of the open word, -1 when none is open
  for (let i = 0; i < text.length && count < limit; i++) {
    const at = i;
    const unit0 = text.charCodeAt(i);
    let cls: number;
    let unit1 = -1;
    if (unit0 < 0x80) {
      // ASCII fast path: letters (already lower-cased, but upper-case is accepted) and digits.
      const lower = unit0 | 0x20;
      cls = (lower >= 0x61 && lower <= 0x7a) || (unit0 >= 0x30 && unit0 <= 0x39) ? WORD_CHAR : SEPARATOR;
    } else {
      let cp = unit0;
      if (unit0 >= 0xd800 && unit0 <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = 0x10000 + ((unit0 - 0xd800) << 10) + (low - 0xdc00);
          unit1 = low;
          i++;
        }
      }
      cls = charClass(cp);
    }
    if (cls === WORD_CHAR && words) {
      if (start < 0) {
        start = at;
        hash = FNV_OFFSET;
      }
      hash = fnvStep(hash, unit0);
      if (unit1 >= 0) hash = fnvStep(hash, unit1);
      continue;
    }
    if (start >= 0) {
      // close the open word
      if (withSpans) {
        spans[count * 2] = start;
        spans[count * 2 + 1] = at;
      }
      hashes[count++] = fmix32(hash);
      start = -1;
    }
    if (cls === SEPARATOR) continue;
    // A single-character token: any CJK character, or any word character in `char` mode.
    hash = fnvStep(FNV_OFFSET, unit0);
    if (unit1 >= 0) hash = fnvStep(hash, unit1);
    if (withSpans) {
      spans[count * 2] = at;
      spans[count * 2 + 1] = i + 1;
    }
    hashes[count++] = fmix32(hash);
  }
  if (start >= 0) {
    if (withSpans) {
      spans[count * 2] = start;
      spans[count * 2 + 1] = text.length;
    }
    hashes[count++] = fmix32(hash);
  }
  return { hashes: hashes.slice(0, count), spans: withSpans ? spans.slice(0, count * 2) : spans };
}
