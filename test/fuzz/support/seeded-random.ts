/**
 * A seedable pseudo-random source for the fuzzers (xorshift32): the same seed gives the same
 * inputs, so a failure replays exactly from the seed and trial number it prints.
 */
export interface SeededRandom {
  /** An integer in [0, below). */
  int(below: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Buffer;
  /** A copy of `items` in a random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[];
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const int = (below: number): number => (below <= 0 ? 0 : next() % below);
  return {
    int,
    chance: (p) => next() / 0x100000000 < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(items.length)]!;
    },
    bytes: (length) => {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i++) out[i] = next() & 0xff;
      return out;
    },
    shuffled: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}
