/**
 * Count tokens of a sample's text. Three kinds: a built-in BPE (`o200k_base`, `cl100k_base`,
 * through tiktoken's wasm build, ranks bundled, no network), a Hugging Face `tokenizer.json` read
 * from disk, or a labelled character estimate. Counting costs about 1 µs per token, so the scan
 * counts only records that enter a group's candidate set.
 *
 * What is counted: the turns' contents joined by "\n" (the same text the content key sees), without
 * a chat template's role markers, which vary by model. Special-token strings in the data
 * (`<|endoftext|>`) are counted as ordinary text.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { fileKind, isSystemPath, SYSTEM_DIRS } from '../io/file-kind.js';
import type { TokenizerSpec } from '../recipe/types.js';

export interface TokenCounter {
  /** What the manifest and sweep index print beside token figures. */
  readonly method: string;
  /** True for the character estimate: tokens are then not real counts. */
  readonly estimated: boolean;
  count(text: string): number;
  /**
   * `count` of `parts` joined by "\n" (a sample's text: sample.ts `sampleText`). A huge text is
   * then counted from its parts, never joined, when the counter counts in pieces.
   */
  countJoined(parts: readonly string[]): number;
  /**
   * `count` of the pieces' concatenation, never joined, for a huge text decoded in pieces: cut
   * after white space (`splitsAtWhitespace`), or at cuts checked locally (`countLocally`). Unset for
   * the character estimate, which needs only the length.
   */
  readonly countPieces?: ((pieces: Iterable<string>) => number) | undefined;
  /** Release wasm memory. */
  free(): void;
}

export const CHAR_ESTIMATE_METHOD = 'estimate: ceil(chars / 4)';

export const charEstimate: TokenCounter = {
  method: CHAR_ESTIMATE_METHOD,
  estimated: true,
  count: (text) => Math.ceil(text.length / 4),
  countJoined: (parts) => Math.ceil(joinedLength(parts) / 4),
  free: () => {},
};

function joinedLength(parts: readonly string[]): number {
  let length = Math.max(0, parts.length - 1);
  for (const part of parts) length += part.length;
  return length;
}

interface TiktokenEncoder {
  encode_ordinary(text: string): Uint32Array;
  free(): void;
}

async function bpe(name: 'o200k_base' | 'cl100k_base'): Promise<TokenCounter> {
  const { get_encoding } = (await import('tiktoken')) as unknown as { get_encoding(name: string): TiktokenEncoder };
  const encoder = get_encoding(name);
  return {
    method: name,
    estimated: false,
    ...countedLocally((text) => encoder.encode_ordinary(text).length),
    free: () => encoder.free(),
  };
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile() && !isSystemPath(realpathSync(file));
  } catch {
    return false;
  }
}

/**
 * A tokenizer.json is read whole and synchronously: a FIFO or a device there would block the
 * process for good, so only a regular file outside /proc, /sys and /dev is read. A missing file
 * is left to the read, which reports it.
 */
function refuseIrregular(absolute: string, file: string): void {
  let kind: string | undefined;
  try {
    const info = statSync(absolute);
    if (!info.isFile()) kind = fileKind(info);
    else if (isSystemPath(realpathSync(absolute))) kind = `under ${SYSTEM_DIRS.join(', ')}`;
  } catch {
    return;
  }
  if (kind === undefined) return;
  throw new MixsmithError(
    'INPUT_FORMAT',
    `mixture.tokenizer: ${file} is ${kind.startsWith('under') ? `a file ${kind}` : kind}, not a regular file mixsmith reads`,
    {
      where: { file },
      hint: 'give the path of a Hugging Face tokenizer.json saved as a regular file',
    },
  );
}

/**
 * Most bytes of a tokenizer.json (and its tokenizer_config.json) by default: the largest published
 * ones are tens of MB (a 256k vocabulary with its merges is about 35 MB), and the file is parsed
 * whole, at several times its size in memory. `mixture.tokenizer.max_bytes` raises it.
 */
export const DEFAULT_TOKENIZER_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The file's text, read no further than `maxBytes`: a file larger than that is INPUT_LIMIT before
 * a byte is read, and one still growing after at most that many bytes.
 */
function readBounded(absolute: string, file: string, maxBytes: number): string {
  const fd = openSync(absolute, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw tokenizerTooLarge(file, maxBytes);
    let buffer = Buffer.allocUnsafe(size + 1);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) throw tokenizerTooLarge(file, maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, 2 * buffer.length));
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      const read = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (read === 0) return buffer.toString('utf8', 0, filled);
      filled += read;
    }
  } finally {
    closeSync(fd);
  }
}

function tokenizerTooLarge(file: string, maxBytes: number): MixsmithError {
  return new MixsmithError(
    'INPUT_LIMIT',
    `mixture.tokenizer: ${file} is larger than max_bytes (${maxBytes} bytes) and was not read`,
    {
      where: { file },
      hint: `if it is a real tokenizer.json, raise mixture.tokenizer.max_bytes (at most ${MAX_TOKENIZER_MAX_BYTES})`,
    },
  );
}

