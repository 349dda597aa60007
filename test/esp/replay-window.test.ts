import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_REPLAY_WINDOW, REPLAY_WINDOW_SIZE, acceptSequenceNumber, checkReplay, type ReplayWindow } from '../../src/esp/index.js';

/** Accepts each number in turn that the window calls fresh, as the inbound SA does. */
function acceptAll(numbers: readonly number[], window: ReplayWindow = EMPTY_REPLAY_WINDOW): ReplayWindow {
  return numbers.reduce((current, n) => (checkReplay(current, n) === 'fresh' ? acceptSequenceNumber(current, n) : current), window);
}

describe('anti-replay window (RFC 4303 §3.4.3), 64 packets', () => {
  it('is 64 wide, the RFC’s recommended default', () => {
    expect(REPLAY_WINDOW_SIZE).toBe(64);
  });

  it('calls 0 invalid, even in an empty window', () => {
    expect(checkReplay(EMPTY_REPLAY_WINDOW, 0)).toBe('zero');
    expect(checkReplay(acceptAll([5]), 0)).toBe('zero');
  });

  it('calls the first packet fresh and the same number again a duplicate', () => {
    expect(checkReplay(EMPTY_REPLAY_WINDOW, 1)).toBe('fresh');
    expect(checkReplay(acceptAll([1]), 1)).toBe('duplicate');
  });

  it('accepts numbers out of order inside the window, once each', () => {
    const window = acceptAll([10, 7, 9]);
    expect(checkReplay(window, 8)).toBe('fresh');
    for (const n of [10, 7, 9]) expect(checkReplay(window, n)).toBe('duplicate');
    expect(checkReplay(window, 11)).toBe('fresh');
  });

  it('keeps exactly highest-63 .. highest: highest-63 is still judged, highest-64 is behind', () => {
    const window = acceptAll([100]);
    expect(checkReplay(window, 100 - 63)).toBe('fresh');
    expect(checkReplay(window, 100 - 64)).toBe('behind-window');
    const withEdge = acceptSequenceNumber(window, 37);
    expect(checkReplay(withEdge, 37)).toBe('duplicate');
  });

  it('forgets what slides out: after advancing by 64 the old highest is behind the window', () => {
    const window = acceptAll([1, 65]);
    expect(checkReplay(window, 1)).toBe('behind-window');
    expect(checkReplay(acceptAll([1, 64]), 1)).toBe('duplicate');
  });

  it('keeps the marks of numbers still inside after a jump', () => {
    const window = acceptAll([50, 60, 113]);
    expect(checkReplay(window, 50)).toBe('duplicate'); // 113 - 63 = 50: the last slot
    expect(checkReplay(window, 60)).toBe('duplicate');
    expect(checkReplay(window, 61)).toBe('fresh');
    expect(checkReplay(window, 49)).toBe('behind-window');
  });

  it('clears the whole bitmap on a jump of 64 or more', () => {
    const window = acceptAll(Array.from({ length: 64 }, (_, i) => i + 1));
    const jumped = acceptSequenceNumber(window, 64 + 64);
    expect(jumped.seen).toBe(1n);
    expect(checkReplay(jumped, 65)).toBe('fresh');
    expect(checkReplay(jumped, 64)).toBe('behind-window');
  });

  it('works at the top of the 32-bit space', () => {
    const window = acceptAll([0xffffffff - 1, 0xffffffff]);
    expect(checkReplay(window, 0xffffffff)).toBe('duplicate');
    expect(checkReplay(window, 0xffffffff - 2)).toBe('fresh');
  });

  it('does not change when asked to accept a number behind it', () => {
    const window = acceptAll([200]);
    expect(acceptSequenceNumber(window, 100)).toEqual(window);
  });

  it('property: a number is accepted at most once, and any number within 63 of the highest is judged by memory', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 200 }), (numbers) => {
        let window = EMPTY_REPLAY_WINDOW;
        const accepted = new Set<number>();
        for (const n of numbers) {
          const verdict = checkReplay(window, n);
          if (accepted.has(n) && verdict === 'fresh') return false;
          if (!accepted.has(n) && n > window.highest - REPLAY_WINDOW_SIZE && verdict !== 'fresh') return false;
          if (verdict === 'fresh') {
            window = acceptSequenceNumber(window, n);
            accepted.add(n);
          }
        }
        return true;
      }),
    );
  });
});
