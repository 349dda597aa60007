/**
 * What an established ISAKMP SA does with a verified Informational, the same under Aggressive and
 * Main Mode: the peer's error notifies are logged, its ESP Deletes, keepalive answers and
 * INITIAL-CONTACT go to the responder (which owns IPsec SAs, keepalives and the SA table), a
 * Delete of this SA is logged, and each R-U-THERE is answered (RFC 3706 §5) whatever `send info`
 * says: it is a reply, not a report (ASSUMED). The machines only emit the steps in order.
 */
import { notifyTypeName } from '../ike/constants.js';
import { isEncrypted, type DecodedMessage, type DecodedPayload, type Payload } from '../ike/codec/index.js';
import type { IvChains } from '../ike/crypto/index.js';
import type { KeepaliveAnswer } from './keepalive-schedule.js';
import {
  dpdAcknowledgement,
  informationalRequests,
  isakmpSaDeletion,
  newMessageId,
  protectedInformationalMessage,
  type InformationalReading,
  type IsakmpCookies,
  type ProtectionKeys,
} from './informational.js';
import { ikeLog } from './log-lines.js';
import type { GatewayPolicy } from './policy.js';
import type { ResponderEffect } from './port.js';

/** What an established SA tells the responder beyond its effects. */
export type InformationalSignal =
  | { readonly type: 'initial-contact'; readonly peerAddress: string }
  /** The peer deleted ESP SAs (the SPIs as it sent them); the responder owns the IPsec SAs. */
  | { readonly type: 'esp-deletes'; readonly spis: readonly Buffer[] }
  /** R-U-THERE-ACKs and heartbeats: answers to the router's own keepalive (keepalives.ts). */
  | { readonly type: 'keepalive-answers'; readonly answers: readonly KeepaliveAnswer[]; readonly now: number };

/** One step of the answer, in the order the machine emits them. */
export type InformationalStep = { readonly type: 'effects'; readonly effects: readonly ResponderEffect[] } | InformationalSignal;

/** The established SA as the answer needs it. */
export interface EstablishedSaView {
  readonly cookies: IsakmpCookies;
  readonly protection: ProtectionKeys;
  readonly ivChains: IvChains;
  readonly peerAddress: string;
  readonly gateway: GatewayPolicy;
  readonly syslogDebug: boolean;
  readonly randomBytes: (length: number) => Buffer;
}

/** The keys that protect an SA's later messages, from what its key exchange chose and derived. */
export function negotiatedProtection(negotiation: {
  readonly chosen: Pick<ProtectionKeys, 'cipher' | 'hash'>;
  readonly keys: Pick<ProtectionKeys, 'encryptionKey' | 'skeyidA'>;
}): ProtectionKeys {
  return { cipher: negotiation.chosen.cipher, encryptionKey: negotiation.keys.encryptionKey, hash: negotiation.chosen.hash, skeyidA: negotiation.keys.skeyidA };
}

/**
 * The steps for a verified Informational's `payloads`. `received` are the lines for its arrival;
 * `sendReply` turns an answer into send effects on the path the Informational came by.
 */
export function answerInformational(
  sa: EstablishedSaView,
  payloads: readonly Payload[],
  received: readonly ResponderEffect[],
  now: number,
  sendReply: (bytes: Buffer, payloads: readonly Payload[]) => ResponderEffect[],
): InformationalStep[] {
  const requests = informationalRequests(sa.cookies, payloads);
  const peer = sa.peerAddress;
  const steps: InformationalStep[] = [{ type: 'effects', effects: received }];
  // Error notifies are the peer's reason for giving up (vpnc's INVALID-MESSAGE-ID on a pushed SET).
  steps.push({ type: 'effects', effects: requests.otherNotifies.map((type) => ikeLog.notifyReceived(peer, notifyTypeName(type))) });
  if (requests.espDeletes.length > 0) steps.push({ type: 'esp-deletes', spis: requests.espDeletes });
  if (requests.keepaliveAnswers.length > 0) steps.push({ type: 'keepalive-answers', answers: requests.keepaliveAnswers, now });
  if (requests.deletesThisIsakmpSa) steps.push({ type: 'effects', effects: [ikeLog.deletedByPeer(peer)] });
  if (requests.initialContact) {
    steps.push({ type: 'effects', effects: [ikeLog.initialContact(peer)] });
    steps.push({ type: 'initial-contact', peerAddress: peer });
  }
  for (const sequence of requests.dpdSequences) {
    const answer = protectedInformationalMessage(sa.protection, sa.ivChains, sa.cookies, newMessageId(sa.randomBytes), [dpdAcknowledgement(sa.cookies, sequence)]);
    steps.push({
      type: 'effects',
      effects: [...sendReply(answer.bytes, answer.payloads), ...(sa.syslogDebug && sa.gateway.keepalive.log ? [ikeLog.dpdAnswered(peer, sequence.readUInt32BE(0))] : [])],
    });
  }
  return steps;
}

/** Delete(ISAKMP) of the SA under its own keys when its gateway says `send info`; none otherwise. */
export function isakmpSaDeletionMessage(
  sa: { readonly protection: ProtectionKeys; readonly ivChains: IvChains; readonly cookies: IsakmpCookies; readonly randomBytes: (length: number) => Buffer },
  gateway: Pick<GatewayPolicy, 'sendInfo'>,
): { readonly bytes: Buffer; readonly payloads: readonly Payload[] } | undefined {
  if (!gateway.sendInfo) return undefined;
  return protectedInformationalMessage(sa.protection, sa.ivChains, sa.cookies, newMessageId(sa.randomBytes), [isakmpSaDeletion(sa.cookies)]);
}

/**
 * An Informational before the SA is authenticated: nothing can be verified, so a notify is only
 * noted. Returns the payloads to show (cleartext only) and the line.
 */
export function unauthenticatedInformational(message: DecodedMessage, from: string): { readonly payloads: readonly DecodedPayload[] | undefined; readonly line: ResponderEffect } {
  const payloads = message.kind === 'cleartext' && !isEncrypted(message.header) ? message.payloads : undefined;
  const notes = (payloads ?? []).flatMap((payload) => (payload.type === 'notify' ? [String(payload.notifyType)] : []));
  const why = notes.length > 0 ? `notify ${notes.join(', ')} before the ISAKMP SA was established` : 'before the ISAKMP SA was established';
  return { payloads, line: ikeLog.unprotectedInformational(from, why) };
}

/** The line for an Informational under the SA that did not verify (sent in clear, unreadable, wrong HASH). */
export function unverifiedInformationalLine(reading: Extract<InformationalReading, { ok: false }>, from: string): ResponderEffect {
  return (reading.problem === 'not-encrypted' ? ikeLog.unprotectedInformational : ikeLog.unreadableInformational)(from, reading.detail);
}