/** V8's longest string, about: the file is parsed as one. */
export const MAX_TOKENIZER_MAX_BYTES = 511 * 1024 * 1024;

async function huggingFace(file: string, baseDir: string, maxBytes: number): Promise<TokenCounter> {
  const absolute = path.resolve(baseDir, file);
  let json: unknown;
  let config: unknown = {};
  refuseIrregular(absolute, file);
  try {
    json = JSON.parse(readBounded(absolute, file, maxBytes));
  } catch (cause) {
    if (cause instanceof MixsmithError) throw cause;
    throw new MixsmithError('RECIPE_SCHEMA', `mixture.tokenizer: cannot read ${file} as a tokenizer.json`, {
      where: { file },
      cause,
      hint: 'give the path of a Hugging Face tokenizer.json (it is read from disk, never downloaded)',
    });
  }
  const configFile = path.join(path.dirname(absolute), 'tokenizer_config.json');
  try {
    if (!isRegularFile(configFile)) throw new Error('not a regular file');
    config = JSON.parse(readBounded(configFile, path.join(path.dirname(file), 'tokenizer_config.json'), maxBytes));
  } catch (cause) {
    if (cause instanceof MixsmithError) throw cause;
    // tokenizer_config.json is optional: it only names special tokens.
  }
  const { Tokenizer } = (await import('@huggingface/tokenizers')) as unknown as {
    Tokenizer: new (
      json: object,
      config: object,
    ) => { encode(text: string, options: { add_special_tokens: boolean }): { ids: number[] } };
  };
  const tokenizer = new Tokenizer(json as object, config as object);
  const whole = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids.length;
  if (!splitsAtWhitespace(json, config))
    return { method: `tokenizer.json:${file}`, estimated: false, ...countedLocally(whole), free: () => {} };
  return {
    method: `tokenizer.json:${file}`,
    estimated: false,
    count: (text) => (text.length >= PIECEWISE_TOKEN_UNITS ? countInPieces(text, whole) : whole(text)),
    // "\n" is white space such a tokenizer splits at: the parts' counts add up to the joined text's.
    countJoined: (parts) =>
      joinedLength(parts) >= PIECEWISE_TOKEN_UNITS
        ? parts.reduce((sum, part) => sum + countInPieces(part, whole), 0)
        : whole(parts.join('\n')),
    countPieces: (pieces) => countCarried(pieces, whole),
    free: () => {},
  };
}

/**
 * Texts at least this long are counted in locally checked segments (`countLocally`) by tokenizers
 * outside the white-space rule: counted whole, a 5 MB text took a byte-level BPE tokenizer.json
 * (GPT-2, Llama 3, Qwen) to ~500 MB of memory and a 300 MB one out of memory; tiktoken's wasm
 * memory grows ~4× the text. Shorter texts are counted whole, as always.
 */
export const LOCAL_TOKEN_UNITS = 1 << 20;

/** `count`, `countJoined` and `countPieces` of a tokenizer outside the white-space rule, from its whole-text count. */
function countedLocally(whole: (text: string) => number): Pick<TokenCounter, 'count' | 'countJoined' | 'countPieces'> {
  return {
    count: (text) => (text.length >= LOCAL_TOKEN_UNITS ? countLocally([text], whole) : whole(text)),
    countJoined: (parts) =>
      joinedLength(parts) >= LOCAL_TOKEN_UNITS
        ? countLocally(joinedPieces(parts.map((part) => [part])), whole)
        : whole(parts.join('\n')),
    countPieces: (pieces) => countLocally(pieces, whole),
  };
}

/** Each part's pieces, a "\n" between parts: a sample's text (`sampleText`) a piece at a time. */
export function* joinedPieces(parts: readonly Iterable<string>[]): Generator<string> {
  for (const [i, pieces] of parts.entries()) {
    if (i > 0) yield '\n';
    yield* pieces;
  }
}

/** Characters each side of a cut that `countLocally` checks it with. */
const CUT_CHECK_UNITS = 256;

/**
 * `count` of the pieces' concatenation, summed over segments of about `segment` units. A segment
 * ends before a white-space character where the count adds up: the count of the `CUT_CHECK_UNITS`
 * characters each side of the cut equals the counts of the two sides. Tokenizers split text into
 * pre-tokens by rules that look a few characters around (a regex over letters, digits, spaces and
 * punctuation; added tokens matched in the raw text), and a model tokenises each pre-token alone,
 * so a cut that is a pre-token boundary in that window is one in the whole text, and the sum is the
 * whole text's count (property-tested against counting whole, for tiktoken and byte-level,
 * WordPiece and Metaspace tokenizer.json files). A tokenizer that adds something at the start of
 * every text (a Metaspace prefix) fails every check and is counted whole, as before.
 */
