/**
 * Informational exchanges (RFC 2409 §5.7): building the ones the responder sends and reading the
 * ones it receives. Pure; the IV chains are values that go in and come out.
 */
import { ExchangeType, NotifyType, ProtocolId } from '../ike/constants.js';
import {
  deletePayload,
  encodeMessage,
  isakmpSpi,
  notifyPayload,
  type DecodedMessage,
  type DecodedPayload,
  type NotifyPayload,
  type Payload,
} from '../ike/codec/index.js';
import { endIvExchange, type IvChains, type PaddingPolicy, ZERO_PADDING } from '../ike/crypto/index.js';
import { openProtectedMessage, sealProtectedMessage, type MessageProtection } from '../ike/protected-message.js';
import { dpdNotify, readDpdNotify } from '../ike/dpd.js';
import { RTXLAB_HEARTBEAT_NOTIFY, readHeartbeatNotify } from '../ike/rtxlab-heartbeat.js';
import type { KeepaliveAnswer } from './keepalive-schedule.js';

/**
 * How the RTX pads what it encrypts: not documented, and no capture of an RTX's own encrypted
 * messages was found. ASSUMED: zeros, 1..bs bytes (RFC 2409 §5.3 leaves it open; every client
 * of the seed accepted it from rtxlab).
 */
export const RTX_PADDING: PaddingPolicy = ZERO_PADDING;

/** The cookies of an ISAKMP SA (defined at the router boundary, port.ts). */
export type { IsakmpCookies } from './port.js';
import type { IsakmpCookies } from './port.js';

/** What protects the Informational and Transaction exchanges of an ISAKMP SA. */
export type ProtectionKeys = MessageProtection;

/** A random non-zero M-ID (RFC 2408 §3.1: each new exchange of an SA gets a unique one). */
export function newMessageId(randomBytes: (length: number) => Buffer): number {
  for (;;) {
    const messageId = randomBytes(4).readUInt32BE(0);
    if (messageId !== 0) return messageId;
  }
}

/**
 * An unprotected Informational with one ISAKMP notify (SPI = CKY-I | CKY-R), as sent for
 * failures before the ISAKMP SA is authenticated: no shared key can be trusted yet, so it goes in
 * clear (RFC 2408 §5: notifications are protected only once an ISAKMP SA is established).
 */
export function clearNotifyMessage(cookies: IsakmpCookies, messageId: number, notifyType: number): { bytes: Buffer; payloads: Payload[] } {
  const payloads: Payload[] = [notifyPayload({ notifyType, spi: isakmpSpi(cookies.initiatorCookie, cookies.responderCookie) })];
  const bytes = encodeMessage({ ...cookies, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId }, payloads);
  return { bytes, payloads };
}

/**
 * HDR*, HASH(1), payloads with HASH(1) = prf(SKEYID_a, M-ID | payloads) (RFC 2409 §5.7). A
 * one-message exchange: its IV chain is forgotten as soon as it is encrypted.
 */
export function protectedInformationalMessage(
  keys: ProtectionKeys,
  chains: IvChains,
  cookies: IsakmpCookies,
  messageId: number,
  payloads: readonly Payload[],
): { bytes: Buffer; payloads: Payload[]; ivChains: IvChains } {
  const sealed = sealProtectedMessage(keys, cookies, chains, { exchangeType: ExchangeType.INFORMATIONAL, messageId }, payloads, RTX_PADDING);
  return { bytes: sealed.bytes, payloads: [...sealed.payloads], ivChains: endIvExchange(sealed.ivChains, messageId) };
}

/** R-U-THERE-ACK (RFC 3706 §5): the request's sequence number, in a new exchange of our own. */
export function dpdAcknowledgement(cookies: IsakmpCookies, sequence: Buffer): NotifyPayload {
  return dpdNotify('r-u-there-ack', cookies, sequence.readUInt32BE(0));
}

