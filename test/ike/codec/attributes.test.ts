import { describe, expect, it } from 'vitest';
import {
  attributeIpv4,
  attributeNumber,
  attributePayload,
  attributeText,
  emptyAttribute,
  encodePayloadBody,
  findAttribute,
  ipv4Attribute,
  numberAttribute,
  textAttribute,
  tlvAttribute,
  tvAttribute,
  decodePayloadChain,
  encodePayloads,
  type DataAttribute,
} from '../../../src/ike/codec/index.js';
import { ModeCfgAttribute, PayloadType } from '../../../src/ike/constants.js';
import { decodeChain, expectError, hex, withGenericHeader } from './fixtures.js';

/** Attributes ride in an ATTR payload here: cfg type SET, identifier 0, then the list. */
function encodeIn(attributes: DataAttribute[]): Buffer {
  return encodePayloads([attributePayload(3, attributes)]);
}
function encodeInAttributePayload(attributes: DataAttribute[]): Buffer {
  return encodeIn(attributes).subarray(4 + 4); // skip the generic header and the cfg header
}
function decodeAttributes(listBytes: Buffer): DataAttribute[] {
  const payload = withGenericHeader(Buffer.concat([hex('03 00 0000'), listBytes]));
  const [decoded] = decodeChain(PayloadType.ATTRIBUTE, payload).payloads;
  if (decoded?.type !== 'attributes') throw new Error('expected an attribute payload');
  return decoded.attributes;
}

describe('data attributes (RFC 2408 §3.3)', () => {
  it('writes TV with the AF bit and the value in place of the length', () => {
    expect(encodeInAttributePayload([tvAttribute(ModeCfgAttribute.XAUTH_STATUS, 1)])).toEqual(hex('c08f 0001'));
  });

  it('writes TLV without the AF bit, then length and value', () => {
    expect(encodeInAttributePayload([ipv4Attribute(ModeCfgAttribute.INTERNAL_IP4_ADDRESS, '10.8.0.1')])).toEqual(
      hex('0001 0004 0a080001'),
    );
  });

  it('keeps the TV/TLV choice: a status sent as an empty TLV comes back as an empty TLV', () => {
    // strongSwan's XAUTH ACK carries STATUS as a 0-length TLV where the SET had a TV.
    const list = hex('408f 0000 c08f 0001');
    const attributes = decodeAttributes(list);
    expect(attributes).toEqual([
      { format: 'tlv', type: ModeCfgAttribute.XAUTH_STATUS, value: Buffer.alloc(0) },
      { format: 'tv', type: ModeCfgAttribute.XAUTH_STATUS, value: 1 },
    ]);
    expect(encodeInAttributePayload(attributes)).toEqual(list);
  });

  it('keeps attribute order as received (vpnc sends KEY_LENGTH before ENCRYPTION)', () => {
    const list = hex('800e 0100 8001 0007 8002 0002');
    expect(decodeAttributes(list).map((attribute) => attribute.type)).toEqual([14, 1, 2]);
    expect(encodeInAttributePayload(decodeAttributes(list))).toEqual(list);
  });

  it('decodes a TLV value as a view of the received bytes', () => {
    const [attribute] = decodeAttributes(hex('4089 0005 7573657231'));
    expect(attribute).toEqual({ format: 'tlv', type: ModeCfgAttribute.XAUTH_USER_NAME, value: Buffer.from('user1') });
  });

  it('reports a TLV whose length passes the end of its payload as malformed, at the attribute', () => {
    const payload = hex('00 00 000f 03 00 0000  4089 0006 757365');
    const error = expectError(decodePayloadChain(PayloadType.ATTRIBUTE, payload));
    expect(error).toMatchObject({ kind: 'malformed-payload', payloadType: PayloadType.ATTRIBUTE });
    expect(error.text).toContain('declares 6 value bytes');
  });

  it('reports an attribute header cut in half as malformed', () => {
    const payload = hex('00 00 000a 03 00 0000  c08f');
    const error = expectError(decodePayloadChain(PayloadType.ATTRIBUTE, payload));
    expect(error).toMatchObject({ kind: 'malformed-payload', offset: 10 });
  });

  it('encodes a 0-length TLV for what a REQUEST asks and an ACK acknowledges', () => {
    expect(encodePayloadBody(attributePayload(1, [emptyAttribute(16521), emptyAttribute(16522)]))).toEqual(
      hex('01 00 0000 4089 0000 408a 0000'),
    );
  });
});

describe('attribute builders and readers', () => {
  it('numberAttribute picks TV up to 0xffff and a 4-byte TLV above', () => {
    expect(numberAttribute(12, 0xffff)).toEqual({ format: 'tv', type: 12, value: 0xffff });
    expect(numberAttribute(12, 2147483)).toEqual({ format: 'tlv', type: 12, value: hex('0020c49b') });
  });

  it('refuses values the wire cannot carry', () => {
    expect(() => tvAttribute(1, 0x10000)).toThrow(RangeError);
    expect(() => numberAttribute(1, 2 ** 32)).toThrow(RangeError);
    expect(() => encodeIn([tvAttribute(0x8000, 1)])).toThrow(RangeError);
    expect(() => encodeIn([tlvAttribute(1, Buffer.alloc(0x10000))])).toThrow(RangeError);
  });

  it('reads a number from TV and from TLV of 1..6 bytes, nothing from an empty or long TLV', () => {
    expect(attributeNumber(tvAttribute(1, 5))).toBe(5);
    expect(attributeNumber(tlvAttribute(1, hex('0020c49b')))).toBe(2147483);
    expect(attributeNumber(tlvAttribute(1, hex('01')))).toBe(1);
    expect(attributeNumber(emptyAttribute(1))).toBeUndefined();
    expect(attributeNumber(tlvAttribute(1, Buffer.alloc(7)))).toBeUndefined();
  });

  it('reads text and IPv4 addresses from TLVs only', () => {
    expect(attributeText(textAttribute(16521, 'user1'))).toBe('user1');
    expect(attributeText(tvAttribute(16521, 1))).toBeUndefined();
    expect(attributeIpv4(ipv4Attribute(1, '192.0.2.1'))).toBe('192.0.2.1');
    expect(attributeIpv4(tlvAttribute(1, hex('c00002')))).toBeUndefined();
  });

  it('finds the first attribute of a type', () => {
    const attributes = [tvAttribute(1, 5), tvAttribute(2, 2), tvAttribute(1, 7)];
    expect(findAttribute(attributes, 1)).toEqual(tvAttribute(1, 5));
    expect(findAttribute(attributes, 3)).toBeUndefined();
  });
});
