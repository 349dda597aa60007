import { describe, expect, it } from 'vitest';
import {
  DecodeBudget,
  MAX_ATTRIBUTES_PER_MESSAGE,
  MAX_PAYLOADS_PER_MESSAGE,
  attributePayload,
  decodeMessage,
  decodePayloadChain,
  emptyAttribute,
  encodeMessage,
  encodePayloads,
  isakmpProposal,
  saPayload,
  vendorIdPayload,
  type MessageFields,
} from '../../../src/ike/codec/index.js';
import { CfgType, ExchangeType, PayloadType } from '../../../src/ike/constants.js';

const FIELDS: MessageFields = { initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 };
const emptyVendorIds = (count: number) => Array.from({ length: count }, () => vendorIdPayload(Buffer.alloc(0)));

describe('the decoder\'s budget per message (payloads and attributes)', () => {
  it('decodes a message of exactly the payload cap', () => {
    const decoded = decodeMessage(encodeMessage(FIELDS, emptyVendorIds(MAX_PAYLOADS_PER_MESSAGE)));
    expect(decoded.ok && decoded.value.kind === 'cleartext' && decoded.value.payloads).toHaveLength(MAX_PAYLOADS_PER_MESSAGE);
  });

  it('stops at the first payload past the cap: 16,000 empty payloads in 64 KB cost 257 payload reads and one typed error', () => {
    const body = encodePayloads(emptyVendorIds(16_000));
    expect(body.length).toBe(64_000);
    const budget = new DecodeBudget();
    const decoded = decodePayloadChain(PayloadType.VENDOR_ID, body, 28, budget);
    expect(decoded.ok ? 'decoded' : decoded.error).toMatchObject({ kind: 'too-many-payloads', limit: MAX_PAYLOADS_PER_MESSAGE, offset: 28 + 4 * MAX_PAYLOADS_PER_MESSAGE });
    expect(budget.spent).toEqual({ payloads: MAX_PAYLOADS_PER_MESSAGE + 1, attributes: 0 });
  });

  it('counts proposals and transforms as payloads: an SA with too many empty transforms is refused', () => {
    const transforms = Array.from({ length: 255 }, (_, index) => ({ transformNumber: index + 1, transformId: 1, attributes: [] }));
    // One SA payload, two proposals of 255 transforms: 1 + 2 + 510 payloads.
    const sa = saPayload([isakmpProposal(transforms, 1), isakmpProposal(transforms, 2)]);
    const decoded = decodeMessage(encodeMessage(FIELDS, [sa]));
    expect(decoded.ok ? 'decoded' : decoded.error.kind).toBe('too-many-payloads');
  });

  it('stops at the first attribute past the cap, across payloads', () => {
    const half = Array.from({ length: MAX_ATTRIBUTES_PER_MESSAGE / 2 }, () => emptyAttribute(1));
    const fits = decodeMessage(encodeMessage(FIELDS, [attributePayload(CfgType.SET, half), attributePayload(CfgType.SET, half)]));
    expect(fits.ok).toBe(true);
    const budget = new DecodeBudget();
    const body = encodePayloads([attributePayload(CfgType.SET, half), attributePayload(CfgType.SET, [...half, emptyAttribute(1)])]);
    const decoded = decodePayloadChain(PayloadType.ATTRIBUTE, body, 28, budget);
    expect(decoded.ok ? 'decoded' : decoded.error).toMatchObject({ kind: 'too-many-attributes', limit: MAX_ATTRIBUTES_PER_MESSAGE });
    expect(budget.spent).toEqual({ payloads: 2, attributes: MAX_ATTRIBUTES_PER_MESSAGE + 1 });
  });
});
