/**
 * Open-addressing map from a 64-bit gram key (two 32-bit halves) to a dense entry number, in typed
 * arrays: compact and fast for the million-gram eval indexes a Map of boxed numbers would bloat.
 *
 * Nearly every lookup is of a training text's gram that no eval item holds, so misses are what
 * must be cheap. A slot keeps its key's halves and entry side by side (one cache line per probe),
 * and a filter of eight bits per slot (two bits of one word per key), indexed by the key's high
 * half alone, answers most misses before the slots are touched or the low half is computed (about
 * 1 in 50 misses passes it at full load). The filter only skips probes that would find nothing: every answer is the plain table's.
 */

import { sharedCopy } from './shared-arrays.js';

/** Int32s per slot: high half, low half, entry number + 1 (0 marks an empty slot), padding. */
const STRIDE = 4;

/** A filled table as plain data over shared memory, for `GramTable.fromShared` in another thread. */
export interface SharedGramTable {
  readonly slots: Int32Array;
  readonly filter: Int32Array;
  readonly mask: number;
  readonly count: number;
}

export class GramTable {
  /** STRIDE values per slot. */
  private slots: Int32Array;
  /** Two bits per key in one 32-bit word, 8 bits per slot: a blocked Bloom filter of the high halves. */
  private filter: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity * 2)));
    this.slots = new Int32Array(capacity * STRIDE);
    this.filter = new Int32Array(capacity / 4);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** This table's arrays copied into shared memory: readers in other threads, no more writes. */
  toShared(): SharedGramTable {
    return { slots: sharedCopy(this.slots), filter: sharedCopy(this.filter), mask: this.mask, count: this.count };
  }

  /** A table over `shared`'s arrays (not copied), for lookups only: `intern` must not be called. */
  static fromShared(shared: SharedGramTable): GramTable {
    const table = new GramTable(0);
    table.slots = shared.slots;
    table.filter = shared.filter;
    table.mask = shared.mask;
    table.count = shared.count;
    return table;
  }

  /**
   * False when no key with this high half is held: the filter's answer, from the high half alone,
   * so a caller can skip computing the low half of most grams it looks up.
   */
  mayHold(high: number): boolean {
    const bits = filterBits(high);
    const pair = filterPair(bits);
    return (this.filter[bits & (this.mask >>> 2)]! & pair) === pair;
  }

  /**
   * `mayHold` for `count` high halves at once: writes to `out` the indexes (into `highs`) the
   * filter lets through, returns how many. One tight loop whose filter reads do not wait on each
   * other, so the processor has several cache misses in flight where a probe per call has one.
   */
  passing(highs: Int32Array, count: number, out: Int32Array): number {
    const filter = this.filter;
    const words = this.mask >>> 2;
    let found = 0;
    for (let i = 0; i < count; i++) {
      const bits = filterBits(highs[i]!);
      const pair = filterPair(bits);
      if ((filter[bits & words]! & pair) === pair) out[found++] = i;
    }
    return found;
  }

  /** The entry of this key, or -1. */
  get(high: number, low: number): number {
    if (!this.mayHold(high)) return -1;
    const { slots, mask } = this;
    const h = high | 0;
    const l = low | 0;
    for (let slot = slotOf(mix(high, low), mask); ; slot = (slot + 1) & mask) {
      const at = slot * STRIDE;
      const entry = slots[at + 2]!;
      if (entry === 0) return -1;
      if (slots[at] === h && slots[at + 1] === l) return entry - 1;
    }
  }

  /** The entry of this key, created (numbered in insertion order) if new. */
  intern(high: number, low: number): number {
    const found = this.get(high, low);
    if (found >= 0) return found;
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.place(high, low, this.count + 1);
    return this.count++;
  }

  private place(high: number, low: number, entryPlusOne: number): void {
    const { slots, mask } = this;
    const bits = filterBits(high);
    this.filter[bits & (mask >>> 2)]! |= filterPair(bits);
    let slot = slotOf(mix(high, low), mask);
    while (slots[slot * STRIDE + 2] !== 0) slot = (slot + 1) & mask;
    const at = slot * STRIDE;
    slots[at] = high;
    slots[at + 1] = low;
    slots[at + 2] = entryPlusOne;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Int32Array(capacity * STRIDE);
    this.filter = new Int32Array(capacity / 4);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE)
      if (old[at + 2] !== 0) this.place(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

/** One 32-bit mix of both halves, for the slot. */
function mix(high: number, low: number): number {
  return Math.imul(high ^ Math.imul(low, 0x85ebca6b), 0x9e3779b1) >>> 0;
}

function slotOf(mixed: number, mask: number): number {
  return (Math.imul(mixed ^ (mixed >>> 15), 0x2c1b3c6d) >>> 0) & mask;
}

/** A high half mixed for the filter: its low bits choose the word, its top ten bits the two bits in it. */
function filterBits(high: number): number {
  const h = Math.imul(high ^ (high >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

function filterPair(bits: number): number {
  return (1 << (bits >>> 27)) | (1 << ((bits >>> 22) & 31));
}
