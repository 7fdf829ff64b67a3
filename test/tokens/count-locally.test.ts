/**
 * Long texts are counted in locally checked segments by every real tokenizer outside the
 * white-space rule (issue #24: a byte-level tokenizer.json counting a 5 MB text whole took ~500 MB,
 * a 300 MB one ran out of memory). The count must be the whole text's count, exactly: checked
 * here on random texts (words, digits, contractions, punctuation, runs of spaces and newlines,
 * accents, CJK, emoji, special-token strings) against counting whole, for tiktoken's built-ins and
 * for tokenizer.json files of the common shapes, with segments small enough to cut many times.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countLocally,
  createTokenCounter,
  LOCAL_TOKEN_UNITS,
  type TokenCounter,
} from '../../src/tokens/token-counter.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-count-locally-');

/** GPT-2's byte → printable character map, which byte-level vocabularies are written in. */
function byteLevelAlphabet(): string[] {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = bytes.map((b) => String.fromCodePoint(b));
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (bytes.includes(b)) continue;
    bytes.push(b);
    chars.push(String.fromCodePoint(256 + extra++));
  }
  const byByte: string[] = [];
  bytes.forEach((b, i) => {
    byByte[b] = chars[i]!;
  });
  return byByte;
}

/** A byte-level BPE tokenizer.json with a few merges (so tokens span several bytes) and one special token. */
function byteLevelTokenizer(preTokenizer: object): object {
  const alphabet = byteLevelAlphabet();
  const vocab: Record<string, number> = {};
  for (const [b, ch] of alphabet.entries()) vocab[ch] = b;
  const space = alphabet[32]!;
  const merges = [
    [space, 't'],
    ['h', 'e'],
    [`${space}t`, 'he'],
    ['i', 'n'],
    [space, 'a'],
    ['e', 'r'],
    ['1', '2'],
    ['.', alphabet[10]!],
  ];
  let id = 256;
  for (const [a, b] of merges) vocab[a! + b!] = id++;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id,
        content: '<|endoftext|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: merges.map((m) => m.join(' ')),
    },
  };
}

/** Llama 3's pre-tokenizer: its split regex, then byte-level without a regex of its own. */
const LLAMA3_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const TOKENIZERS: Record<string, object> = {
  'byte-level (GPT-2)': byteLevelTokenizer({
    type: 'ByteLevel',
    add_prefix_space: false,
    trim_offsets: true,
    use_regex: true,
  }),
  'split + byte-level (Llama 3)': byteLevelTokenizer({
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: LLAMA3_SPLIT }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    ],
  }),
  // A prefix on every text: every check fails, and the text is counted whole (still exact).
  'metaspace (prepend always)': {
    version: '1.0',
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab: { '[UNK]': 0, '▁the': 1 }, unk_token: '[UNK]' },
  },
};

const WORDS = [
  'the',
  'The',
  'in',
  'er',
  'ate',
  "don't",
  "we'll",
  'café',
  'naïve',
  '中文',
  '字',
  '12',
  '123456',
  '3.14',
  '😀',
  '<|endoftext|>',
  '...',
  '!?',
  '--',
  '"q"',
  '(x)',
  'a',
];
const GAPS = [' ', ' ', ' ', '  ', '\n', '\n\n', '.\n', '\t', ' \n ', ''];

/** A random text of words and gaps, long enough for several segments of `segment` units. */
const textArb = (length: number) =>
  fc
    .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...GAPS)), { minLength: length, maxLength: length })
    .map((pairs) => pairs.map(([w, g]) => w + g).join(''));

async function counterOf(name: string, json: object): Promise<TokenCounter> {
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(json));
  return createTokenCounter({ path: file }, dir);
}

