import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExchangeType, IdType, PayloadType } from '../../src/ike/constants.js';
import { decodeHeader, decodeMessage, hashPayload, idPayload, kePayload, noncePayload, natDPayload, saPayload, isakmpProposal, phase1Transform, vendorIdPayload, notifyPayload } from '../../src/ike/codec/index.js';
import { createIvChains, ZERO_PADDING, type Phase1AuthContext } from '../../src/ike/crypto/index.js';
import {
  encodeMainModeClearMessage,
  openIdentityMessage,
  readKeyExchangeMessage,
  readOfferMessage,
  sealIdentityMessage,
  verifyHashI,
  verifyHashR,
} from '../../src/ike/main-mode.js';
import { strongswan } from './crypto/vectors.js';

// The keys of a live strongSwan exchange (test/ike/crypto/vectors.ts): RFC 2409 gives Main and
// Aggressive Mode the same SKEYID chain, HASH_I, HASH_R and IV0, so its values hold here too.
const authContext: Phase1AuthContext = {
  hash: 'sha1',
  skeyid: strongswan.skeyid,
  initiatorPublicValue: strongswan.initiatorPublicValue,
  responderPublicValue: strongswan.responderPublicValue,
  initiatorCookie: strongswan.initiatorCookie,
  responderCookie: strongswan.responderCookie,
  initiatorSaBody: strongswan.initiatorSaBody,
};
const cookies = { initiatorCookie: strongswan.initiatorCookie, responderCookie: strongswan.responderCookie };
const cipher = { cipher: '3des-cbc' as const, encryptionKey: strongswan.encryptionKey };
const chainsAtIv0 = () => createIvChains('sha1', 8, strongswan.initiatorPublicValue, strongswan.responderPublicValue);

