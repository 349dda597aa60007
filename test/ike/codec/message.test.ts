import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attributePayload,
  decodeHeader,
  decodeMessage,
  decodePayloadChain,
  deletePayload,
  encodeEncryptedMessage,
  encodeMessage,
  encodePayloads,
  flattenedPayloadTypes,
  hashPayload,
  idPayload,
  ipv4Attribute,
  isakmpProposal,
  kePayload,
  natDPayload,
  natOaPayload,
  noncePayload,
  notifyPayload,
  payloadTypeOf,
  phase1Transform,
  saPayload,
  vendorIdPayload,
  type MessageFields,
  type Payload,
} from '../../../src/ike/codec/index.js';
import { ExchangeType, IsakmpFlag, NotifyType, PayloadType, ProtocolId } from '../../../src/ike/constants.js';
import {
  decodeChain,
  decodeCleartext,
  expectError,
  expectOk,
  hex,
  initiatorCookie,
  responderCookie,
  withoutReceivedBytes,
} from './fixtures.js';

const aggressiveFields: MessageFields = {
  initiatorCookie,
  responderCookie: Buffer.alloc(8),
  exchangeType: ExchangeType.AGGRESSIVE,
  flags: 0,
  messageId: 0,
};

/** One payload of every kind the codec models, plus opaque ones it keeps as they are. */
const everyKind: Payload[] = [
  saPayload([isakmpProposal([phase1Transform({ encryption: 5, hash: 2, group: 2, authMethod: 65001, lifeSeconds: 28800 })])]),
  kePayload(Buffer.alloc(128, 0x4b)),
  noncePayload(Buffer.alloc(32, 0x4e)),
  idPayload({ kind: 'key-id', keyId: Buffer.from('myid') }),
  hashPayload(Buffer.alloc(20, 0x48)),
  notifyPayload({ notifyType: NotifyType.INITIAL_CONTACT, spi: Buffer.concat([initiatorCookie, responderCookie]) }),
  deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: [hex('c18cf313')] }),
  vendorIdPayload('XAUTH'),
  attributePayload(3, [ipv4Attribute(1, '10.8.0.1')]),
  natDPayload(Buffer.alloc(20, 0xd1)),
  natDPayload(Buffer.alloc(16, 0xd2), { draft: true }),
  natOaPayload({ kind: 'ipv4-address', address: '192.168.1.2' }),
  { type: 'unknown', payloadType: PayloadType.CERT, data: Buffer.alloc(40, 0xce) },
  { type: 'unknown', payloadType: PayloadType.FRAGMENT, data: hex('0001 01 01 abcdef') },
  { type: 'unknown', payloadType: 200, data: Buffer.alloc(0) },
];

