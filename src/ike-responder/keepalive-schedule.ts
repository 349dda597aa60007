/**
 * The router's own keepalive for one established ISAKMP SA, as pure values: what
 * `ipsec ike keepalive use GW on|off|auto [heartbeat|icmp-echo IP|dpd] [interval count]` makes
 * it send, when, and when it gives the peer up (command reference §15.20; rtx-behaviour.md §4):
 *
 * - `dpd` (RFC 3706) and `icmp-echo` treat `auto` as `on`: a probe (R-U-THERE, ICMP echo) goes
 *   every `interval` seconds with an increasing sequence number; an answer with the sequence of
 *   an unanswered probe resets the count.
 * - `heartbeat` with `on` sends one every interval; with `auto` only once the peer's first
 *   heartbeat came ("相手から heartbeat パケットを受信したときだけ"), so two `auto` ends send
 *   nothing. Heartbeats are not answered: each one heard resets the count.
 * - `rfc4306` is IKEv2's; under IKEv1 it falls back to heartbeat with the same switch and timing.
 * - The peer is dead when a probe falls due and the last `count` intervals brought no answer:
 *   between count x interval and (count + 1) x interval after it fell silent (when within an
 *   interval the RTX decides was NOT FOUND: ASSUMED).
 *
 * Time enters only as `now` (milliseconds); nothing here sends or logs.
 */
import type { KeepalivePolicy } from './policy.js';

export type KeepaliveMethod = 'dpd' | 'icmp-echo' | 'heartbeat';

/** What the router does for one ISAKMP SA. */
export type KeepalivePlan =
  | { readonly kind: 'none'; readonly why: string }
  | { readonly kind: 'dpd'; readonly intervalMs: number; readonly count: number }
  | { readonly kind: 'icmp-echo'; readonly target: string; readonly length: number; readonly intervalMs: number; readonly count: number }
  /** `sendsFirst` false: `auto`, silent until the peer's first heartbeat. */
  | { readonly kind: 'heartbeat'; readonly sendsFirst: boolean; readonly intervalMs: number; readonly count: number };

export type ActivePlan = Exclude<KeepalivePlan, { kind: 'none' }>;

/** What came back from the peer for the router's keepalive. */
export type KeepaliveAnswer =
  | { readonly kind: 'dpd-ack'; readonly sequence: number }
  | { readonly kind: 'heartbeat'; readonly sequence: number }
  /** ICMP echo reply: its sequence field (16 bits). */
  | { readonly kind: 'icmp-echo-reply'; readonly sequence: number };

export interface KeepaliveState {
  readonly plan: ActivePlan;
  /** False while an `auto` heartbeat waits for the peer's first one. */
  readonly sending: boolean;
  /** When the next probe goes (and the count is checked); none while not sending or once dead. */
  readonly nextDueAt?: number;
  /** The sequence of the last probe sent (one before the first, until then). */
  readonly lastSequence: number;
  /** A probe went out (or, for heartbeats, the peer's are expected) since the last due time. */
  readonly awaiting: boolean;
  /** An answer came since the last due time. */
  readonly heard: boolean;
  /** Intervals in a row that brought no answer. */
  readonly missed: number;
}

export type KeepaliveAction =
  | { readonly kind: 'wait' }
  | { readonly kind: 'send'; readonly sequence: number }
  | { readonly kind: 'peer-dead'; readonly missed: number };

export interface KeepaliveOptions {
  /**
   * RFC 3706 §5.1: R-U-THERE goes only to a peer that announced DPD (its Vendor ID). Whether the
   * RTX checks this was NOT FOUND; the RFC rule is the default, `false` sends it to any peer.
   */
  readonly dpdOnlyToAnnouncingPeers: boolean;
}

export const DEFAULT_KEEPALIVE_OPTIONS: KeepaliveOptions = { dpdOnlyToAnnouncingPeers: true };

/** ICMP echo data length when `length=` is not given (§15.20: 64). */
export const DEFAULT_ICMP_ECHO_LENGTH = 64;

