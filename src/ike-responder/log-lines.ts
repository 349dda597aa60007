/**
 * The responder's log vocabulary. Only `[IKE] respond ISAKMP phase to <ip>` is a verified RTX
 * line (RTX1100 Rev.8.03.92 `show log`, rtx-behaviour.md §5.1); the texts of every failure line
 * were NOT FOUND, so they are rtxlab's design in the same style (`[IKE] ` + lower-case text),
 * except that the malformed-message line keeps the seed write-up's exact words
 * `payload malformed : no message`. The sink adds the `YYYY/MM/DD HH:MM:SS: ` prefix.
 */
import type { LogLevel, ResponderEffect } from './port.js';

export type LogEffect = Extract<ResponderEffect, { kind: 'log' }>;

const line = (level: LogLevel, message: string): LogEffect => ({ kind: 'log', level, message });

/**
 * Lines about a datagram the responder drops without keeping anything for it: rate-limited per
 * peer (drop-log-limiter.ts). Marked by identity, so the effect type stays as it is.
 */
const dropLines = new WeakSet<LogEffect>();
const dropLine = (level: LogLevel, message: string): LogEffect => {
  const effect = line(level, message);
  dropLines.add(effect);
  return effect;
};

/** Whether this log effect reports a dropped datagram (and so is subject to the per-peer rate limit). */
export const isDropLine = (effect: LogEffect): boolean => dropLines.has(effect);

/** The seed's words for an Aggressive Mode message 3 the router cannot read (VERIFIED text). */
export const PAYLOAD_MALFORMED_NO_MESSAGE = 'payload malformed : no message';

