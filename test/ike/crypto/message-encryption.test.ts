import { describe, expect, it } from 'vitest';
import { ZERO_PADDING, decryptCbc, lastCipherBlock } from '../../../src/ike/crypto/cipher.js';
import { createIvChains, ivForMessage } from '../../../src/ike/crypto/iv-chain.js';
import { decryptMessageBody, encryptMessageBody, type IsakmpSaCipher } from '../../../src/ike/crypto/message-encryption.js';
import { strongswan } from './vectors.js';

const saCipher: IsakmpSaCipher = { cipher: '3des-cbc', encryptionKey: strongswan.encryptionKey };
const freshChains = () => createIvChains('sha1', 8, strongswan.initiatorPublicValue, strongswan.responderPublicValue);
const payloadChain = Buffer.from('0800001800000000000000000000000000000000000000', 'hex');

describe('encrypting and decrypting message bodies along the IV chains', () => {
  it('encrypts with the chain’s IV and advances the chain to the last ciphertext block', () => {
    const chains = freshChains();
    const { ciphertext, ivChains } = encryptMessageBody(saCipher, chains, 0, payloadChain, ZERO_PADDING);
    const plain = decryptCbc('3des-cbc', strongswan.encryptionKey, strongswan.initialIv, ciphertext);
    expect(plain.ok && plain.plaintext.subarray(0, payloadChain.length)).toEqual(payloadChain);
    expect(ivChains.phase1.block).toEqual(lastCipherBlock(ciphertext, 8));
  });

  it('sender and receiver chains stay in step across an exchange in both directions', () => {
    let initiator = freshChains();
    let responder = freshChains();
    const messageId = 0x0a0b0c0d;
    for (const [from, text] of [['initiator', 'message 3'], ['responder', 'request'], ['initiator', 'reply']] as const) {
      const id = text === 'message 3' ? 0 : messageId;
      const sender = from === 'initiator' ? initiator : responder;
      const receiver = from === 'initiator' ? responder : initiator;
      const sent = encryptMessageBody(saCipher, sender, id, Buffer.from(text), ZERO_PADDING);
      const received = decryptMessageBody(saCipher, receiver, id, sent.ciphertext);
      expect(received.ok && received.plaintext.subarray(0, text.length).toString()).toBe(text);
      if (!received.ok) return;
      if (from === 'initiator') [initiator, responder] = [sent.ivChains, received.ivChains];
      else [responder, initiator] = [sent.ivChains, received.ivChains];
      expect(initiator).toEqual(responder);
    }
    expect(ivForMessage(initiator, messageId)).not.toEqual(ivForMessage(freshChains(), messageId));
  });

  it('reports a body that is not whole blocks instead of advancing', () => {
    expect(decryptMessageBody(saCipher, freshChains(), 0, Buffer.alloc(20))).toEqual({ ok: false, problem: 'not-whole-blocks' });
  });
});
