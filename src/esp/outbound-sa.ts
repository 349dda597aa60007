import { lifetimeLimits, lifetimeStatus, RTX_REKEY_POLICY, type LifetimeLimits, type LifetimeStatus, type RekeyPolicy, type SaLifetime } from './lifetime.js';
import { LAST_SEQUENCE_NUMBER, MINIMAL_PADDING, sealEspPacket, type EspPadding } from './packet.js';
import type { EspSa } from './sa.js';

// The sending half of an ESP SA: the sequence counter (which must never cycle, RFC 4303
// §3.3.3), counters and lifetime around the pure packet sealer. Values, like the inbound half.

export type OutboundRefusal =
  /** 2^32 - 1 packets sent: the counter may not wrap, a new SA is needed (RFC 4303 §3.3.3). */
  | 'sequence-exhausted'
  /** The SA reached its hard lifetime (time or volume). */
  | 'sa-expired';

export interface OutboundCounters {
  /** Inner packets sealed, and their octets (what `show status tunnel` counts as transmitted). */
  readonly packets: number;
  readonly octets: number;
  readonly refusals: Readonly<Record<OutboundRefusal, number>>;
}

export interface OutboundSaState {
  readonly sa: EspSa;
  /** The sequence number of the last packet sealed; 0 before the first. */
  readonly lastSequenceNumber: number;
  readonly counters: OutboundCounters;
  readonly limits: LifetimeLimits;
}

export interface OutboundSaOptions {
  readonly lifetime: SaLifetime;
  readonly now: number;
  readonly rekeyPolicy?: RekeyPolicy;
}

export function createOutboundSa(sa: EspSa, options: OutboundSaOptions): OutboundSaState {
  return {
    sa,
    lastSequenceNumber: 0,
    counters: { packets: 0, octets: 0, refusals: { 'sequence-exhausted': 0, 'sa-expired': 0 } },
    limits: lifetimeLimits(options.lifetime, options.now, options.rekeyPolicy ?? RTX_REKEY_POLICY),
  };
}

export type OutboundOutcome =
  | { readonly kind: 'sealed'; readonly sequenceNumber: number; readonly packet: Buffer }
  | { readonly kind: 'refused'; readonly reason: OutboundRefusal };

export interface OutboundStep {
  readonly state: OutboundSaState;
  readonly outcome: OutboundOutcome;
}

export interface SealOptions {
  readonly padding?: EspPadding;
  /** Only for reproducible tests; otherwise each packet gets a random IV. */
  readonly iv?: Buffer;
}

/** Seals `payload` with the next sequence number, or refuses when the SA may not send any more. */
export function sendEspPacket(state: OutboundSaState, payload: Buffer, nextHeader: number, now: number, options: SealOptions = {}): OutboundStep {
  const status = outboundLifetimeStatus(state, now);
  if (status.kind === 'hard-expired') {
    const reason: OutboundRefusal = status.by === 'sequence' ? 'sequence-exhausted' : 'sa-expired';
    const { counters } = state;
    return {
      state: { ...state, counters: { ...counters, refusals: { ...counters.refusals, [reason]: counters.refusals[reason] + 1 } } },
      outcome: { kind: 'refused', reason },
    };
  }
  const sequenceNumber = state.lastSequenceNumber + 1;
  const packet = sealEspPacket(state.sa, sequenceNumber, payload, nextHeader, options.padding ?? MINIMAL_PADDING, options.iv);
  const { counters } = state;
  return {
    state: { ...state, lastSequenceNumber: sequenceNumber, counters: { ...counters, packets: counters.packets + 1, octets: counters.octets + payload.length } },
    outcome: { kind: 'sealed', sequenceNumber, packet },
  };
}

export type OutboundLifetimeStatus = LifetimeStatus | { readonly kind: 'hard-expired'; readonly by: 'sequence' };

/** Soft / hard lifetime of the sending SA; a used-up sequence counter ends it like a hard limit. */
export function outboundLifetimeStatus(state: OutboundSaState, now: number): OutboundLifetimeStatus {
  const status = lifetimeStatus(state.limits, state.counters.octets, now);
  if (status.kind === 'hard-expired') return status;
  if (state.lastSequenceNumber >= LAST_SEQUENCE_NUMBER) return { kind: 'hard-expired', by: 'sequence' };
  return status;
}
