// The receiver's anti-replay window (RFC 4303 §3.4.3, with the bitmap of RFC 4303 Appendix A2
// reduced to one 64-bit word): the highest sequence number accepted so far and which of the 63
// numbers below it were accepted too. Values, not objects: every update returns a new window.

/** RFC 4303 §3.4.3: 32 must be supported, 64 is the recommended default. */
export const REPLAY_WINDOW_SIZE = 64;

const WINDOW_BITS = BigInt(REPLAY_WINDOW_SIZE);
const ALL_BITS = (1n << WINDOW_BITS) - 1n;

export interface ReplayWindow {
  /** The highest sequence number accepted; 0 before the first packet. */
  readonly highest: number;
  /** Bit i set: `highest - i` was accepted (bit 0 is `highest` itself). */
  readonly seen: bigint;
}

export const EMPTY_REPLAY_WINDOW: ReplayWindow = { highest: 0, seen: 0n };

export type ReplayCheck =
  /** Not seen before and inside or ahead of the window: may be accepted once its ICV verifies. */
  | 'fresh'
  /** Inside the window and already accepted. */
  | 'duplicate'
  /** Behind the window: too old to tell whether it was seen, so dropped (RFC 4303 §3.4.3). */
  | 'behind-window'
  /** 0 is never sent: the first packet of an SA carries 1 (RFC 4303 §2.2). */
  | 'zero';

/** Classifies a received sequence number without changing the window (done before the ICV check). */
export function checkReplay(window: ReplayWindow, sequenceNumber: number): ReplayCheck {
  if (sequenceNumber === 0) return 'zero';
  if (sequenceNumber > window.highest) return 'fresh';
  const behind = window.highest - sequenceNumber;
  if (behind >= REPLAY_WINDOW_SIZE) return 'behind-window';
  return (window.seen >> BigInt(behind)) & 1n ? 'duplicate' : 'fresh';
}

/**
 * Marks `sequenceNumber` as accepted. Call only after the packet's ICV verified (RFC 4303
 * §3.4.3: a forged packet must not move the window) and only for a number `checkReplay` called
 * fresh.
 */
export function acceptSequenceNumber(window: ReplayWindow, sequenceNumber: number): ReplayWindow {
  if (sequenceNumber > window.highest) {
    const advance = BigInt(sequenceNumber - window.highest);
    const shifted = advance >= WINDOW_BITS ? 0n : (window.seen << advance) & ALL_BITS;
    return { highest: sequenceNumber, seen: shifted | 1n };
  }
  const behind = window.highest - sequenceNumber;
  if (behind >= REPLAY_WINDOW_SIZE) return window;
  return { highest: window.highest, seen: window.seen | (1n << BigInt(behind)) };
}
