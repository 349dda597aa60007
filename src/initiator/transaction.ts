/**
 * The Transaction exchange (exchange type 6) that carries XAUTH and mode-cfg under the ISAKMP SA
 * (draft-dukes-ike-mode-cfg-02 §3.1): `HDR*, HASH, ATTR`. Each REQUEST/REPLY or SET/ACK pair
 * has its own M-ID; the first message of a pair is encrypted with hash(last Phase 1 block | M-ID)
 * and the answer with the last ciphertext block of the first (RFC 2409 Appendix B, as strongSwan
 * and racoon chain it). Once the answer is out the pair is over, so its chain is forgotten: a
 * peer that reuses the M-ID starts again from the Phase 1 block.
 */
import { ExchangeType } from '../ike/constants.js';
import type { AttributePayload, Decoded, DecodedPayload, IsakmpHeader } from '../ike/codec/index.js';
import { endIvExchange, type PaddingPolicy } from '../ike/crypto/index.js';
import { openHashedMessage, sealHashedMessage, type IsakmpSa, type OpenFailure, type SealedMessage } from '../ike/initiator/isakmp-sa.js';

export interface ReceivedTransaction {
  readonly header: IsakmpHeader;
  readonly messageId: number;
  /** The message's ATTR payload: cfg type, identifier and attributes as received. */
  readonly attributes: Decoded<AttributePayload>;
  /** HASH first, as decrypted. */
  readonly payloads: readonly DecodedPayload[];
  /** The SA with this M-ID's IV chain advanced past the message: seal the answer with it. */
  readonly sa: IsakmpSa;
}

export type TransactionFailure =
  | OpenFailure
  | { readonly kind: 'not-transaction'; readonly exchangeType: number; readonly text: string }
  /** draft-dukes-ike-mode-cfg-02 §3.2: exactly one ATTR payload follows the HASH. */
  | { readonly kind: 'no-attributes'; readonly payloads: readonly DecodedPayload[]; readonly text: string };

export type TransactionResult =
  | { readonly ok: true; readonly value: ReceivedTransaction }
  | { readonly ok: false; readonly failure: TransactionFailure };

/** Decrypts a Transaction message of this SA, verifies its HASH and finds its ATTR payload. */
export function openTransaction(sa: IsakmpSa, bytes: Buffer): TransactionResult {
  const opened = openHashedMessage(sa, bytes);
  if (!opened.ok) return opened;
  const { header, payloads, ivChains } = opened.value;
  if (header.exchangeType !== ExchangeType.TRANSACTION) {
    return { ok: false, failure: { kind: 'not-transaction', exchangeType: header.exchangeType, text: `exchange type ${header.exchangeType}` } };
  }
  const attributes = payloads.filter((payload): payload is Decoded<AttributePayload> => payload.type === 'attributes');
  if (attributes.length !== 1) {
    return { ok: false, failure: { kind: 'no-attributes', payloads, text: `${attributes.length} ATTR payloads instead of 1` } };
  }
  return { ok: true, value: { header, messageId: header.messageId, attributes: attributes[0]!, payloads, sa: { ...sa, ivChains } } };
}

/**
 * `HDR*, HASH, ATTR` in the exchange `messageId`. A new M-ID starts a fresh IV from the Phase 1
 * block; an M-ID whose first message was opened with `openTransaction` continues that chain.
 */
export function sealTransaction(sa: IsakmpSa, messageId: number, attributes: AttributePayload, padding: PaddingPolicy): SealedMessage {
  return sealHashedMessage(sa, { exchangeType: ExchangeType.TRANSACTION, messageId, payloads: [attributes], padding });
}

/** The answer that closes a pair (REPLY to a REQUEST, ACK to a SET), with the pair's chain forgotten. */
export function answerTransaction(received: ReceivedTransaction, answer: AttributePayload, padding: PaddingPolicy): SealedMessage {
  const sealed = sealTransaction(received.sa, received.messageId, answer, padding);
  return { ...sealed, sa: endTransaction(sealed.sa, received.messageId) };
}

/** Forgets the IV chain of a finished exchange (after its last message was sent or received). */
export function endTransaction(sa: IsakmpSa, messageId: number): IsakmpSa {
  return { ...sa, ivChains: endIvExchange(sa.ivChains, messageId) };
}
