import { describe, expect, it } from 'vitest';
import {
  advanceIvChains,
  computeInitialIv,
  computeMessageIdIv,
  createIvChains,
  endIvExchange,
  ivForMessage,
} from '../../../src/ike/crypto/iv-chain.js';
import { hash, messageIdBytes } from '../../../src/ike/crypto/index.js';
import { strongswan } from './vectors.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const freshChains = () => createIvChains('sha1', 8, strongswan.initiatorPublicValue, strongswan.responderPublicValue);
/** A ciphertext whose last 8-byte block is `lastBlock`. */
const ciphertextEndingWith = (lastBlock: Buffer) => Buffer.concat([Buffer.alloc(16, 0xee), lastBlock]);

describe('Phase 1 IV chain', () => {
  it('IV0 = hash(g^xi | g^xr) truncated to the block size (strongSwan 5.9.8 value)', () => {
    expect(computeInitialIv('sha1', 8, strongswan.initiatorPublicValue, strongswan.responderPublicValue)).toEqual(strongswan.initialIv);
    expect(computeInitialIv('sha1', 16, strongswan.initiatorPublicValue, strongswan.responderPublicValue)).toEqual(
      hash('sha1', strongswan.initiatorPublicValue, strongswan.responderPublicValue).subarray(0, 16),
    );
  });

  it('starts at IV0, marked as such, for M-ID 0', () => {
    const chains = freshChains();
    expect(ivForMessage(chains, 0)).toEqual(strongswan.initialIv);
    expect(chains.phase1).toEqual({ block: strongswan.initialIv, source: 'initial-iv', encryptedMessages: 0 });
  });

  it('an encrypted Aggressive Mode message 3 makes its last ciphertext block the Phase 1 block', () => {
    const chains = advanceIvChains(freshChains(), 0, ciphertextEndingWith(strongswan.lastPhase1Block));
    expect(chains.phase1).toEqual({ block: strongswan.lastPhase1Block, source: 'last-ciphertext-block', encryptedMessages: 1 });
    expect(ivForMessage(chains, 0)).toEqual(strongswan.lastPhase1Block);
  });
});

describe('per-M-ID IVs', () => {
  it('the XAUTH REQUEST IV of the strongSwan exchange = hash(last Phase 1 block | M-ID)[:8]', () => {
    expect(computeMessageIdIv('sha1', 8, strongswan.lastPhase1Block, strongswan.xauthRequestMessageId)).toEqual(strongswan.xauthRequestIv);
    const chains = advanceIvChains(freshChains(), 0, ciphertextEndingWith(strongswan.lastPhase1Block));
    expect(ivForMessage(chains, strongswan.xauthRequestMessageId)).toEqual(strongswan.xauthRequestIv);
  });

  it('after a plaintext message 3 (racoon) every new M-ID is derived from IV0 itself', () => {
    const chains = freshChains(); // message 3 in clear: nothing advanced
    expect(chains.phase1.source).toBe('initial-iv');
    expect(ivForMessage(chains, strongswan.xauthRequestMessageId)).toEqual(
      hash('sha1', strongswan.initialIv, messageIdBytes(strongswan.xauthRequestMessageId)).subarray(0, 8),
    );
    expect(ivForMessage(chains, strongswan.xauthRequestMessageId)).not.toEqual(strongswan.xauthRequestIv);
  });

  it('chains inside one M-ID and leaves other M-IDs and Phase 1 alone', () => {
    const phase1Done = advanceIvChains(freshChains(), 0, ciphertextEndingWith(strongswan.lastPhase1Block));
    const request = hex('1111111111111111');
    const otherExchange = 0x12345678;
    const afterRequest = advanceIvChains(phase1Done, strongswan.xauthRequestMessageId, ciphertextEndingWith(request));
    expect(ivForMessage(afterRequest, strongswan.xauthRequestMessageId)).toEqual(request);
    expect(ivForMessage(afterRequest, otherExchange)).toEqual(computeMessageIdIv('sha1', 8, strongswan.lastPhase1Block, otherExchange));
    expect(afterRequest.phase1).toEqual(phase1Done.phase1);
  });

  it('is an immutable value: advancing returns a new state and leaves the old one usable', () => {
    const before = advanceIvChains(freshChains(), 0, ciphertextEndingWith(strongswan.lastPhase1Block));
    const after = advanceIvChains(before, strongswan.xauthRequestMessageId, ciphertextEndingWith(hex('2222222222222222')));
    expect(ivForMessage(before, strongswan.xauthRequestMessageId)).toEqual(strongswan.xauthRequestIv);
    expect(ivForMessage(after, strongswan.xauthRequestMessageId)).toEqual(hex('2222222222222222'));
    expect(before.exchanges.size).toBe(0);
  });

  it('an ended exchange restarts from the Phase 1 block if its M-ID comes back', () => {
    const phase1Done = advanceIvChains(freshChains(), 0, ciphertextEndingWith(strongswan.lastPhase1Block));
    const midExchange = advanceIvChains(phase1Done, strongswan.xauthRequestMessageId, ciphertextEndingWith(hex('3333333333333333')));
    const ended = endIvExchange(midExchange, strongswan.xauthRequestMessageId);
    expect(ivForMessage(ended, strongswan.xauthRequestMessageId)).toEqual(strongswan.xauthRequestIv);
    expect(endIvExchange(ended, 42)).toBe(ended);
  });

  it('refuses to advance on a ciphertext that is not whole blocks', () => {
    expect(() => advanceIvChains(freshChains(), 0, Buffer.alloc(12))).toThrow(RangeError);
  });
});