/** What the gateway's keepalive setting makes the router do for an SA with this peer. */
export function keepalivePlan(policy: KeepalivePolicy, peer: { readonly announcedDpd: boolean }, options: KeepaliveOptions = DEFAULT_KEEPALIVE_OPTIONS): KeepalivePlan {
  const timing = { intervalMs: policy.intervalSeconds * 1000, count: policy.count };
  if (policy.use === 'off') return { kind: 'none', why: 'keepalive off' };
  switch (policy.method) {
    case 'dpd':
      if (options.dpdOnlyToAnnouncingPeers && !peer.announcedDpd) return { kind: 'none', why: 'the peer did not announce DPD (RFC 3706 §5.1)' };
      return { kind: 'dpd', ...timing };
    case 'icmp-echo':
      if (policy.icmpEchoTarget === undefined) return { kind: 'none', why: 'icmp-echo without a target address' };
      return { kind: 'icmp-echo', target: policy.icmpEchoTarget, length: policy.icmpEchoLength ?? DEFAULT_ICMP_ECHO_LENGTH, ...timing };
    case 'heartbeat':
    case 'rfc4306':
      return { kind: 'heartbeat', sendsFirst: policy.use === 'on', ...timing };
  }
}

/** The state at establishment: the first probe one interval later (an `auto` heartbeat: not yet). */
export function startKeepalive(plan: ActivePlan, now: number, firstSequence: number): KeepaliveState {
  const sending = plan.kind !== 'heartbeat' || plan.sendsFirst;
  return {
    plan,
    sending,
    ...(sending ? { nextDueAt: now + plan.intervalMs } : {}),
    lastSequence: (firstSequence - 1) >>> 0,
    // The peer's heartbeats are expected from the start; a probe's answer only once it is sent.
    awaiting: plan.kind === 'heartbeat' && sending,
    heard: false,
    missed: 0,
  };
}

export function keepaliveDeadline(state: KeepaliveState): number | undefined {
  return state.nextDueAt;
}

/** At (or after) `nextDueAt`: count the interval that ended, then probe again or give the peer up. */
export function keepaliveDue(state: KeepaliveState, now: number): { state: KeepaliveState; action: KeepaliveAction } {
  if (state.nextDueAt === undefined || now < state.nextDueAt) return { state, action: { kind: 'wait' } };
  const missed = state.heard ? 0 : state.awaiting ? state.missed + 1 : state.missed;
  if (missed >= state.plan.count) {
    const { nextDueAt: _ended, ...rest } = state;
    return { state: { ...rest, missed, sending: false }, action: { kind: 'peer-dead', missed } };
  }
  const sequence = (state.lastSequence + 1) >>> 0;
  return {
    state: { ...state, missed, heard: false, awaiting: true, lastSequence: sequence, nextDueAt: now + state.plan.intervalMs },
    action: { kind: 'send', sequence },
  };
}

/**
 * An answer from the peer. A DPD ACK or echo reply counts only with the sequence of a probe still
 * unanswered; any heartbeat counts (and starts an `auto` heartbeat: its first one goes at once).
 */
export function keepaliveHeard(state: KeepaliveState, answer: KeepaliveAnswer, now: number): { state: KeepaliveState; counted: boolean } {
  const { plan } = state;
  if (answer.kind === 'heartbeat') {
    if (plan.kind !== 'heartbeat') return { state, counted: false };
    if (!state.sending) return { state: { ...state, sending: true, nextDueAt: now, awaiting: true, heard: true, missed: 0 }, counted: true };
    return { state: { ...state, heard: true, missed: 0 }, counted: true };
  }
  if ((answer.kind === 'dpd-ack') !== (plan.kind === 'dpd') || (answer.kind === 'icmp-echo-reply') !== (plan.kind === 'icmp-echo')) return { state, counted: false };
  if (!state.awaiting || state.nextDueAt === undefined) return { state, counted: false };
  const modulus = answer.kind === 'icmp-echo-reply' ? 0x1_0000 : 0x1_0000_0000;
  const behind = (((state.lastSequence - answer.sequence) % modulus) + modulus) % modulus;
  if (behind > state.missed) return { state, counted: false };
  return { state: { ...state, heard: true, missed: 0 }, counted: true };
}
