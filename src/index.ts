/**
 * rtxlab as a library: start an emulated RTX1500 from config text, await its events, read its
 * views, change its config, run the bundled client against it, stop it. docs/api.md documents
 * every export; README "Use rtxlab in your tests" shows a whole test.
 */

// The router.
export { RtxRouter, startRtxRouter, ConfigLoadError } from './router/rtx-router.js';
export { RouterStartError } from './router/start-errors.js';
export type {
  ApplyOutcome,
  ConfigSource,
  DatagramRecord,
  DecodedIkeMessage,
  DecodedPayload,
  IpsecSaEvent,
  KeyMaterialRecord,
  LeaseRecord,
  PasswordCheck,
  RouterConfigSession,
  RouterControl,
  RouterEvent,
  RouterEventOf,
  RouterEventType,
  RtxRouterOptions,
  SaCookies,
  SaveOutcome,
  SuppliedPasswords,
  TunnelView,
} from './router/rtx-router-api.js';
export type { RouterCounters, RouterProblem } from './router/router.js';
export type { PingReply, PingRequest, PingResult } from './router/router-ping.js';
export type { DataPlaneCounters, TunnelTraffic } from './router/data-plane.js';
export type { LogEntry } from './router/log-sink.js';
export type { Endpoint, LogLevel } from './ike-responder/port.js';
export type { IpsecState, IpsecSaRow, IsakmpSaRow, TunnelRow } from './ike-responder/ipsec-state.js';
export type { KeepaliveOptions } from './ike-responder/keepalive-schedule.js';
export { ManualClock, systemClock, type Clock } from './router/clock.js';
export { parseImpairRule, formatImpairRule, IMPAIR_RULE_FORMS, type ImpairRule, type ImpairTarget, type ImpairDirection, type ImpairExchange, type ImpairOrdinal } from './router/impair/impair-rule.js';

// The config language.
export { readConfig, ConfigModel, showConfig, DEFAULT_CONFIG_TEXT, rtxErrorMessage } from './config/index.js';
export type { ConfigCommand, ConfigContext, ReadResult, ConfigProblem, ConfigWarning } from './config/index.js';

// The bundled client and its profiles.
export { connectClient, type ConnectClientOptions } from './initiator/connect-client.js';
export {
  CLIENT_PROFILES,
  profileNamed,
  profileTunnel,
  runTunnelSession,
  openEspChannel,
  pingThroughTunnel,
  type OpenTunnel,
  type TunnelSessionOptions,
  type TunnelSessionResult,
  type EspChannel,
  type PingReport,
} from './initiator/index.js';

// The seed's matrix.
export { runMatrix, formatMatrix, SEED_MATRIX, type MatrixResult } from './matrix/index.js';

// `rtxlab doctor`: where a client stops against a config, and the smallest verified fix.
export { diagnose, formatDoctorReport, doctorJson, type DoctorReport, type DoctorScenario, type Fix, type StoppingPoint } from './doctor/index.js';
