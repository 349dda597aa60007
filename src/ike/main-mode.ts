/**
 * Main Mode (Identity Protection, exchange type 2) with a pre-shared key, the parts both roles
 * need (RFC 2409 §5 and §5.4):
 *
 *   Initiator                                   Responder
 *   HDR, SA [, VID...]                     -->                                  message 1
 *                                          <--  HDR, SA [, VID...]              message 2
 *   HDR, KE, Ni [, NAT-D, NAT-D]           -->                                  message 3
 *                                          <--  HDR, KE, Nr [, NAT-D, NAT-D]    message 4
 *   HDR*, IDii, HASH_I [, N(INITIAL-CONTACT)] -->                               message 5
 *                                          <--  HDR*, IDir, HASH_R              message 6
 *
 * What differs from Aggressive Mode is only where things travel: the SKEYID chain, HASH_I and
 * HASH_R (src/ike/crypto/hashes.ts, over SAi_b and the ID bodies) and IV0 = hash(g^xi | g^xr)
 * are the same. Messages 5 and 6 are always encrypted (§5: "the identities are protected"), 5
 * with IV0 and 6 with the last cipher block of 5; the Phase 2 IVs then chain from the last block
 * of 6 (Appendix B), which `IvChains` tracks for M-ID 0.
 *
 * Pure functions over values: no randomness, no RTX rule, no sockets.
 */
import { ExchangeType, PayloadType } from './constants.js';
import {
  decodePayloadChain,
  encodeEncryptedMessage,
  encodeMessage,
  encodePayloads,
  type Decoded,
  type DecodedMessage,
  type DecodedPayload,
  type HashPayload,
  type IdPayload,
  type KePayload,
  type NatDPayload,
  type NoncePayload,
  type Payload,
  type SaPayload,
} from './codec/index.js';
import {
  computeHashI,
  computeHashR,
  decryptMessageBody,
  encryptMessageBody,
  type IsakmpSaCipher,
  type IvChains,
  type PaddingPolicy,
  type Phase1AuthContext,
} from './crypto/index.js';
import { sameHash } from './protected-message.js';

export interface MainModeCookies {
  readonly initiatorCookie: Buffer;
  /** Zero in message 1. */
  readonly responderCookie: Buffer;
}

/** The ISAKMP header fields every Main Mode message has (M-ID 0, no commit bit). */
function mainModeFields(cookies: MainModeCookies, flags = 0) {
  return { initiatorCookie: cookies.initiatorCookie, responderCookie: cookies.responderCookie, exchangeType: ExchangeType.IDENTITY_PROTECTION, flags, messageId: 0 };
}

/** Messages 1 to 4 travel in clear: `HDR, payloads`. */
export function encodeMainModeClearMessage(cookies: MainModeCookies, payloads: readonly Payload[]): Buffer {
  return encodeMessage(mainModeFields(cookies), payloads);
}

const firstOf = <K extends DecodedPayload['type']>(payloads: readonly DecodedPayload[], type: K) =>
  payloads.find((payload): payload is Extract<DecodedPayload, { type: K }> => payload.type === type);

const vendorIdsOf = (payloads: readonly DecodedPayload[]): Buffer[] => payloads.flatMap((payload) => (payload.type === 'vendor-id' ? [payload.vendorId] : []));

/** Message 1 or 2 read: the SA as received (its body is SAi_b for the hashes) and the vendor IDs. */
export type OfferReading =
  | { readonly ok: true; readonly sa: Decoded<SaPayload>; readonly vendorIds: readonly Buffer[] }
  | { readonly ok: false; readonly missing: readonly string[] };

export function readOfferMessage(payloads: readonly DecodedPayload[]): OfferReading {
  const sa = firstOf(payloads, 'sa');
  if (!sa) return { ok: false, missing: ['SA'] };
  return { ok: true, sa, vendorIds: vendorIdsOf(payloads) };
}

/** Message 3 or 4 read: the KE and nonce as received, and the NAT-D hashes (either payload number). */
export type KeyExchangeReading =
  | {
      readonly ok: true;
      readonly ke: Decoded<KePayload>;
      readonly nonce: Decoded<NoncePayload>;
      readonly natDiscovery: readonly Decoded<NatDPayload>[];
      readonly vendorIds: readonly Buffer[];
    }
  | { readonly ok: false; readonly missing: readonly string[] };

