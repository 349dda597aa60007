import { lifetimeLimits, lifetimeStatus, RTX_REKEY_POLICY, type LifetimeLimits, type LifetimeStatus, type RekeyPolicy, type SaLifetime } from './lifetime.js';
import { ESP_HEADER_LENGTH, NextHeader, openEspPacket, type EspPacketProblem } from './packet.js';
import { acceptSequenceNumber, checkReplay, EMPTY_REPLAY_WINDOW, type ReplayWindow } from './replay-window.js';
import type { EspSa } from './sa.js';

// The receiving half of an ESP SA: anti-replay window, counters and lifetime around the pure
// packet opener. Values, not objects: `receiveEspPacket` returns the next state with its outcome,
// so the router keeps one record per SPI and tests replay any sequence of events.

export type InboundDropReason =
  | EspPacketProblem
  /** Anti-replay: already accepted inside the window. */
  | 'replayed'
  /** Anti-replay: behind the 64-packet window. */
  | 'too-old'
  /** Anti-replay: 0 is never a valid ESP sequence number. */
  | 'sequence-zero'
  /** The SA reached its hard lifetime (time or volume) and takes no more traffic. */
  | 'sa-expired';

export const INBOUND_DROP_REASONS: readonly InboundDropReason[] = [
  'truncated',
  'not-block-aligned',
  'bad-icv',
  'bad-padding',
  'bad-next-header',
  'replayed',
  'too-old',
  'sequence-zero',
  'sa-expired',
];

export interface InboundCounters {
  /** Inner packets delivered, and their octets (what `show status tunnel` counts as received). */
  readonly packets: number;
  readonly octets: number;
  /** Valid dummy packets (next header 59), discarded as RFC 4303 §2.6 says. */
  readonly dummyPackets: number;
  readonly drops: Readonly<Record<InboundDropReason, number>>;
}

export interface InboundSaState {
  readonly sa: EspSa;
  /** `ipsec sa policy ... anti-replay-check=on|off` (on by default on the RTX1500). */
  readonly antiReplay: boolean;
  readonly window: ReplayWindow;
  readonly counters: InboundCounters;
  readonly limits: LifetimeLimits;
}

export interface InboundSaOptions {
  readonly lifetime: SaLifetime;
  readonly now: number;
  readonly antiReplay?: boolean;
  readonly rekeyPolicy?: RekeyPolicy;
}

const NO_DROPS = Object.fromEntries(INBOUND_DROP_REASONS.map((reason) => [reason, 0])) as Record<InboundDropReason, number>;

export function createInboundSa(sa: EspSa, options: InboundSaOptions): InboundSaState {
  return {
    sa,
    antiReplay: options.antiReplay ?? true,
    window: EMPTY_REPLAY_WINDOW,
    counters: { packets: 0, octets: 0, dummyPackets: 0, drops: NO_DROPS },
    limits: lifetimeLimits(options.lifetime, options.now, options.rekeyPolicy ?? RTX_REKEY_POLICY),
  };
}

export type InboundOutcome =
  /** An inner IPv4 or IPv6 packet to route on. */
  | { readonly kind: 'delivered'; readonly sequenceNumber: number; readonly nextHeader: number; readonly packet: Buffer }
  /** A verified dummy packet: nothing to deliver. */
  | { readonly kind: 'dummy'; readonly sequenceNumber: number }
  /** Dropped and counted; the sequence number is there whenever the header could be read. */
  | { readonly kind: 'dropped'; readonly reason: InboundDropReason; readonly sequenceNumber?: number };

export interface InboundStep {
  readonly state: InboundSaState;
  readonly outcome: InboundOutcome;
}

function drop(state: InboundSaState, reason: InboundDropReason, sequenceNumber?: number): InboundStep {
  const { counters } = state;
  return {
    state: { ...state, counters: { ...counters, drops: { ...counters.drops, [reason]: counters.drops[reason] + 1 } } },
    outcome: sequenceNumber === undefined ? { kind: 'dropped', reason } : { kind: 'dropped', reason, sequenceNumber },
  };
}

/**
 * Processes one received ESP packet (RFC 4303 §3.4): lifetime, then the replay pre-check on the
 * cleartext sequence number, then ICV / decryption / padding, and only then the window update
 * (§3.4.3: a packet that fails verification must not move the window). Never throws on bytes.
 */
export function receiveEspPacket(state: InboundSaState, packet: Buffer, now: number): InboundStep {
  if (packet.length < ESP_HEADER_LENGTH) return drop(state, 'truncated');
  const sequenceNumber = packet.readUInt32BE(4);
  if (inboundLifetimeStatus(state, now).kind === 'hard-expired') return drop(state, 'sa-expired', sequenceNumber);
  if (state.antiReplay) {
    const check = checkReplay(state.window, sequenceNumber);
    if (check === 'duplicate') return drop(state, 'replayed', sequenceNumber);
    if (check === 'behind-window') return drop(state, 'too-old', sequenceNumber);
    if (check === 'zero') return drop(state, 'sequence-zero', sequenceNumber);
  }
  const opened = openEspPacket(state.sa, packet);
  if (!opened.ok) return drop(state, opened.problem, sequenceNumber);

  const window = state.antiReplay ? acceptSequenceNumber(state.window, sequenceNumber) : state.window;
  const { counters } = state;
  if (opened.packet.nextHeader === NextHeader.NO_NEXT_HEADER) {
    return { state: { ...state, window, counters: { ...counters, dummyPackets: counters.dummyPackets + 1 } }, outcome: { kind: 'dummy', sequenceNumber } };
  }
  const { payload, nextHeader } = opened.packet;
  return {
    state: { ...state, window, counters: { ...counters, packets: counters.packets + 1, octets: counters.octets + payload.length } },
    outcome: { kind: 'delivered', sequenceNumber, nextHeader, packet: payload },
  };
}

/** Soft / hard lifetime of the receiving SA, counting the octets it delivered. */
export function inboundLifetimeStatus(state: InboundSaState, now: number): LifetimeStatus {
  return lifetimeStatus(state.limits, state.counters.octets, now);
}
