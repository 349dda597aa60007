/**
 * Messages under an established ISAKMP SA (RFC 2409 §5.5-5.7, draft-dukes-ike-mode-cfg-02):
 * `HDR*, HASH, payloads...` encrypted on the IV chain of their M-ID. Every exchange after Phase 1
 * (XAUTH, mode-cfg, Quick Mode, Informational) starts its chain at hash(last Phase 1 block | M-ID)
 * and continues it from the last cipher block of the previous message with the same M-ID
 * (Appendix B). Pure: the chains are values that go in and come out, so each exchange machine
 * keeps its own and none can disturb another's.
 */
import type { DecodedMessage, Payload } from '../ike/codec/index.js';
import type { IvChains } from '../ike/crypto/index.js';
import {
  openProtectedMessage,
  sealProtectedMessage,
  type OpenedProtectedMessage,
  type SealedProtectedMessage,
} from '../ike/protected-message.js';
import { RTX_PADDING, type IsakmpCookies, type ProtectionKeys } from './informational.js';

/** What every exchange after Phase 1 needs from the ISAKMP SA: its cookies and keys. */
export interface EstablishedKeys {
  readonly cookies: IsakmpCookies;
  readonly protection: ProtectionKeys;
  /** SKEYID_d: Quick Mode's KEYMAT. */
  readonly skeyidD: Buffer;
}

export type SealedMessage = SealedProtectedMessage;

/** `HDR*, HASH, payloads` in exchange `exchangeType`/`messageId`, sealed with the RTX's padding (src/ike/protected-message.ts). */
export function sealHashedMessage(
  keys: EstablishedKeys,
  chains: IvChains,
  header: { readonly exchangeType: number; readonly messageId: number },
  payloads: readonly Payload[],
  hashOf?: (payloadsAfterHash: Buffer) => Buffer,
): SealedMessage {
  return sealProtectedMessage(keys.protection, keys.cookies, chains, header, payloads, RTX_PADDING, hashOf);
}

export type OpenedMessage = OpenedProtectedMessage;

/** Decrypts a message on its M-ID's chain and checks its leading HASH against `expectedHash`. */
export function openHashedMessage(keys: EstablishedKeys, chains: IvChains, message: DecodedMessage, expectedHash?: (payloadsAfterHash: Buffer) => Buffer): OpenedMessage {
  return openProtectedMessage(keys.protection, chains, message, expectedHash);
}

