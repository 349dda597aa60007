/**
 * The bundled IKEv1 initiator. Pure layer (no sockets, no clock; randomness passed in):
 *
 *   const m1 = buildAggressive1(options, randomness)            // bytes + Aggressive1State
 *   const r2 = processAggressive2(m1.state, message2, endpoints) // keys, HASH_R verified, or a typed failure
 *   const m3 = buildAggressive3(r2.state, {encrypt: false})     // bytes + the established IsakmpSa
 *   buildInformational(m3.state, [{kind: 'r-u-there', sequence: 1}], messageId)
 *   parseInformational(sa, bytes)
 *
 *   const request = openTransaction(sa, bytes)                   // XAUTH / mode-cfg: HASH checked, ATTR found
 *   answerXauthRequest(request.value.attributes, credentials, STRONGSWAN_XAUTH)   // REPLY payload
 *   answerXauthStatus(set.attributes, behaviour)                 // ACK payload + ok/failed
 *   answerModeCfgSet(set.attributes, config, behaviour)          // ACK | empty REPLY | refusal
 *   answerTransaction(request.value, replyPayload, padding)      // sealed in the same M-ID
 *   sealTransaction(sa, newMessageId, modeCfgRequest(pull), padding)
 *
 *   const qm1 = buildQuickMode1(sa, resolveQuickModeRequest(qmOptions, sa, address).request, qmRandomness)
 *   const qm2 = processQuickMode2(qm1.state, message2)          // HASH(2) verified, transform chosen
 *   const qm3 = buildQuickMode3(qm2.state)                      // bytes + espSas (KEYMAT both ways)
 *
 * Machine layer: `phase1Machine` (xstate v5) drives Phase 1 from plain events; `tunnelMachine`
 * runs it as a child and goes on through XAUTH, mode-cfg and Quick Mode.
 * Driver layer: `runPhase1Session` and `runTunnelSession` run them over node:dgram.
 */