describe('countLocally', () => {
  const cases: [string, () => Promise<TokenCounter>][] = [
    ['cl100k_base', () => createTokenCounter('cl100k_base', dir)],
    ['o200k_base', () => createTokenCounter('o200k_base', dir)],
    ...Object.entries(TOKENIZERS).map(([name, json]): [string, () => Promise<TokenCounter>] => [
      name,
      () => counterOf(name, json),
    ]),
  ];

  for (const [name, make] of cases) {
    it(`equals the whole text's count: ${name}`, async () => {
      const counter = await make();
      const whole = (text: string) => counter.count(text);
      let segments = 0;
      fc.assert(
        fc.property(textArb(900), fc.array(fc.nat(4000), { maxLength: 6 }), (text, at) => {
          const expected = whole(text);
          // Segments of 300 units: a text of a few thousand characters is cut several times.
          const spy = (s: string) => {
            if (s.length >= 300 && s.length < text.length && text.startsWith(s)) segments++;
            return whole(s);
          };
          expect(countLocally([text], spy, 300)).toBe(expected);
          // Pieces cut anywhere (inside a word, a special token, a run of spaces) count the same.
          const ends = [...new Set(at.map((a) => a % text.length))].sort((a, b) => a - b);
          const pieces = [...ends, text.length].map((end, k) => text.slice(k === 0 ? 0 : ends[k - 1], end));
          expect(countLocally(pieces, whole, 300)).toBe(expected);
        }),
        { numRuns: 40, seed: 7 },
      );
      // The test means something: every text was cut (its first segment counted alone), except by
      // the tokenizer no cut can pass.
      if (name.startsWith('metaspace')) expect(segments).toBe(0);
      else expect(segments).toBe(40);
      counter.free();
    });
  }

  it('keeps cutting where some checks fail (".\\n" joined by Llama 3\'s split), and stops trying where all do', async () => {
    const llama = await counterOf('llama-lines', TOKENIZERS['split + byte-level (Llama 3)']!);
    const metaspace = await counterOf('metaspace-lines', TOKENIZERS['metaspace (prepend always)']!);
    const text = 'The end.\nThe cat ate.\n'.repeat(2000);
    for (const [counter, cutsAtLeast, callsAtMost] of [
      [llama, 100, Number.POSITIVE_INFINITY],
      [metaspace, 0, 3 * 16 + 1],
    ] as const) {
      let segments = 0;
      let calls = 0;
      const spy = (s: string) => {
        calls++;
        if (s.length >= 300 && s.length !== 512) segments++;
        return counter.count(s);
      };
      expect(countLocally([text], spy, 300)).toBe(counter.count(text));
      expect(segments).toBeGreaterThanOrEqual(cutsAtLeast);
      expect(calls).toBeLessThanOrEqual(callsAtMost);
    }
  });

  it('a counter counts a text of LOCAL_TOKEN_UNITS or more in segments, with the whole count', async () => {
    const json = TOKENIZERS['byte-level (GPT-2)']!;
    const counter = await counterOf('long', json);
    const { Tokenizer } = (await import('@huggingface/tokenizers')) as unknown as {
      Tokenizer: new (json: object, config: object) => { encode(t: string, o: object): { ids: number[] } };
    };
    const raw = new Tokenizer(json, {});
    const wholeCount = (t: string) => raw.encode(t, { add_special_tokens: false }).ids.length;
    const unit = "The cat ate 123456 apples.\nWe'll see!  <|endoftext|> café 中文 ";
    const text = unit.repeat(Math.ceil((LOCAL_TOKEN_UNITS + 5000) / unit.length));
    expect(text.length).toBeGreaterThanOrEqual(LOCAL_TOKEN_UNITS);
    const expected = wholeCount(text);
    expect(counter.count(text)).toBe(expected);
    const half = text.length >> 1;
    expect(counter.countJoined([text.slice(0, half), text.slice(half + 1)])).toBe(
      wholeCount(`${text.slice(0, half)}\n${text.slice(half + 1)}`),
    );
    expect(counter.countPieces?.([text.slice(0, 12_345), text.slice(12_345)])).toBe(expected);
  });
});