export function readKeyExchangeMessage(payloads: readonly DecodedPayload[]): KeyExchangeReading {
  const ke = firstOf(payloads, 'ke');
  const nonce = firstOf(payloads, 'nonce');
  if (!ke || !nonce) return { ok: false, missing: [!ke && 'KE', !nonce && 'NONCE'].filter((name): name is string => name !== false) };
  const natDiscovery = payloads.filter((payload): payload is Decoded<NatDPayload> => payload.type === 'nat-d');
  return { ok: true, ke, nonce, natDiscovery, vendorIds: vendorIdsOf(payloads) };
}

export interface SealedIdentityMessage {
  readonly bytes: Buffer;
  /** The chains advanced past this message (its last cipher block is the next Phase 1 IV). */
  readonly ivChains: IvChains;
}

/**
 * Message 5 or 6: `HDR*, ID, HASH [, ...]` encrypted on the Phase 1 chain (M-ID 0). The payloads
 * are given in the order they go out; the first must be the ID.
 */
export function sealIdentityMessage(
  cipher: IsakmpSaCipher,
  chains: IvChains,
  cookies: MainModeCookies,
  payloads: readonly Payload[],
  padding: PaddingPolicy,
): SealedIdentityMessage {
  if (payloads[0]?.type !== 'id') throw new RangeError('a Main Mode identity message starts with its ID payload');
  const encrypted = encryptMessageBody(cipher, chains, 0, encodePayloads(payloads), padding);
  return { bytes: encodeEncryptedMessage(mainModeFields(cookies), PayloadType.ID, encrypted.ciphertext), ivChains: encrypted.ivChains };
}

/** Message 5 or 6 opened: the ID and HASH as received (their bodies are what the hashes cover). */
export type IdentityReading =
  | {
      readonly ok: true;
      readonly id: Decoded<IdPayload>;
      readonly hash: Decoded<HashPayload>;
      readonly payloads: readonly DecodedPayload[];
      /** Advanced past the message: adopt them only if it is acted upon. */
      readonly ivChains: IvChains;
    }
  /**
   * `undecryptable`: the plaintext is no payload chain, which under Main Mode almost always means
   * the two sides derived different keys (different pre-shared keys).
   */
  | {
      readonly ok: false;
      readonly problem: 'not-encrypted' | 'unreadable' | 'undecryptable' | 'missing-payload';
      readonly detail: string;
      readonly payloads?: readonly DecodedPayload[];
    };

/**
 * Decrypts message 5 or 6 on the Phase 1 chain and finds its ID and HASH. Nothing is verified
 * here: the caller checks the HASH with the ID body (verifyHashI / verifyHashR). A wrong key
 * decrypts to noise, which almost never forms a payload chain: that reads as `undecryptable`.
 */
export function openIdentityMessage(cipher: IsakmpSaCipher, chains: IvChains, message: DecodedMessage): IdentityReading {
  if (message.header.messageId !== 0) return { ok: false, problem: 'unreadable', detail: `message ID 0x${message.header.messageId.toString(16)} is not 0` };
  if (message.kind !== 'encrypted') return { ok: false, problem: 'not-encrypted', detail: 'the identities of Main Mode travel encrypted (RFC 2409 §5)' };
  const decrypted = decryptMessageBody(cipher, chains, 0, message.encryptedBody);
  if (!decrypted.ok) return { ok: false, problem: 'unreadable', detail: 'the encrypted body is not whole cipher blocks' };
  const chain = decodePayloadChain(message.header.nextPayload, decrypted.plaintext, 28);
  if (!chain.ok) return { ok: false, problem: 'undecryptable', detail: `after decryption: ${chain.error.text}` };
  const { payloads } = chain.value;
  const id = firstOf(payloads, 'id');
  const hash = firstOf(payloads, 'hash');
  if (!id || !hash) {
    const missing = [!id && 'ID', !hash && 'HASH'].filter((name): name is string => name !== false);
    return { ok: false, problem: 'missing-payload', detail: `the message lacks ${missing.join(', ')}`, payloads };
  }
  return { ok: true, id, hash, payloads, ivChains: decrypted.ivChains };
}

/** HASH_I of message 5 against IDii_b as received. */
export function verifyHashI(authContext: Phase1AuthContext, initiatorIdBody: Buffer, received: Buffer): boolean {
  return sameHash(computeHashI(authContext, initiatorIdBody), received);
}

/** HASH_R of message 6 against IDir_b as received. */
export function verifyHashR(authContext: Phase1AuthContext, responderIdBody: Buffer, received: Buffer): boolean {
  return sameHash(computeHashR(authContext, responderIdBody), received);
}
