import { describe, expect, it } from 'vitest';
import {
  decodePayloadChain,
  deletePayload,
  encodePayloads,
  isakmpSpi,
  notifyPayload,
} from '../../../src/ike/codec/index.js';
import { NotifyType, PayloadType, ProtocolId } from '../../../src/ike/constants.js';
import { decodeChain, expectError, hex, initiatorCookie, responderCookie, withoutReceivedBytes } from './fixtures.js';

describe('Notification payload (RFC 2408 §3.14)', () => {
  // DPD R-U-THERE as strongSwan sends it (RFC 3706): protocol ISAKMP, SPI = cookies, 4-byte sequence.
  const dpdBytes = hex('00 00 0020 00000001 01 10 8d28 0011223344556677 8899aabbccddeeff 00000007');

  it('writes DOI, protocol, SPI size, type, SPI and data in that order', () => {
    const spi = isakmpSpi(initiatorCookie, responderCookie);
    const dpd = notifyPayload({ notifyType: NotifyType.R_U_THERE, spi, data: hex('00000007') });
    expect(encodePayloads([dpd])).toEqual(dpdBytes);
  });

  it('decodes it back, SPI and data as received', () => {
    const [notify] = decodeChain(PayloadType.NOTIFICATION, dpdBytes).payloads;
    expect(notify).toMatchObject({
      type: 'notify',
      doi: 1,
      protocolId: ProtocolId.ISAKMP,
      notifyType: NotifyType.R_U_THERE,
      spi: Buffer.concat([initiatorCookie, responderCookie]),
      data: hex('00000007'),
    });
  });

  it('round-trips a notify without SPI or data (NO-PROPOSAL-CHOSEN in the clear)', () => {
    const notify = notifyPayload({ notifyType: NotifyType.NO_PROPOSAL_CHOSEN });
    expect(encodePayloads([notify])).toEqual(hex('00 00 000c 00000001 01 00 000e'));
    expect(withoutReceivedBytes(decodeChain(PayloadType.NOTIFICATION, encodePayloads([notify])).payloads[0]!)).toEqual(notify);
  });

  it('reports an SPI size beyond the payload as malformed', () => {
    const error = expectError(decodePayloadChain(PayloadType.NOTIFICATION, hex('00 00 0010 00000001 01 10 8d28 00112233')));
    expect(error).toMatchObject({ kind: 'malformed-payload', payloadType: PayloadType.NOTIFICATION, offset: 12 });
    expect(error.text).toContain('SPI needs 16 bytes, only 4 left');
  });

  it('reports a notify shorter than its 8 fixed bytes as malformed', () => {
    expect(expectError(decodePayloadChain(PayloadType.NOTIFICATION, hex('00 00 000a 00000001 01 10')))).toMatchObject({
      kind: 'malformed-payload',
    });
  });
});

describe('Delete payload (RFC 2408 §3.15)', () => {
  it('writes ESP SPIs after DOI, protocol, SPI size and count', () => {
    const deletion = deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: [hex('c18cf313'), hex('cdf50aa8')] });
    const bytes = encodePayloads([deletion]);
    expect(bytes).toEqual(hex('00 00 0014 00000001 03 04 0002 c18cf313 cdf50aa8'));
    expect(withoutReceivedBytes(decodeChain(PayloadType.DELETE, bytes).payloads[0]!)).toEqual(deletion);
  });

  it('deletes an ISAKMP SA by its cookies', () => {
    const deletion = deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [isakmpSpi(initiatorCookie, responderCookie)] });
    expect(deletion.spiSize).toBe(16);
    expect(withoutReceivedBytes(decodeChain(PayloadType.DELETE, encodePayloads([deletion])).payloads[0]!)).toEqual(deletion);
  });

  it('keeps the SPI size of a delete that lists none', () => {
    const deletion = deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: [], spiSize: 4 });
    expect(withoutReceivedBytes(decodeChain(PayloadType.DELETE, encodePayloads([deletion])).payloads[0]!)).toEqual(deletion);
    expect(() => deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: [] })).toThrow(RangeError);
  });

  it('refuses to encode SPIs of a size other than the declared one', () => {
    const deletion = deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: [hex('c18cf313'), hex('cdf5')] });
    expect(() => encodePayloads([deletion])).toThrow(RangeError);
  });

  it.each([
    ['fewer SPI bytes than the count needs', '00 00 0010 00000001 03 04 0002 c18cf313'],
    ['more bytes than the SPIs', '00 00 0011 00000001 03 04 0001 c18cf313 00'],
    ['a count of zero-size SPIs', '00 00 000c 00000001 03 00 ffff'],
  ])('reports %s as malformed', (_case, bytes) => {
    expect(expectError(decodePayloadChain(PayloadType.DELETE, hex(bytes)))).toMatchObject({
      kind: 'malformed-payload',
      payloadType: PayloadType.DELETE,
    });
  });
});
