/**
 * The encrypted part of a captured client's ISAKMP SA, opened with the Phase 1 encryption key
 * from a Wireshark `ikev1_decryption_table` (rtxlab's own `--keys`): the cipher and hash come from
 * message 2's chosen transform, the first IV from the KE payloads of messages 1 and 2 (RFC 2409
 * Appendix B), every later IV from the chains the crypto module keeps, in capture order.
 */
import { readPhase1Transform, type DecodedMessage, type DecodedPayload } from '../ike/codec/index.js';
import { cipherSpec, createIvChains, phase1CipherFromAttributes, phase1HashFromAttribute, type IvChains } from '../ike/crypto/index.js';
import { decryptProtectedBody } from '../ike/protected-message.js';
import type { CapturedIke } from './pcap-file.js';

/** `initiator cookie hex` -> Phase 1 encryption key, from `cookie,key` lines (others skipped). */
export function readDecryptionTable(text: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^"?([0-9a-f]{16})"?\s*,\s*"?([0-9a-f]+)"?\s*$/i.exec(line.trim());
    if (match && match[2]!.length % 2 === 0) keys.set(match[1]!.toLowerCase(), Buffer.from(match[2]!, 'hex'));
  }
  return keys;
}

export interface OpenedMessage {
  readonly datagram: CapturedIke;
  readonly exchangeType: number;
  readonly messageId: number;
  /** Undefined when it could not be opened (reported in `problem`). */
  readonly payloads?: readonly DecodedPayload[];
  readonly problem?: string;
}

export type SaOpening = { readonly ok: true; readonly messages: readonly OpenedMessage[] } | { readonly ok: false; readonly why: string };

/**
 * Opens the encrypted messages after message 2 of one SA. `messages` are that SA's, in capture
 * order, message 1 first and message 2 second.
 */
export function openCapturedSa(messages: readonly { datagram: CapturedIke; decoded: DecodedMessage }[], encryptionKey: Buffer): SaOpening {
  const [first, second] = messages;
  if (!first || !second || first.decoded.kind !== 'cleartext' || second.decoded.kind !== 'cleartext') return { ok: false, why: 'messages 1 and 2 are not both in the capture in clear' };
  const initiatorKe = first.decoded.payloads.find((payload) => payload.type === 'ke');
  const responderKe = second.decoded.payloads.find((payload) => payload.type === 'ke');
  const chosen = second.decoded.payloads.find((payload) => payload.type === 'sa');
  const transform = chosen?.type === 'sa' ? chosen.proposals[0]?.transforms[0] : undefined;
  if (initiatorKe?.type !== 'ke' || responderKe?.type !== 'ke' || !transform) return { ok: false, why: 'message 1 or 2 lacks its KE, or message 2 its chosen transform' };
  const values = readPhase1Transform(transform);
  const cipher = values.encryption === undefined ? undefined : phase1CipherFromAttributes(values.encryption, values.keyLength);
  const hashId = values.hash === undefined ? undefined : phase1HashFromAttribute(values.hash);
  if (!cipher || !hashId) return { ok: false, why: 'the chosen transform names a cipher or hash rtxlab does not know' };
  const protection = { cipher, encryptionKey };
  let chains: IvChains = createIvChains(hashId, cipherSpec(cipher).blockSize, initiatorKe.keyData, responderKe.keyData);
  const opened: OpenedMessage[] = [];
  const seenBytes = new Set<string>();
  for (const { datagram, decoded } of messages.slice(2)) {
    // A resend is the same bytes: opening it again would move the IV chain past where it is.
    const key = datagram.message.toString('hex');
    if (seenBytes.has(key)) continue;
    seenBytes.add(key);
    const base = { datagram, exchangeType: decoded.header.exchangeType, messageId: decoded.header.messageId };
    if (decoded.kind !== 'encrypted') {
      opened.push({ ...base, ...(decoded.kind === 'cleartext' ? { payloads: decoded.payloads } : { problem: 'unreadable' }) });
      continue;
    }
    const body = decryptProtectedBody(protection, chains, decoded.header, decoded.encryptedBody);
    if (!body.ok) {
      opened.push({ ...base, problem: body.detail });
      continue;
    }
    chains = body.ivChains;
    opened.push({ ...base, payloads: body.payloads });
  }
  return { ok: true, messages: opened };
}
