/**
 * Open-addressing map from a 64-bit gram key (two 32-bit halves) to a dense entry number, in typed
 * arrays: compact and fast for the million-gram eval indexes a Map of boxed numbers would bloat.
 *
 * Nearly every lookup is of a training text's gram that no eval item holds, so misses are what
 * must be cheap. A slot keeps its key's halves and entry side by side (one cache line per probe),
 * and a byte per slot of a filter eight times as large, indexed by other bits of the key, answers
 * most misses before the slots are touched (about 1 in 16 misses passes it at full load). The
 * filter only skips probes that would find nothing: every answer is the plain table's.
 */

/** Int32s per slot: high half, low half, entry number + 1 (0 marks an empty slot), padding. */
const STRIDE = 4;

export class GramTable {
  /** STRIDE values per slot. */
  private slots: Int32Array;
  private filter: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity * 2)));
    this.slots = new Int32Array(capacity * STRIDE);
    this.filter = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The entry of this key, or -1. */
  get(high: number, low: number): number {
    const mixed = mix(high, low);
    if ((this.filter[(mixed >>> 3) & this.mask]! & (1 << (mixed & 7))) === 0) return -1;
    const { slots, mask } = this;
    const h = high | 0;
    const l = low | 0;
    for (let slot = slotOf(mixed, mask); ; slot = (slot + 1) & mask) {
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
    const mixed = mix(high, low);
    this.filter[(mixed >>> 3) & mask]! |= 1 << (mixed & 7);
    let slot = slotOf(mixed, mask);
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
    this.filter = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) if (old[at + 2] !== 0) this.place(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

/** One 32-bit mix of both halves: its high bits pick the slot, its low bits the filter bit. */
function mix(high: number, low: number): number {
  return Math.imul(high ^ Math.imul(low, 0x85ebca6b), 0x9e3779b1) >>> 0;
}

function slotOf(mixed: number, mask: number): number {
  // The top bits: independent of the filter's (bits 0–2 choose the bit, 3 up the byte).
  return Math.imul(mixed ^ (mixed >>> 15), 0x2c1b3c6d) >>> 0 & mask;
}
