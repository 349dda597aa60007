import fc from 'fast-check';
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

describe('`show ipsec sa` numbers under any order of takes and releases', () => {
  it('always the lowest number not in use, as a scan from 1 would find it', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant<'take'>('take'), fc.nat({ max: 40 })), { maxLength: 300 }), (steps) => {
        const numbers = new SaNumbers();
        const inUse = new Set<number>();
        for (const step of steps) {
          if (step === 'take') {
            let lowest = 1;
            while (inUse.has(lowest)) lowest++;
            expect(numbers.take()).toBe(lowest);
            inUse.add(lowest);
          } else {
            numbers.release(step);
            inUse.delete(step);
          }
          expect(numbers.size).toBe(inUse.size);
        }
      }),
    );
  });
});
