/**
 * Messages under an established ISAKMP SA (RFC 2409 §5.5-5.7, draft-dukes-ike-mode-cfg-02):
 * `HDR*, HASH, payloads...` encrypted on the IV chain of their M-ID. Every exchange after Phase 1
 * (XAUTH, mode-cfg, Quick Mode, Informational) starts its chain at hash(last Phase 1 block | M-ID)
 * and continues it from the last cipher block of the previous message with the same M-ID
 * (Appendix B). Pure: the chains are values that go in and come out, so each exchange machine
 * keeps its own and none can disturb another's.
 */
import { IsakmpFlag, PayloadType } from '../ike/constants.js';
import {
  decodePayloadChain,
  encodeEncryptedMessage,
  encodePayloads,
  hashPayload,
  isEncrypted,
  type DecodedMessage,
  type DecodedPayload,
  type IsakmpHeader,
  type Payload,
} from '../ike/codec/index.js';
import {
  HASH_LENGTH,
  computeMessageHash,
  decryptMessageBody,
  encryptMessageBody,
  endIvExchange,
  type IvChains,
} from '../ike/crypto/index.js';
import { RTX_PADDING, sameHash, type IsakmpCookies, type ProtectionKeys } from './informational.js';

/** What every exchange after Phase 1 needs from the ISAKMP SA: its cookies and keys. */
export interface EstablishedKeys {
  readonly cookies: IsakmpCookies;
  readonly protection: ProtectionKeys;
  /** SKEYID_d: Quick Mode's KEYMAT. */
  readonly skeyidD: Buffer;
}

export interface SealedMessage {
  readonly bytes: Buffer;
  /** HASH first, then the payloads given: for the debug log. */
  readonly payloads: readonly Payload[];
  /** The chains advanced past this message. */
  readonly ivChains: IvChains;
}

/**
 * `HDR*, HASH, payloads` in exchange `exchangeType`/`messageId`. `hashOf` gets the encoded
 * payloads after HASH (generic headers included, padding excluded) and returns the digest: the
 * Transaction/Informational hash and Quick Mode HASH(1) are prf(SKEYID_a, M-ID | them), HASH(2)
 * puts Ni_b in between. The commit bit is never set: vpnc refuses any flags but E.
 */
export function sealHashedMessage(
  keys: EstablishedKeys,
  chains: IvChains,
  header: { readonly exchangeType: number; readonly messageId: number },
  payloads: readonly Payload[],
  hashOf: (payloadsAfterHash: Buffer) => Buffer = (after) => transactionHash(keys, header.messageId, after),
): SealedMessage {
  const { protection } = keys;
  // Encode with a placeholder HASH of the right size, hash the bytes after it, write the digest
  // in place: the hashed bytes are then exactly the bytes sent.
  const hashLength = HASH_LENGTH[protection.hash];
  const chain = encodePayloads([hashPayload(Buffer.alloc(hashLength)), ...payloads]);
  const digest = hashOf(chain.subarray(4 + hashLength));
  digest.copy(chain, 4);
  const encrypted = encryptMessageBody(protection, chains, header.messageId, chain, RTX_PADDING);
  const bytes = encodeEncryptedMessage(
    { ...keys.cookies, exchangeType: header.exchangeType, flags: IsakmpFlag.ENCRYPTION, messageId: header.messageId },
    PayloadType.HASH,
    encrypted.ciphertext,
  );
  return { bytes, payloads: [hashPayload(digest), ...payloads], ivChains: encrypted.ivChains };
}

/** HASH = prf(SKEYID_a, M-ID | payloads after HASH): Transaction, Informational, Quick Mode HASH(1). */
export function transactionHash(keys: EstablishedKeys, messageId: number, payloadsAfterHash: Buffer): Buffer {
  return computeMessageHash(keys.protection.hash, keys.protection.skeyidA, messageId, payloadsAfterHash);
}

export type OpenedMessage =
  | {
      readonly ok: true;
      readonly header: IsakmpHeader;
      /** The payloads after HASH (its value already checked). */
      readonly payloads: readonly DecodedPayload[];
      /** Every payload, HASH first: for the debug log. */
      readonly allPayloads: readonly DecodedPayload[];
      readonly hash: Buffer;
      /** The chains advanced past this message: adopt them only if the message is acted upon. */
      readonly ivChains: IvChains;
    }
  | { readonly ok: false; readonly problem: 'not-encrypted' | 'malformed' | 'no-hash' | 'hash-mismatch'; readonly detail: string };

/**
 * Decrypts a message on its M-ID's chain and checks its leading HASH against `expectedHash`
 * (given the raw payloads after HASH). Nothing unprotected is acted upon once the ISAKMP SA
 * exists: anyone who saw the cookies could send it.
 */
export function openHashedMessage(
  keys: EstablishedKeys,
  chains: IvChains,
  message: DecodedMessage,
  expectedHash: (payloadsAfterHash: Buffer) => Buffer = (after) => transactionHash(keys, message.header.messageId, after),
): OpenedMessage {
  if (message.kind !== 'encrypted' || !isEncrypted(message.header)) {
    return { ok: false, problem: 'not-encrypted', detail: 'sent in clear after the ISAKMP SA was established' };
  }
  const { header } = message;
  const decrypted = decryptMessageBody(keys.protection, chains, header.messageId, message.encryptedBody);
  if (!decrypted.ok) return { ok: false, problem: 'malformed', detail: 'ciphertext is not whole cipher blocks' };
  const chain = decodePayloadChain(header.nextPayload, decrypted.plaintext, 28);
  // A wrong key or IV decrypts to noise, which almost never forms a payload chain.
  if (!chain.ok) return { ok: false, problem: 'malformed', detail: chain.error.text };
  const [first, ...rest] = chain.value.payloads;
  if (first?.type !== 'hash') return { ok: false, problem: 'no-hash', detail: 'the first payload is not HASH' };
  if (!sameHash(expectedHash(Buffer.concat(rest.map((payload) => payload.raw))), first.hash)) {
    return { ok: false, problem: 'hash-mismatch', detail: 'HASH does not verify' };
  }
  return { ok: true, header, payloads: rest, allPayloads: chain.value.payloads, hash: first.hash, ivChains: decrypted.ivChains };
}

/** The chains with a finished exchange forgotten (a reused M-ID restarts from the Phase 1 block). */
export function forgetExchange(chains: IvChains, messageId: number): IvChains {
  return endIvExchange(chains, messageId);
}
