/**
 * A multimap from 32-bit keys to item numbers in typed arrays: one LSH band's buckets.
 *
 * A `Map<number, number[]>` per band costs ~100 bytes per entry; this costs 20 (a 12-byte entry
 * plus its share of a half-full slot array), which matters at 20 bands per accepted item. Entries
 * are chained per slot and never removed.
 */

const NONE = -1;

export class BucketTable {
  private slots: Int32Array;
  private keys: Uint32Array;
  private items: Int32Array;
  private nexts: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.slots = new Int32Array(capacity * 2).fill(NONE);
    this.keys = new Uint32Array(capacity);
    this.items = new Int32Array(capacity);
    this.nexts = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** File `item` under `key` (a key may hold many items). */
  add(key: number, item: number): void {
    if (this.count === this.keys.length) this.grow();
    const entry = this.count++;
    const slot = this.slotOf(key);
    this.keys[entry] = key;
    this.items[entry] = item;
    this.nexts[entry] = this.slots[slot]!;
    this.slots[slot] = entry;
  }

  /** Call `visit` with the items filed under `key`, newest first, until it returns true; true if it did. */
  some(key: number, visit: (item: number) => boolean): boolean {
    const k = key >>> 0;
    for (let e = this.slots[this.slotOf(k)]!; e !== NONE; e = this.nexts[e]!) {
      if (this.keys[e] === k && visit(this.items[e]!)) return true;
    }
    return false;
  }

  private slotOf(key: number): number {
    // Keys are hashes already; the multiply only guards against keys that share low bits.
    return (Math.imul(key, 0x9e3779b1) >>> 0) & (this.slots.length - 1);
  }

  private grow(): void {
    const capacity = this.keys.length * 2;
    const keys = new Uint32Array(capacity);
    const items = new Int32Array(capacity);
    keys.set(this.keys);
    items.set(this.items);
    this.keys = keys;
    this.items = items;
    this.nexts = new Int32Array(capacity);
    this.slots = new Int32Array(capacity * 2).fill(NONE);
    const filled = this.count;
    this.count = 0;
    for (let e = 0; e < filled; e++) this.relink(e);
    this.count = filled;
  }

  private relink(entry: number): void {
    const slot = this.slotOf(this.keys[entry]!);
    this.nexts[entry] = this.slots[slot]!;
    this.slots[slot] = entry;
  }
}
