/**
 * Time for the running router. Everything that reads the time or waits goes through a `Clock`,
 * so tests can run lifetimes, retransmissions and log timestamps on a clock they move by hand.
 */

/** Cancels a timer set with `Clock.setTimer`; calling it after the timer ran does nothing. */
export type CancelTimer = () => void;

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once, `delayMs` from now (0 or negative: as soon as possible). */
  setTimer(delayMs: number, callback: () => void): CancelTimer;
}

/**
 * setTimeout stores its delay in a signed 32-bit integer; longer delays fire at once (with a
 * warning). Callers that wait longer must re-arm when the timer fires early (see DeadlineTimer).
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The host's wall clock and node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.min(Math.max(delayMs, 0), MAX_TIMER_DELAY_MS));
    return () => clearTimeout(handle);
  },
};

interface ManualTimer {
  readonly dueAt: number;
  /** Tie-break for timers due at the same time: the one set first runs first. */
  readonly order: number;
  readonly callback: () => void;
}

/**
 * A clock that only moves when `advance` is called: timers due inside the advanced span run in
 * due-time order, each with `now()` equal to its due time, as they would on a real clock.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers = new Set<ManualTimer>();
  private nextOrder = 0;

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void): CancelTimer {
    const timer: ManualTimer = { dueAt: this.current + Math.max(delayMs, 0), order: this.nextOrder++, callback };
    this.timers.add(timer);
    return () => {
      this.timers.delete(timer);
    };
  }

  /** Timers not yet run nor cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves the clock forward by `ms`, running every timer that falls due on the way (including
   * timers those callbacks set). `maxTimers` bounds a callback that keeps re-arming at zero delay.
   */
  advance(ms: number, maxTimers = 10_000): void {
    const target = this.current + Math.max(ms, 0);
    for (let ran = 0; ; ran++) {
      const due = this.earliestDueBy(target);
      if (due === undefined) break;
      if (ran >= maxTimers) throw new Error(`ManualClock.advance: more than ${maxTimers} timers fell due`);
      this.timers.delete(due);
      this.current = due.dueAt;
      due.callback();
    }
    this.current = target;
  }

  private earliestDueBy(limit: number): ManualTimer | undefined {
    let earliest: ManualTimer | undefined;
    for (const timer of this.timers) {
      if (timer.dueAt > limit) continue;
      if (!earliest || timer.dueAt < earliest.dueAt || (timer.dueAt === earliest.dueAt && timer.order < earliest.order)) {
        earliest = timer;
      }
    }
    return earliest;
  }
}