/** Delete of the ISAKMP SA itself (RFC 2408 §3.15: protocol ISAKMP, SPI = CKY-I | CKY-R). */
export function isakmpSaDeletion(cookies: IsakmpCookies): Payload {
  return deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [isakmpSpi(cookies.initiatorCookie, cookies.responderCookie)] });
}

export type InformationalReading =
  | { readonly ok: true; readonly payloads: DecodedPayload[] }
  | { readonly ok: false; readonly problem: 'not-encrypted' | 'malformed' | 'no-hash' | 'hash-mismatch'; readonly detail: string };

/**
 * Decrypts and authenticates a received Informational. Only protected ones are acted upon once
 * the ISAKMP SA exists: an unprotected Delete or notify could come from anyone who saw the
 * cookies. The IV is fresh for the M-ID (hash of the last Phase 1 block | M-ID) and the chains
 * are left untouched: the exchange has this single message.
 */
export function readProtectedInformational(keys: ProtectionKeys, chains: IvChains, message: DecodedMessage): InformationalReading {
  const opened = openProtectedMessage(keys, chains, message);
  return opened.ok ? { ok: true, payloads: [...opened.payloads] } : opened;
}

export { sameHash } from '../ike/protected-message.js';

/** What a verified Informational asks of this ISAKMP SA. */
export interface InformationalRequests {
  /** A Delete naming this very ISAKMP SA (protocol ISAKMP, SPI = our cookies). */
  readonly deletesThisIsakmpSa: boolean;
  readonly initialContact: boolean;
  /** Sequence numbers (4 bytes each) of R-U-THERE notifies. */
  readonly dpdSequences: readonly Buffer[];
  /** What the peer sent that the router's own keepalives wait for: R-U-THERE-ACKs and heartbeats. */
  readonly keepaliveAnswers: readonly KeepaliveAnswer[];
  /** SPIs of ESP SAs the peer deletes (4 bytes each). */
  readonly espDeletes: readonly Buffer[];
  /** Notify types that are none of the above (errors such as INVALID-MESSAGE-ID), in order. */
  readonly otherNotifies: readonly number[];
}

/** Delete of ESP SAs (RFC 2408 §3.15): the SPIs the sender received on (RFC 2407 §4.6.3). */
export function espSaDeletion(spis: readonly Buffer[]): Payload {
  return deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: spis.map((spi) => Buffer.from(spi)) });
}

export function informationalRequests(cookies: IsakmpCookies, payloads: readonly Payload[]): InformationalRequests {
  const ownSpi = isakmpSpi(cookies.initiatorCookie, cookies.responderCookie);
  const notifies = payloads.filter((payload): payload is NotifyPayload => payload.type === 'notify');
  return {
    deletesThisIsakmpSa: payloads.some(
      (payload) => payload.type === 'delete' && payload.protocolId === ProtocolId.ISAKMP && payload.spis.some((spi) => spi.equals(ownSpi)),
    ),
    initialContact: notifies.some((notify) => notify.notifyType === NotifyType.INITIAL_CONTACT),
    dpdSequences: notifies.filter((notify) => readDpdNotify(notify)?.kind === 'r-u-there').map((notify) => notify.data),
    keepaliveAnswers: notifies.flatMap((notify): KeepaliveAnswer[] => {
      const dpd = readDpdNotify(notify);
      if (dpd?.kind === 'r-u-there-ack') return [{ kind: 'dpd-ack', sequence: dpd.sequence }];
      const heartbeat = readHeartbeatNotify(notify);
      return heartbeat === undefined ? [] : [{ kind: 'heartbeat', sequence: heartbeat }];
    }),
    espDeletes: payloads.flatMap((payload) =>
      payload.type === 'delete' && payload.protocolId === ProtocolId.IPSEC_ESP ? payload.spis.filter((spi) => spi.length === 4) : [],
    ),
    otherNotifies: notifies
      .map((notify) => notify.notifyType)
      .filter((type) => type !== NotifyType.INITIAL_CONTACT && type !== NotifyType.R_U_THERE && type !== NotifyType.R_U_THERE_ACK && type !== RTXLAB_HEARTBEAT_NOTIFY),
  };
}
