/**
 * Messages under an established ISAKMP SA, for both roles: `HDR*, HASH, payloads...` sealed with
 * the SA's cipher on the IV chain of the message's M-ID, and opened again. The HASH is computed
 * over the payloads' wire bytes after it (generic headers included, padding excluded), by default
 * `prf(SKEYID_a, M-ID | payloads)` (Transaction: draft-dukes-ike-mode-cfg-02; Informational: RFC
 * 2409 §5.7; Quick Mode HASH(1)); Quick Mode passes its own HASH(2)/(3). The commit bit is never
 * set: vpnc refuses any flags but E.
 */
import { timingSafeEqual } from 'node:crypto';
import { IsakmpFlag, PayloadType } from './constants.js';
import {
  decodePayloadChain,
  encodeEncryptedMessage,
  encodePayloads,
  hashPayload,
  isEncrypted,
  type DecodedMessage,
  type DecodedPayload,
  type DecodeError,
  type IsakmpHeader,
  type Payload,
} from './codec/index.js';
import {
  computeMessageHash,
  decryptMessageBody,
  encryptMessageBody,
  HASH_LENGTH,
  type HashId,
  type IsakmpSaCipher,
  type IvChains,
  type PaddingPolicy,
} from './crypto/index.js';

/** What protects an ISAKMP SA's later messages: its cipher and key, its hash and SKEYID_a. */
export interface MessageProtection extends IsakmpSaCipher {
  readonly hash: HashId;
  readonly skeyidA: Buffer;
}

export interface IsakmpCookiePair {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
}

export interface SealedProtectedMessage {
  readonly bytes: Buffer;
  /** HASH first, then the payloads given (for logs and transcripts). */
  readonly payloads: readonly Payload[];
  /** The chains advanced past this message. */
  readonly ivChains: IvChains;
}

/** HASH = prf(SKEYID_a, M-ID | payloads after HASH). */
export function messageHash(protection: MessageProtection, messageId: number, payloadsAfterHash: Buffer): Buffer {
  return computeMessageHash(protection.hash, protection.skeyidA, messageId, payloadsAfterHash);
}

export function sealProtectedMessage(
  protection: MessageProtection,
  cookies: IsakmpCookiePair,
  chains: IvChains,
  header: { readonly exchangeType: number; readonly messageId: number },
  payloads: readonly Payload[],
  padding: PaddingPolicy,
  hashOf: (payloadsAfterHash: Buffer) => Buffer = (after) => messageHash(protection, header.messageId, after),
): SealedProtectedMessage {
  // Encode once with a placeholder HASH of the right size, hash the bytes after it and write the
  // digest in place: the hashed bytes are then exactly the bytes sent.
  const hashLength = HASH_LENGTH[protection.hash];
  const chain = encodePayloads([hashPayload(Buffer.alloc(hashLength)), ...payloads]);
  const hashBodyOffset = 4;
  const digest = hashOf(chain.subarray(hashBodyOffset + hashLength));
  digest.copy(chain, hashBodyOffset);
  const encrypted = encryptMessageBody(protection, chains, header.messageId, chain, padding);
  const bytes = encodeEncryptedMessage(
    { initiatorCookie: cookies.initiatorCookie, responderCookie: cookies.responderCookie, exchangeType: header.exchangeType, flags: IsakmpFlag.ENCRYPTION, messageId: header.messageId },
    PayloadType.HASH,
    encrypted.ciphertext,
  );
  return { bytes, payloads: [hashPayload(digest), ...payloads], ivChains: encrypted.ivChains };
}

export type DecryptedBody =
  | { readonly ok: true; readonly payloads: readonly DecodedPayload[]; readonly ivChains: IvChains }
  | { readonly ok: false; readonly error?: DecodeError; readonly detail: string };

/** Decrypts a message body on its M-ID's chain and decodes its payloads, judging nothing. */
export function decryptProtectedBody(protection: IsakmpSaCipher, chains: IvChains, header: IsakmpHeader, encryptedBody: Buffer): DecryptedBody {
  const decrypted = decryptMessageBody(protection, chains, header.messageId, encryptedBody);
  if (!decrypted.ok) return { ok: false, detail: 'the encrypted body is not whole cipher blocks' };
  const chain = decodePayloadChain(header.nextPayload, decrypted.plaintext, 28);
  // A wrong key or IV decrypts to noise, which almost never forms a payload chain.
  if (!chain.ok) return { ok: false, error: chain.error, detail: `after decryption: ${chain.error.text}` };
  return { ok: true, payloads: chain.value.payloads, ivChains: decrypted.ivChains };
}

export type HashCheck =
  | { readonly ok: true; readonly hash: Buffer; readonly rest: readonly DecodedPayload[] }
  | { readonly ok: false; readonly problem: 'no-hash' | 'hash-mismatch'; readonly detail: string };

/** Checks that the first payload is HASH and equals `expected` of the raw payloads after it. */
export function checkLeadingHash(payloads: readonly DecodedPayload[], expected: (payloadsAfterHash: Buffer) => Buffer): HashCheck {
  const [first, ...rest] = payloads;
  if (first?.type !== 'hash') return { ok: false, problem: 'no-hash', detail: 'the first payload is not HASH' };
  if (!sameHash(expected(Buffer.concat(rest.map((payload) => payload.raw))), first.hash)) return { ok: false, problem: 'hash-mismatch', detail: 'HASH does not verify' };
  return { ok: true, hash: first.hash, rest };
}

/** Constant-time comparison of a computed and a received hash of possibly different length. */
export function sameHash(expected: Buffer, received: Buffer): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}

export type OpenedProtectedMessage =
  | {
      readonly ok: true;
      readonly header: IsakmpHeader;
      /** The payloads after HASH (its value already checked). */
      readonly payloads: readonly DecodedPayload[];
      /** Every payload, HASH first. */
      readonly allPayloads: readonly DecodedPayload[];
      readonly hash: Buffer;
      /** The chains advanced past this message: adopt them only if the message is acted upon. */
      readonly ivChains: IvChains;
    }
  | { readonly ok: false; readonly problem: 'not-encrypted' | 'malformed' | 'no-hash' | 'hash-mismatch'; readonly detail: string };

/**
 * Decrypts a message on its M-ID's chain and checks its leading HASH (default: prf(SKEYID_a,
 * M-ID | payloads after HASH)). Nothing unprotected is acted upon once the ISAKMP SA exists:
 * anyone who saw the cookies could send it.
 */
export function openProtectedMessage(
  protection: MessageProtection,
  chains: IvChains,
  message: DecodedMessage,
  expectedHash: (payloadsAfterHash: Buffer) => Buffer = (after) => messageHash(protection, message.header.messageId, after),
): OpenedProtectedMessage {
  if (message.kind !== 'encrypted' || !isEncrypted(message.header)) {
    return { ok: false, problem: 'not-encrypted', detail: 'sent in clear after the ISAKMP SA was established' };
  }
  const { header } = message;
  const decrypted = decryptProtectedBody(protection, chains, header, message.encryptedBody);
  if (!decrypted.ok) return { ok: false, problem: 'malformed', detail: decrypted.detail };
  const checked = checkLeadingHash(decrypted.payloads, expectedHash);
  if (!checked.ok) return checked;
  return { ok: true, header, payloads: checked.rest, allPayloads: decrypted.payloads, hash: checked.hash, ivChains: decrypted.ivChains };
}
