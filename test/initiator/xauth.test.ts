import { describe, expect, it } from 'vitest';
import { attributePayload, emptyAttribute, textAttribute, tlvAttribute, tvAttribute } from '../../src/ike/codec/index.js';
import { CfgType, ModeCfgAttribute } from '../../src/ike/constants.js';
import { ZERO_PADDING_OR_NONE, ZERO_PADDING, createIvChains, decryptCbc } from '../../src/ike/crypto/index.js';
import {
  RACOON_XAUTH,
  STRONGSWAN_XAUTH,
  VPNC_XAUTH,
  answerTransaction,
  answerXauthRequest,
  answerXauthStatus,
  isXauthStatusSet,
  openTransaction,
  sealTransaction,
  type IsakmpSa,
} from '../../src/initiator/index.js';
import { strongswan } from '../ike/crypto/vectors.js';
import { attributesOf, loadCapture } from './support/captures.js';

const credentials = { userName: 'user1', password: 'password' };
const A = ModeCfgAttribute;

function opened(sa: IsakmpSa, bytes: Buffer) {
  const result = openTransaction(sa, bytes);
  if (!result.ok) throw new Error(`${result.failure.kind}: ${result.failure.text}`);
  return result.value;
}

describe('XAUTH against the captured gateway messages', () => {
  it('answers the REQUEST with the very bytes strongSwan 5.9 sent (REPLY identifier 0, no XAUTH-TYPE)', () => {
    const capture = loadCapture('strongswan-push');
    const request = opened(capture.sa, capture.message(4).bytes);
    expect(request.attributes).toMatchObject({ cfgType: CfgType.REQUEST, identifier: 0 });
    const answer = answerXauthRequest(request.attributes, credentials, STRONGSWAN_XAUTH);
    if (!answer.ok) throw new Error(answer.text);
    expect(answerTransaction(request, answer.reply, ZERO_PADDING).bytes).toEqual(capture.message(5).bytes);
  });

  it('acknowledges STATUS=OK with the very bytes strongSwan 5.9 sent (STATUS as an empty TLV)', () => {
    const capture = loadCapture('strongswan-push');
    const set = opened(capture.sa, capture.message(6).bytes);
    expect(isXauthStatusSet(set.attributes)).toBe(true);
    const answer = answerXauthStatus(set.attributes, STRONGSWAN_XAUTH);
    if (!answer.ok) throw new Error(answer.text);
    expect(answer.status).toBe('ok');
    expect(answerTransaction(set, answer.ack, ZERO_PADDING).bytes).toEqual(capture.message(7).bytes);
  });

  it('answers REQUEST and SET with the very bytes vpnc 0.5.3 sent (ACK echoes the TV STATUS)', () => {
    const capture = loadCapture('vpnc-0.5.3');
    const request = opened(capture.sa, capture.message(4).bytes);
    const reply = answerXauthRequest(request.attributes, credentials, VPNC_XAUTH);
    if (!reply.ok) throw new Error(reply.text);
    expect(answerTransaction(request, reply.reply, ZERO_PADDING_OR_NONE).bytes).toEqual(capture.message(5).bytes);
    const set = opened(capture.sa, capture.message(6).bytes);
    const ack = answerXauthStatus(set.attributes, VPNC_XAUTH);
    if (!ack.ok) throw new Error(ack.text);
    expect(answerTransaction(set, ack.ack, ZERO_PADDING_OR_NONE).bytes).toEqual(capture.message(7).bytes);
    expect(attributesOf(capture.message(7)).attributes).toEqual([tvAttribute(A.XAUTH_STATUS, 1)]);
  });

  it('encrypts the first message of a new M-ID with hash(last Phase 1 block | M-ID) (vector 4b)', () => {
    const sa: IsakmpSa = {
      ...loadCapture('strongswan-push').sa,
      keys: { skeyid: strongswan.skeyid, skeyidD: strongswan.skeyidD, skeyidA: strongswan.skeyidA, skeyidE: strongswan.skeyidE, encryptionKey: strongswan.encryptionKey },
      saCipher: { cipher: '3des-cbc', encryptionKey: strongswan.encryptionKey },
      ivChains: { ...createIvChains('sha1', 8, strongswan.initiatorPublicValue, strongswan.responderPublicValue), phase1: { block: strongswan.lastPhase1Block, source: 'last-ciphertext-block', encryptedMessages: 1 } },
    };
    const sealed = sealTransaction(sa, strongswan.xauthRequestMessageId, attributePayload(CfgType.REQUEST, [emptyAttribute(A.XAUTH_USER_NAME)]), ZERO_PADDING);
    const decrypted = decryptCbc('3des-cbc', strongswan.encryptionKey, strongswan.xauthRequestIv, sealed.bytes.subarray(28));
    expect(decrypted.ok && decrypted.plaintext.subarray(24, 36)).toEqual(Buffer.from('0000000c0100000040890000', 'hex'));
  });
});

