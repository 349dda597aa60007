import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/router/clock.js';
import { DeadlineTimer } from '../../src/router/deadline-timer.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function setup(start = 10_000) {
  const clock = new ManualClock(start);
  const fired: number[] = [];
  const timer = new DeadlineTimer(clock, (now) => fired.push(now));
  return { clock, fired, timer };
}

describe('DeadlineTimer', () => {
  it('fires once, at the deadline and not before', () => {
    const { clock, fired, timer } = setup();
    timer.arm(10_500);
    clock.advance(499);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([10_500]);
    clock.advance(10_000);
    expect(fired).toEqual([10_500]);
    expect(timer.armedFor).toBeUndefined();
  });

  it('re-aiming at an earlier deadline replaces the later one', () => {
    const { clock, fired, timer } = setup();
    timer.arm(12_000);
    timer.arm(10_300);
    clock.advance(5_000);
    expect(fired).toEqual([10_300]);
  });

  it('re-aiming at a later deadline replaces the earlier one', () => {
    const { clock, fired, timer } = setup();
    timer.arm(10_300);
    timer.arm(12_000);
    clock.advance(5_000);
    expect(fired).toEqual([12_000]);
  });

  it('holds a single clock timer however often it is re-armed', () => {
    const { clock, timer } = setup();
    for (const deadline of [11_000, 12_000, 11_000, 11_000, 13_000]) timer.arm(deadline);
    expect(clock.pendingTimers).toBe(1);
    expect(timer.armedFor).toBe(13_000);
  });

  it('undefined (nothing pending) disarms it', () => {
    const { clock, fired, timer } = setup();
    timer.arm(10_100);
    timer.arm(undefined);
    clock.advance(1_000);
    expect(fired).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a deadline already past fires at the next turn, not synchronously', () => {
    const { clock, fired, timer } = setup();
    timer.arm(9_000);
    expect(fired).toEqual([]);
    clock.advance(0);
    expect(fired).toEqual([10_000]);
  });

  it('waits out deadlines beyond the 2^31-1 ms a node timer can hold', () => {
    const { clock, fired, timer } = setup(0);
    timer.arm(30 * DAY_MS);
    clock.advance(25 * DAY_MS);
    expect(fired).toEqual([]);
    expect(timer.armedFor).toBe(30 * DAY_MS);
    clock.advance(5 * DAY_MS);
    expect(fired).toEqual([30 * DAY_MS]);
  });

  it('can be re-armed from inside its own callback', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const timer: DeadlineTimer = new DeadlineTimer(clock, (now) => {
      fired.push(now);
      if (fired.length < 3) timer.arm(now + 100);
    });
    timer.arm(100);
    clock.advance(1_000);
    expect(fired).toEqual([100, 200, 300]);
  });
});
