/**
 * The exact layer of decontamination: an eval item's normalised question (its token sequence, so
 * punctuation, case and white space do not matter) found whole inside a training text. Each key is
 * filed under one anchor, a window of `anchor` tokens chosen as the window the fewest keys share, so
 * a training text costs one hash probe per token position (plus an O(1) check of the whole key for
 * the rare anchor hit), whatever the number of eval items. No boilerplate rule applies: a question
 * of at least `anchor` tokens pasted whole is contamination.
 */
import { GramHasher } from './gram-hash.js';
import { GramPostings, GramProbe, type SharedGramPostings } from './gram-postings.js';
import { GramTable } from './gram-table.js';
import { sharedCopy } from './shared-arrays.js';

/** Keys longer than this are cut to their first tokens (already far too specific to occur by chance). */
export const MAX_EXACT_TOKENS = 1024;

interface Key {
  readonly item: number;
  /** The key's tokens; empty in an index read from shared memory (only needed to file anchors). */
  readonly tokens: Uint32Array;
  readonly length: number;
  readonly high: number;
  readonly low: number;
}

/** A filled exact index as plain data over shared memory, for `ExactIndex.fromShared`. */
export interface SharedExactIndex {
  readonly anchor: number;
  readonly longest: number;
  /** Per key: item, length, high and low halves of its whole hash, four Int32s each. */
  readonly keys: Int32Array;
  readonly anchors: SharedGramPostings;
}

const NO_TOKENS = new Uint32Array(0);

export interface ExactHit {
  readonly item: number;
  /** Token position of the key in the training text, and its length. */
  readonly start: number;
  readonly length: number;
}

export class ExactIndex {
  private readonly keys: Key[] = [];
  private anchors: GramPostings | null = null;
  private longest = 0;
  /** Scratch of `find`. */
  private readonly probe = new GramProbe();

  constructor(readonly anchor: number) {}

  get size(): number {
    return this.keys.length;
  }

  /** The longest key: training texts must be hashed for spans this long. */
  get maxLength(): number {
    return this.longest;
  }

  /** File `tokens` (at least `anchor` long) as item `item`'s key. */
  add(item: number, tokens: Uint32Array): void {
    const key = tokens.length > MAX_EXACT_TOKENS ? tokens.subarray(0, MAX_EXACT_TOKENS) : tokens;
    if (key.length < this.anchor) throw new RangeError(`an exact key needs at least ${this.anchor} tokens`);
    const hasher = new GramHasher(key, key.length);
    this.keys.push({
      item,
      tokens: key,
      length: key.length,
      high: hasher.high(0, key.length),
      low: hasher.low(0, key.length),
    });
    this.longest = Math.max(this.longest, key.length);
    this.anchors = null;
  }

  /** First key found whole in the text whose token spans `hasher` covers (built for `maxLength`). */
  find(hasher: GramHasher): ExactHit | undefined {
    if (this.keys.length === 0) return undefined;
    const anchors = this.anchors ?? this.fileAnchors();
    const a = this.anchor;
    const found = anchors.maybeHeld(hasher, a, this.probe);
    const { highs, passing } = this.probe;
    for (let k = 0; k < found; k++) {
      const i = passing[k]!;
      for (let p = anchors.lookup(highs[i]!, hasher.low(i, a), 0); p !== -1; p = anchors.next(p)) {
        const key = this.keys[anchors.item(p)]!;
        const start = i - anchors.start(p);
        const length = key.length;
        if (start < 0 || start + length > hasher.length) continue;
        if (hasher.high(start, length) === key.high && hasher.low(start, length) === key.low)
          return { item: key.item, start, length };
      }
    }
    return undefined;
  }

  /** The keys and their anchors copied into shared memory, for readers in other threads. */
  toShared(): SharedExactIndex {
    const anchors = this.anchors ?? this.fileAnchors();
    const keys = new Int32Array(this.keys.length * 4);
    for (const [k, key] of this.keys.entries()) keys.set([key.item, key.length, key.high, key.low], k * 4);
    return { anchor: this.anchor, longest: this.longest, keys: sharedCopy(keys), anchors: anchors.toShared() };
  }

  /** An index over `shared` (its arrays not copied), for `find` only: `add` must not be called. */
  static fromShared(shared: SharedExactIndex): ExactIndex {
    const index = new ExactIndex(shared.anchor);
    const { keys } = shared;
    for (let at = 0; at < keys.length; at += 4) {
      index.keys.push({
        item: keys[at]!,
        tokens: NO_TOKENS,
        length: keys[at + 1]!,
        high: keys[at + 2]!,
        low: keys[at + 3]!,
      });
    }
    index.longest = shared.longest;
    index.anchors = GramPostings.fromShared(shared.anchors);
    return index;
  }

  /** Each key under its rarest anchor window (ties: the first), so few keys share a probe. */
  private fileAnchors(): GramPostings {
    const table = new GramTable();
    let counts = new Int32Array(1024);
    const hashers = this.keys.map((key) => new GramHasher(key.tokens, this.anchor));
    for (const [k, key] of this.keys.entries()) {
      const hasher = hashers[k]!;
      const seen = new Set<number>();
      for (let i = 0; i + this.anchor <= key.tokens.length; i++) {
        const entry = table.intern(hasher.high(i, this.anchor), hasher.low(i, this.anchor));
        if (seen.has(entry)) continue;
        seen.add(entry);
        if (entry >= counts.length) {
          const grown = new Int32Array(Math.max(counts.length * 2, entry + 1));
          grown.set(counts);
          counts = grown;
        }
        counts[entry]!++;
      }
    }
    const anchors = new GramPostings();
    for (const [k, key] of this.keys.entries()) {
      const hasher = hashers[k]!;
      let best = 0;
      let bestCount = Number.POSITIVE_INFINITY;
      for (let i = 0; i + this.anchor <= key.tokens.length; i++) {
        const count = counts[table.get(hasher.high(i, this.anchor), hasher.low(i, this.anchor))]!;
        if (count < bestCount) {
          best = i;
          bestCount = count;
          if (count === 1) break;
        }
      }
      anchors.add(hasher.high(best, this.anchor), hasher.low(best, this.anchor), k, best);
    }
    this.anchors = anchors;
    return anchors;
  }
}
