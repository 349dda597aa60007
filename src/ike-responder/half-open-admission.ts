/**
 * Who gets a half-open slot when a new Aggressive Mode message 1 arrives (rtxlab's choice; how
 * the RTX1500 shares its negotiation table was NOT FOUND). The aim: no peer can lock others out.
 *
 * - A peer competes only with itself: at `maxHalfOpenSasPerPeer`, its own oldest half-open
 *   negotiation gives way. A flood from one peer recycles its own slots.
 * - While the table is full, a half-open negotiation lives only `halfOpenTimeoutWhenFullMs`
 *   (instead of the 30 s half-open time); if the table is still full, the oldest goes. A real
 *   client sends message 3 one round trip after message 2, so it outlives a flood that is not
 *   faster than the table size per round trip.
 * - Established ISAKMP SAs are never displaced by half-open ones: when they alone fill the SA
 *   table, message 1 is refused.
 *
 * "Peer" is the UDP endpoint (address and port) by default: clients behind one NAT, and the
 * load generator's (`rtxlab connect --count`), share an address but not a port. `address` makes
 * one address one peer, against a flooder that varies its source port.
 */
import type { Endpoint } from './port.js';

export type HalfOpenPeerKey = 'address-port' | 'address';

export interface AdmissionLimits {
  readonly maxHalfOpenSas: number;
  readonly maxHalfOpenSasPerPeer: number;
  readonly halfOpenTimeoutWhenFullMs: number;
  readonly maxIsakmpSas: number;
  readonly halfOpenPeer: HalfOpenPeerKey;
}

/** A half-open negotiation as admission sees it. */
export interface HalfOpenNegotiation<T> {
  readonly entry: T;
  readonly peer: Endpoint;
  readonly openedAt: number;
}

export type EvictionReason = 'peer-limit' | 'table-full';

export type Admission<T> =
  /** Admit the newcomer once these are gone: `expired` ran out of their shortened time, `evicted` gave way. */
  | { readonly admit: true; readonly expired: readonly T[]; readonly evicted: readonly { readonly entry: T; readonly reason: EvictionReason }[] }
  | { readonly admit: false; readonly reason: 'established-sas-fill-the-table' };

export function peerKeyOf(kind: HalfOpenPeerKey, peer: Endpoint): string {
  return kind === 'address' ? peer.address : `${peer.address}:${peer.port}`;
}

/**
 * `halfOpen` oldest first; `established` the number of other ISAKMP SAs. Evicts no more than it
 * must to admit one newcomer; when the table is full, every negotiation past the shortened time
 * expires.
 */
export function admitFirstMessage<T>(
  halfOpen: readonly HalfOpenNegotiation<T>[],
  established: number,
  newcomer: Endpoint,
  now: number,
  limits: AdmissionLimits,
): Admission<T> {
  if (established >= limits.maxIsakmpSas) return { admit: false, reason: 'established-sas-fill-the-table' };
  const remaining = [...halfOpen];
  const expired: T[] = [];
  const evicted: { entry: T; reason: EvictionReason }[] = [];
  const drop = (negotiation: HalfOpenNegotiation<T>) => remaining.splice(remaining.indexOf(negotiation), 1);

  const newcomerKey = peerKeyOf(limits.halfOpenPeer, newcomer);
  const own = remaining.filter((negotiation) => peerKeyOf(limits.halfOpenPeer, negotiation.peer) === newcomerKey);
  const perPeer = Math.max(1, limits.maxHalfOpenSasPerPeer);
  while (own.length >= perPeer) {
    const oldest = own.shift()!;
    drop(oldest);
    evicted.push({ entry: oldest.entry, reason: 'peer-limit' });
  }

  const capacity = Math.max(1, Math.min(limits.maxHalfOpenSas, limits.maxIsakmpSas - established));
  if (remaining.length >= capacity) {
    for (const negotiation of remaining.filter((candidate) => now - candidate.openedAt >= limits.halfOpenTimeoutWhenFullMs)) {
      drop(negotiation);
      expired.push(negotiation.entry);
    }
  }
  while (remaining.length >= capacity) {
    const oldest = remaining[0]!;
    drop(oldest);
    evicted.push({ entry: oldest.entry, reason: 'table-full' });
  }
  return { admit: true, expired, evicted };
}
