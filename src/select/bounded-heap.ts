/**
 * Keeps the smallest items seen under `compare` whose weights cover `capacity`: with the default
 * weight of 1, the `capacity` smallest items; with token weights, the shortest prefix (in
 * `compare` order) holding at least `capacity` tokens. O(log n) per offer; memory is bounded by the
 * capacity, not by how many items are offered.
 */
export class BoundedHeap<T> {
  private readonly items: T[] = [];
  private totalWeight = 0;
  /** Whether any item was ever pushed out (then the heap does not hold everything offered). */
  private dropped = false;

  constructor(
    readonly capacity: number,
    private readonly compare: (a: T, b: T) => number,
    private readonly weight: (item: T) => number = () => 1,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** True when every item ever offered is still held. */
  get complete(): boolean {
    return !this.dropped;
  }

  /**
   * The item the next admitted one would be compared with: the largest kept, once the kept items
   * cover the capacity; undefined while anything is admitted. Null when nothing ever is.
   */
  get threshold(): T | undefined | null {
    if (this.capacity <= 0) return null;
    return this.totalWeight < this.capacity ? undefined : this.items[0];
  }

  /** Would `item` be kept? Needs no weight, so callers can check before measuring an item. */
  admits(item: T): boolean {
    if (this.capacity <= 0) return false;
    return this.totalWeight < this.capacity || this.compare(item, this.items[0]!) < 0;
  }

  offer(item: T): void {
    if (!this.admits(item)) {
      this.dropped = true;
      return;
    }
    const weight = this.weight(item);
    const { items } = this;
    if (this.totalWeight >= this.capacity && items.length > 0 && weight === this.weight(items[0]!)) {
      // Full, and as heavy as the largest kept item (always so by count): pushing it would push
      // that item out first, so it takes the root's place at once (one sift instead of three).
      items[0] = item;
      this.dropped = true;
      this.siftDown(0);
    } else {
      items.push(item);
      this.totalWeight += weight;
      this.siftUp(items.length - 1);
    }
    // Drop the largest items while the rest still cover the capacity.
    while (this.items.length > 1 && this.totalWeight - this.weight(this.items[0]!) >= this.capacity) {
      this.totalWeight -= this.weight(this.items[0]!);
      this.dropped = true;
      const last = this.items.pop()!;
      if (this.items.length > 0) {
        this.items[0] = last;
        this.siftDown(0);
      }
    }
  }

  /** The kept items, smallest first. */
  sorted(): T[] {
    return [...this.items].sort(this.compare);
  }

  // A max-heap: the root is the largest kept item, the first to be displaced.
  private siftUp(index: number): void {
    const { items, compare } = this;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(items[i]!, items[parent]!) <= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const { items, compare } = this;
    const n = items.length;
    const moving = items[index]!;
    let i = index;
    // The moving item sinks through a hole: larger children move up, no swaps.
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && compare(items[right]!, items[left]!) > 0 ? right : left;
      if (compare(items[child]!, moving) <= 0) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = moving;
  }
}
