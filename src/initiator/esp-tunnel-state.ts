/**
 * The client's half of the ESP SA pair Quick Mode produced, as values: one outbound SA (the
 * gateway's SPI, initiator -> responder keys) and one inbound SA (our SPI, responder ->
 * initiator keys). Pure, like src/esp: each step returns the next state with its outcome, and
 * time comes in as `now` (ms since the epoch) for the lifetimes.
 */
import {
  INBOUND_DROP_REASONS,
  NextHeader,
  createEspSa,
  createInboundSa,
  createOutboundSa,
  formatSpi,
  readEspHeader,
  receiveEspPacket,
  sendEspPacket,
  type InboundDropReason,
  type InboundOutcome,
  type InboundSaState,
  type OutboundOutcome,
  type OutboundSaState,
  type SaLifetime,
  type SealOptions,
} from '../esp/index.js';
import { packetMatchesSelectors, type TrafficSelectors } from './esp-selectors.js';
import type { EspSaPair } from '../ike/initiator/quick-mode.js';

export interface EspTunnelState {
  readonly outbound: OutboundSaState;
  readonly inbound: InboundSaState;
  /** Packets whose SPI is not our inbound one: they belong to no SA, so no SA counts them. */
  readonly unknownSpi: number;
  /** Absent: every packet goes (Quick Mode without client IDs). */
  readonly selectors?: TrafficSelectors;
  /** Decrypted packets whose inner header the selectors do not cover (RFC 4301 §5.2 step 4). */
  readonly outsideSelectors: number;
}

/** Every reason a packet from the gateway is dropped: the inbound SA's, and a foreign SPI. */
export type EspTunnelDropReason = InboundDropReason | 'unknown-spi' | 'outside-selectors';

export const ESP_TUNNEL_DROP_REASONS: readonly EspTunnelDropReason[] = [...INBOUND_DROP_REASONS, 'unknown-spi', 'outside-selectors'];

export interface EspTunnelStateOptions {
  /** Anti-replay on our inbound SA (RFC 4303 §3.4.3: the receiver's choice); on by default. */
  readonly antiReplay?: boolean;
  /** Check inner packets both ways against these (the Quick Mode IDs); absent: no check. */
  readonly selectors?: TrafficSelectors;
}

/**
 * Installs both SAs with the lifetime the gateway returned in Quick Mode message 2. Throws
 * what `createEspSa` throws (a cipher this Node cannot run, keys of the wrong length), which no
 * negotiation of ours produces unless single DES lacks the legacy provider.
 */
export function createEspTunnelState(pair: EspSaPair, now: number, options: EspTunnelStateOptions = {}): EspTunnelState {
  const transform = { encryption: pair.encryption, integrity: pair.integrity };
  const lifetime: SaLifetime = {
    ...(pair.lifeSeconds === undefined ? {} : { seconds: pair.lifeSeconds }),
    ...(pair.lifeKilobytes === undefined ? {} : { kilobytes: pair.lifeKilobytes }),
  };
  return {
    outbound: createOutboundSa(createEspSa(transform, pair.outbound), { lifetime, now }),
    inbound: createInboundSa(createEspSa(transform, pair.inbound), { lifetime, now, ...(options.antiReplay === undefined ? {} : { antiReplay: options.antiReplay }) }),
    unknownSpi: 0,
    ...(options.selectors ? { selectors: options.selectors } : {}),
    outsideSelectors: 0,
  };
}

export type InnerSealOutcome = OutboundOutcome | { readonly kind: 'refused'; readonly reason: 'outside-selectors' };

/**
 * Seals one inner IPv4 packet for the gateway (tunnel mode: next header 4, RFC 4303 §2.6); one
 * the selectors do not cover is refused before it takes a sequence number.
 */
export function sealInnerPacket(
  state: EspTunnelState,
  innerPacket: Buffer,
  now: number,
  options: SealOptions = {},
): { readonly state: EspTunnelState; readonly outcome: InnerSealOutcome } {
  if (state.selectors && !packetMatchesSelectors(innerPacket, state.selectors, 'outbound')) return { state, outcome: { kind: 'refused', reason: 'outside-selectors' } };
  const step = sendEspPacket(state.outbound, innerPacket, NextHeader.IPV4, now, options);
  return { state: { ...state, outbound: step.state }, outcome: step.outcome };
}

export type GatewayPacketOutcome =
  | InboundOutcome
  | { readonly kind: 'dropped'; readonly reason: 'unknown-spi'; readonly spi: string }
  /** Authentic, counted by the SA, but not traffic this SA may carry. */
  | { readonly kind: 'dropped'; readonly reason: 'outside-selectors'; readonly sequenceNumber: number };

/** Opens one ESP packet from the gateway; anything but our SPI is dropped before any crypto. */
export function openGatewayPacket(state: EspTunnelState, packet: Buffer, now: number): { readonly state: EspTunnelState; readonly outcome: GatewayPacketOutcome } {
  const header = readEspHeader(packet);
  if (header !== undefined && header.spi !== state.inbound.sa.spi) {
    return { state: { ...state, unknownSpi: state.unknownSpi + 1 }, outcome: { kind: 'dropped', reason: 'unknown-spi', spi: formatSpi(header.spi) } };
  }
  const step = receiveEspPacket(state.inbound, packet, now);
  const { outcome } = step;
  if (outcome.kind === 'delivered' && state.selectors && !packetMatchesSelectors(outcome.packet, state.selectors, 'inbound')) {
    return {
      state: { ...state, inbound: step.state, outsideSelectors: state.outsideSelectors + 1 },
      outcome: { kind: 'dropped', reason: 'outside-selectors', sequenceNumber: outcome.sequenceNumber },
    };
  }
  return { state: { ...state, inbound: step.state }, outcome };
}

/** Drops by reason over the inbound SA, the SPI check and the selector check. */
export function espTunnelDrops(state: EspTunnelState): Readonly<Record<EspTunnelDropReason, number>> {
  return { ...state.inbound.counters.drops, 'unknown-spi': state.unknownSpi, 'outside-selectors': state.outsideSelectors };
}
