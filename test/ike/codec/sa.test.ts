import { describe, expect, it } from 'vitest';
import {
  decodePayloadChain,
  encodePayloadBody,
  encodePayloads,
  ipsecProposal,
  ipsecTransform,
  isakmpProposal,
  phase1Transform,
  saPayload,
  tvAttribute,
  type SaPayload,
} from '../../../src/ike/codec/index.js';
import {
  AuthAlgorithm,
  AuthMethod,
  DhGroup,
  EncapsulationMode,
  EncryptionAlgorithm,
  EspTransformId,
  HashAlgorithm,
  PayloadType,
  ProtocolId,
} from '../../../src/ike/constants.js';
import { decodeChain, expectError, hex, withGenericHeader, withoutReceivedBytes } from './fixtures.js';

// SAi_b of the live strongSwan exchange in ikev1-notes.md §4b: one proposal, one KEY_IKE transform
// with 3DES, SHA, group 2, XAUTHInitPreShared and a life of 15840 seconds.
const strongswanSaBody = hex(
  '00000001 00000001' + // DOI IPsec, situation identity only
    '00 00 0028 01 01 00 01' + // last proposal, length 40, #1, ISAKMP, no SPI, 1 transform
    '00 00 0020 01 01 0000' + // last transform, length 32, #1, KEY_IKE
    '8001 0005 8002 0002 8004 0002 8003 fde9 800b 0001 800c 3de0',
);

const decodeSa = (body: Buffer) => decodePayloadChain(PayloadType.SA, withGenericHeader(body));

