/**
 * The web console's logins that outlive a page (rtxlab's, not RTX behaviour): after the console
 * login on a WebSocket, the page trades a one-time claim for a session cookie (HttpOnly,
 * SameSite=Strict), so that a reload opens the console logged in again, at the login level only
 * (administrator mode always asks its password again).
 *
 * The cookie holds a random session id and nothing else. The claim travels over the WebSocket
 * (the page's script sees it) but is good once, for a few seconds; the id itself reaches the
 * browser only in a Set-Cookie header, where no script can read it. A session ends when its
 * console session logs out (`exit`, `quit`, the login timer), when no page has used it for a
 * while, when too many are kept, or when the server stops; the browser drops the cookie when it
 * closes (no Expires). Pure: time comes in as `now`.
 */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'rtxlab-session';

export interface WebLoginLimits {
  /** How long a claim may wait to be traded for the cookie. */
  readonly claimMs: number;
  /** A session no page has resumed or held for this long is forgotten. */
  readonly idleMs: number;
  /** Sessions kept at most (the oldest go first). */
  readonly sessions: number;
}

export const DEFAULT_WEB_LOGIN_LIMITS: WebLoginLimits = { claimMs: 30_000, idleMs: 10 * 60_000, sessions: 64 };

/** 128 bits from the system's CSPRNG, hex: unguessable, and no secret of the router's in it. */
const randomId = (): string => randomBytes(16).toString('hex');
const ID_SHAPE = /^[0-9a-f]{32}$/;

export class WebLogins {
  /** Session id -> when a page last used it. Insertion order is age order. */
  private readonly sessions = new Map<string, number>();
  private readonly claims = new Map<string, { readonly sessionId: string; readonly expiresAt: number }>();

  constructor(private readonly limits: WebLoginLimits = DEFAULT_WEB_LOGIN_LIMITS) {}

  /** A console login succeeded: a new session, and the one-time claim the page trades for its cookie. */
  open(now: number): { readonly sessionId: string; readonly claim: string } {
    this.forgetStale(now);
    const sessionId = randomId();
    const claim = randomId();
    this.sessions.set(sessionId, now);
    while (this.sessions.size > this.limits.sessions) this.revoke(this.sessions.keys().next().value!);
    this.claims.set(claim, { sessionId, expiresAt: now + this.limits.claimMs });
    return { sessionId, claim };
  }

  /** The session id a claim stands for, once; undefined for an unknown, used or late claim. */
  redeem(claim: string, now: number): string | undefined {
    this.forgetStale(now);
    const entry = this.claims.get(claim);
    this.claims.delete(claim);
    if (entry === undefined || !this.sessions.has(entry.sessionId)) return undefined;
    return entry.sessionId;
  }

  /** Whether a cookie's id names a live session (and marks it used). */
  resume(sessionId: string, now: number): boolean {
    this.forgetStale(now);
    if (!ID_SHAPE.test(sessionId) || !this.sessions.has(sessionId)) return false;
    this.touch(sessionId, now);
    return true;
  }

  /** A page still holds the session (its console is open): not idle. */
  touch(sessionId: string, now: number): void {
    if (!this.sessions.has(sessionId)) return;
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, now);
  }

  /** The console session logged out: the cookie no longer logs anyone in. */
  revoke(sessionId: string): void {
    this.sessions.delete(sessionId);
    for (const [claim, entry] of this.claims) if (entry.sessionId === sessionId) this.claims.delete(claim);
  }

  private forgetStale(now: number): void {
    for (const [claim, entry] of this.claims) if (entry.expiresAt <= now) this.claims.delete(claim);
    for (const [sessionId, lastUsed] of this.sessions) if (now - lastUsed >= this.limits.idleMs) this.revoke(sessionId);
  }
}

/** The session id in a Cookie header, if any (`a=1; rtxlab-session=…`). */
export function sessionIdFromCookieHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The Set-Cookie value: a session cookie (no Expires: the browser drops it when it closes), for scripts unreadable, never sent cross-site. */
export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The Set-Cookie value that removes it (logout). */
export function expiredSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
