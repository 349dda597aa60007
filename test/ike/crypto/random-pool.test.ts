import { describe, expect, it } from 'vitest';
import { createRandomPool } from '../../../src/ike/crypto/random-pool.js';

describe('createRandomPool', () => {
  it('hands out the lengths asked for, each byte of the pool once: no two draws overlap', () => {
    const draw = createRandomPool(64);
    // 64-byte pool, 16-byte draws: four per fill. Over many fills, every 16-byte value differs
    // (a repeat of random 128-bit values would mean the pool handed bytes out twice).
    const seen = new Set<string>();
    for (let index = 0; index < 400; index++) {
      const value = draw(16);
      expect(value.length).toBe(16);
      seen.add(value.toString('hex'));
    }
    expect(seen.size).toBe(400);
  });

  it('returns copies: a later refill does not change bytes already handed out', () => {
    const draw = createRandomPool(64);
    const first = draw(16);
    const kept = Buffer.from(first);
    for (let index = 0; index < 20; index++) draw(16);
    expect(first.equals(kept)).toBe(true);
  });

  it('draws large requests from the CSPRNG directly, and zero bytes as an empty buffer', () => {
    const draw = createRandomPool(64);
    expect(draw(1000).length).toBe(1000);
    expect(draw(0).length).toBe(0);
  });

  it('refuses negative or fractional lengths and pools too small to be one', () => {
    const draw = createRandomPool(64);
    expect(() => draw(-1)).toThrow(RangeError);
    expect(() => draw(1.5)).toThrow(RangeError);
    expect(() => createRandomPool(8)).toThrow(RangeError);
  });
});
