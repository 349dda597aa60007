import { describe, expect, it } from 'vitest';
import { expiredSessionCookie, sessionCookie, sessionIdFromCookieHeader, WebLogins } from '../../src/web/web-logins.js';

const LIMITS = { claimMs: 30_000, idleMs: 600_000, sessions: 3 };

describe('the web logins behind the session cookie', () => {
  it('gives each login a random 128-bit session id and a one-time claim for it', () => {
    const logins = new WebLogins(LIMITS);
    const first = logins.open(0);
    const second = logins.open(0);
    expect(first.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.claim).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([first.sessionId, first.claim, second.sessionId, second.claim]).size).toBe(4);
    expect(logins.redeem(first.claim, 1)).toBe(first.sessionId);
    expect(logins.redeem(first.claim, 2)).toBeUndefined();
  });

  it('refuses a claim traded too late', () => {
    const logins = new WebLogins(LIMITS);
    const { claim } = logins.open(0);
    expect(logins.redeem(claim, 30_000)).toBeUndefined();
  });

  it('resumes a live session, not a revoked (logged out) or idle one, nor anything shaped otherwise', () => {
    const logins = new WebLogins(LIMITS);
    const kept = logins.open(0).sessionId;
    const loggedOut = logins.open(0).sessionId;
    logins.revoke(loggedOut);
    expect(logins.resume(kept, 1_000)).toBe(true);
    expect(logins.resume(loggedOut, 1_000)).toBe(false);
    expect(logins.resume('not-an-id', 1_000)).toBe(false);
    // Used at 1 s: idle from then on.
    expect(logins.resume(kept, 600_999)).toBe(true);
    expect(logins.resume(kept, 600_999 + 600_000)).toBe(false);
  });

  it('keeps a bounded number of sessions, the oldest going first', () => {
    const logins = new WebLogins(LIMITS);
    const ids = [0, 1, 2, 3].map((at) => logins.open(at).sessionId);
    expect(ids.map((id) => logins.resume(id, 10))).toEqual([false, true, true, true]);
  });

  it('sets a session cookie for scripts unreadable and never sent cross-site, and removes it at logout', () => {
    expect(sessionCookie('0123456789abcdef0123456789abcdef')).toBe('rtxlab-session=0123456789abcdef0123456789abcdef; Path=/; HttpOnly; SameSite=Strict');
    expect(expiredSessionCookie()).toMatch(/^rtxlab-session=; .*HttpOnly; SameSite=Strict; Max-Age=0$/);
    expect(sessionIdFromCookieHeader('a=1; rtxlab-session=abc; b=2')).toBe('abc');
    expect(sessionIdFromCookieHeader('a=1')).toBeUndefined();
    expect(sessionIdFromCookieHeader(undefined)).toBeUndefined();
  });
});
