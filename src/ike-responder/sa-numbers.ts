/**
 * The numbers `show ipsec sa` lists SAs by. A real RTX numbers ISAKMP and IPsec SAs from one
 * sequence (rtx-behaviour.md §5.2: isakmp 1 and 2, then esp 3 and 4, the esp rows naming
 * isakmp SA 2); how numbers are reused was NOT FOUND. rtxlab hands out the lowest free number
 * (ASSUMED).
 */
export class SaNumbers {
  private readonly used = new Set<number>();
  /** Every number from here up is free. */
  private next = 1;
  /** Released numbers below `next`, as a binary min-heap: the lowest free one without a scan. */
  private readonly released: number[] = [];

  take(): number {
    const number = this.released.length > 0 ? popLowest(this.released) : this.next++;
    this.used.add(number);
    return number;
  }

  release(number: number): void {
    if (!this.used.delete(number)) return;
    pushNumber(this.released, number);
  }

  get size(): number {
    return this.used.size;
  }
}

function pushNumber(heap: number[], number: number): void {
  heap.push(number);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent]! <= heap[index]!) return;
    [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
    index = parent;
  }
}

function popLowest(heap: number[]): number {
  const lowest = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return lowest;
  heap[0] = last;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    const right = left + 1;
    let smallest = index;
    if (left < heap.length && heap[left]! < heap[smallest]!) smallest = left;
    if (right < heap.length && heap[right]! < heap[smallest]!) smallest = right;
    if (smallest === index) return lowest;
    [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
    index = smallest;
  }
}