describe('payload chains', () => {
  it('round-trips one payload of every kind, in order, byte for byte', () => {
    const bytes = encodePayloads(everyKind);
    const chain = decodeChain(payloadTypeOf(everyKind[0]!), bytes);
    expect(chain.payloads.map(withoutReceivedBytes)).toEqual(everyKind);
    expect(chain.trailing).toEqual(Buffer.alloc(0));
    expect(encodePayloads(chain.payloads)).toEqual(bytes);
  });

  it('links each payload to the next by type, the last one to 0', () => {
    const payloads = [hashPayload(Buffer.alloc(20)), attributePayload(1, []), natDPayload(Buffer.alloc(20), { draft: true })];
    const bytes = encodePayloads(payloads);
    expect(bytes[0]).toBe(PayloadType.ATTRIBUTE);
    expect(bytes[24]).toBe(PayloadType.NAT_D_DRAFT);
    expect(bytes[24 + 8]).toBe(PayloadType.NONE);
  });

  it('keeps each payload\'s received bytes: raw with the generic header, body without', () => {
    const payloads = [hashPayload(Buffer.alloc(20, 1)), attributePayload(2, [ipv4Attribute(1, '10.0.0.1')])];
    const bytes = encodePayloads(payloads);
    const [hash, attributes] = decodeChain(PayloadType.HASH, bytes).payloads;
    expect(hash?.raw).toEqual(bytes.subarray(0, 24));
    expect(hash?.body).toEqual(Buffer.alloc(20, 1));
    // A transaction HASH covers the payloads after HASH exactly as received (ikev1-notes.md §2).
    expect(attributes?.raw).toEqual(encodePayloads(payloads.slice(1)));
    expect(attributes?.body).toEqual(attributes?.raw.subarray(4));
  });

  it('keeps received bytes even where re-encoding would differ (junk in a reserved byte)', () => {
    const bytes = hex('00 55 0008 deadbeef');
    const [vendorId] = decodeChain(PayloadType.VENDOR_ID, bytes).payloads;
    expect(vendorId?.raw).toEqual(bytes);
    expect(encodePayloads([vendorId!])).toEqual(hex('00 00 0008 deadbeef'));
  });

  describe('trailing bytes after the last payload (encryption padding)', () => {
    const payloads = [hashPayload(Buffer.alloc(20, 7)), attributePayload(4, [ipv4Attribute(1, '10.8.0.1')])];
    const chainBytes = encodePayloads(payloads);

    it.each([0, 1, 7, 8, 15, 16])('returns %i zero bytes of padding untouched', (padding) => {
      const chain = decodeChain(PayloadType.HASH, Buffer.concat([chainBytes, Buffer.alloc(padding)]));
      expect(chain.payloads.map(withoutReceivedBytes)).toEqual(payloads);
      expect(chain.trailing).toEqual(Buffer.alloc(padding));
    });

    it('never reads random padding, even padding that looks like a payload header', () => {
      for (let round = 0; round < 50; round++) {
        const padding = Buffer.concat([hex('0d 00 0004'), randomBytes(round % 24)]);
        const chain = decodeChain(PayloadType.HASH, Buffer.concat([chainBytes, padding]));
        expect(chain.payloads).toHaveLength(2);
        expect(chain.trailing).toEqual(padding);
      }
    });

    it('decodes an empty chain (first payload type 0) as no payloads and all trailing', () => {
      expect(decodeChain(PayloadType.NONE, hex('0000'))).toEqual({ payloads: [], trailing: hex('0000') });
    });
  });

  describe('malformed chains', () => {
    it('reports a payload longer than what is left, at its offset, with both lengths', () => {
      const bytes = Buffer.concat([encodePayloads([hashPayload(Buffer.alloc(20))]), hex('00 00 0010 0102')]);
      bytes[0] = PayloadType.VENDOR_ID;
      expect(expectError(decodePayloadChain(PayloadType.HASH, bytes))).toMatchObject({
        kind: 'payload-overrun',
        offset: 24,
        payloadType: PayloadType.VENDOR_ID,
        declared: 16,
        available: 6,
      });
    });

    it('reports a next payload announced where fewer than 4 bytes are left', () => {
      const bytes = Buffer.concat([encodePayloads([hashPayload(Buffer.alloc(20))]), hex('0000')]);
      bytes[0] = PayloadType.NONCE;
      expect(expectError(decodePayloadChain(PayloadType.HASH, bytes))).toMatchObject({
        kind: 'payload-overrun',
        offset: 24,
        available: 2,
      });
    });

    it.each([0, 3])('reports a generic length of %i as a bad payload length', (length) => {
      const bytes = hex('00 00 0000 00000000');
      bytes.writeUInt16BE(length, 2);
      expect(expectError(decodePayloadChain(PayloadType.NONCE, bytes))).toMatchObject({
        kind: 'bad-payload-length',
        offset: 0,
        declared: length,
      });
    });

    it('refuses an unknown payload type marked critical, keeps an unmarked one', () => {
      expect(expectError(decodePayloadChain(200, hex('00 80 0006 abcd')))).toMatchObject({
        kind: 'unknown-critical-payload',
        payloadType: 200,
        offset: 0,
      });
      expect(decodeChain(200, hex('00 00 0006 abcd')).payloads[0]).toMatchObject({ type: 'unknown', data: hex('abcd') });
    });

    it('ignores the critical bit on payload types it knows (RFC 2408: reserved)', () => {
      expect(decodeChain(PayloadType.VENDOR_ID, hex('00 80 0006 abcd')).payloads[0]).toMatchObject({ type: 'vendor-id' });
    });

    it('counts offsets from a given base, e.g. 28 for a decrypted body', () => {
      expect(expectError(decodePayloadChain(PayloadType.HASH, hex('00 00 0002'), 28))).toMatchObject({ offset: 28 });
    });
  });

  it('lists payload types with SA proposals and transforms in place', () => {
    const sa = saPayload([
      isakmpProposal([
        phase1Transform({ encryption: 5, hash: 2, group: 2, authMethod: 1 }),
        phase1Transform({ encryption: 1, hash: 2, group: 2, authMethod: 1 }),
      ]),
      isakmpProposal([phase1Transform({ encryption: 5, hash: 1, group: 2, authMethod: 1 })], 2),
    ]);
    const payloads = [sa, kePayload(Buffer.alloc(4)), natDPayload(Buffer.alloc(4), { draft: true })];
    expect(flattenedPayloadTypes(payloads)).toEqual([1, 2, 3, 3, 2, 3, 4, 130]);
  });
});