describe('answerXauthRequest', () => {
  const request = attributePayload(CfgType.REQUEST, [tvAttribute(A.XAUTH_TYPE, 0), emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_USER_PASSWORD)], 0x1234);

  it('echoes XAUTH-TYPE and the identifier as racoon does', () => {
    const answer = answerXauthRequest(request, credentials, RACOON_XAUTH);
    expect(answer.ok && answer.reply).toEqual(
      attributePayload(CfgType.REPLY, [tvAttribute(A.XAUTH_TYPE, 0), textAttribute(A.XAUTH_USER_NAME, 'user1'), textAttribute(A.XAUTH_USER_PASSWORD, 'password')], 0x1234),
    );
  });

  it('leaves XAUTH-TYPE out and replies with identifier 0 as strongSwan does', () => {
    const answer = answerXauthRequest(request, credentials, STRONGSWAN_XAUTH);
    expect(answer.ok && answer.reply).toEqual(attributePayload(CfgType.REPLY, [textAttribute(A.XAUTH_USER_NAME, 'user1'), textAttribute(A.XAUTH_USER_PASSWORD, 'password')], 0));
  });

  it('passes on the gateway\'s XAUTH-MESSAGE text', () => {
    const withMessage = attributePayload(CfgType.REQUEST, [textAttribute(A.XAUTH_MESSAGE, 'Enter your password'), emptyAttribute(A.XAUTH_USER_NAME)]);
    const answer = answerXauthRequest(withMessage, credentials, VPNC_XAUTH);
    expect(answer.ok && answer.message).toBe('Enter your password');
  });

  it('cannot answer another XAUTH type, a passcode or a challenge', () => {
    const chap = attributePayload(CfgType.REQUEST, [tvAttribute(A.XAUTH_TYPE, 1), emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_PASSCODE)]);
    const answer = answerXauthRequest(chap, credentials, STRONGSWAN_XAUTH);
    expect(answer).toMatchObject({ ok: false, unsupported: ['XAUTH-TYPE 1', 'XAUTH-PASSCODE'] });
  });
});

describe('answerXauthStatus', () => {
  const set = (status: number, identifier = 7) => attributePayload(CfgType.SET, [tvAttribute(A.XAUTH_STATUS, status)], identifier);

  it('reports STATUS=FAIL, still acknowledging it', () => {
    const answer = answerXauthStatus(set(0), STRONGSWAN_XAUTH);
    expect(answer).toMatchObject({ ok: true, status: 'failed', ack: { cfgType: CfgType.ACK, identifier: 7 } });
  });

  it('writes the ACK\'s STATUS in each client\'s form', () => {
    const statusOf = (behaviour: typeof STRONGSWAN_XAUTH) => {
      const answer = answerXauthStatus(set(1), behaviour);
      return answer.ok ? answer.ack.attributes : undefined;
    };
    expect(statusOf(STRONGSWAN_XAUTH)).toEqual([emptyAttribute(A.XAUTH_STATUS)]);
    expect(statusOf(VPNC_XAUTH)).toEqual([tvAttribute(A.XAUTH_STATUS, 1)]);
    expect(statusOf(RACOON_XAUTH)).toEqual([tvAttribute(A.XAUTH_STATUS, 0)]);
  });

  it('refuses a status SET with more than STATUS, or a TLV STATUS, only when the behaviour is strict like vpnc', () => {
    const crowded = attributePayload(CfgType.SET, [tvAttribute(A.XAUTH_STATUS, 1), tlvAttribute(A.INTERNAL_IP4_ADDRESS, Buffer.from([10, 1, 1, 110]))]);
    const long = attributePayload(CfgType.SET, [tlvAttribute(A.XAUTH_STATUS, Buffer.from([0, 1]))]);
    expect(answerXauthStatus(crowded, VPNC_XAUTH).ok).toBe(false);
    expect(answerXauthStatus(long, VPNC_XAUTH).ok).toBe(false);
    expect(answerXauthStatus(crowded, STRONGSWAN_XAUTH)).toMatchObject({ ok: true, status: 'ok' });
    expect(answerXauthStatus(long, STRONGSWAN_XAUTH)).toMatchObject({ ok: true, status: 'ok' });
  });

  it('tells a mode-cfg SET from the XAUTH verdict', () => {
    expect(isXauthStatusSet(attributePayload(CfgType.SET, [tlvAttribute(A.INTERNAL_IP4_ADDRESS, Buffer.from([10, 1, 1, 110]))]))).toBe(false);
    expect(answerXauthStatus(attributePayload(CfgType.SET, []), STRONGSWAN_XAUTH).ok).toBe(false);
  });
});
