import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authMethodName,
  cfgTypeName,
  encryptionAlgorithmName,
  exchangeTypeName,
  modeCfgAttributeName,
  notifyTypeName,
  payloadTypeName,
  VendorId,
  vendorIdBytes,
  vendorIdName,
} from '../../../src/ike/constants.js';
import { hex } from './fixtures.js';

describe('names for logs', () => {
  it('spells payload, exchange, notify and cfg types as the RFCs do', () => {
    expect(payloadTypeName(8)).toBe('HASH');
    expect(payloadTypeName(13)).toBe('VENDOR-ID');
    expect(payloadTypeName(130)).toBe('NAT-D-DRAFT');
    expect(exchangeTypeName(4)).toBe('AGGRESSIVE');
    expect(exchangeTypeName(6)).toBe('TRANSACTION');
    expect(notifyTypeName(14)).toBe('NO-PROPOSAL-CHOSEN');
    expect(notifyTypeName(36136)).toBe('R-U-THERE');
    expect(cfgTypeName(4)).toBe('ACK');
    expect(modeCfgAttributeName(16527)).toBe('XAUTH-STATUS');
    expect(modeCfgAttributeName(28676)).toBe('UNITY-SPLIT-INCLUDE');
  });

  it('uses the usual names where the RFC name is not an identifier', () => {
    expect(encryptionAlgorithmName(5)).toBe('3DES-CBC');
    expect(authMethodName(65001)).toBe('XAUTHInitPreShared');
    expect(authMethodName(1)).toBe('PRE-SHARED-KEY');
  });

  it('names values outside the tables by their number', () => {
    expect(payloadTypeName(99)).toBe('99');
    expect(notifyTypeName(40000)).toBe('40000');
  });
});

describe('well-known vendor IDs', () => {
  it.each([
    ['NAT_T_RFC3947', 'RFC 3947'],
    ['NAT_T_DRAFT_00', 'draft-ietf-ipsec-nat-t-ike-00'],
    ['NAT_T_DRAFT_01', 'draft-ietf-ipsec-nat-t-ike-01'],
    ['NAT_T_DRAFT_02', 'draft-ietf-ipsec-nat-t-ike-02'],
    ['NAT_T_DRAFT_02_N', 'draft-ietf-ipsec-nat-t-ike-02\n'],
    ['NAT_T_DRAFT_03', 'draft-ietf-ipsec-nat-t-ike-03'],
  ] as const)('%s is MD5 of %j', (name, text) => {
    expect(vendorIdBytes(name)).toEqual(createHash('md5').update(text).digest());
  });

  it('derives the prefix-matched IDs from MD5 of their names too', () => {
    const md5 = (text: string) => createHash('md5').update(text).digest();
    expect(vendorIdBytes('XAUTH')).toEqual(md5('draft-ietf-ipsra-isakmp-xauth-06.txt').subarray(0, 8));
    expect(vendorIdBytes('CISCO_UNITY').subarray(0, 14)).toEqual(md5('CISCO-UNITY').subarray(0, 14));
    expect(vendorIdBytes('FRAGMENTATION').subarray(0, 16)).toEqual(md5('FRAGMENTATION'));
  });

  it('recognises IDs by their identifying prefix, whatever version or flags follow', () => {
    expect(vendorIdName(hex('09002689dfd6b71280a224dec33b81e5'))).toBe('XAUTH'); // Wireshark's full form
    expect(vendorIdName(hex('afcad71368a1f1c96b8696fc77570200'))).toBe('DPD');
    expect(vendorIdName(hex('4048b7d56ebce88525e7de7f00d6c2d3c0000000'))).toBe('FRAGMENTATION');
  });

  it('recognises nothing from a shorter or unknown ID', () => {
    expect(vendorIdName(hex('09002689dfd6b7'))).toBeUndefined();
    expect(vendorIdName(hex('4a131c81070358455c5728f20e95452e'))).toBeUndefined();
  });

  it('hands out a fresh buffer each time, so no caller can corrupt the table', () => {
    const first = vendorIdBytes('DPD');
    first.fill(0);
    expect(vendorIdBytes('DPD').toString('hex')).toBe(VendorId.DPD.hex);
  });
});
