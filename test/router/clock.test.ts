import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/router/clock.js';

describe('ManualClock', () => {
  it('stands still until advanced', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  it('runs due timers in due-time order, each seeing its own due time as now', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimer(300, () => seen.push(`c@${clock.now()}`));
    clock.setTimer(100, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(100, () => seen.push(`b@${clock.now()}`));
    clock.setTimer(301, () => seen.push(`late@${clock.now()}`));
    clock.advance(300);
    expect(seen).toEqual(['a@100', 'b@100', 'c@300']);
    expect(clock.pendingTimers).toBe(1);
  });

  it('runs timers set by a callback when they fall due inside the same advance', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.setTimer(10, () => {
      seen.push(clock.now());
      clock.setTimer(10, () => seen.push(clock.now()));
    });
    clock.advance(25);
    expect(seen).toEqual([10, 20]);
  });

  it('never runs a cancelled timer', () => {
    const clock = new ManualClock(0);
    let ran = false;
    const cancel = clock.setTimer(10, () => (ran = true));
    cancel();
    clock.advance(100);
    expect(ran).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops a callback that re-arms itself forever at zero delay', () => {
    const clock = new ManualClock(0);
    const rearm = () => clock.setTimer(0, rearm);
    rearm();
    expect(() => clock.advance(1, 50)).toThrow(/more than 50 timers/);
  });
});

describe('systemClock', () => {
  it('reads the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('runs a timer after its delay, and not once cancelled', async () => {
    const fired: string[] = [];
    systemClock.setTimer(5, () => fired.push('kept'));
    const cancel = systemClock.setTimer(5, () => fired.push('cancelled'));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fired).toEqual(['kept']);
  });
});
