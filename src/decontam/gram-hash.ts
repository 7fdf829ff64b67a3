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

/** Prefix hashes of one token sequence, ready to give the key of any span. */
export class GramHasher {
  private readonly prefix1: Int32Array;
  private readonly prefix2: Int32Array;
  private readonly powers1: Int32Array;
  private readonly powers2: Int32Array;
  readonly length: number;

  /** `maxGram`: the longest span that will be asked for. */
  constructor(tokens: Uint32Array, maxGram: number) {
    this.length = tokens.length;
    this.prefix1 = new Int32Array(tokens.length + 1);
    this.prefix2 = new Int32Array(tokens.length + 1);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      this.prefix1[i + 1] = (Math.imul(this.prefix1[i]!, BASE_1) + t) | 0;
      this.prefix2[i + 1] = (Math.imul(this.prefix2[i]!, BASE_2) + fmix32(t ^ LANE_2_XOR)) | 0;
    }
    this.powers1 = powers(BASE_1, maxGram);
    this.powers2 = powers(BASE_2, maxGram);
  }

  /** Lane 1 of the key of tokens [start, start + size). */
  high(start: number, size: number): number {
    return (this.prefix1[start + size]! - Math.imul(this.prefix1[start]!, this.powers1[size]!)) >>> 0;
  }

  /** Lane 2 of the key of tokens [start, start + size). */
  low(start: number, size: number): number {
    return (this.prefix2[start + size]! - Math.imul(this.prefix2[start]!, this.powers2[size]!)) >>> 0;
  }
}

function powers(base: number, max: number): Int32Array {
  const out = new Int32Array(max + 1);
  out[0] = 1;
  for (let i = 1; i <= max; i++) out[i] = Math.imul(out[i - 1]!, base);
  return out;
}
