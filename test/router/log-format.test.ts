import { describe, expect, it } from 'vitest';
import { formatRtxLogLine, formatRtxTimestamp } from '../../src/router/log-format.js';

describe('RTX log timestamps', () => {
  it('show an unset RTX clock (1980/01/01 00:00 UTC) as 09:00 JST, like real RTX logs', () => {
    expect(formatRtxTimestamp(Date.UTC(1980, 0, 1, 0, 0, 5))).toBe('1980/01/01 09:00:05');
  });

  it('roll the date over at JST midnight, not UTC midnight', () => {
    expect(formatRtxTimestamp(Date.UTC(2008, 9, 1, 15, 30, 0))).toBe('2008/10/02 00:30:00');
  });

  it('truncate milliseconds instead of rounding them', () => {
    expect(formatRtxTimestamp(Date.UTC(2008, 9, 1, 3, 28, 6, 999))).toBe('2008/10/01 12:28:06');
  });

  it('follow another time zone offset when given one', () => {
    expect(formatRtxTimestamp(Date.UTC(2008, 9, 1, 3, 4, 5), 0)).toBe('2008/10/01 03:04:05');
    expect(formatRtxTimestamp(Date.UTC(2008, 0, 1, 1, 0, 0), -5 * 60)).toBe('2007/12/31 20:00:00');
  });

  it('stamp lines of the same second alike, and a new second or another offset anew (the last stamp is reused)', () => {
    const second = Date.UTC(2008, 9, 1, 3, 28, 6);
    expect(formatRtxTimestamp(second + 100)).toBe('2008/10/01 12:28:06');
    expect(formatRtxTimestamp(second + 900)).toBe('2008/10/01 12:28:06');
    expect(formatRtxTimestamp(second + 900, 0)).toBe('2008/10/01 03:28:06');
    expect(formatRtxTimestamp(second + 1000, 0)).toBe('2008/10/01 03:28:07');
    expect(formatRtxTimestamp(second - 1)).toBe('2008/10/01 12:28:05');
  });
});

describe('RTX log lines', () => {
  it('are `YYYY/MM/DD HH:MM:SS: message`', () => {
    expect(formatRtxLogLine(Date.UTC(1980, 0, 1, 0, 2, 47), '[IKE] respond ISAKMP phase to 200.1.1.1')).toBe(
      '1980/01/01 09:02:47: [IKE] respond ISAKMP phase to 200.1.1.1',
    );
  });
});
