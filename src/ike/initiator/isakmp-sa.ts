/**
 * The established ISAKMP SA as the initiator holds it (an immutable value: every function
 * returns a new one), and the two operations every later exchange needs: seal a message behind
 * `HASH = prf(SKEYID_a, M-ID | payloads)` and encryption, and open one.
 * Informational and Transaction (XAUTH, mode-cfg) use that HASH as is; Quick Mode uses its own
 * HASH(1..3) and calls the lower-level decrypt/encrypt of the crypto module with this SA's keys.
 */
import { decodeMessage, type DecodedPayload, type DecodeError, type Identity, type IsakmpHeader, type Payload } from '../codec/index.js';
import type { HashId, IsakmpSaCipher, IvChains, PaddingPolicy, Phase1Keys } from '../crypto/index.js';
import {
  checkLeadingHash,
  decryptProtectedBody,
  messageHash,
  sameHash,
  sealProtectedMessage,
  type MessageProtection,
} from '../protected-message.js';
import type { NatTraversalMethod } from './nat-traversal.js';
import type { Phase1ProposalSpec } from './options.js';

/** The transform the responder chose, as we offered it (life as the responder returned it). */
export interface NegotiatedPhase1 {
  readonly transformNumber: number;
  readonly proposal: Phase1ProposalSpec;
}

/** What NAT-T came to in Phase 1. */
export interface NatTraversalOutcome {
  /** Undefined when NAT-T is off or the VIDs had no method in common. */
  readonly method?: NatTraversalMethod;
  /** From the responder's NAT-D in message 2; undefined when it sent none. */
  readonly localBehindNat?: boolean;
  readonly peerBehindNat?: boolean;
  /** Message 3 and everything after it go to the NAT-T port behind the non-ESP marker. */
  readonly floated: boolean;
}

export interface IsakmpSa {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  readonly negotiated: NegotiatedPhase1;
  readonly hash: HashId;
  readonly saCipher: IsakmpSaCipher;
  readonly keys: Phase1Keys;
  /**
   * The IV chains after message 3: advanced past it when it was encrypted, still at IV0 when it
   * went in clear (ikev1-notes §2 "Subtlety"); every Phase 2 IV derives from `phase1.block`.
   */
  readonly ivChains: IvChains;
  readonly natTraversal: NatTraversalOutcome;
  readonly responderIdentity: Identity;
  readonly responderVendorIds: readonly Buffer[];
  readonly message3Encrypted: boolean;
}

export interface SealedMessage {
  readonly bytes: Buffer;
  /** HASH first, then the payloads given: for the transcript. */
  readonly payloads: readonly Payload[];
  /** The SA with the exchange's IV chain advanced past this message. */
  readonly sa: IsakmpSa;
}

/**
 * `HDR*, HASH, payloads...` with HASH = prf(SKEYID_a, M-ID | payloads) over the payloads'
 * wire bytes, generic headers included and padding excluded (draft-dukes-ike-mode-cfg-02,
 * RFC 2409 §5.7 for Informational). The commit bit is never set: vpnc refuses any flags but E.
 */
export function sealHashedMessage(
  sa: IsakmpSa,
  message: { exchangeType: number; messageId: number; payloads: readonly Payload[]; padding: PaddingPolicy },
): SealedMessage {
  const { exchangeType, messageId, payloads, padding } = message;
  const sealed = sealProtectedMessage(protectionOf(sa), sa, sa.ivChains, { exchangeType, messageId }, payloads, padding);
  return { bytes: sealed.bytes, payloads: sealed.payloads, sa: { ...sa, ivChains: sealed.ivChains } };
}

/** The SA's keys as src/ike/protected-message.ts takes them. */
export function protectionOf(sa: IsakmpSa): MessageProtection {
  return { ...sa.saCipher, hash: sa.hash, skeyidA: sa.keys.skeyidA };
}