describe('SA payload with proposals and transforms (RFC 2408 §3.4-3.6)', () => {
  it('decodes strongSwan\'s phase 1 SA', () => {
    const [sa] = decodeChain(PayloadType.SA, withGenericHeader(strongswanSaBody)).payloads;
    expect(sa).toMatchObject({ type: 'sa', doi: 1, situation: 1 });
    const proposals = (sa as SaPayload).proposals;
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ proposalNumber: 1, protocolId: ProtocolId.ISAKMP, spi: Buffer.alloc(0) });
    expect(proposals[0]?.transforms).toEqual([
      {
        transformNumber: 1,
        transformId: 1,
        attributes: [
          tvAttribute(1, 5),
          tvAttribute(2, 2),
          tvAttribute(4, 2),
          tvAttribute(3, 65001),
          tvAttribute(11, 1),
          tvAttribute(12, 15840),
        ],
      },
    ]);
  });

  it('builds the same bytes from phase1Transform and the builders', () => {
    const sa = saPayload([
      isakmpProposal([
        phase1Transform({
          encryption: EncryptionAlgorithm.TRIPLE_DES_CBC,
          hash: HashAlgorithm.SHA,
          group: DhGroup.MODP_1024,
          authMethod: AuthMethod.XAUTH_INIT_PRE_SHARED,
          lifeSeconds: 15840,
        }),
      ]),
    ]);
    expect(encodePayloadBody(sa)).toEqual(strongswanSaBody);
  });

  it('keeps the received body for SAi_b, generic header excluded', () => {
    const [sa] = decodeChain(PayloadType.SA, withGenericHeader(strongswanSaBody)).payloads;
    expect(sa?.body).toEqual(strongswanSaBody);
    expect(sa?.raw).toEqual(withGenericHeader(strongswanSaBody));
  });

  it('round-trips several proposals, each with several transforms, SPIs and TLV lifetimes', () => {
    const sa = saPayload([
      ipsecProposal({
        spi: hex('c18cf313'),
        transforms: [
          ipsecTransform(
            {
              transformId: EspTransformId.ESP_AES,
              keyLength: 256,
              authAlgorithm: AuthAlgorithm.HMAC_SHA,
              encapsulationMode: EncapsulationMode.UDP_ENCAPSULATED_TUNNEL,
              lifeSeconds: 2147483,
            },
            1,
          ),
          ipsecTransform(
            {
              transformId: EspTransformId.ESP_3DES,
              authAlgorithm: AuthAlgorithm.HMAC_MD5,
              encapsulationMode: EncapsulationMode.UDP_ENCAPSULATED_TUNNEL_DRAFT,
            },
            2,
          ),
        ],
      }),
      ipsecProposal({
        proposalNumber: 2,
        spi: hex('cdf50aa8'),
        transforms: [ipsecTransform({ transformId: EspTransformId.ESP_NULL, authAlgorithm: AuthAlgorithm.HMAC_SHA }, 0)],
      }),
    ]);
    const bytes = encodePayloads([sa]);
    const [decoded] = decodeChain(PayloadType.SA, bytes).payloads;
    expect(withoutReceivedBytes(decoded!)).toEqual(sa);
    expect(encodePayloads([decoded!])).toEqual(bytes);
  });

  it('sets each proposal\'s and transform\'s next field: 2 or 3 while more follow, 0 on the last', () => {
    const sa = saPayload([
      isakmpProposal(
        [
          phase1Transform({ encryption: 5, hash: 2, group: 2, authMethod: 1 }, 1),
          phase1Transform({ encryption: 1, hash: 1, group: 2, authMethod: 1 }, 2),
        ],
        1,
      ),
      isakmpProposal([phase1Transform({ encryption: 5, hash: 1, group: 2, authMethod: 1 })], 2),
    ]);
    const body = encodePayloadBody(sa);
    const firstProposalLength = body.readUInt16BE(8 + 2);
    expect(body[8]).toBe(PayloadType.PROPOSAL);
    expect(body[8 + 8]).toBe(PayloadType.TRANSFORM); // first transform of the first proposal
    expect(body[8 + firstProposalLength]).toBe(0);
    expect(body.readUInt8(8 + 4 + 3)).toBe(2); // number of transforms
  });

  it('round-trips an SA without proposals', () => {
    const sa = saPayload([]);
    expect(withoutReceivedBytes(decodeChain(PayloadType.SA, encodePayloads([sa])).payloads[0]!)).toEqual(sa);
  });

  describe('malformed SAs', () => {
    const malformed = (body: Buffer, textPart: string) => {
      const error = expectError(decodeSa(body));
      expect(error).toMatchObject({ kind: 'malformed-payload', payloadType: PayloadType.SA });
      expect(error.text).toContain(textPart);
      return error;
    };

    it('reports an SA body shorter than DOI and situation', () => {
      malformed(hex('00000001 0000'), 'situation needs 4 bytes');
    });

    it('reports a proposal longer than the SA', () => {
      const body = Buffer.from(strongswanSaBody);
      body.writeUInt16BE(0x30, 8 + 2);
      malformed(body, 'proposal needs 44 bytes');
    });

    it('reports a transform count that disagrees with the transforms carried', () => {
      const body = Buffer.from(strongswanSaBody);
      body[8 + 7] = 2;
      malformed(body, 'declares 2 transforms and carries 1');
    });

    it('reports bytes after the last proposal', () => {
      malformed(Buffer.concat([strongswanSaBody, hex('00')]), 'bytes follow the last proposal');
    });

    it('reports a last proposal that announces another', () => {
      const body = Buffer.from(strongswanSaBody);
      body[8] = PayloadType.PROPOSAL;
      malformed(body, 'announces another');
    });

    it('reports a proposal next field that is neither 2 nor 0', () => {
      const body = Buffer.from(strongswanSaBody);
      body[8] = PayloadType.TRANSFORM;
      malformed(body, 'next payload 3');
    });

    it('reports a transform length below its fixed 8 bytes, at the transform', () => {
      const body = Buffer.from(strongswanSaBody);
      body.writeUInt16BE(4, 16 + 2);
      expect(malformed(body, 'transform length 4').offset).toBe(4 + 16);
    });

    it('reports an SPI size larger than the proposal', () => {
      const body = Buffer.from(strongswanSaBody);
      body[8 + 6] = 200;
      malformed(body, 'SPI needs 200 bytes');
    });
  });
});
