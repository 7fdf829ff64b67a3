/**
 * Keeps the `capacity` smallest items seen under `compare`, in O(log capacity) per offer.
 * Memory is bounded by the capacity, not by how many items are offered.
 */
export class BoundedHeap<T> {
  private readonly items: T[] = [];

  constructor(
    readonly capacity: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** Would `item` be kept? Cheap pre-check before building a full candidate. */
  admits(item: T): boolean {
    if (this.capacity === 0) return false;
    return this.items.length < this.capacity || this.compare(item, this.items[0]!) < 0;
  }

  offer(item: T): void {
    if (!this.admits(item)) return;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      this.siftUp(this.items.length - 1);
    } else {
      this.items[0] = item;
      this.siftDown(0);
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
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < n && compare(items[left]!, items[largest]!) > 0) largest = left;
      if (right < n && compare(items[right]!, items[largest]!) > 0) largest = right;
      if (largest === i) break;
      [items[i], items[largest]] = [items[largest]!, items[i]!];
      i = largest;
    }
  }
}