export type { Endpoint, EndpointPair, TransportPath, TransportPaths } from '../ike/initiator/endpoints.js';
export {
  checkInitiatorOptions,
  identityFromText,
  parsePreSharedKey,
  resolveInitiatorOptions,
  SEED_PROPOSAL,
  STRONGSWAN_PROPOSAL_ENCODING,
  type Aggressive3Options,
  type ExchangeMode,
  type IdentityTypeName,
  type InitiatorOptions,
  type Message3NatDAddresses,
  type NatTraversalMode,
  type Phase1AuthMethod,
  type Phase1ProposalSpec,
  type ProposalEncoding,
  type VendorIdSpec,
} from '../ike/initiator/options.js';
export {
  drawMessageId,
  drawModeCfgIdentifier,
  drawPhase1Randomness,
  drawQuickModeRandomness,
  type Phase1Randomness,
} from '../ike/initiator/randomness.js';
export {
  buildAggressive1,
  buildAggressive3,
  processAggressive2,
  type Aggressive1State,
  type Aggressive2Failure,
  type Aggressive2Result,
  type Aggressive2State,
  type BuiltMessage,
  type OfferedTransform,
  type ReceivedNotify,
} from '../ike/initiator/aggressive-mode.js';
export {
  buildMainMode1,
  buildMainMode3,
  buildMainMode5,
  processMainMode2,
  processMainMode4,
  processMainMode6,
  type MainMode1State,
  type MainMode2State,
  type MainMode3State,
  type MainMode4State,
  type MainMode5State,
  type MainModeReply,
  type MainModeReplyFailure,
} from '../ike/initiator/main-mode.js';
export { mainModeInitiatorMachine, mainModeOutcome, type MainModeInitiatorContext } from './main-mode-machine.js';
export { keyPhase1, type Phase1Keying, type Phase1KeyingInputs } from '../ike/initiator/phase1-keying.js';
export {
  decryptForSa,
  isForSa,
  openHashedMessage,
  sealHashedMessage,
  type IsakmpSa,
  type NatTraversalOutcome,
  type NegotiatedPhase1,
  type DecryptedMessage,
  type DecryptResult,
  type OpenedMessage,
  type OpenFailure,
  type OpenResult,
  type SealedMessage,
} from '../ike/initiator/isakmp-sa.js';
export { agreeNatTraversal, detectNat, natDiscoveryHash, type NatTraversalMethod } from '../ike/initiator/nat-traversal.js';
export {
  buildInformational,
  parseInformational,
  type InformationalFailure,
  type InformationalItem,
  type InformationalResult,
  type ReceivedInformational,
} from '../ike/initiator/informational.js';
export {
  answerTransaction,
  endTransaction,
  openTransaction,
  sealTransaction,
  type ReceivedTransaction,
  type TransactionFailure,
  type TransactionResult,
} from './transaction.js';
export {
  RACOON_XAUTH,
  STRONGSWAN_XAUTH,
  VPNC_XAUTH,
  answerXauthRequest,
  answerXauthStatus,
  isXauthStatusSet,
  type XauthBehaviour,
  type XauthCredentials,
  type XauthRequestAnswer,
  type XauthStatusAnswer,
} from './xauth.js';
export {
  EMPTY_MODE_CFG_CONFIG,
  RACOON_MODE_CFG_REQUEST,
  STRONGSWAN_PULL_MODE_CFG,
  STRONGSWAN_PUSH_MODE_CFG,
  answerModeCfgSet,
  formatModeCfgConfig,
  modeCfgRequest,
  racoonModeCfg,
  readModeCfgReply,
  vpncModeCfg,
  vpncModeCfgRequest,
  type ModeCfgBehaviour,
  type ModeCfgConfig,
  type ModeCfgPull,
  type ModeCfgRequestItem,
  type ModeCfgSetAnswer,
  type ModeCfgSetHandling,
} from './mode-cfg.js';
export {
  DEFAULT_QUICK_MODE_NONCE_LENGTH,
  STRONGSWAN_QUICK_MODE_ENCODING,
  VPNC_QUICK_MODE_ENCODING,
  buildQuickMode1,
  buildQuickMode3,
  checkQuickModeOptions,
  formatEspSaPair,
  processQuickMode2,
  resolveQuickModeRequest,
  type BuiltQuickModeMessage,
  type ChosenEspTransform,
  type EspIntegrity,
  type EspProposalSpec,
  type EspSaKeys,
  type EspSaPair,
  type IpsecAttributeSlot,
  type LocalTrafficSelector,
  type OfferedEspTransform,
  type QuickMode1State,
  type QuickMode2Failure,
  type QuickMode2Result,
  type QuickMode2State,
  type QuickMode3Built,
  type QuickModeOptions,
  type QuickModeProposalEncoding,
  type QuickModeRandomness,
  type QuickModeRequest,
  type QuickModeRequestResult,
} from '../ike/initiator/quick-mode.js';
export { describePayload, formatTranscriptEntry, transcriptEntry, type TranscriptEntry } from './transcript.js';
export {
  DEFAULT_PHASE1_TIMING,
  RTX_RESEND_SCHEDULE,
  phase1Machine,
  phase1Outcome,
  type Message3Confirmation,
  type PendingDatagram,
  type Phase1Context,
  type Phase1Emitted,
  type Phase1Event,
  type Phase1Failure,
  type Phase1MachineInput,
  type Phase1Outcome,
  type Phase1Snapshot,
  type Phase1Timing,
} from './phase1-machine.js';
export {
  formatSessionTranscript,
  IKE_PORT,
  NAT_T_PORT,
  runPhase1Session,
  type Phase1SessionOptions,
  type Phase1SessionResult,
  type SessionFailure,
  type TranscriptRecord,
} from './udp-session.js';
export {
  DEFAULT_TUNNEL_TIMING,
  checkTunnelOptions,
  needsModeCfgAddress,
  resolveTunnelOptions,
  type ResolvedTunnelOptions,
  type TunnelOptions,
  type TunnelTiming,
} from './tunnel-options.js';
export type {
  AnsweredMessage,
  ModeCfgProgress,
  QuickModeConfirmation,
  QuickModeProgress,
  TunnelFailure,
  TunnelStep,
  XauthProgress,
} from './tunnel-context.js';
export {
  tunnelMachine,
  tunnelOutcome,
  type TunnelContext,
  type TunnelEmitted,
  type TunnelEvent,
  type TunnelMachineInput,
  type TunnelOutcome,
  type TunnelSnapshot,
} from './tunnel-machine.js';
export { type ClientEmitted } from './machine-events.js';
export {
  runTunnelSession,
  tunnelBound,
  type OpenTunnel,
  type TunnelSessionFailure,
  type TunnelSessionOptions,
  type TunnelSessionResult,
} from './tunnel-session.js';
export { type EspDatagramPath, type EspSendResult, type GatewayAddress, type LocalAddress } from './udp-transport.js';
export { identityHolds, packetMatchesSelectors, type TrafficSelectors } from './esp-selectors.js';
export { ESP_TUNNEL_DROP_REASONS, createEspTunnelState, espTunnelDrops, openGatewayPacket, sealInnerPacket, type EspTunnelDropReason, type EspTunnelState, type EspTunnelStateOptions, type GatewayPacketOutcome, type InnerSealOutcome } from './esp-tunnel-state.js';
export { chooseInnerAddress, openEspChannel, type EspChannel, type EspChannelCounters, type EspChannelOptions, type EspChannelProblem, type EspChannelResult, type EspSendOutcome, type EstablishedEspTunnel, type InnerPacket } from './esp-channel.js';
export { DEFAULT_PING_DATA_BYTES, buildPingRequest, formatPingReport, pingData, readEchoReply, summarizePing, type EchoReplySeen, type EchoResult, type PingCounts, type PingRequestFields, type PingSummary } from './ping-echo.js';
export { DEFAULT_PING_OPTIONS, MAX_PING_COUNT, MAX_PING_DATA_BYTES, checkPingOptions, pingBound, pingThroughTunnel, type PingOptions, type PingReport } from './ping.js';
export * from './profiles/index.js';
