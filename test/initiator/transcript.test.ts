import { describe, expect, it } from 'vitest';
import { attributePayload, deletePayload, emptyAttribute, ipsecProposal, ipsecTransform, natDPayload, notifyPayload, saPayload, vendorIdPayload } from '../../src/ike/codec/index.js';
import { AuthAlgorithm, CfgType, EncapsulationMode, EspTransformId, ModeCfgAttribute, NotifyType, ProtocolId } from '../../src/ike/constants.js';
import { describePayload, formatTranscriptEntry, transcriptEntry } from '../../src/initiator/index.js';

describe('transcript', () => {
  it('names each payload by what matters when reading a failed exchange', () => {
    expect(describePayload(notifyPayload({ notifyType: NotifyType.INITIAL_CONTACT }))).toBe('N(INITIAL-CONTACT)');
    expect(describePayload(deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [Buffer.alloc(16)] }))).toBe('D(ISAKMP)');
    expect(describePayload(vendorIdPayload('CISCO_UNITY'))).toBe('VID(CISCO-UNITY)');
    expect(describePayload(vendorIdPayload(Buffer.from('126e1f577291153b20485f7f155b4bc8', 'hex')))).toBe('VID(126e1f577291153b)');
    expect(describePayload(natDPayload(Buffer.alloc(20), { draft: true }))).toBe('NAT-D(draft)');
    expect(describePayload(attributePayload(CfgType.SET, [emptyAttribute(ModeCfgAttribute.INTERNAL_IP4_ADDRESS)]))).toBe('ATTR(SET: INTERNAL-IP4-ADDRESS)');
  });

  it('reads Quick Mode transforms with the IPsec DOI tables, not the Phase 1 ones (AES-128/HMAC-SHA1 is not DES/MODP-768)', () => {
    const transform = ipsecTransform({ transformId: EspTransformId.ESP_AES, keyLength: 128, authAlgorithm: AuthAlgorithm.HMAC_SHA, encapsulationMode: EncapsulationMode.TUNNEL, lifeSeconds: 28800 });
    const described = describePayload(saPayload([ipsecProposal({ spi: Buffer.alloc(4), transforms: [transform] })]));
    expect(described).toBe('SA(IPSEC-ESP #1 [ESP-AES/128 HMAC-SHA TUNNEL 28800s])');
    expect(described).not.toMatch(/DES-CBC|MODP-768/);
  });

  it('prints one line per message with direction, path, protection and note', () => {
    const entry = transcriptEntry('sent', 'nat-t', { exchangeType: 5, messageId: 0x1234, encrypted: true, length: 76, payloads: [notifyPayload({ notifyType: NotifyType.R_U_THERE })] }, 'DPD');
    expect(formatTranscriptEntry(entry, 12.4)).toBe('+12ms -> nat-t INFORMATIONAL* 0x00001234 [N(R-U-THERE)] 76B  DPD');
  });
});
