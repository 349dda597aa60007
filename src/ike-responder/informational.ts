/**
 * Informational exchanges (RFC 2409 §5.7): building the ones the responder sends and reading the
 * ones it receives. Pure; the IV chains are values that go in and come out.
 */
import { timingSafeEqual } from 'node:crypto';
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from '../ike/constants.js';
import {
  decodePayloadChain,
  deletePayload,
  encodeEncryptedMessage,
  encodeMessage,
  encodePayloads,
  hashPayload,
  isakmpSpi,
  isEncrypted,
  notifyPayload,
  type DecodedMessage,
  type DecodedPayload,
  type NotifyPayload,
  type Payload,
} from '../ike/codec/index.js';
import {
  computeMessageHash,
  decryptMessageBody,
  encryptMessageBody,
  endIvExchange,
  type HashId,
  type IsakmpSaCipher,
  type IvChains,
  type PaddingPolicy,
  ZERO_PADDING,
} from '../ike/crypto/index.js';

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
export interface ProtectionKeys extends IsakmpSaCipher {
  readonly hash: HashId;
  readonly skeyidA: Buffer;
}

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
  const hash = computeMessageHash(keys.hash, keys.skeyidA, messageId, encodePayloads(payloads));
  const all: Payload[] = [hashPayload(hash), ...payloads];
  const encrypted = encryptMessageBody(keys, chains, messageId, encodePayloads(all), RTX_PADDING);
  const bytes = encodeEncryptedMessage({ ...cookies, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId }, PayloadType.HASH, encrypted.ciphertext);
  return { bytes, payloads: all, ivChains: endIvExchange(encrypted.ivChains, messageId) };
}

/** R-U-THERE-ACK (RFC 3706 §5): the request's sequence number, in a new exchange of our own. */
export function dpdAcknowledgement(cookies: IsakmpCookies, sequence: Buffer): NotifyPayload {
  return notifyPayload({ notifyType: NotifyType.R_U_THERE_ACK, spi: isakmpSpi(cookies.initiatorCookie, cookies.responderCookie), data: sequence });
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
  if (message.kind !== 'encrypted' || !isEncrypted(message.header)) {
    return { ok: false, problem: 'not-encrypted', detail: 'sent in clear after the ISAKMP SA was established' };
  }
  const { header } = message;
  const decrypted = decryptMessageBody(keys, chains, header.messageId, message.encryptedBody);
  if (!decrypted.ok) return { ok: false, problem: 'malformed', detail: 'ciphertext is not whole cipher blocks' };
  const chain = decodePayloadChain(header.nextPayload, decrypted.plaintext, 28);
  if (!chain.ok) return { ok: false, problem: 'malformed', detail: chain.error.text };
  const [first, ...rest] = chain.value.payloads;
  if (first?.type !== 'hash') return { ok: false, problem: 'no-hash', detail: 'the first payload is not HASH' };
  const expected = computeMessageHash(keys.hash, keys.skeyidA, header.messageId, Buffer.concat(rest.map((payload) => payload.raw)));
  if (!sameHash(expected, first.hash)) return { ok: false, problem: 'hash-mismatch', detail: 'HASH(1) does not match' };
  return { ok: true, payloads: rest };
}

/** Compares a computed and a received hash in constant time (they may differ in length). */
export function sameHash(expected: Buffer, received: Buffer): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/** What a verified Informational asks of this ISAKMP SA. */
export interface InformationalRequests {
  /** A Delete naming this very ISAKMP SA (protocol ISAKMP, SPI = our cookies). */
  readonly deletesThisIsakmpSa: boolean;
  readonly initialContact: boolean;
  /** Sequence numbers (4 bytes each) of R-U-THERE notifies. */
  readonly dpdSequences: readonly Buffer[];
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
    dpdSequences: notifies.filter((notify) => notify.notifyType === NotifyType.R_U_THERE && notify.data.length === 4).map((notify) => notify.data),
    espDeletes: payloads.flatMap((payload) =>
      payload.type === 'delete' && payload.protocolId === ProtocolId.IPSEC_ESP ? payload.spis.filter((spi) => spi.length === 4) : [],
    ),
    otherNotifies: notifies
      .map((notify) => notify.notifyType)
      .filter((type) => type !== NotifyType.INITIAL_CONTACT && type !== NotifyType.R_U_THERE && type !== NotifyType.R_U_THERE_ACK),
  };
}
