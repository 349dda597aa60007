// The ESP data plane core (RFC 4303 with the CBC ciphers of RFC 2451/3602 and the HMACs of
// RFC 2403/2404/4868), shared by the router and the bundled initiator. Pure: no sockets, no
// timers; time comes in as `now` (ms since the epoch). The tiny IP layer lives in ./ip/.
//
// Receiving:  readEspHeader(bytes).spi -> the caller's SA table -> receiveEspPacket(state, bytes, now)
//             -> delivered inner packet | dummy | dropped (typed reason; rtxDebugLineForDrop)
// Sending:    sendEspPacket(state, innerPacket, NextHeader.IPV4, now) -> sealed packet | refused
export { ESP_ENCRYPTION_SPECS, ESP_INTEGRITY_SPECS, type EspEncryptionSpec, type EspIntegritySpec } from './algorithms.js';
export { createEspSa, formatSpi, type EspSa, type EspTransform } from './sa.js';
export {
  ESP_HEADER_LENGTH,
  FIRST_SEQUENCE_NUMBER,
  LAST_SEQUENCE_NUMBER,
  MINIMAL_PADDING,
  NextHeader,
  computeIcv,
  openEspPacket,
  readEspHeader,
  sealEspPacket,
  sealedLength,
  type EspOpenResult,
  type EspPacketProblem,
  type EspPadding,
  type OpenedEspPacket,
} from './packet.js';
export { EMPTY_REPLAY_WINDOW, REPLAY_WINDOW_SIZE, acceptSequenceNumber, checkReplay, type ReplayCheck, type ReplayWindow } from './replay-window.js';
export {
  REPLACED_SA_GRACE_MS,
  RTX_REKEY_POLICY,
  lifetimeLimits,
  lifetimeStatus,
  limitsAfterReplacement,
  nextLifetimeDeadline,
  retireReplacedSa,
  type LifetimeBound,
  type LifetimeLimits,
  type LifetimeStatus,
  type RekeyPolicy,
  type SaLifetime,
} from './lifetime.js';
export {
  INBOUND_DROP_REASONS,
  createInboundSa,
  inboundLifetimeStatus,
  receiveEspPacket,
  type InboundCounters,
  type InboundDropReason,
  type InboundOutcome,
  type InboundSaOptions,
  type InboundSaState,
  type InboundStep,
} from './inbound-sa.js';
export {
  createOutboundSa,
  outboundLifetimeStatus,
  sendEspPacket,
  type OutboundCounters,
  type OutboundLifetimeStatus,
  type OutboundOutcome,
  type OutboundRefusal,
  type OutboundSaOptions,
  type OutboundSaState,
  type OutboundStep,
  type SealOptions,
} from './outbound-sa.js';
export { rtxDebugLineForDrop } from './rtx-log.js';
export { formatEspSaRecord } from './tshark.js';
