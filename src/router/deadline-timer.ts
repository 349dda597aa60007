import { MAX_TIMER_DELAY_MS, type CancelTimer, type Clock } from './clock.js';

/**
 * One timer aimed at an absolute time: the responder's `nextDeadline()`. The router re-aims it
 * after every receive and tick, so only the earliest pending deadline ever holds a timer.
 */
export class DeadlineTimer {
  private cancelArmed: CancelTimer | undefined;
  private deadline: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onDeadline: (now: number) => void,
  ) {}

  /** The deadline the timer is armed for, or undefined when idle. */
  get armedFor(): number | undefined {
    return this.deadline;
  }

  /** Aims the timer at `deadline` (replacing any earlier aim); undefined disarms it. */
  arm(deadline: number | undefined): void {
    if (deadline === this.deadline) return;
    this.cancel();
    if (deadline === undefined) return;
    this.deadline = deadline;
    this.wait(deadline);
  }

  cancel(): void {
    this.cancelArmed?.();
    this.cancelArmed = undefined;
    this.deadline = undefined;
  }

  private wait(deadline: number): void {
    const delay = Math.min(deadline - this.clock.now(), MAX_TIMER_DELAY_MS);
    this.cancelArmed = this.clock.setTimer(delay, () => this.fire(deadline));
  }

  private fire(deadline: number): void {
    this.cancelArmed = undefined;
    const now = this.clock.now();
    // Early: a deadline beyond MAX_TIMER_DELAY_MS (about 24.8 days; ISAKMP lifetimes go up to
    // 8 days, but a responder may ask for more), or node's timer running a millisecond ahead of
    // the wall clock. Wait for the rest.
    if (now < deadline) return this.wait(deadline);
    this.deadline = undefined;
    this.onDeadline(now);
  }
}
