/**
 * The RTX1500's IKE behaviour, I/O-free: the router hands `RtxIkeResponder` datagrams and the
 * time, and performs the effects it returns (port.ts). Policy in (policy.ts), effects out.
 * Per ISAKMP SA: Aggressive Mode (aggressive-machine.ts), then XAUTH, mode-cfg and Quick Mode
 * (xauth-machine.ts, mode-cfg-machine.ts, quick-mode-machine.ts, routed by phase2-exchanges.ts);
 * the IPsec SAs, tunnels and address leases they produce live in the responder, which reports
 * them through `ipsecState(now)` (ipsec-state.ts).
 */
export type { Endpoint, IkeResponder, InboundDatagram, InstalledIpsecSa, LogLevel, ResponderEffect } from './port.js';
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
  type SaPolicy,
  type XauthDirectory,
  type AddressPoolPolicy,
} from './policy.js';
export {
  DEFAULT_RESPONDER_LIMITS,
  REPLACED_IPSEC_SA_GRACE_MS,
  RtxIkeResponder,
  type IsakmpSaSummary,
  type ResponderLimits,
  type RtxIkeResponderOptions,
} from './responder.js';
export { aggressiveModeMachine, type AggressiveModeEvent, type AggressiveModeEmitted, type AggressiveModeInput, type AggressiveModeState } from './aggressive-machine.js';
export { PAYLOAD_MALFORMED_NO_MESSAGE, ikeLog } from './log-lines.js';
export { DEFAULT_KEEPALIVE_OPTIONS, keepalivePlan, type KeepaliveOptions, type KeepalivePlan } from './keepalive-schedule.js';
export type { IpsecState, IsakmpSaRow, IpsecSaRow, TunnelRow } from './ipsec-state.js';
export type { IpsecSaPair } from './ipsec-sa-table.js';
export { xauthMachine, type XauthEvent, type XauthInput, type XauthState } from './xauth-machine.js';
export { modeCfgMachine, type ModeCfgEvent, type ModeCfgInput, type ModeCfgState } from './mode-cfg-machine.js';
export { quickModeMachine, type QuickModeEvent, type QuickModeInput, type QuickModeOutcome, type QuickModeState } from './quick-mode-machine.js';