export const ikeLog = {
  /** VERIFIED: the line an RTX logs when it answers a peer's Phase 1 (logged with message 2). */
  respondIsakmpPhase: (peer: string) => line('info', `[IKE] respond ISAKMP phase to ${peer}`),

  /** The seed's failure: an encrypted message 3 under payload type 1/2 (wording around it assumed). */
  payloadMalformedNoMessage: (peer: string) => line('info', `[IKE] ${PAYLOAD_MALFORMED_NO_MESSAGE} (${peer})`),
  payloadMalformed: (peer: string, detail: string) => dropLine('info', `[IKE] payload malformed (${peer}): ${detail}`),
  unknownPeerId: (peer: string, idText: string) => line('info', `[IKE] no gateway for ID "${idText}" (${peer})`),
  /** The config engine's wording for a key shown as `*` (src/config/views/pre-shared-key.ts). */
  maskedPreSharedKey: (gatewayId: number) =>
    line('info', `[IKE] gateway ${gatewayId}: pre-shared key is masked (*) in the config; supply it with --psk ${gatewayId}=KEY`),
  noProposalChosen: (peer: string) => line('info', `[IKE] no proposal chosen (${peer})`),
  invalidKeyInformation: (peer: string) => line('info', `[IKE] invalid key information (${peer})`),
  hashMismatch: (peer: string) => line('info', `[IKE] HASH mismatch, pre-shared key may differ (${peer})`),
  /**
   * Main Mode: no gateway names the source address (Main Mode chooses its peer by address;
   * wording assumed). Nothing is kept for such a message: rate-limited per peer like other drops.
   */
  noGatewayForAddress: (peer: string) => dropLine('info', `[IKE] no gateway for ${peer} (Main Mode needs ipsec ike remote address)`),
  /** Main Mode message 5 decrypts to noise: the keys differ (wording assumed). */
  mainMode5Undecryptable: (peer: string) => line('info', `[IKE] message 5 does not decrypt, pre-shared key may differ (${peer})`),
  /** The Main Mode twin of `isakmpSaEstablished` (DEBUG, ASSUMED). */
  mainModeSaEstablished: (peer: string, gatewayId: number) => line('debug', `[IKE] ISAKMP SA established with ${peer} (gateway ${gatewayId}, main mode)`),
  /** No RTX line for it was found: a DEBUG line, so `show log` stays as the RTX's would (ASSUMED). */
  isakmpSaEstablished: (peer: string, gatewayId: number, encrypted: boolean) =>
    line('debug', `[IKE] ISAKMP SA established with ${peer} (gateway ${gatewayId}, message 3 ${encrypted ? 'encrypted' : 'in clear'})`),
  halfOpenTimedOut: (peer: string) => line('info', `[IKE] ISAKMP phase with ${peer} timed out`),
  isakmpSaExpired: (peer: string) => line('info', `[IKE] ISAKMP SA with ${peer} expired`),
  deletedByPeer: (peer: string) => line('info', `[IKE] ISAKMP SA deleted by ${peer}`),
  initialContact: (peer: string) => line('info', `[IKE] initial contact from ${peer}`),
  supersededByInitialContact: (peer: string) => line('info', `[IKE] old ISAKMP SA with ${peer} removed (initial contact)`),
  /** rtxlab's admission (half-open-admission.ts): the oldest half-open negotiation made room. */
  halfOpenEvicted: (peer: string, why: string) => dropLine('info', `[IKE] ISAKMP phase with ${peer} dropped to make room: ${why}`),
  dropLinesSuppressed: (peer: string, count: number, windowMs: number) =>
    line('info', `[IKE] ${count} more lines about dropped messages from ${peer} not logged (at most a few per ${windowMs / 1000} s)`),
  tooManyNegotiations: (peer: string, limit: number) =>
    dropLine('info', `[IKE] too many ISAKMP negotiations (${limit}), message from ${peer} dropped`),
  unsupportedExchange: (peer: string, exchange: string) => dropLine('info', `[IKE] ${exchange} exchange from ${peer} not supported`),
  internalError: (peer: string, detail: string) => line('info', `[IKE] internal error with ${peer}, ISAKMP SA removed: ${detail}`),
  unprotectedInformational: (peer: string, detail: string) => dropLine('debug', `[IKE] unprotected informational from ${peer} ignored: ${detail}`),
  unreadableInformational: (peer: string, detail: string) => dropLine('debug', `[IKE] informational from ${peer} ignored: ${detail}`),
  unknownIsakmpSa: (peer: string, cookies: string) => dropLine('debug', `[IKE] unknown ISAKMP SA ${cookies} from ${peer}, message dropped`),
  notIsakmp: (peer: string, detail: string) => dropLine('debug', `[IKE] not an ISAKMP message from ${peer}: ${detail}`),
  ignoredMessage: (peer: string, detail: string) => dropLine('debug', `[IKE] message from ${peer} ignored: ${detail}`),
  // --- after Phase 1: XAUTH, mode-cfg, Quick Mode, SA lifecycle --------------------------------

  /** VERIFIED (RTX1100 Rev.8.03.92 `show log`): logged when the router answers a Quick Mode. */
  respondIpsecPhase: (peer: string) => line('info', `[IKE] respond IPsec phase to ${peer}`),
  /** VERIFIED text (RTX1100 Rev.8.03.92): the tunnel interface got its first IPsec SA. */
  tunnelUp: (tunnelId: number) => line('info', `IP Tunnel[${tunnelId}] Up`),
  /** VERIFIED text ([S18]): the tunnel interface lost its last IPsec SA. */
  tunnelDown: (tunnelId: number) => line('info', `IP Tunnel[${tunnelId}] Down`),
  xauthAuthenticated: (peer: string, username: string) => line('info', `[IKE] XAUTH user ${username} authenticated (${peer})`),
  xauthRefused: (peer: string, username: string | undefined, reason: string) =>
    line('info', `[IKE] XAUTH ${username === undefined ? 'user' : `user ${username}`} refused: ${reason} (${peer})`),
  xauthTimedOut: (peer: string, waitingFor: string) => line('info', `[IKE] XAUTH with ${peer} timed out waiting for the ${waitingFor}`),
  xauthNotProposed: (peer: string, gatewayId: number) =>
    line('debug', `[IKE] gateway ${gatewayId} requests XAUTH but ${peer} did not propose XAUTHInitPreShared: no XAUTH, no mode-cfg`),
  /** rtxlab's idle limit (an option, off by default): the peer sent nothing for that long. */
  idleReclaimed: (peer: string, idleSeconds: number) => line('info', `[IKE] ISAKMP SA with ${peer} and its IPsec SAs removed: nothing from the peer for ${idleSeconds} s (rtxlab idle limit)`),
  isakmpSaDeletedByRouter: (peer: string, reason: string) => line('info', `[IKE] ISAKMP SA with ${peer} deleted (${reason})`),
  modeCfgAddressAssigned: (peer: string, username: string, address: string) =>
    line('info', `[IKE] mode-cfg: ${address} assigned to user ${username} (${peer})`),
  modeCfgNoAddress: (peer: string, username: string, why: string) => line('info', `[IKE] mode-cfg: no address for user ${username} (${peer}): ${why}`),
  /** Why a pull client hangs on an RTX: it only pushes (SET) and never answers a REQUEST. */
  modeCfgRequestUnanswered: (peer: string, attributes: string) =>
    line('info', `[IKE] mode-cfg REQUEST from ${peer} not answered (the router only sends SET): ${attributes}`),
  modeCfgRequestAnswered: (peer: string, attributes: string) =>
    line('info', `[IKE] mode-cfg REQUEST from ${peer} answered with REPLY (rtxlab option --answer-mode-cfg-requests): ${attributes}`),
  modeCfgSetAnsweredWithReply: (peer: string) => line('info', `[IKE] mode-cfg SET to ${peer} answered with a REPLY instead of an ACK: the client did not take the address`),
  modeCfgSetUnacknowledged: (peer: string) => line('info', `[IKE] mode-cfg SET to ${peer} not acknowledged`),
  ipsecPhaseRefused: (peer: string, reason: string) => line('info', `[IKE] IPsec phase with ${peer} refused: ${reason}`),
  /** A Quick Mode message dropped unread (bad HASH, over, too many): named as the IPsec phase, not as a transaction. */
  ipsecPhaseIgnored: (peer: string, detail: string) => dropLine('debug', `[IKE] IPsec phase message from ${peer} ignored: ${detail}`),
  /** The IPsec SA table is full (`maxIpsecSaPairs`): a Quick Mode datagram dropped before it is read. */
  ipsecSaTableFull: (peer: string, limit: number) => dropLine('info', `[IKE] IPsec phase with ${peer} refused: ${limit} IPsec SA pairs already`),
  ipsecPhaseTimedOut: (peer: string) => line('info', `[IKE] IPsec phase with ${peer} timed out waiting for HASH(3)`),
  ipsecSaExpired: (tunnelId: number, peer: string) => line('info', `[IKE] IPsec SA of tunnel ${tunnelId} with ${peer} expired`),
  ipsecSaDeletedByPeer: (tunnelId: number, peer: string) => line('info', `[IKE] IPsec SA of tunnel ${tunnelId} deleted by ${peer}`),
  /** `ipsec sa delete` / `ipsec refresh sa` at the console (wording assumed). */
  ipsecSaDeletedByOperator: (tunnelId: number, peer: string) => line('info', `[IKE] IPsec SA of tunnel ${tunnelId} with ${peer} deleted by the operator`),
  tunnelTakenOver: (tunnelId: number, peer: string, previous: string) =>
    line('info', `[IKE] tunnel ${tunnelId}: ${peer} replaces ${previous} (one peer per tunnel)`),
  notifyReceived: (peer: string, notify: string) => line('info', `[IKE] notification ${notify} received from ${peer}`),
  unexpectedTransaction: (peer: string, detail: string) => dropLine('debug', `[IKE] transaction from ${peer} ignored: ${detail}`),
  /** `ipsec ike keepalive log GW on` (default on) logs keepalives at DEBUG level (§15.22). */
  dpdAnswered: (peer: string, sequence: number) => line('debug', `[IKE] DPD R-U-THERE from ${peer} (sequence ${sequence}), R-U-THERE-ACK sent`),
  // The router's own keepalives (keepalives.ts): DEBUG lines under `ipsec ike keepalive log`; texts ASSUMED.
  keepaliveSent: (peer: string, probe: string, sequence: number) => line('debug', `[IKE] keepalive ${probe} sent to ${peer} (sequence ${sequence})`),
  keepaliveAnswered: (peer: string, answer: string, sequence: number) => line('debug', `[IKE] keepalive ${answer} from ${peer} (sequence ${sequence})`),
  keepaliveAnswerIgnored: (peer: string, answer: string, sequence: number) =>
    line('debug', `[IKE] keepalive ${answer} from ${peer} (sequence ${sequence}) ignored: no probe of that sequence is waiting`),
  /** Not DEBUG: the router ends SAs for it (text ASSUMED). */
  keepalivePeerDown: (peer: string, reason: string) => line('info', `[IKE] ${peer} does not answer (${reason}): its SAs are removed`),
  keepaliveNotStarted: (peer: string, why: string) => line('debug', `[IKE] keepalive to ${peer} not started: ${why}`),
};
