/**
 * 64-bit keys for token n-grams of any length in O(1) each, from prefix sums of a polynomial
 * rolling hash in two independent 32-bit lanes.
 *
 * Why 64 bits: a training text is looked up gram by gram against every eval gram, so with 32-bit
 * keys and a million eval grams about one lookup in 4,000 would hit by chance, and an eval item
 * indexed as a single whole-item gram would then be "fully matched" by noise. Two lanes make that
 * about 2⁻⁶⁴ per lookup. Why rolling: the index asks for grams of two lengths (n, and the anchor of
 * short items) and for whole short items of any length at one position, all from one pass.
 */
import { fmix32 } from '../text/hash32.js';

const BASE_1 = 0x01000193;
const BASE_2 = 0x5bd1e995;
/** Lane 2 sees each token hash through a different bijection, so the lanes are not one hash twice. */
const LANE_2_XOR = 0x2545f491;
const EMPTY = new Int32Array(0);

/** Prefix hashes of one token sequence, ready to give the key of any span. */
export class GramHasher {
  private prefix1: Int32Array = EMPTY;
  private prefix2: Int32Array = EMPTY;
  private powers1: Int32Array = EMPTY;
  private powers2: Int32Array = EMPTY;
  length = 0;

  /** `maxGram`: the longest span that will be asked for. */
  constructor(tokens: Uint32Array, maxGram: number) {
    this.load(tokens, maxGram);
  }

  /**
   * Hash `tokens` in place of the sequence held so far, reusing this hasher's arrays (a matcher
   * checks one text after another: a fresh pair of prefix arrays per text was garbage to collect).
   */
  load(tokens: Uint32Array, maxGram: number): this {
    const length = tokens.length;
    this.length = length;
    if (this.prefix1.length < length + 1) {
      const capacity = Math.max(length + 1, 2 * this.prefix1.length);
      this.prefix1 = new Int32Array(capacity);
      this.prefix2 = new Int32Array(capacity);
    }
    const { prefix1, prefix2 } = this;
    let lane1 = 0;
    let lane2 = 0;
    prefix1[0] = 0;
    prefix2[0] = 0;
    for (let i = 0; i < length; i++) {
      const t = tokens[i]! | 0;
      lane1 = (Math.imul(lane1, BASE_1) + t) | 0;
      lane2 = (Math.imul(lane2, BASE_2) + (fmix32(t ^ LANE_2_XOR) | 0)) | 0;
      prefix1[i + 1] = lane1;
      prefix2[i + 1] = lane2;
    }
    if (this.powers1.length !== maxGram + 1) {
      this.powers1 = powersOf(BASE_1, maxGram);
      this.powers2 = powersOf(BASE_2, maxGram);
    }
    return this;
  }

  /**
   * Lane 1 of the key of tokens [start, start + size), as a signed 32-bit value: the same bits as
   * unsigned, and a small integer V8 never boxes (this runs once per token of every text checked).
   */
  high(start: number, size: number): number {
    return (this.prefix1[start + size]! - Math.imul(this.prefix1[start]!, this.powers1[size]!)) | 0;
  }

  /** `high(i, size)` for every start i of a span of `size` tokens, into `out` (length - size + 1 of them). */
  highs(size: number, out: Int32Array): void {
    const prefix = this.prefix1;
    const power = this.powers1[size]!;
    for (let i = 0; i + size <= this.length; i++) out[i] = (prefix[i + size]! - Math.imul(prefix[i]!, power)) | 0;
  }

  /** Lane 2 of the key of tokens [start, start + size), signed as `high`. */
  low(start: number, size: number): number {
    return (this.prefix2[start + size]! - Math.imul(this.prefix2[start]!, this.powers2[size]!)) | 0;
  }
}

function powers(base: number, max: number): Int32Array {
  const out = new Int32Array(max + 1);
  out[0] = 1;
  for (let i = 1; i <= max; i++) out[i] = Math.imul(out[i - 1]!, base);
  return out;
}

/** Powers up to `max` (never written to), kept per (base, max): every text checked asks for the same few. */
const powersCache = new Map<number, Int32Array>();

function powersOf(base: number, max: number): Int32Array {
  const key = base * 4096 + max;
  let out = powersCache.get(key);
  if (!out || out.length !== max + 1) {
    out = powers(base, max);
    powersCache.set(key, out);
  }
  return out;
}
