/**
 * When each of many items is next due, and which are due now, without reading them all.
 *
 * The responder asks for its earliest deadline after every datagram; with ten thousand SAs a walk
 * over all of them per datagram made a handshake cost more the more tunnels were up (issue 14
 * point 4). This is a binary min-heap with lazy removal: `set` pushes a new entry and leaves the
 * item's older one in the heap, which is skipped when it surfaces (its time is no longer the
 * item's). The heap is rebuilt from the current deadlines when stale entries outnumber live ones.
 *
 * Ties keep the order items were first set in, so that what falls due at one tick is handled in
 * the same order as a walk over the items in insertion order would handle it.
 */
interface HeapEntry<T> {
  readonly at: number;
  readonly order: number;
  readonly item: T;
}

export class DeadlineQueue<T> {
  private readonly deadlines = new Map<T, { at: number; readonly order: number }>();
  private heap: HeapEntry<T>[] = [];
  private nextOrder = 0;

  get size(): number {
    return this.deadlines.size;
  }

  /** The item's deadline from now on; undefined: none (it is never due). */
  set(item: T, at: number | undefined): void {
    if (at === undefined) return void this.deadlines.delete(item);
    const current = this.deadlines.get(item);
    if (current?.at === at) return;
    const order = current?.order ?? this.nextOrder++;
    this.deadlines.set(item, { at, order });
    this.push({ at, order, item });
    if (this.heap.length > 2 * this.deadlines.size + 64) this.rebuild();
  }

  delete(item: T): void {
    this.deadlines.delete(item);
  }

  deadlineOf(item: T): number | undefined {
    return this.deadlines.get(item)?.at;
  }

  /** The earliest deadline of any item. */
  earliest(): number | undefined {
    this.dropStaleTop();
    return this.heap[0]?.at;
  }

  /**
   * The items due at `now` (deadline at or before it), earliest first and in insertion order
   * among equal deadlines; each is taken out of the queue (the caller sets its next deadline).
   */
  takeDue(now: number): T[] {
    const due: T[] = [];
    for (;;) {
      this.dropStaleTop();
      const top = this.heap[0];
      if (top === undefined || top.at > now) break;
      this.pop();
      this.deadlines.delete(top.item);
      due.push(top.item);
    }
    return due;
  }

  private isLive(entry: HeapEntry<T>): boolean {
    return this.deadlines.get(entry.item)?.at === entry.at;
  }

  private dropStaleTop(): void {
    while (this.heap.length > 0 && !this.isLive(this.heap[0]!)) this.pop();
  }

  private rebuild(): void {
    this.heap = [...this.deadlines].map(([item, { at, order }]) => ({ at, order, item }));
    for (let index = (this.heap.length >> 1) - 1; index >= 0; index--) this.siftDown(index);
  }

  private push(entry: HeapEntry<T>): void {
    this.heap.push(entry);
    let index = this.heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(this.heap[index]!, this.heap[parent]!)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.heap.length && before(this.heap[left]!, this.heap[smallest]!)) smallest = left;
      if (right < this.heap.length && before(this.heap[right]!, this.heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(first: number, second: number): void {
    const held = this.heap[first]!;
    this.heap[first] = this.heap[second]!;
    this.heap[second] = held;
  }
}

function before<T>(first: HeapEntry<T>, second: HeapEntry<T>): boolean {
  return first.at < second.at || (first.at === second.at && first.order < second.order);
}