export function countLocally(
  pieces: Iterable<string>,
  count: (segment: string) => number,
  segment = TOKEN_PIECE_UNITS,
): number {
  let tokens = 0;
  let buffer = '';
  // Where the search for a cut goes on in `buffer`: candidates before it failed their check.
  let searchFrom = segment;
  const checks = { failed: 0 };
  for (const piece of pieces) {
    buffer += piece;
    while (checks.failed < MAX_FAILED_CUTS) {
      const cut = checkedCut(buffer, Math.max(searchFrom, segment), count, checks);
      if (cut < 0) {
        searchFrom = Math.max(segment, buffer.length - CUT_CHECK_UNITS);
        break;
      }
      tokens += count(buffer.slice(0, cut));
      buffer = buffer.slice(cut);
      searchFrom = segment;
      checks.failed = 0;
    }
  }
  return buffer === '' ? tokens : tokens + count(buffer);
}

/**
 * Failed cut checks in a row after which the rest of a text is counted whole: its tokenizer does
 * not count locally (a check fails now and then where a tokenizer joins punctuation and a line
 * break, ".\n"; a tokenizer that prefixes every text fails them all).
 */
const MAX_FAILED_CUTS = 16;

const isWhiteSpace = (code: number) => code === 32 || code === 10 || code === 9 || code === 13;

/** The first position at or after `from` before a white-space character where the count adds up (`countLocally`), or -1. */
function checkedCut(
  text: string,
  from: number,
  count: (segment: string) => number,
  checks: { failed: number },
): number {
  for (
    let cut = Math.max(from, CUT_CHECK_UNITS);
    cut + CUT_CHECK_UNITS <= text.length && checks.failed < MAX_FAILED_CUTS;
    cut++
  ) {
    if (!isWhiteSpace(text.charCodeAt(cut)) || isWhiteSpace(text.charCodeAt(cut - 1))) continue;
    const left = text.slice(cut - CUT_CHECK_UNITS, cut);
    const right = text.slice(cut, cut + CUT_CHECK_UNITS);
    if (count(left + right) === count(left) + count(right)) return cut;
    checks.failed++;
  }
  return -1;
}

/** Texts at least this long are counted in pieces, when the tokenizer allows it (`splitsAtWhitespace`). */
export const PIECEWISE_TOKEN_UNITS = 16 << 20;
const TOKEN_PIECE_UNITS = 1 << 16;

/**
 * Whether the tokenizer's count of a text is the sum of its counts of pieces cut after an ASCII
 * white space: no normalizer, a pre-tokenizer that splits at white space and drops it
 * (`Whitespace`, `WhitespaceSplit`: no token spans a space), no added or special tokens (they are
 * matched in the raw text first, and may hold or strip spaces) and no post-processor. Its model
 * then tokenises each pre-token alone. Others count long texts in locally checked segments
 * (`countLocally`): @huggingface/tokenizers holds every pre-token of a text as a string at once.
 */
export function splitsAtWhitespace(json: unknown, config: unknown): boolean {
  const tokenizer = json as {
    normalizer?: unknown;
    pre_tokenizer?: { type?: unknown };
    added_tokens?: unknown[];
    post_processor?: unknown;
  };
  return (
    tokenizer.normalizer == null &&
    tokenizer.post_processor == null &&
    (tokenizer.added_tokens ?? []).length === 0 &&
    (tokenizer.pre_tokenizer?.type === 'Whitespace' || tokenizer.pre_tokenizer?.type === 'WhitespaceSplit') &&
    (config === null || typeof config !== 'object' || Object.keys(config).length === 0)
  );
}

const isAsciiSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;

/**
 * `count` of the concatenation of `pieces`, summed over segments each cut after the last ASCII
 * white space of what has come so far (the rest is carried into the next segment).
 */
export function countCarried(pieces: Iterable<string>, count: (segment: string) => number): number {
  let tokens = 0;
  let carry = '';
  for (const piece of pieces) {
    const text = carry + piece;
    let cut = text.length;
    while (cut > 0 && !isAsciiSpace(text.charCodeAt(cut - 1))) cut--;
    if (cut === 0) {
      carry = text;
      continue;
    }
    tokens += count(text.slice(0, cut));
    carry = text.slice(cut);
  }
  return carry === '' ? tokens : tokens + count(carry);
}

/** `count` summed over pieces of `text` of about TOKEN_PIECE_UNITS, each cut after an ASCII white space. */
export function countInPieces(text: string, count: (piece: string) => number): number {
  let tokens = 0;
  for (let from = 0; from < text.length; ) {
    let to = Math.min(text.length, from + TOKEN_PIECE_UNITS);
    while (to < text.length && !isAsciiSpace(text.charCodeAt(to - 1))) to++;
    tokens += count(text.slice(from, to));
    from = to;
  }
  return tokens;
}

/** A counter for the recipe's `mixture.tokenizer` (the character estimate when unset). */
export async function createTokenCounter(spec: TokenizerSpec | null, baseDir: string): Promise<TokenCounter> {
  if (spec === null || spec === 'chars') return charEstimate;
  if (typeof spec === 'string') return bpe(spec);
  return huggingFace(spec.path, baseDir, spec.max_bytes ?? DEFAULT_TOKENIZER_MAX_BYTES);
}
