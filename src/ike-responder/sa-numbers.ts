/**
 * The numbers `show ipsec sa` lists SAs by. A real RTX numbers ISAKMP and IPsec SAs from one
 * sequence (rtx-behaviour.md §5.2: isakmp 1 and 2, then esp 3 and 4, the esp rows naming
 * isakmp SA 2); how numbers are reused was NOT FOUND. rtxlab hands out the lowest free number
 * (ASSUMED).
 */
import { MinHeap } from './min-heap.js';

export class SaNumbers {
  private readonly used = new Set<number>();
  /** Every number from here up is free. */
  private next = 1;
  /** Released numbers below `next`: the lowest free one without a scan. */
  private readonly released = new MinHeap<number>();

  take(): number {
    const lowestReleased = this.released.peekKey();
    if (lowestReleased !== undefined) this.released.pop();
    const number = lowestReleased ?? this.next++;
    this.used.add(number);
    return number;
  }

  release(number: number): void {
    if (!this.used.delete(number)) return;
    this.released.push(number, number);
  }

  get size(): number {
    return this.used.size;
  }
}
