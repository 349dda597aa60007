/**
 * When each of many items is next due, and which are due now, without reading them all.
 *
 * The responder asks for its earliest deadline after every datagram; with ten thousand SAs a walk
 * over all of them per datagram made a handshake cost more the more tunnels were up (issue 14
 * point 4). This is a binary min-heap with lazy removal: `set` pushes a new entry and leaves the
 * item's older one in the heap, which is skipped when it surfaces (its time is no longer the
 * item's). The heap is rebuilt from the current deadlines when stale entries outnumber live ones.
 *
 * The heap is two parallel arrays (times and items), not an object per entry: it holds one entry
 * per SA, so every object counts against the heap each tunnel costs. Items due at the same time
 * come in no particular order; callers that need one sort what `takeDue` gives.
 */
export class DeadlineQueue<T> {
  private readonly deadlines = new Map<T, number>();
  private times: number[] = [];
  private items: T[] = [];

  get size(): number {
    return this.deadlines.size;
  }

  /** The item's deadline from now on; undefined: none (it is never due). */
  set(item: T, at: number | undefined): void {
    if (at === undefined) return void this.deadlines.delete(item);
    if (this.deadlines.get(item) === at) return;
    this.deadlines.set(item, at);
    this.push(at, item);
    if (this.times.length > 2 * this.deadlines.size + 64) this.rebuild();
  }

  delete(item: T): void {
    this.deadlines.delete(item);
  }

  deadlineOf(item: T): number | undefined {
    return this.deadlines.get(item);
  }

  /** The earliest deadline of any item. */
  earliest(): number | undefined {
    this.dropStaleTop();
    return this.times[0];
  }

  /** The items due at `now` (deadline at or before it); each is taken out of the queue (the caller sets its next deadline). */
  takeDue(now: number): T[] {
    const due: T[] = [];
    for (;;) {
      this.dropStaleTop();
      if (this.times.length === 0 || this.times[0]! > now) break;
      const item = this.items[0]!;
      this.pop();
      this.deadlines.delete(item);
      due.push(item);
    }
    return due;
  }

  private dropStaleTop(): void {
    while (this.times.length > 0 && this.deadlines.get(this.items[0]!) !== this.times[0]) this.pop();
  }

  private rebuild(): void {
    this.times = [...this.deadlines.values()];
    this.items = [...this.deadlines.keys()];
    for (let index = (this.times.length >> 1) - 1; index >= 0; index--) this.siftDown(index);
  }

  private push(at: number, item: T): void {
    this.times.push(at);
    this.items.push(item);
    let index = this.times.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.times[parent]! <= this.times[index]!) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private pop(): void {
    const lastTime = this.times.pop()!;
    const lastItem = this.items.pop()!;
    if (this.times.length === 0) return;
    this.times[0] = lastTime;
    this.items[0] = lastItem;
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const { times } = this;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < times.length && times[left]! < times[smallest]!) smallest = left;
      if (right < times.length && times[right]! < times[smallest]!) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(first: number, second: number): void {
    const time = this.times[first]!;
    this.times[first] = this.times[second]!;
    this.times[second] = time;
    const item = this.items[first]!;
    this.items[first] = this.items[second]!;
    this.items[second] = item;
  }
}
