import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fmix32, murmurWords } from '../../src/text/hash32.js';
import { normalizeForTokens } from '../../src/text/normalize.js';
import { tokenHashes, tokenize } from '../../src/text/tokens.js';

function words(text: string, unit: 'word' | 'char'): string[] {
  const normalized = normalizeForTokens(text);
  const { spans } = tokenize(normalized, unit);
  const out: string[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push(normalized.slice(spans[i], spans[i + 1]));
  return out;
}

describe('tokenize', () => {
  it('splits English into words, dropping punctuation and case', () => {
    expect(words("Hello, World! It's 36.9°C.", 'word')).toEqual(['hello', 'world', 'it', 's', '36', '9', 'c']);
  });

  it('makes each CJK character a token, even in word mode', () => {
    expect(words('患者的HbA1c为7.5%', 'word')).toEqual(['患', '者', '的', 'hba1c', '为', '7', '5']);
  });

  it('splits everything into characters in char mode', () => {
    expect(words('Ab 中，c', 'char')).toEqual(['a', 'b', '中', 'c']);
  });

  it('folds full-width forms and ligatures through NFKC', () => {
    const a = tokenHashes(normalizeForTokens('ＡＢＣ ﬁne'), 'word');
    const b = tokenHashes(normalizeForTokens('abc fine'), 'word');
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('keeps astral characters whole', () => {
    expect(words('a𠀀b', 'word')).toEqual(['a', '𠀀', 'b']);
  });
});

describe('hash32', () => {
  it('murmurWords is MurmurHash3_x86_32 over little-endian words', () => {
    // Reference value: MurmurHash3_x86_32("test", seed 0) = 0xba6bd213; "test" is one LE word.
    expect(murmurWords(Uint32Array.of(0x74736574), 0, 1, 0)).toBe(0xba6bd213);
  });

  it('fmix32 is a bijection on a sample (no collisions among 100k inputs)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(fmix32(i));
    expect(seen.size).toBe(100_000);
  });
});

describe('the word fast path', () => {
  // tokenHashes(…, 'word') has its own loop (wordHashes); tokenize runs the general one.
  const pieces = [
    'word',
    'Ab9',
    ' ',
    '\n',
    ', ',
    '–',
    'é',
    'e\u0301',
    'Barré',
    '患者',
    'カタカナ',
    'ー',
    '한국어',
    '😀',
    '𠀀',
    '\ud800',
    '\udc00x',
    'x\ud83d',
    '\u00a0',
    '٣',
    'ß',
  ];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));

  it('gives the hashes the general tokeniser gives, on every kind of character', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 60 })), (s) => {
        expect([...tokenHashes(s, 'word')]).toEqual([...tokenize(s, 'word').hashes]);
      }),
      { numRuns: 2000, seed: 18 },
    );
  });

  it('stops at a token limit with a prefix of the whole tokenisation', () => {
    fc.assert(
      fc.property(text, fc.nat(30), fc.constantFrom('word' as const, 'char' as const), (s, limit, unit) => {
        const whole = tokenize(s, unit);
        const cut = tokenize(s, unit, limit);
        const count = cut.hashes.length;
        expect(count).toBeGreaterThanOrEqual(Math.min(limit, whole.hashes.length));
        expect([...cut.hashes]).toEqual([...whole.hashes.subarray(0, count)]);
        expect([...cut.spans]).toEqual([...whole.spans.subarray(0, 2 * count)]);
      }),
      { numRuns: 1000, seed: 19 },
    );
  });
});
