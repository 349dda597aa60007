/** A fixed-capacity list that forgets its oldest item when full (the RTX `show log` memory). */
export class RingBuffer<T> {
  private readonly slots: (T | undefined)[];
  /** Index of the oldest item. */
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    this.slots[(this.start + this.count) % this.capacity] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const items: T[] = [];
    for (let i = 0; i < this.count; i++) items.push(this.slots[(this.start + i) % this.capacity] as T);
    return items;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
