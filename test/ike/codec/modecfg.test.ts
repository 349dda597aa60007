import { describe, expect, it } from 'vitest';
import {
  attributePayload,
  decodePayloadChain,
  emptyAttribute,
  encodePayloadBody,
  encodePayloads,
  ipv4Attribute,
  textAttribute,
  tvAttribute,
} from '../../../src/ike/codec/index.js';
import { CfgType, ModeCfgAttribute, PayloadType, XauthStatus } from '../../../src/ike/constants.js';
import { decodeChain, expectError, hex, withGenericHeader, withoutReceivedBytes } from './fixtures.js';

// Attribute payload bodies strongSwan 5.9.8 sent, from decrypted traffic (ikev1-notes.md §3).
const strongswanBodies = {
  xauthRequest: hex('01 00 0000 4089 0000 408a 0000'),
  xauthSet: hex('03 00 0000 c08f 0001'),
  xauthAck: hex('04 00 0000 408f 0000'),
  modeCfgSet: hex('03 00 0000 0001 0004 0a080001 0003 0004 0a080001'),
  modeCfgAck: hex('04 00 0000 0001 0000'),
};

describe('Attribute payload for XAUTH and mode-cfg (draft-dukes-ike-mode-cfg-02 §3.2)', () => {
  it('builds strongSwan\'s XAUTH exchange bodies', () => {
    const { XAUTH_USER_NAME, XAUTH_USER_PASSWORD, XAUTH_STATUS } = ModeCfgAttribute;
    const request = attributePayload(CfgType.REQUEST, [emptyAttribute(XAUTH_USER_NAME), emptyAttribute(XAUTH_USER_PASSWORD)]);
    expect(encodePayloadBody(request)).toEqual(strongswanBodies.xauthRequest);
    const set = attributePayload(CfgType.SET, [tvAttribute(XAUTH_STATUS, XauthStatus.OK)]);
    expect(encodePayloadBody(set)).toEqual(strongswanBodies.xauthSet);
    expect(encodePayloadBody(attributePayload(CfgType.ACK, [emptyAttribute(XAUTH_STATUS)]))).toEqual(strongswanBodies.xauthAck);
  });

  it('builds strongSwan\'s mode-cfg push SET and its ACK', () => {
    const set = attributePayload(CfgType.SET, [
      ipv4Attribute(ModeCfgAttribute.INTERNAL_IP4_ADDRESS, '10.8.0.1'),
      ipv4Attribute(ModeCfgAttribute.INTERNAL_IP4_DNS, '10.8.0.1'),
    ]);
    expect(encodePayloadBody(set)).toEqual(strongswanBodies.modeCfgSet);
    expect(encodePayloadBody(attributePayload(CfgType.ACK, [emptyAttribute(ModeCfgAttribute.INTERNAL_IP4_ADDRESS)]))).toEqual(
      strongswanBodies.modeCfgAck,
    );
  });

  it.each(Object.entries(strongswanBodies))('decodes and re-encodes %s exactly', (_name, body) => {
    const payload = withGenericHeader(body);
    const [decoded] = decodeChain(PayloadType.ATTRIBUTE, payload).payloads;
    expect(decoded?.type).toBe('attributes');
    expect(decoded?.body).toEqual(body);
    expect(encodePayloads([decoded!])).toEqual(payload);
  });

  it('keeps the identifier (vpnc REQUESTs use 20) and a REPLY\'s values', () => {
    const reply = attributePayload(
      CfgType.REPLY,
      [textAttribute(ModeCfgAttribute.XAUTH_USER_NAME, 'user1'), textAttribute(ModeCfgAttribute.XAUTH_USER_PASSWORD, 'password')],
      20,
    );
    const [decoded] = decodeChain(PayloadType.ATTRIBUTE, encodePayloads([reply])).payloads;
    expect(withoutReceivedBytes(decoded!)).toEqual(reply);
  });

  it('reports an attribute payload shorter than its 4 fixed bytes as malformed', () => {
    expect(expectError(decodePayloadChain(PayloadType.ATTRIBUTE, hex('00 00 0006 0300')))).toMatchObject({
      kind: 'malformed-payload',
      payloadType: PayloadType.ATTRIBUTE,
    });
  });

  // libreswan 4.10 ACKs a SET with values and pads the payload to 4 bytes (ikev1-notes §5):
  // ADDRESS 10.1.1.0, a 14-byte CISCO-SPLIT-INC entry, then 2 zero bytes.
  const libreswanAck = hex('04 00 0000 0001 0004 0a010100 7004 000e 0a010100 ffffff00 000000000000 0000');

  it('keeps 1-3 zero bytes after the last attribute as padding (libreswan ikepad), and writes them back', () => {
    const [decoded] = decodeChain(PayloadType.ATTRIBUTE, withGenericHeader(libreswanAck)).payloads;
    expect(decoded).toMatchObject({ type: 'attributes', cfgType: CfgType.ACK, padding: hex('0000') });
    expect(decoded?.type === 'attributes' && decoded.attributes.map((attribute) => attribute.type)).toEqual([ModeCfgAttribute.INTERNAL_IP4_ADDRESS, 0x7004]);
    expect(encodePayloadBody(withoutReceivedBytes(decoded!))).toEqual(libreswanAck);
  });

  it('still refuses an attribute cut short: 4 or more bytes left must be a whole attribute', () => {
    expect(expectError(decodePayloadChain(PayloadType.ATTRIBUTE, withGenericHeader(hex('04 00 0000 0001 0004 0a01'))))).toMatchObject({ kind: 'malformed-payload' });
  });
});