export interface OpenedMessage {
  readonly header: IsakmpHeader;
  /** HASH first; its value verified. */
  readonly payloads: readonly DecodedPayload[];
  /**
   * The chains advanced past this message. Adopt them (`{...sa, ivChains}`) only when the
   * message is accepted, so a forged one cannot move the chain.
   */
  readonly ivChains: IvChains;
}

export type OpenFailure =
  /** Not this SA's cookies: someone else's message, to be ignored. */
  | { readonly kind: 'foreign-message'; readonly text: string }
  | { readonly kind: 'malformed'; readonly error?: DecodeError; readonly text: string }
  /** Sent in clear; the payloads are given so a caller may still read an unprotected notify. */
  | { readonly kind: 'cleartext'; readonly header: IsakmpHeader; readonly payloads: readonly DecodedPayload[]; readonly text: string }
  | { readonly kind: 'missing-hash'; readonly header: IsakmpHeader; readonly text: string }
  | { readonly kind: 'hash-mismatch'; readonly header: IsakmpHeader; readonly text: string };

export type OpenResult = { readonly ok: true; readonly value: OpenedMessage } | { readonly ok: false; readonly failure: OpenFailure };

export interface DecryptedMessage {
  readonly header: IsakmpHeader;
  readonly payloads: readonly DecodedPayload[];
  /** The chains advanced past this message; adopt them only once the message is accepted. */
  readonly ivChains: IvChains;
}

export type DecryptResult =
  | { readonly ok: true; readonly value: DecryptedMessage }
  | { readonly ok: false; readonly failure: Exclude<OpenFailure, { kind: 'missing-hash' | 'hash-mismatch' }> };

/**
 * Decrypts a message of this SA on the IV chain its M-ID selects and decodes its payloads,
 * without judging them: Quick Mode checks its own HASH(2), the others the Transaction HASH.
 */
export function decryptForSa(sa: IsakmpSa, bytes: Buffer): DecryptResult {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) return { ok: false, failure: { kind: 'malformed', error: decoded.error, text: decoded.error.text } };
  const { header } = decoded.value;
  if (!isForSa(sa, header)) return { ok: false, failure: { kind: 'foreign-message', text: 'cookies of another SA' } };
  if (decoded.value.kind === 'cleartext') {
    return { ok: false, failure: { kind: 'cleartext', header, payloads: decoded.value.payloads, text: 'sent without encryption' } };
  }
  const decrypted = decryptProtectedBody(sa.saCipher, sa.ivChains, header, decoded.value.encryptedBody);
  if (!decrypted.ok) return { ok: false, failure: { kind: 'malformed', ...(decrypted.error ? { error: decrypted.error } : {}), text: decrypted.detail } };
  return { ok: true, value: { header, payloads: decrypted.payloads, ivChains: decrypted.ivChains } };
}

/** Decrypts a message of this SA and checks its leading HASH (the Informational/Transaction one). */
export function openHashedMessage(sa: IsakmpSa, bytes: Buffer): OpenResult {
  const decrypted = decryptForSa(sa, bytes);
  if (!decrypted.ok) return decrypted;
  const { header, payloads, ivChains } = decrypted.value;
  const checked = checkLeadingHash(payloads, (after) => messageHash(protectionOf(sa), header.messageId, after));
  if (!checked.ok) return { ok: false, failure: { kind: checked.problem === 'no-hash' ? 'missing-hash' : 'hash-mismatch', header, text: checked.detail } };
  return { ok: true, value: { header, payloads, ivChains } };
}

export function isForSa(sa: Pick<IsakmpSa, 'initiatorCookie' | 'responderCookie'>, header: IsakmpHeader): boolean {
  return header.initiatorCookie.equals(sa.initiatorCookie) && header.responderCookie.equals(sa.responderCookie);
}

/** Constant-time comparison of a computed and a received hash of possibly different length. */
export const sameBytes = sameHash;
