/**
 * A binary min-heap of items by a numeric key, as two parallel arrays (keys and items) rather than
 * an object per entry: the responder keeps one entry per SA, and every object counts against the
 * heap each tunnel costs (issue 14 point 4). Equal keys come out in no particular order.
 */
export class MinHeap<T> {
  private keys: number[] = [];
  private items: T[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The least key, and its item; undefined when empty. */
  peekKey(): number | undefined {
    return this.keys[0];
  }

  peekItem(): T | undefined {
    return this.items[0];
  }

  push(key: number, item: T): void {
    this.keys.push(key);
    this.items.push(item);
    let index = this.keys.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.keys[parent]! <= this.keys[index]!) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  /** Takes the least entry out. */
  pop(): void {
    const lastKey = this.keys.pop()!;
    const lastItem = this.items.pop()!;
    if (this.keys.length === 0) return;
    this.keys[0] = lastKey;
    this.items[0] = lastItem;
    this.siftDown(0);
  }

  /** Replaces every entry (in O(n), not n pushes). */
  rebuild(keys: number[], items: T[]): void {
    this.keys = keys;
    this.items = items;
    for (let index = (keys.length >> 1) - 1; index >= 0; index--) this.siftDown(index);
  }

  private siftDown(start: number): void {
    const { keys } = this;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < keys.length && keys[left]! < keys[smallest]!) smallest = left;
      if (right < keys.length && keys[right]! < keys[smallest]!) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(first: number, second: number): void {
    const key = this.keys[first]!;
    this.keys[first] = this.keys[second]!;
    this.keys[second] = key;
    const item = this.items[first]!;
    this.items[first] = this.items[second]!;
    this.items[second] = item;
  }
}
