/**
 * A key to the values filed under it, in the order they were filed (the responder's table
 * indexes). Most keys hold one value (a tunnel's one pair, an SA's one lease), so a key holds its
 * value as it is and only a second value makes a Set: a Set per key cost each tunnel about a
 * kilobyte of heap across the indexes (issue 14 point 4). Values must not themselves be Sets.
 */
export class SetIndex<K, V> {
  private readonly byKey = new Map<K, V | Set<V>>();

  add(key: K, value: V): void {
    const held = this.byKey.get(key);
    if (held === undefined) this.byKey.set(key, value);
    else if (held instanceof Set) held.add(value);
    else if (held !== value) this.byKey.set(key, new Set([held, value]));
  }

  remove(key: K, value: V): void {
    const held = this.byKey.get(key);
    if (held === undefined) return;
    if (!(held instanceof Set)) {
      if (held === value) this.byKey.delete(key);
      return;
    }
    held.delete(value);
    if (held.size === 0) this.byKey.delete(key);
  }

  /** The values under the key, in the order they were filed (a new array). */
  get(key: K): V[] {
    const held = this.byKey.get(key);
    if (held === undefined) return [];
    return held instanceof Set ? [...held] : [held];
  }

  has(key: K): boolean {
    return this.byKey.has(key);
  }
}
