/**
 * The bundled IKEv1 initiator. Pure layer (no sockets, no clock; randomness passed in):
 *
 *   const m1 = buildAggressive1(options, randomness)            // bytes + Aggressive1State
 *   const r2 = processAggressive2(m1.state, message2, endpoints) // keys, HASH_R verified, or a typed failure
 *   const m3 = buildAggressive3(r2.state, {encrypt: false})     // bytes + the established IsakmpSa
 *   buildInformational(m3.state, [{kind: 'r-u-there', sequence: 1}], messageId)
 *   parseInformational(sa, bytes)
 *
 * Machine layer: `phase1Machine` (xstate v5) drives those functions from plain events.
 * Driver layer: `runPhase1Session` runs the machine over node:dgram.
 */
export type { Endpoint, EndpointPair, TransportPath, TransportPaths } from './endpoints.js';
export {
  checkInitiatorOptions,
  identityFromText,
  parsePreSharedKey,
  resolveInitiatorOptions,
  SEED_PROPOSAL,
  STRONGSWAN_PROPOSAL_ENCODING,
  type Aggressive3Options,
  type IdentityTypeName,
  type InitiatorOptions,
  type Message3NatDAddresses,
  type NatTraversalMode,
  type Phase1AuthMethod,
  type Phase1ProposalSpec,
  type ProposalEncoding,
  type VendorIdSpec,
} from './options.js';
export { drawMessageId, drawPhase1Randomness, type Phase1Randomness } from './randomness.js';
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
} from './aggressive-mode.js';
export { keyPhase1, type Phase1Keying, type Phase1KeyingInputs } from './phase1-keying.js';
export {
  isForSa,
  openHashedMessage,
  sealHashedMessage,
  type IsakmpSa,
  type NatTraversalOutcome,
  type NegotiatedPhase1,
  type OpenedMessage,
  type OpenFailure,
  type OpenResult,
  type SealedMessage,
} from './isakmp-sa.js';
export { agreeNatTraversal, detectNat, natDiscoveryHash, type NatTraversalMethod } from './nat-traversal.js';
export {
  buildInformational,
  parseInformational,
  type InformationalFailure,
  type InformationalItem,
  type InformationalResult,
  type ReceivedInformational,
} from './informational.js';
export { describePayload, formatTranscriptEntry, transcriptEntry, type TranscriptEntry } from './transcript.js';
export {
  DEFAULT_PHASE1_TIMING,
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
