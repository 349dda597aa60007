import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHeader,
  decodeMessage,
  decodePayloadChain,
  encodeMessage,
  encodePayloads,
  type DataAttribute,
  type MessageFields,
  type Payload,
  type Proposal,
  type Transform,
} from '../../../src/ike/codec/index.js';
import { IsakmpFlag } from '../../../src/ike/constants.js';
import { decodeCleartext, withoutReceivedBytes } from './fixtures.js';

const RUNS = 2_000;

const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((array) => Buffer.from(array));
const exactBytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length }).map((array) => Buffer.from(array));
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const attribute: fc.Arbitrary<DataAttribute> = fc.oneof(
  fc.record({ format: fc.constant('tv' as const), type: fc.integer({ min: 0, max: 0x7fff }), value: u16 }),
  fc.record({ format: fc.constant('tlv' as const), type: fc.integer({ min: 0, max: 0x7fff }), value: bytes(24) }),
);
const attributes = fc.array(attribute, { maxLength: 6 });

const transform: fc.Arbitrary<Transform> = fc.record({ transformNumber: u8, transformId: u8, attributes });
const proposal: fc.Arbitrary<Proposal> = fc.record({
  proposalNumber: u8,
  protocolId: u8,
  spi: bytes(16),
  transforms: fc.array(transform, { maxLength: 4 }),
});

/** Payload types the codec keeps opaque: anything but 0 and the types it models. */
const MODELLED_TYPES = new Set([1, 4, 5, 8, 10, 11, 12, 13, 14, 20, 21, 130, 131]);
const opaqueType = fc.integer({ min: 1, max: 0xff }).filter((type) => !MODELLED_TYPES.has(type));

const payload: fc.Arbitrary<Payload> = fc.oneof(
  fc.record({ type: fc.constant('sa' as const), doi: u32, situation: u32, proposals: fc.array(proposal, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('ke' as const), keyData: bytes(64) }),
  fc.record({ type: fc.constant('nonce' as const), nonce: bytes(64) }),
  fc.record({ type: fc.constant('hash' as const), hash: bytes(64) }),
  fc.record({ type: fc.constant('id' as const), idType: u8, protocolId: u8, port: u16, data: bytes(32) }),
  fc.record({ type: fc.constant('notify' as const), doi: u32, protocolId: u8, notifyType: u16, spi: bytes(16), data: bytes(16) }),
  fc.integer({ min: 1, max: 16 }).chain((spiSize) =>
    fc.record({
      type: fc.constant('delete' as const),
      doi: u32,
      protocolId: u8,
      spiSize: fc.constant(spiSize),
      spis: fc.array(exactBytes(spiSize), { maxLength: 4 }),
    }),
  ),
  fc.record({ type: fc.constant('vendor-id' as const), vendorId: bytes(24) }),
  fc.record({ type: fc.constant('attributes' as const), cfgType: u8, identifier: u16, attributes }),
  fc.record({ type: fc.constant('nat-d' as const), payloadType: fc.constantFrom(20 as const, 130 as const), hash: bytes(20) }),
  fc.record({
    type: fc.constant('nat-oa' as const),
    payloadType: fc.constantFrom(21 as const, 131 as const),
    idType: u8,
    address: bytes(16),
  }),
  fc.record({ type: fc.constant('unknown' as const), payloadType: opaqueType, data: bytes(32) }),
);

const cleartextFields: fc.Arbitrary<MessageFields> = fc.record({
  initiatorCookie: exactBytes(8),
  responderCookie: exactBytes(8),
  exchangeType: u8,
  flags: u8.map((flags) => flags & ~IsakmpFlag.ENCRYPTION),
  messageId: u32,
});

type Mutation = { kind: 'set'; at: number; value: number } | { kind: 'truncate'; at: number } | { kind: 'append'; extra: Buffer };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: u8 }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), extra: bytes(12) }),
);

function mutate(datagram: Buffer, change: Mutation): Buffer {
  switch (change.kind) {
    case 'set': {
      const copy = Buffer.from(datagram);
      if (copy.length > 0) copy[change.at % copy.length] = change.value;
      return copy;
    }
    case 'truncate':
      return Buffer.from(datagram.subarray(0, change.at % (datagram.length + 1)));
    case 'append':
      return Buffer.concat([datagram, change.extra]);
  }
}

describe('codec properties', () => {
  it('round-trips random well-formed messages: decode gives the payloads back, encode the bytes', () => {
    fc.assert(
      fc.property(cleartextFields, fc.array(payload, { maxLength: 8 }), (fields, payloads) => {
        const datagram = encodeMessage(fields, payloads);
        const message = decodeCleartext(datagram);
        expect(message.payloads.map(withoutReceivedBytes)).toEqual(payloads);
        expect(message.trailing.length).toBe(0);
        expect(encodeMessage(message.header, message.payloads)).toEqual(datagram);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on random bytes, and a decoded chain tiles its input: raw payloads then trailing', () => {
    fc.assert(
      fc.property(u8, bytes(160), (firstPayloadType, input) => {
        expect(typeof decodeHeader(input).ok).toBe('boolean');
        expect(typeof decodeMessage(input).ok).toBe('boolean');
        const chain = decodePayloadChain(firstPayloadType, input);
        if (chain.ok) expect(Buffer.concat([...chain.value.payloads.map((p) => p.raw), chain.value.trailing])).toEqual(input);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on mutated, truncated or extended well-formed messages', () => {
    fc.assert(
      fc.property(
        cleartextFields,
        fc.array(payload, { minLength: 1, maxLength: 5 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (fields, payloads, mutations, fixLength) => {
          const datagram = mutations.reduce(mutate, encodeMessage(fields, payloads));
          // Half the time keep the header length honest so the mutation reaches the payloads.
          if (fixLength && datagram.length >= 28) datagram.writeUInt32BE(datagram.length, 24);
          const result = decodeMessage(datagram);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.error.offset).toBeLessThanOrEqual(datagram.length);
          expect(typeof decodePayloadChain(datagram[16] ?? 0, datagram.subarray(28)).ok).toBe('boolean');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('encodes payload lists independently of the message around them', () => {
    fc.assert(
      fc.property(cleartextFields, fc.array(payload, { maxLength: 4 }), (fields, payloads) => {
        expect(encodeMessage(fields, payloads).subarray(28)).toEqual(encodePayloads(payloads));
      }),
      { numRuns: 200 },
    );
  });
});
