/**
 * The RTX1500's IKE behaviour, I/O-free: the router hands `RtxIkeResponder` datagrams and the
 * time, and performs the effects it returns (port.ts). Policy in (policy.ts), effects out.
 */
export type { Endpoint, IkeResponder, InboundDatagram, LogLevel, ResponderEffect } from './port.js';
export {
  gatewayPolicy,
  preSharedKeyBytes,
  usesDpd,
  NO_IKE_LOG,
  type GatewayPolicy,
  type IkeEncryptionSetting,
  type IkeGroupSetting,
  type IkeHashSetting,
  type IkeLogOptions,
  type KeepalivePolicy,
  type NatTraversalPolicy,
  type PayloadTypeSetting,
  type PreSharedKeyPolicy,
  type RemoteAddressPolicy,
  type ResponderPolicy,
} from './policy.js';
export {
  DEFAULT_RESPONDER_LIMITS,
  RtxIkeResponder,
  type IsakmpSaSummary,
  type ResponderLimits,
  type RtxIkeResponderOptions,
} from './responder.js';
export { aggressiveModeMachine, type AggressiveModeEvent, type AggressiveModeEmitted, type AggressiveModeInput, type AggressiveModeState } from './aggressive-machine.js';
export { PAYLOAD_MALFORMED_NO_MESSAGE, ikeLog } from './log-lines.js';
