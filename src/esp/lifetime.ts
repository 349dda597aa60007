// IPsec SA lifetimes: the negotiated limits (RFC 2407 §4.5, SA Life Type seconds / kilobytes),
// when to rekey (soft) and when to stop using the SA (hard), and the RTX rule for an SA that has
// been replaced. Time comes in as `now` (milliseconds since the epoch), as everywhere in rtxlab.

/** Lifetime as agreed in Quick Mode; an absent field means no limit of that kind. */
export interface SaLifetime {
  readonly seconds?: number;
  readonly kilobytes?: number;
}

/**
 * When the soft limit falls, as a percentage of the hard one. RTX: `ipsec ike duration ipsec-sa
 * GW SECONDS [KBYTES] [rekey N%]` rekeys at N% of the seconds (70..90, default 75) and, per the
 * command reference, always at 75% of the kilobytes.
 */
export interface RekeyPolicy {
  readonly timePercent: number;
  readonly volumePercent: number;
}

export const RTX_REKEY_POLICY: RekeyPolicy = { timePercent: 75, volumePercent: 75 };

/**
 * The RTX cuts a replaced IPsec SA to 30 s, unless less is left already (command reference
 * §15.48.1, `ipsec ike duration`: 古くなった既存の IPsec SA の寿命が 30 秒以上である場合は 30 秒に短縮).
 */
export const REPLACED_SA_GRACE_MS = 30_000;

/** RFC 2407 counts kilobytes; 1 KB is taken as 1024 octets. */
const OCTETS_PER_KILOBYTE = 1024;

export interface LifetimeLimits {
  readonly createdAt: number;
  readonly softExpiresAt?: number;
  readonly hardExpiresAt?: number;
  /** Octets of payload (inner packets) after which the SA should be rekeyed / must not be used. */
  readonly softOctets?: number;
  readonly hardOctets?: number;
}

export function lifetimeLimits(lifetime: SaLifetime, createdAt: number, policy: RekeyPolicy = RTX_REKEY_POLICY): LifetimeLimits {
  const limits: { -readonly [K in keyof LifetimeLimits]: LifetimeLimits[K] } = { createdAt };
  if (lifetime.seconds !== undefined) {
    checkPositive('seconds', lifetime.seconds);
    limits.hardExpiresAt = createdAt + lifetime.seconds * 1000;
    limits.softExpiresAt = createdAt + Math.floor((lifetime.seconds * policy.timePercent) / 100) * 1000;
  }
  if (lifetime.kilobytes !== undefined) {
    checkPositive('kilobytes', lifetime.kilobytes);
    limits.hardOctets = lifetime.kilobytes * OCTETS_PER_KILOBYTE;
    limits.softOctets = Math.floor((lifetime.kilobytes * OCTETS_PER_KILOBYTE * policy.volumePercent) / 100);
  }
  return limits;
}

function checkPositive(what: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`a lifetime of ${value} ${what} is not positive`);
}

export type LifetimeBound = 'time' | 'volume';

export type LifetimeStatus =
  | { readonly kind: 'live' }
  /** Time to negotiate a replacement; the SA still carries traffic. */
  | { readonly kind: 'soft-expired'; readonly by: LifetimeBound }
  /** The SA must no longer be used in either direction. */
  | { readonly kind: 'hard-expired'; readonly by: LifetimeBound };

const LIVE: LifetimeStatus = { kind: 'live' };

/** Where an SA stands after carrying `octets` octets of payload, at `now`. */
export function lifetimeStatus(limits: LifetimeLimits, octets: number, now: number): LifetimeStatus {
  if (limits.hardExpiresAt !== undefined && now >= limits.hardExpiresAt) return { kind: 'hard-expired', by: 'time' };
  if (limits.hardOctets !== undefined && octets >= limits.hardOctets) return { kind: 'hard-expired', by: 'volume' };
  if (limits.softExpiresAt !== undefined && now >= limits.softExpiresAt) return { kind: 'soft-expired', by: 'time' };
  if (limits.softOctets !== undefined && octets >= limits.softOctets) return { kind: 'soft-expired', by: 'volume' };
  return LIVE;
}

/** The next time-based limit after `now`, for the router's timer; undefined when none is left. */
export function nextLifetimeDeadline(limits: LifetimeLimits, now: number): number | undefined {
  const upcoming = [limits.softExpiresAt, limits.hardExpiresAt].filter((at): at is number => at !== undefined && at > now);
  return upcoming.length === 0 ? undefined : Math.min(...upcoming);
}

/**
 * The limits of an SA once its replacement is installed at `rekeyedAt`: it lives at most
 * another 30 s (never longer than it had left), and there is nothing left to rekey.
 */
export function limitsAfterReplacement(limits: LifetimeLimits, rekeyedAt: number): LifetimeLimits {
  const graceEnd = rekeyedAt + REPLACED_SA_GRACE_MS;
  const hardExpiresAt = limits.hardExpiresAt === undefined ? graceEnd : Math.min(limits.hardExpiresAt, graceEnd);
  return {
    createdAt: limits.createdAt,
    hardExpiresAt,
    ...(limits.hardOctets === undefined ? {} : { hardOctets: limits.hardOctets }),
  };
}

/** An inbound or outbound SA state with its limits cut as `limitsAfterReplacement` says. */
export function retireReplacedSa<State extends { readonly limits: LifetimeLimits }>(state: State, rekeyedAt: number): State {
  return { ...state, limits: limitsAfterReplacement(state.limits, rekeyedAt) };
}
