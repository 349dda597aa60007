/**
 * Aggressive Mode message 3, `HDR[*], HASH_I [, NAT-D, NAT-D] [, N(INITIAL-CONTACT)]`, under the
 * RTX's `ipsec ike payload type` rules:
 *
 * - Encrypted, under type 1 or 2 (the default): refused. VERIFIED by the seed write-up: OpenSWAN
 *   2.6.16's encrypted message 3 got `payload malformed : no message` and no SA on an RTX1500
 *   Rev.8.03.75 (vpnc, which encrypts it too, failed the same way); type 1 is ASSUMED to behave
 *   as type 2.
 * - Encrypted, under type 3: decrypted with the Phase 1 IV and accepted (VERIFIED by the seed:
 *   `ipsec ike payload type 1 3` made OpenSWAN's Phase 1 complete); the IVs that follow chain
 *   from its last cipher block (RFC 2409 Appendix B).
 * - In clear, under every type: accepted, and the IVs that follow derive from IV0 since no
 *   Phase 1 message was ever encrypted (ASSUMED: racoon's cleartext message 3 is accepted under
 *   type 2 in the seed; under type 3 nothing says otherwise).
 */
import { decodePayloadChain, type DecodedMessage, type DecodedPayload } from '../ike/codec/index.js';
import { computeHashI, decryptMessageBody, type IsakmpSaCipher, type IvChains, type Phase1AuthContext } from '../ike/crypto/index.js';
import { sameHash } from './informational.js';
import type { PayloadTypeSetting } from './policy.js';

export type Aggressive3Reading =
  | {
      readonly kind: 'accepted';
      readonly payloads: readonly DecodedPayload[];
      readonly encrypted: boolean;
      /** Advanced past the message when it was encrypted, untouched when it came in clear. */
      readonly ivChains: IvChains;
    }
  /** The seed's case: an encrypted message 3 under payload type 1 or 2. */
  | { readonly kind: 'encrypted-under-release-format' }
  | { readonly kind: 'unreadable'; readonly detail: string }
  | { readonly kind: 'hash-mismatch'; readonly payloads: readonly DecodedPayload[] };

export interface Aggressive3Keys {
  readonly payloadType: PayloadTypeSetting;
  readonly cipher: IsakmpSaCipher;
  readonly ivChains: IvChains;
  readonly authContext: Phase1AuthContext;
  /** IDii_b: the initiator's ID payload body from message 1. */
  readonly initiatorIdBody: Buffer;
}

export function readAggressive3(keys: Aggressive3Keys, message: DecodedMessage): Aggressive3Reading {
  if (message.header.messageId !== 0) return { kind: 'unreadable', detail: `message ID 0x${message.header.messageId.toString(16)} is not 0` };
  let payloads: readonly DecodedPayload[];
  let ivChains = keys.ivChains;
  if (message.kind === 'encrypted') {
    if (keys.payloadType !== 3) return { kind: 'encrypted-under-release-format' };
    const decrypted = decryptMessageBody(keys.cipher, keys.ivChains, 0, message.encryptedBody);
    if (!decrypted.ok) return { kind: 'unreadable', detail: 'ciphertext is not whole cipher blocks' };
    const chain = decodePayloadChain(message.header.nextPayload, decrypted.plaintext, 28);
    if (!chain.ok) return { kind: 'unreadable', detail: chain.error.text };
    payloads = chain.value.payloads;
    ivChains = decrypted.ivChains;
  } else {
    payloads = message.payloads;
  }
  const hash = payloads.find((payload) => payload.type === 'hash');
  if (hash?.type !== 'hash') return { kind: 'unreadable', detail: 'message 3 has no HASH payload' };
  if (!sameHash(computeHashI(keys.authContext, keys.initiatorIdBody), hash.hash)) return { kind: 'hash-mismatch', payloads };
  return { kind: 'accepted', payloads, encrypted: message.kind === 'encrypted', ivChains };
}