describe('whole messages', () => {
  const payloads = [
    saPayload([isakmpProposal([phase1Transform({ encryption: 5, hash: 2, group: 2, authMethod: 65001 })])]),
    kePayload(Buffer.alloc(128, 3)),
  ];

  it('encodes header and payloads with the first payload type and the total length', () => {
    const datagram = encodeMessage(aggressiveFields, payloads);
    const header = expectOk(decodeHeader(datagram));
    expect(header).toMatchObject({ nextPayload: PayloadType.SA, majorVersion: 1, minorVersion: 0, length: datagram.length });
    expect(datagram.length).toBe(28 + encodePayloads(payloads).length);
  });

  it('decodes a cleartext message to its header and payloads, and re-encodes it exactly', () => {
    const datagram = encodeMessage(aggressiveFields, payloads);
    const message = decodeCleartext(datagram);
    expect(message.header.exchangeType).toBe(ExchangeType.AGGRESSIVE);
    expect(message.payloads.map(withoutReceivedBytes)).toEqual(payloads);
    expect(encodeMessage(message.header, message.payloads)).toEqual(datagram);
  });

  it('reports payload faults at their offset in the datagram', () => {
    const datagram = encodeMessage(aggressiveFields, payloads);
    datagram.writeUInt16BE(2, 28 + 2); // SA length
    expect(expectError(decodeMessage(datagram))).toMatchObject({ kind: 'bad-payload-length', offset: 28 });
  });

  it('encodes a message without payloads as a bare header', () => {
    const datagram = encodeMessage(aggressiveFields, []);
    expect(datagram.length).toBe(28);
    expect(decodeCleartext(datagram).payloads).toEqual([]);
  });

  it('reports a header length beyond the datagram (a cut datagram)', () => {
    const datagram = encodeMessage(aggressiveFields, payloads);
    expect(expectError(decodeMessage(datagram.subarray(0, datagram.length - 1)))).toMatchObject({
      kind: 'length-mismatch',
      offset: 24,
      declared: datagram.length,
      actual: datagram.length - 1,
      direction: 'header-longer-than-datagram',
    });
  });

  it('reports bytes beyond the header length (datagram longer than the message)', () => {
    const datagram = Buffer.concat([encodeMessage(aggressiveFields, payloads), Buffer.alloc(4)]);
    expect(expectError(decodeMessage(datagram))).toMatchObject({
      kind: 'length-mismatch',
      declared: datagram.length - 4,
      actual: datagram.length,
      direction: 'datagram-longer-than-header',
    });
  });

  it('passes header errors through decodeMessage', () => {
    expect(expectError(decodeMessage(Buffer.alloc(10)))).toMatchObject({ kind: 'truncated-header' });
  });

  it('hands an encrypted message over as header and undecoded body', () => {
    const ciphertext = Buffer.alloc(48, 0xe5);
    const fields = { ...aggressiveFields, exchangeType: ExchangeType.TRANSACTION, flags: 0, messageId: 0xcc65a872 };
    const datagram = encodeEncryptedMessage(fields, PayloadType.HASH, ciphertext);
    const message = expectOk(decodeMessage(datagram));
    expect(message.kind).toBe('encrypted');
    if (message.kind !== 'encrypted') return;
    expect(message.header).toMatchObject({
      nextPayload: PayloadType.HASH,
      flags: IsakmpFlag.ENCRYPTION,
      messageId: 0xcc65a872,
      length: 76,
    });
    expect(message.encryptedBody).toEqual(ciphertext);
  });
});
