/**
 * The numbers `show ipsec sa` lists SAs by. A real RTX numbers ISAKMP and IPsec SAs from one
 * sequence (rtx-behaviour.md §5.2: isakmp 1 and 2, then esp 3 and 4, the esp rows naming
 * isakmp SA 2); how numbers are reused was NOT FOUND. rtxlab hands out the lowest free number
 * (ASSUMED).
 */
export class SaNumbers {
  private readonly used = new Set<number>();

  take(): number {
    let number = 1;
    while (this.used.has(number)) number++;
    this.used.add(number);
    return number;
  }

  release(number: number): void {
    this.used.delete(number);
  }

  get size(): number {
    return this.used.size;
  }
}
