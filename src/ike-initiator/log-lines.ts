/**
 * The initiating side's log vocabulary. The two `initiate` lines are VERIFIED RTX text (RTX1100
 * Rev.8.03.92 `show log`, rtx-behaviour.md §5.1); the failure lines were NOT FOUND and are
 * rtxlab's, in the responder's style (src/ike-responder/log-lines.ts), so they are assumed.
 */
import type { LogLevel, ResponderEffect } from '../ike-responder/port.js';

export type LogEffect = Extract<ResponderEffect, { kind: 'log' }>;

const line = (level: LogLevel, message: string): LogEffect => ({ kind: 'log', level, message });

export const initiatorLog = {
  /** VERIFIED: the first line of a key exchange the router starts. */
  initiateIsakmpPhase: (peer: string, local: string) => line('info', `[IKE] initiate ISAKMP phase to ${peer} (local address ${local})`),
  /** VERIFIED: the router starts Quick Mode. */
  initiateIpsecPhase: (peer: string) => line('info', `[IKE] initiate IPsec phase to ${peer}`),
  /** Assumed: every retransmission spent without an answer. */
  phaseTimedOut: (phase: 'ISAKMP' | 'IPsec', peer: string) => line('info', `[IKE] ${phase} phase to ${peer} timed out`),
  /** Assumed: the peer refused or answered with something that does not verify. */
  phaseFailed: (phase: 'ISAKMP' | 'IPsec', peer: string, detail: string) => line('info', `[IKE] ${phase} phase to ${peer} failed: ${detail}`),
  /** Assumed, DEBUG like the responder's: the SA the router asked for exists. */
  isakmpSaEstablished: (peer: string, gatewayId: number) => line('debug', `[IKE] ISAKMP SA established with ${peer} (gateway ${gatewayId}, initiator)`),
  isakmpSaExpired: (peer: string) => line('info', `[IKE] ISAKMP SA with ${peer} expired`),
  /** Assumed: the peer's protected Delete of the router's own ISAKMP SA. */
  isakmpSaDeletedByPeer: (peer: string) => line('info', `[IKE] ISAKMP SA with ${peer} deleted by the peer`),
  /** rtxlab's: a configuration the initiating side cannot act on, said once per gateway. */
  cannotInitiate: (gatewayId: number, detail: string) => line('notice', `[IKE] gateway ${gatewayId}: no key exchange started: ${detail}`),
  /** The outbound traffic policy refused the peer (its notice names the option that lifts it). */
  refusedByPolicy: (notice: string) => line('notice', notice),
  ignoredMessage: (peer: string, detail: string) => line('debug', `[IKE] message from ${peer} ignored: ${detail}`),
};
