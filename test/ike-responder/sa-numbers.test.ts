import { describe, expect, it } from 'vitest';
import { SaNumbers } from '../../src/ike-responder/sa-numbers.js';

describe('`show ipsec sa` numbers', () => {
  it('one sequence, the lowest free number first', () => {
    const numbers = new SaNumbers();
    expect([numbers.take(), numbers.take(), numbers.take()]).toEqual([1, 2, 3]);
    numbers.release(2);
    expect(numbers.take()).toBe(2);
    expect(numbers.take()).toBe(4);
    expect(numbers.size).toBe(4);
  });
});
