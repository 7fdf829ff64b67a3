/**
 * What the post-scan filters need of one candidate, from its text alone: the eval item it
 * contains (decontamination) and, when it contains none, its MinHash band keys (near-duplicate
 * removal). Pure, so the same text gives the same facts on this thread or in a worker
 * (`candidate-facts-pool.ts`); batches cross as a few flat arrays (`packFacts`), not an object per
 * record. The shingle set behind the band keys is not kept: only the few candidates that share a
 * band key with another are ever compared, and those are read and shingled again
 * (`nearShingles`, `near-dup/band-collisions.ts`).
 */
import type { ContaminationMatch, EvalIndex } from '../decontam/eval-index.js';
import { MINHASH_SEED, MinHasher } from '../near-dup/minhash.js';
import { lshBandKeys } from '../near-dup/near-dup-index.js';
import { normalizeForTokens } from '../text/normalize.js';
import { resolveUnit, type ShingleOptions, shingleSet, shinglesOfTokens } from '../text/shingles.js';
import { TokenCache } from '../text/tokens.js';
import { type TextFields, textForFields } from '../text/fields.js';
import type { SampleBody } from '../sample.js';

/** The near-duplicate settings a worker needs: plain data. */
export interface NearFactSettings {
  readonly bands: number;
  readonly rows: number;
  readonly shingle: ShingleOptions;
}

export interface CandidateFact {
  readonly hit: ContaminationMatch | undefined;
  /** Set when near-duplicate removal is on and `hit` is not. */
  readonly near: { readonly bandKeys: Uint32Array } | undefined;
}

export class CandidateFacts {
  private readonly hasher: MinHasher | undefined;

  constructor(
    private readonly index: Pick<EvalIndex, 'match' | 'matchTokens'> | undefined,
    private readonly near: NearFactSettings | null,
  ) {
    this.hasher = near ? new MinHasher({ permutations: near.bands * near.rows, seed: MINHASH_SEED }) : undefined;
  }

  /**
   * `text`: the decontamination fields' text; `nearText`: the near-duplicate fields' text. When
   * both are one string, it is normalised and cut into tokens once for both filters (as the
   * audit's record facts do): the same tokens `match` and `shingleSet` would each compute.
   */
  of(text: string | undefined, nearText: string | undefined): CandidateFact {
    const shared = text !== undefined && text === nearText ? new TokenCache(normalizeForTokens(text)) : undefined;
    const hit =
      this.index && text !== undefined
        ? shared
          ? this.index.matchTokens(shared.normalized, shared.tokens, text)
          : this.index.match(text)
        : undefined;
    if (hit || !this.near || !this.hasher || nearText === undefined) return { hit, near: undefined };
    const shingles = shared ? shinglesOf(shared, this.near.shingle) : nearShingles(nearText, this.near);
    const bandKeys = lshBandKeys(this.hasher.signature(shingles), this.near.bands, this.near.rows);
    return { hit, near: { bandKeys } };
  }
}

/** Which fields of a candidate each filter reads: null when that filter is off. */
export interface FactFields {
  readonly fields: TextFields | null;
  readonly nearFields: TextFields | null;
}

/**
 * A candidate's texts for `CandidateFacts.of`: the decontamination text and the near-duplicate
 * text, one string when both filters read the same fields.
 */
export function factTexts(
  body: SampleBody,
  { fields, nearFields }: FactFields,
): { text: string | undefined; nearText: string | undefined } {
  const text = fields === null ? undefined : textForFields(body, fields);
  const nearText = nearFields === null ? undefined : nearFields === fields ? text : textForFields(body, nearFields);
  return { text, nearText };
}

/** The shingle set of a near-duplicate text, as `CandidateFacts` computes it for the band keys. */
export function nearShingles(nearText: string, near: NearFactSettings): Uint32Array {
  return shingleSet(nearText, near.shingle).hashes;
}

/** `shingleSet(text, options).hashes` from a text's cached tokens (`normalized` its `normalizeForTokens`). */
function shinglesOf(cache: TokenCache, options: ShingleOptions): Uint32Array {
  const unit = resolveUnit(cache.normalized, options.unit);
  return shinglesOfTokens(cache.tokens(unit), unit === 'word' ? options.wordSize : options.charSize);
}

/** A batch's facts as they cross threads: flat arrays, transferred, plus the rare hits. */
export interface PackedFacts {
  readonly count: number;
  /** Index in the batch → hit, for the records that contain an eval item. */
  readonly hits: readonly (readonly [number, ContaminationMatch])[];
  /** `bands` keys per record (zeros without near facts). */
  readonly bandKeys: Uint32Array;
  readonly hasNear: Uint8Array;
}

export function packFacts(facts: readonly CandidateFact[], bands: number): PackedFacts {
  const count = facts.length;
  const bandKeys = new Uint32Array(count * bands);
  const hasNear = new Uint8Array(count);
  const hits: [number, ContaminationMatch][] = [];
  for (let i = 0; i < count; i++) {
    const { hit, near } = facts[i]!;
    if (hit) hits.push([i, hit]);
    if (!near) continue;
    hasNear[i] = 1;
    bandKeys.set(near.bandKeys, i * bands);
  }
  return { count, hits, bandKeys, hasNear };
}

/** The buffers of `packed` to transfer rather than copy. */
export function transferOfFacts(packed: PackedFacts): ArrayBuffer[] {
  return [packed.bandKeys.buffer, packed.hasNear.buffer] as ArrayBuffer[];
}

export function unpackFacts(packed: PackedFacts, bands: number): CandidateFact[] {
  const hits = new Map(packed.hits);
  const facts: CandidateFact[] = [];
  for (let i = 0; i < packed.count; i++) {
    const hit = hits.get(i);
    facts.push({
      hit,
      near: packed.hasNear[i] === 1 ? { bandKeys: packed.bandKeys.subarray(i * bands, (i + 1) * bands) } : undefined,
    });
  }
  return facts;
}
