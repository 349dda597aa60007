import { describe, expect, it } from 'vitest';
import {
  REPLACED_SA_GRACE_MS,
  RTX_REKEY_POLICY,
  lifetimeLimits,
  lifetimeStatus,
  limitsAfterReplacement,
  nextLifetimeDeadline,
  retireReplacedSa,
} from '../../src/esp/index.js';

const T0 = Date.UTC(1980, 0, 1, 0, 0, 0);
const seconds = (s: number) => s * 1000;

describe('SA lifetime', () => {
  it('RTX default policy: rekey at 75% of the seconds and of the kilobytes', () => {
    expect(RTX_REKEY_POLICY).toEqual({ timePercent: 75, volumePercent: 75 });
  });

  it('28800 s (the RTX default): live, soft at 21600 s, hard at 28800 s', () => {
    const limits = lifetimeLimits({ seconds: 28800 }, T0);
    expect(lifetimeStatus(limits, 0, T0 + seconds(21600) - 1)).toEqual({ kind: 'live' });
    expect(lifetimeStatus(limits, 0, T0 + seconds(21600))).toEqual({ kind: 'soft-expired', by: 'time' });
    expect(lifetimeStatus(limits, 0, T0 + seconds(28800) - 1)).toEqual({ kind: 'soft-expired', by: 'time' });
    expect(lifetimeStatus(limits, 0, T0 + seconds(28800))).toEqual({ kind: 'hard-expired', by: 'time' });
  });

  it('the rekey percentage follows `rekey N%`', () => {
    const limits = lifetimeLimits({ seconds: 20000 }, T0, { timePercent: 90, volumePercent: 75 });
    expect(limits.softExpiresAt).toBe(T0 + seconds(18000));
  });

  it('kilobytes: 1 KB = 1024 octets; soft at 75%, hard at the limit, whatever the time', () => {
    const limits = lifetimeLimits({ kilobytes: 100 }, T0);
    expect(lifetimeStatus(limits, 76_799, T0)).toEqual({ kind: 'live' });
    expect(lifetimeStatus(limits, 76_800, T0)).toEqual({ kind: 'soft-expired', by: 'volume' });
    expect(lifetimeStatus(limits, 102_400, T0)).toEqual({ kind: 'hard-expired', by: 'volume' });
    expect(lifetimeStatus(limits, 0, T0 + seconds(10_000_000))).toEqual({ kind: 'live' });
  });

  it('both limits: whichever comes first, hard before soft', () => {
    const limits = lifetimeLimits({ seconds: 3600, kilobytes: 1000 }, T0);
    expect(lifetimeStatus(limits, 1000 * 1024, T0 + seconds(2800))).toEqual({ kind: 'hard-expired', by: 'volume' });
    expect(lifetimeStatus(limits, 10, T0 + seconds(3600))).toEqual({ kind: 'hard-expired', by: 'time' });
  });

  it('no lifetime at all: never expires', () => {
    expect(lifetimeStatus(lifetimeLimits({}, T0), Number.MAX_SAFE_INTEGER, T0 + seconds(1e9))).toEqual({ kind: 'live' });
  });

  it('refuses a zero or negative lifetime', () => {
    expect(() => lifetimeLimits({ seconds: 0 }, T0)).toThrow(RangeError);
    expect(() => lifetimeLimits({ kilobytes: -1 }, T0)).toThrow(RangeError);
  });

  it('next deadline: soft, then hard, then none', () => {
    const limits = lifetimeLimits({ seconds: 400 }, T0);
    expect(nextLifetimeDeadline(limits, T0)).toBe(T0 + seconds(300));
    expect(nextLifetimeDeadline(limits, T0 + seconds(300))).toBe(T0 + seconds(400));
    expect(nextLifetimeDeadline(limits, T0 + seconds(400))).toBeUndefined();
    expect(nextLifetimeDeadline(lifetimeLimits({ kilobytes: 5 }, T0), T0)).toBeUndefined();
  });
});

describe('the replaced SA is kept 30 s after a rekey (RTX: cut to 30 s unless less is left)', () => {
  it('an SA with hours left dies 30 s after its replacement is installed, with nothing left to rekey', () => {
    const limits = lifetimeLimits({ seconds: 28800, kilobytes: 4000 }, T0);
    const rekeyedAt = T0 + seconds(21600);
    const retired = limitsAfterReplacement(limits, rekeyedAt);
    expect(REPLACED_SA_GRACE_MS).toBe(30_000);
    expect(retired.hardExpiresAt).toBe(rekeyedAt + 30_000);
    expect(retired.softExpiresAt).toBeUndefined();
    expect(retired.softOctets).toBeUndefined();
    expect(retired.hardOctets).toBe(4000 * 1024);
    expect(lifetimeStatus(retired, 0, rekeyedAt + 29_999)).toEqual({ kind: 'live' });
    expect(lifetimeStatus(retired, 0, rekeyedAt + 30_000)).toEqual({ kind: 'hard-expired', by: 'time' });
  });

  it('an SA with less than 30 s left keeps its own end', () => {
    const limits = lifetimeLimits({ seconds: 400 }, T0);
    expect(limitsAfterReplacement(limits, T0 + seconds(390)).hardExpiresAt).toBe(T0 + seconds(400));
  });

  it('an SA limited by kilobytes only still ends 30 s later', () => {
    expect(limitsAfterReplacement(lifetimeLimits({ kilobytes: 100 }, T0), T0 + 5).hardExpiresAt).toBe(T0 + 5 + 30_000);
  });

  it('applies to any SA state record', () => {
    const state = { name: 'inbound', limits: lifetimeLimits({ seconds: 28800 }, T0) };
    expect(retireReplacedSa(state, T0 + 1000)).toEqual({ name: 'inbound', limits: limitsAfterReplacement(state.limits, T0 + 1000) });
  });
});
