/**
 * When each of many items is next due, and which are due now, without reading them all.
 *
 * The responder asks for its earliest deadline after every datagram; with ten thousand SAs a walk
 * over all of them per datagram made a handshake cost more the more tunnels were up (issue 14
 * point 4). This is a binary min-heap with lazy removal: `set` pushes a new entry and leaves the
 * item's older one in the heap, which is skipped when it surfaces (its time is no longer the
 * item's). The heap is rebuilt from the current deadlines when stale entries outnumber live ones.
 *
 * Items due at the same time come in no particular order; callers that need one sort what
 * `takeDue` gives.
 */
import { MinHeap } from './min-heap.js';

export class DeadlineQueue<T> {
  private readonly deadlines = new Map<T, number>();
  private readonly heap = new MinHeap<T>();

  get size(): number {
    return this.deadlines.size;
  }

  /** The item's deadline from now on; undefined: none (it is never due). */
  set(item: T, at: number | undefined): void {
    if (at === undefined) return void this.deadlines.delete(item);
    if (this.deadlines.get(item) === at) return;
    this.deadlines.set(item, at);
    this.heap.push(at, item);
    if (this.heap.size > 2 * this.deadlines.size + 64) this.heap.rebuild([...this.deadlines.values()], [...this.deadlines.keys()]);
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
    return this.heap.peekKey();
  }

  /** The items due at `now` (deadline at or before it); each is taken out of the queue (the caller sets its next deadline). */
  takeDue(now: number): T[] {
    const due: T[] = [];
    for (;;) {
      this.dropStaleTop();
      const at = this.heap.peekKey();
      if (at === undefined || at > now) break;
      const item = this.heap.peekItem()!;
      this.heap.pop();
      this.deadlines.delete(item);
      due.push(item);
    }
    return due;
  }

  /** An entry whose time is no longer its item's (moved or deleted since) is skipped. */
  private dropStaleTop(): void {
    for (;;) {
      const at = this.heap.peekKey();
      if (at === undefined || this.deadlines.get(this.heap.peekItem()!) === at) return;
      this.heap.pop();
    }
  }
}
