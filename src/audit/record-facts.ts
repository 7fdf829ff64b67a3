/**
 * The pure half of an audit: what each record's text alone decides, computed a batch at a time,
 * inline or in worker threads (`fact-pool.ts`). Per record: its content keys (normalised,
 * verbatim, prompt), the eval item it contaminates by the n-gram rule, and for the near-duplicate
 * check its shingle hashes and LSH band keys. The ordered half (`SubjectTally`) consumes batches in
 * reading order, so no figure depends on where, or on how many threads, the facts were computed.
 *
 * One normalisation and one tokenisation per record serve all three. `normalizeForKey(text)` is
 * `normalizeForTokens(text)` with white space runs collapsed and trimmed; white space is a
 * separator to the tokeniser and not CJK, so both strings give the same token hashes, the same
 * `hasCjk` and the same shingle unit. The content key is therefore the one compose computes, the
 * eval match that of `EvalIndex.match(text)`, and the shingles those of `shingleSet(text)` left in
 * text order (`shingleHashes`: the signature is the same, and the index sorts the rare candidate).
 *
 * Facts are parallel typed arrays per batch, not an object per record: a worker's reply is
 * structured-cloned (or transferred), and a few arrays cost far less than 1,000 small objects.
 */
import { type ContaminationMatch, EvalIndex, type SharedEvalIndex } from '../decontam/eval-index.js';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../near-dup/defaults.js';
import { MINHASH_SEED, MinHasher } from '../near-dup/minhash.js';
import { lshBandKeys } from '../near-dup/near-dup-index.js';
import { normalizeForKey } from '../keys/normalize.js';
import type { TextFields } from '../text/fields.js';
import type { TokenizerSpec } from '../recipe/types.js';
import { createTokenCounter, type TokenCounter } from '../tokens/token-counter.js';
import { normalizeForTokens } from '../text/normalize.js';
import { DEFAULT_SHINGLE_OPTIONS, resolveUnit, shingleHashes } from '../text/shingles.js';
import { TokenCache, type TokenUnit, tokenHashes } from '../text/tokens.js';
import { type Fingerprint, textFingerprint } from './fingerprint-map.js';
import type { RecordKeys } from './record-keys.js';

/** What the facts of a subject's records depend on besides the records: plain data, so it can cross to a worker. */
export interface FactSettings {
  /** Records' prompt keys are wanted (only to compare with eval sets). */
  readonly prompts: boolean;
  /**
   * The n-gram index `loadEvals` built, in shared memory (every thread matches from this one copy);
   * null: no n-gram check.
   */
  readonly evalIndex: SharedEvalIndex | null;
  /** The turns the near-duplicate check compares, or null when it is off (`--no-near`). */
  readonly near: TextFields | null;
  /**
   * A real tokenizer (`--tokenizer`) to count each record's tokens with, and where its path is
   * taken from; absent for the character estimate, which the counting thread computes itself.
   */
  readonly tokenizer?: { readonly spec: TokenizerSpec; readonly baseDir: string } | undefined;
}

/** A batch of records as the pure half needs them: texts only, in reading order. */
export interface FactInput {
  /** Each record's whole text (`sampleText`), or, where `leads` says so, what follows its prompt. */
  readonly texts: string[];
  /** Each record's user turns (`promptOf`), null without one; only when `FactSettings.prompts`. */
  readonly prompts?: (string | null)[] | undefined;
  /**
   * With `prompts`, per record: `PROMPT_THEN_TEXT` where the whole text is the prompt, a newline
   * and `texts[i]` (`leadingPrompt`), `PROMPT_ONLY` where it is the prompt alone, 0 where
   * `texts[i]` is the whole text. Each part is then sent and normalised once.
   */
  readonly leads?: number[] | undefined;
  /** Each record's text of the near-duplicate fields; only when those are not `all`. */
  readonly nearTexts?: string[] | undefined;
}

/** Values of `FactInput.leads`. */
export const PROMPT_THEN_TEXT = 1;
export const PROMPT_ONLY = 2;

/**
 * `normalizeForKey(a + '\n' + b)` from `normalizeForKey(a)` and `normalizeForKey(b)`. A newline
 * is a boundary for every step: NFKC leaves it alone and nothing composes or reorders across it
 * (it is a starter that combines with nothing), lower-casing's one context rule (final sigma) stops
 * at it, and the white space run around it collapses to the one space that joins the two parts
 * (or to nothing at either end, which the trim removes). test/audit/record-facts.test.ts checks
 * this against the direct computation on texts chosen to break it.
 */
