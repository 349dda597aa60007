import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/ike-responder/deadline-queue.js';

describe('the deadline queue', () => {
  it('gives the earliest deadline, and takes what is due by then', () => {
    const queue = new DeadlineQueue<string>();
    queue.set('a', 30);
    queue.set('b', 10);
    queue.set('c', 10);
    queue.set('d', undefined);
    expect(queue.earliest()).toBe(10);
    expect(queue.takeDue(9)).toEqual([]);
    expect(new Set(queue.takeDue(10))).toEqual(new Set(['b', 'c']));
    expect(queue.earliest()).toBe(30);
    expect(queue.size).toBe(1);
  });

  it('a moved deadline counts, the old one is forgotten; a deleted item is never due', () => {
    const queue = new DeadlineQueue<string>();
    queue.set('a', 10);
    queue.set('a', 50);
    queue.set('b', 20);
    queue.delete('b');
    expect(queue.earliest()).toBe(50);
    expect(queue.takeDue(49)).toEqual([]);
    queue.set('a', 5);
    expect(queue.deadlineOf('a')).toBe(5);
    expect(queue.takeDue(100)).toEqual(['a']);
    expect(queue.earliest()).toBeUndefined();
  });

  it('agrees with reading every item, under any sequence of sets, deletes and takes', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant<'set'>('set'), item: fc.nat({ max: 20 }), at: fc.option(fc.nat({ max: 100 }), { nil: undefined }) }),
      fc.record({ kind: fc.constant<'delete'>('delete'), item: fc.nat({ max: 20 }) }),
      fc.record({ kind: fc.constant<'take'>('take'), now: fc.nat({ max: 100 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const queue = new DeadlineQueue<number>();
        const model = new Map<number, number>();
        for (const s of steps) {
          if (s.kind === 'set') {
            if (s.at === undefined) model.delete(s.item);
            else model.set(s.item, s.at);
            queue.set(s.item, s.at);
          } else if (s.kind === 'delete') {
            model.delete(s.item);
            queue.delete(s.item);
          } else {
            const due = [...model].filter(([, at]) => at <= s.now);
            for (const [item] of due) model.delete(item);
            expect(new Set(queue.takeDue(s.now))).toEqual(new Set(due.map(([item]) => item)));
          }
          const earliest = model.size === 0 ? undefined : Math.min(...model.values());
          expect(queue.earliest()).toBe(earliest);
          expect(queue.size).toBe(model.size);
        }
      }),
    );
  });
});
