import { decryptCbc, encryptCbc, type CipherId, type PaddingPolicy } from './cipher.js';
import { advanceIvChains, ivForMessage, type IvChains } from './iv-chain.js';

/** The ISAKMP SA's cipher and Ka. */
export interface IsakmpSaCipher {
  readonly cipher: CipherId;
  readonly encryptionKey: Buffer;
}

export interface EncryptedMessageBody {
  /** Everything after the 28-byte ISAKMP header; the header length must include it. */
  readonly ciphertext: Buffer;
  readonly ivChains: IvChains;
}

/**
 * Encrypts the payload chain of a message with `messageId` on the right IV chain and returns
 * the chains advanced past it.
 */
export function encryptMessageBody(
  saCipher: IsakmpSaCipher,
  chains: IvChains,
  messageId: number,
  payloadChain: Buffer,
  padding: PaddingPolicy,
): EncryptedMessageBody {
  const iv = ivForMessage(chains, messageId);
  const ciphertext = encryptCbc(saCipher.cipher, saCipher.encryptionKey, iv, payloadChain, padding);
  return { ciphertext, ivChains: advanceIvChains(chains, messageId, ciphertext) };
}

export type DecryptedMessageBody =
  | {
      readonly ok: true;
      /** The payload chain followed by the sender's padding, whatever it was. */
      readonly plaintext: Buffer;
      /**
       * The chains advanced past this message. Adopt them only once the message is accepted
       * (its HASH verified): a forged or corrupt message must not move the chain.
       */
      readonly ivChains: IvChains;
    }
  | { readonly ok: false; readonly problem: 'not-whole-blocks' };

/** Decrypts the body (bytes after the ISAKMP header) of a received message with `messageId`. */
export function decryptMessageBody(saCipher: IsakmpSaCipher, chains: IvChains, messageId: number, ciphertext: Buffer): DecryptedMessageBody {
  const iv = ivForMessage(chains, messageId);
  const result = decryptCbc(saCipher.cipher, saCipher.encryptionKey, iv, ciphertext);
  if (!result.ok) return result;
  return { ok: true, plaintext: result.plaintext, ivChains: advanceIvChains(chains, messageId, ciphertext) };
}