export function joinNormalized(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a} ${b}`;
}

/** Flag bits of `FactBatch.flags`. */
export const EMPTY = 1;
export const HAS_PROMPT = 2;

/** Slots per record in `FactBatch.keys`: content key, verbatim key and prompt key, two halves each. */
const KEY_SLOTS = 6;

/** The facts of one batch, record i at index i of each array. */
export interface FactBatch {
  readonly count: number;
  /** `EMPTY`: nothing left after normalisation (no keys, no checks); `HAS_PROMPT`: a prompt key is set. */
  readonly flags: Uint8Array;
  /** Per record `KEY_SLOTS` values: the fingerprints of the content key, the verbatim text and the prompt. */
  readonly keys: Uint32Array;
  /** [record, match] for each record that contaminates an eval item by the n-gram rule. */
  readonly evalHits: [number, ContaminationMatch][];
  /**
   * Near-duplicate check (empty arrays when off): record i's shingle hashes (in text order, repeats
   * kept) are `shingles[starts[i], starts[i + 1])`, and when there are any its band keys are
   * `bandKeys[i × bands, (i + 1) × bands)`.
   */
  readonly starts: Uint32Array;
  readonly shingles: Uint32Array;
  readonly bandKeys: Uint32Array;
  /** Per record, its tokens by `FactSettings.tokenizer` (empty without one). */
  readonly tokens: Float64Array;
}

/** The buffers a worker hands back without copying. */
export function transferablesOf(batch: FactBatch): ArrayBuffer[] {
  return [batch.flags, batch.keys, batch.starts, batch.shingles, batch.bandKeys, batch.tokens].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

const NO_SHINGLES = new Uint32Array(0);

/** Computes facts for one subject's settings; build once per thread, reuse for every batch. */
export class FactComputer {
  private readonly hasher: MinHasher;
  private readonly bands: number;
  private readonly rows: number;

  /**
   * `ngram`: the n-gram index over the settings' eval items, and `counter` the settings' tokenizer
   * (the caller's own, or made by `create`).
   */
  constructor(
    readonly settings: FactSettings,
    private readonly ngram: EvalIndex | null,
    private readonly counter: TokenCounter | null = null,
  ) {
    const { bands, rows } = DEFAULT_NEAR_DUP_SETTINGS;
    this.bands = bands;
    this.rows = rows;
    this.hasher = new MinHasher({ permutations: bands * rows, seed: MINHASH_SEED });
  }

  /** A computer matching with the settings' shared n-gram index (read in place, not rebuilt). */
  static fromSettings(settings: FactSettings, counter: TokenCounter | null = null): FactComputer {
    return new FactComputer(settings, settings.evalIndex ? EvalIndex.fromShared(settings.evalIndex) : null, counter);
  }

  /** `fromSettings` with its own token counter when the settings name a tokenizer (a worker's). */
  static async create(settings: FactSettings): Promise<FactComputer> {
    const { tokenizer } = settings;
    return FactComputer.fromSettings(
      settings,
      tokenizer ? await createTokenCounter(tokenizer.spec, tokenizer.baseDir) : null,
    );
  }

  compute(input: FactInput): FactBatch {
    const { texts } = input;
    const count = texts.length;
    const near = this.settings.near;
    const flags = new Uint8Array(count);
    const keys = new Uint32Array(count * KEY_SLOTS);
    const evalHits: [number, ContaminationMatch][] = [];
    const sets: Uint32Array[] = near === null ? [] : new Array<Uint32Array>(count);
    const bandKeys = new Uint32Array(near === null ? 0 : count * this.bands);
    const tokenCounts = new Float64Array(this.counter ? count : 0);
    let shingleCount = 0;
    for (let i = 0; i < count; i++) {
      let text = texts[i]!;
      let normalized: string;
      if (this.settings.prompts) {
        const prompt = input.prompts?.[i];
        const normalizedPrompt = prompt == null ? '' : normalizeForKey(prompt);
        const lead = input.leads?.[i] ?? 0;
        if (lead === 0 || prompt == null) {
          normalized = normalizeForKey(text);
        } else if (lead === PROMPT_ONLY) {
          text = prompt;
          normalized = normalizedPrompt;
        } else {
          normalized = joinNormalized(normalizedPrompt, normalizeForKey(text));
          text = `${prompt}\n${text}`;
        }
        if (normalizedPrompt !== '') {
          flags[i]! |= HAS_PROMPT;
          setKey(keys, i * KEY_SLOTS + 4, textFingerprint(normalizedPrompt));
        }
      } else {
        normalized = normalizeForKey(text);
      }
      setKey(keys, i * KEY_SLOTS, textFingerprint(normalized));
      setKey(keys, i * KEY_SLOTS + 2, textFingerprint(text));
      if (this.counter) tokenCounts[i] = this.counter.count(text);
      if (normalized === '') {
        flags[i]! |= EMPTY;
        if (near !== null) sets[i] = NO_SHINGLES;
        continue;
      }
      const { tokens } = new TokenCache(normalized);
      if (this.ngram) {
        const hit = this.ngram.matchTokens(normalized, tokens, text);
        if (hit) evalHits.push([i, hit]);
      }
      if (near === null) continue;
      const shingles =
        near === 'all' ? shinglesOf(normalized, tokens) : shinglesOf(normalizeForTokens(input.nearTexts?.[i] ?? ''));
      sets[i] = shingles;
      shingleCount += shingles.length;
      if (shingles.length > 0)
        bandKeys.set(lshBandKeys(this.hasher.signature(shingles), this.bands, this.rows), i * this.bands);
    }
    const starts = new Uint32Array(near === null ? 0 : count + 1);
    const shingles = new Uint32Array(shingleCount);
    if (near !== null) {
      let at = 0;
      for (let i = 0; i < count; i++) {
        starts[i] = at;
        shingles.set(sets[i]!, at);
        at += sets[i]!.length;
      }
      starts[count] = at;
    }
    return { count, flags, keys, evalHits, starts, shingles, bandKeys, tokens: tokenCounts };
  }
}

/**
 * The shingle hashes of a normalised text, in text order (`shingleHashes`): as `shingleSet` cuts
 * them (unit by `DEFAULT_SHINGLE_OPTIONS`), before its sort. `tokens` gives the text's token
 * hashes when the caller has them already.
 */
function shinglesOf(
  normalized: string,
  tokens: (unit: TokenUnit) => Uint32Array = (unit) => tokenHashes(normalized, unit),
): Uint32Array {
  const { unit: option, wordSize, charSize } = DEFAULT_SHINGLE_OPTIONS;
  const unit = resolveUnit(normalized, option);
  return shingleHashes(tokens(unit), unit === 'word' ? wordSize : charSize);
}

function setKey(keys: Uint32Array, at: number, fp: Fingerprint): void {
  keys[at] = fp[0];
  keys[at + 1] = fp[1];
}

/** Record i's facts as the tally reads them. */
export interface RecordFacts {
  readonly keys: RecordKeys;
  readonly evalHit: ContaminationMatch | undefined;
  /** Its shingle hashes (in text order, see `shingleHashes`); undefined when the check is off or the record is empty. */
  readonly shingles: Uint32Array | undefined;
  /** Its LSH band keys; undefined when it has no shingle. */
  readonly bandKeys: Uint32Array | undefined;
  /** Its tokens by the settings' tokenizer; undefined without one. */
  readonly tokens: number | undefined;
}

/** A batch's facts one record at a time, in order (`hit` walks the sparse eval hits along). */
export class FactReader {
  private nextHit = 0;

  constructor(
    private readonly batch: FactBatch,
    private readonly bands: number = DEFAULT_NEAR_DUP_SETTINGS.bands,
  ) {}

  /** Record i's facts; `text` is its whole text (kept by the caller, not sent back). Call with i ascending. */
  at(i: number, text: string): RecordFacts {
    const { flags, keys, evalHits, starts, shingles, bandKeys, tokens } = this.batch;
    const k = i * KEY_SLOTS;
    const empty = (flags[i]! & EMPTY) !== 0;
    const recordKeys: RecordKeys = {
      text,
      empty,
      key: [keys[k]!, keys[k + 1]!],
      verbatim: [keys[k + 2]!, keys[k + 3]!],
      prompt: (flags[i]! & HAS_PROMPT) !== 0 ? [keys[k + 4]!, keys[k + 5]!] : undefined,
    };
    while (this.nextHit < evalHits.length && evalHits[this.nextHit]![0] < i) this.nextHit++;
    const hit =
      this.nextHit < evalHits.length && evalHits[this.nextHit]![0] === i ? evalHits[this.nextHit]![1] : undefined;
    const count = tokens.length === 0 ? undefined : tokens[i]!;
    if (starts.length === 0 || empty)
      return { keys: recordKeys, evalHit: hit, shingles: undefined, bandKeys: undefined, tokens: count };
    const set = shingles.subarray(starts[i]!, starts[i + 1]!);
    return {
      keys: recordKeys,
      evalHit: hit,
      shingles: set,
      bandKeys: set.length > 0 ? bandKeys.subarray(i * this.bands, (i + 1) * this.bands) : undefined,
      tokens: count,
    };
  }
}