/** 3DES-CBC decryption by node:crypto alone, as a second opinion on the module's own chain. */
function decrypt3des(key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  const decipher = createDecipheriv('des-ede3-cbc', key, iv);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

describe('Main Mode messages 1 to 4 (in clear)', () => {
  it('carry exchange type 2 (Identity Protection), M-ID 0 and no flags', () => {
    const sa = saPayload([isakmpProposal([phase1Transform({ encryption: 5, hash: 2, group: 2, authMethod: 1, lifeSeconds: 28800 }, 1)])]);
    const bytes = encodeMainModeClearMessage({ initiatorCookie: cookies.initiatorCookie, responderCookie: Buffer.alloc(8) }, [sa, vendorIdPayload('NAT_T_RFC3947')]);
    const header = decodeHeader(bytes);
    expect(header.ok && header.value).toMatchObject({ exchangeType: ExchangeType.IDENTITY_PROTECTION, messageId: 0, flags: 0, nextPayload: PayloadType.SA });
    const message = decodeMessage(bytes);
    if (!message.ok || message.value.kind !== 'cleartext') throw new Error('not decoded');
    const offer = readOfferMessage(message.value.payloads);
    expect(offer.ok && offer.vendorIds).toHaveLength(1);
  });

  it('message 1 without an SA is refused by name', () => {
    expect(readOfferMessage([])).toEqual({ ok: false, missing: ['SA'] });
  });

  it('message 3 yields the KE, the nonce and the NAT-D hashes as received', () => {
    const bytes = encodeMainModeClearMessage(cookies, [kePayload(strongswan.initiatorPublicValue), noncePayload(strongswan.initiatorNonce), natDPayload(Buffer.alloc(20, 1)), natDPayload(Buffer.alloc(20, 2))]);
    const message = decodeMessage(bytes);
    if (!message.ok || message.value.kind !== 'cleartext') throw new Error('not decoded');
    const reading = readKeyExchangeMessage(message.value.payloads);
    if (!reading.ok) throw new Error(reading.missing.join());
    expect(reading.ke.keyData).toEqual(strongswan.initiatorPublicValue);
    expect(reading.nonce.body).toEqual(strongswan.initiatorNonce);
    expect(reading.natDiscovery.map((natD) => natD.hash[0])).toEqual([1, 2]);
  });

  it('message 3 without a nonce names what is missing', () => {
    expect(readKeyExchangeMessage([])).toEqual({ ok: false, missing: ['KE', 'NONCE'] });
  });
});

describe('Main Mode messages 5 and 6 (encrypted identities)', () => {
  const initiatorId = idPayload({ kind: 'ipv4-address', address: '10.99.0.2' });
  const responderId = idPayload({ kind: 'ipv4-address', address: '10.99.0.1' });

  it('message 5 is encrypted with IV0 = SHA-1(g^xi | g^xr) truncated to the block, starting with ID', () => {
    const sealed = sealIdentityMessage(cipher, chainsAtIv0(), cookies, [initiatorId, hashPayload(Buffer.alloc(20, 7))], ZERO_PADDING);
    const header = decodeHeader(sealed.bytes);
    expect(header.ok && header.value).toMatchObject({ exchangeType: ExchangeType.IDENTITY_PROTECTION, flags: 1, messageId: 0, nextPayload: PayloadType.ID });
    const plaintext = decrypt3des(strongswan.encryptionKey, strongswan.initialIv, sealed.bytes.subarray(28));
    // ID payload: next payload HASH (8), then the ID body: type IPV4_ADDR, protocol 0, port 0, 10.99.0.2.
    expect(plaintext.subarray(0, 12).toString('hex')).toBe(`0800000c${IdType.IPV4_ADDR.toString(16).padStart(2, '0')}0000000a630002`);
  });

  it('message 6 is encrypted with the last cipher block of message 5, and Phase 2 chains from message 6', () => {
    const five = sealIdentityMessage(cipher, chainsAtIv0(), cookies, [initiatorId, hashPayload(Buffer.alloc(20, 7))], ZERO_PADDING);
    const six = sealIdentityMessage(cipher, five.ivChains, cookies, [responderId, hashPayload(Buffer.alloc(20, 8))], ZERO_PADDING);
    const fiveCiphertext = five.bytes.subarray(28);
    const sixCiphertext = six.bytes.subarray(28);
    const plaintext = decrypt3des(strongswan.encryptionKey, fiveCiphertext.subarray(-8), sixCiphertext);
    expect(plaintext.subarray(8, 12)).toEqual(Buffer.from([10, 99, 0, 1]));
    expect(six.ivChains.phase1.block).toEqual(sixCiphertext.subarray(-8));
    expect(six.ivChains.phase1.encryptedMessages).toBe(2);
  });

  it('opens what it sealed, returning the ID and HASH as received and the advanced chain', () => {
    const hashI = Buffer.alloc(20, 9);
    const sealed = sealIdentityMessage(cipher, chainsAtIv0(), cookies, [initiatorId, hashPayload(hashI), notifyPayload({ notifyType: 24578, spi: Buffer.concat([cookies.initiatorCookie, cookies.responderCookie]) })], ZERO_PADDING);
    const message = decodeMessage(sealed.bytes);
    if (!message.ok) throw new Error(message.error.text);
    const opened = openIdentityMessage(cipher, chainsAtIv0(), message.value);
    if (!opened.ok) throw new Error(opened.detail);
    expect(opened.hash.hash).toEqual(hashI);
    expect(opened.id.body.subarray(4)).toEqual(Buffer.from([10, 99, 0, 2]));
    expect(opened.payloads.map((payload) => payload.type)).toEqual(['id', 'hash', 'notify']);
    expect(opened.ivChains.phase1.block).toEqual(sealed.ivChains.phase1.block);
  });

  it('a message 5 sent in clear is refused: the identities must be protected', () => {
    const bytes = encodeMainModeClearMessage(cookies, [initiatorId, hashPayload(Buffer.alloc(20))]);
    const message = decodeMessage(bytes);
    if (!message.ok) throw new Error(message.error.text);
    expect(openIdentityMessage(cipher, chainsAtIv0(), message.value)).toMatchObject({ ok: false, problem: 'not-encrypted' });
  });

  it('under another key the message does not open (noise is no payload chain)', () => {
    const sealed = sealIdentityMessage(cipher, chainsAtIv0(), cookies, [initiatorId, hashPayload(Buffer.alloc(20, 7))], ZERO_PADDING);
    const message = decodeMessage(sealed.bytes);
    if (!message.ok) throw new Error(message.error.text);
    const wrongKey = { cipher: '3des-cbc' as const, encryptionKey: Buffer.alloc(24, 0x5a) };
    expect(openIdentityMessage(wrongKey, chainsAtIv0(), message.value)).toMatchObject({ ok: false, problem: 'undecryptable' });
  });

  it('refuses to seal a message that does not start with the ID', () => {
    expect(() => sealIdentityMessage(cipher, chainsAtIv0(), cookies, [hashPayload(Buffer.alloc(20))], ZERO_PADDING)).toThrow(RangeError);
  });

  it('HASH_I and HASH_R of a live exchange verify over the ID bodies, and only over them', () => {
    expect(verifyHashI(authContext, strongswan.initiatorIdBody, strongswan.hashI)).toBe(true);
    expect(verifyHashR(authContext, strongswan.responderIdBody, strongswan.hashR)).toBe(true);
    expect(verifyHashI(authContext, strongswan.responderIdBody, strongswan.hashI)).toBe(false);
    expect(verifyHashR(authContext, strongswan.responderIdBody, strongswan.hashI)).toBe(false);
  });
});
