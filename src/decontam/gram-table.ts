/**
 * Open-addressing map from a 64-bit gram key (two 32-bit halves) to a dense entry number, in typed
 * arrays: compact and fast for the million-gram eval indexes a Map of boxed numbers would bloat.
 */

export class GramTable {
  private high: Uint32Array;
  private low: Uint32Array;
  /** Entry number + 1; 0 marks an empty slot. */
  private entries: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity * 2)));
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.entries = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The entry of this key, or -1. */
  get(high: number, low: number): number {
    const mask = this.entries.length - 1;
    for (let slot = this.slotOf(high, low); ; slot = (slot + 1) & mask) {
      const entry = this.entries[slot]!;
      if (entry === 0) return -1;
      if (this.high[slot] === high && this.low[slot] === low) return entry - 1;
    }
  }

  /** The entry of this key, created (numbered in insertion order) if new. */
  intern(high: number, low: number): number {
    const found = this.get(high, low);
    if (found >= 0) return found;
    if ((this.count + 1) * 2 > this.entries.length) this.grow();
    this.place(high, low, this.count + 1);
    return this.count++;
  }

  private place(high: number, low: number, entryPlusOne: number): void {
    const mask = this.entries.length - 1;
    let slot = this.slotOf(high, low);
    while (this.entries[slot] !== 0) slot = (slot + 1) & mask;
    this.high[slot] = high;
    this.low[slot] = low;
    this.entries[slot] = entryPlusOne;
  }

  private slotOf(high: number, low: number): number {
    return (Math.imul(high ^ Math.imul(low, 0x85ebca6b), 0x9e3779b1) >>> 0) & (this.entries.length - 1);
  }

  private grow(): void {
    const { high, low, entries } = this;
    this.high = new Uint32Array(entries.length * 2);
    this.low = new Uint32Array(entries.length * 2);
    this.entries = new Int32Array(entries.length * 2);
    for (let s = 0; s < entries.length; s++) if (entries[s] !== 0) this.place(high[s]!, low[s]!, entries[s]!);
  }
}
