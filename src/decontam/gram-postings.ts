/**
 * Gram key → the eval items holding that gram, with where each holds it. Postings are linked lists
 * in typed arrays; a per-entry stamp lets one training text count each distinct gram once.
 */
import type { GramHasher } from './gram-hash.js';
import { GramTable, type SharedGramTable } from './gram-table.js';
import { sharedCopy } from './shared-arrays.js';

const NONE = -1;

/** A matcher's scratch for `GramPostings.maybeHeld`, reused text after text. */
export class GramProbe {
  highs = new Int32Array(1024);
  passing = new Int32Array(1024);

  fit(count: number): void {
    if (this.highs.length >= count) return;
    this.highs = new Int32Array(Math.max(count, 2 * this.highs.length));
    this.passing = new Int32Array(this.highs.length);
  }
}

/** Filled postings as plain data over shared memory, for `GramPostings.fromShared` in another thread. */
export interface SharedGramPostings {
  readonly table: SharedGramTable;
  readonly head: Int32Array;
  readonly holders: Int32Array;
  readonly postItem: Int32Array;
  readonly postStart: Int32Array;
  readonly postNext: Int32Array;
  readonly postCounts: Uint8Array;
  readonly postings: number;
}

export class GramPostings {
  private table = new GramTable();
  private head: Int32Array = new Int32Array(1024).fill(NONE);
  private holders: Int32Array = new Int32Array(1024);
  private stamp: Int32Array = new Int32Array(1024);
  private postItem: Int32Array = new Int32Array(1024);
  private postStart: Int32Array = new Int32Array(1024);
  private postNext: Int32Array = new Int32Array(1024);
  /** 1 when the posting counts as evidence for its item (set by `markBoilerplate`). */
  private postCounts: Uint8Array = new Uint8Array(1024);
  private postings = 0;

  get grams(): number {
    return this.table.size;
  }

  /**
   * The postings copied into shared memory, boilerplate marks included (call `markBoilerplate`
   * first). The once-per-query stamps stay behind: each thread has its own.
   */
  toShared(): SharedGramPostings {
    const entries = this.table.size;
    const postings = this.postings;
    return {
      table: this.table.toShared(),
      head: sharedCopy(this.head.subarray(0, entries)),
      holders: sharedCopy(this.holders.subarray(0, entries)),
      postItem: sharedCopy(this.postItem.subarray(0, postings)),
      postStart: sharedCopy(this.postStart.subarray(0, postings)),
      postNext: sharedCopy(this.postNext.subarray(0, postings)),
      postCounts: sharedCopy(this.postCounts.subarray(0, postings)),
      postings,
    };
  }

  /** Postings over `shared`'s arrays (not copied), for lookups only: `add` must not be called. */
  static fromShared(shared: SharedGramPostings): GramPostings {
    const postings = new GramPostings();
    postings.table = GramTable.fromShared(shared.table);
    postings.head = shared.head;
    postings.holders = shared.holders;
    postings.stamp = new Int32Array(shared.head.length);
    postings.postItem = shared.postItem;
    postings.postStart = shared.postStart;
    postings.postNext = shared.postNext;
    postings.postCounts = shared.postCounts;
    postings.postings = shared.postings;
    return postings;
  }

  /** File gram (high, low) of `item` at token `start`. False when the item already holds this gram. */
  add(high: number, low: number, item: number, start: number): boolean {
    const entry = this.table.intern(high, low);
    if (entry >= this.head.length) {
      this.head = grow(this.head, NONE);
      this.holders = grow(this.holders, 0);
      this.stamp = grow(this.stamp, 0);
    }
    const first = this.head[entry]!;
    // Items are added one at a time, so a repeat within the item is always at the head.
    if (first !== NONE && this.postItem[first] === item) return false;
    if (this.postings === this.postItem.length) {
      this.postItem = grow(this.postItem, 0);
      this.postStart = grow(this.postStart, 0);
      this.postNext = grow(this.postNext, 0);
      const counts = new Uint8Array(this.postCounts.length * 2);
      counts.set(this.postCounts);
      this.postCounts = counts;
    }
    const p = this.postings++;
    this.postItem[p] = item;
    this.postStart[p] = start;
    this.postNext[p] = first;
    this.postCounts[p] = 1;
    this.head[entry] = p;
    this.holders[entry]!++;
    return true;
  }

  /**
   * Decide which postings count as evidence. A gram held by at least `minHolders` items is
   * boilerplate, and so is every token it covers in each of those items; a gram that touches a
   * boilerplate token (one straddling a question and a shared prompt suffix) does not count either,
   * since a text quoting only the question would never contain it. Returns, per item with postings
   * here, how many of its grams count.
   */
  markBoilerplate(minHolders: number, gramSize: number, itemLength: (item: number) => number): Map<number, number> {
    const masks = new Map<number, Uint8Array>();
    const maskOf = (item: number) => {
      let mask = masks.get(item);
      if (!mask) {
        mask = new Uint8Array(itemLength(item));
        masks.set(item, mask);
      }
      return mask;
    };
    for (let entry = 0; entry < this.table.size; entry++) {
      if (this.holders[entry]! < minHolders) continue;
      for (let p = this.head[entry]!; p !== NONE; p = this.postNext[p]!)
        maskOf(this.postItem[p]!).fill(1, this.postStart[p]!, this.postStart[p]! + gramSize);
    }
    const counted = new Map<number, number>();
    for (let p = 0; p < this.postings; p++) {
      const item = this.postItem[p]!;
      const mask = masks.get(item);
      const start = this.postStart[p]!;
      const counts = mask === undefined || mask.subarray(start, start + gramSize).indexOf(1) < 0;
      this.postCounts[p] = counts ? 1 : 0;
      counted.set(item, (counted.get(item) ?? 0) + (counts ? 1 : 0));
    }
    return counted;
  }

  /** Whether the posting counts as evidence (see `markBoilerplate`). */
  counts(posting: number): boolean {
    return this.postCounts[posting] === 1;
  }

  /**
   * The start positions of `hasher`'s grams of `size` tokens that may be held, into `probe.passing`
   * (how many returned), their high halves in `probe.highs` by position: most grams of a training
   * text are in no eval item, and the high half alone usually says so (`GramTable.passing`).
   */
  maybeHeld(hasher: GramHasher, size: number, probe: GramProbe): number {
    const count = hasher.length - size + 1;
    if (count <= 0) return 0;
    probe.fit(count);
    hasher.highs(size, probe.highs);
    return this.table.passing(probe.highs, count, probe.passing);
  }

  /**
   * First posting of the gram, or -1 when it is not indexed, is held by `maxHolders` items or more,
   * or was already seen by this `query` (pass 0 to look up without the once-per-query rule).
   */
  lookup(high: number, low: number, query: number, maxHolders = Number.POSITIVE_INFINITY): number {
    const entry = this.table.get(high, low);
    if (entry < 0 || this.holders[entry]! >= maxHolders) return NONE;
    if (query !== 0) {
      if (this.stamp[entry] === query) return NONE;
      this.stamp[entry] = query;
    }
    return this.head[entry]!;
  }

  item(posting: number): number {
    return this.postItem[posting]!;
  }

  start(posting: number): number {
    return this.postStart[posting]!;
  }

  next(posting: number): number {
    return this.postNext[posting]!;
  }
}

function grow(array: Int32Array, fillValue: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(array.length * 2).fill(fillValue);
  out.set(array);
  return out;
}
