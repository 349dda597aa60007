import {
  GENERIC_PAYLOAD_HEADER_LENGTH,
  ISAKMP_HEADER_LENGTH,
  IsakmpFlag,
  PayloadType,
  payloadTypeName,
} from '../constants.js';
import { DecodeBudget } from './decode-budget.js';
import { catchDecodeFailure, DecodeFailure, type DecodeResult } from './errors.js';
import { completeHeader, encodeHeader, isEncrypted, LENGTH_FIELD_OFFSET, readHeader } from './header.js';
import { encodePayloadBody, payloadTypeOf, readPayloadBody } from './payloads.js';
import { ByteReader } from './reader.js';
import type { DecodedMessage, DecodedPayload, MessageFields, Payload, PayloadChain } from './types.js';
import { ByteWriter, writeChained } from './writer.js';

/** IKEv2's critical bit in the generic header's reserved byte (RFC 7296 §2.5); see readChain. */
const CRITICAL_BIT = 0x80;
const KNOWN_PAYLOAD_TYPES: ReadonlySet<number> = new Set(Object.values(PayloadType));

/**
 * Decodes a whole datagram. The header's length must equal the datagram's: longer means the
 * datagram was cut, shorter means bytes follow the message. A cleartext message decodes to its
 * payloads; an encrypted one (E flag) to its header and the still-encrypted body.
 */
export function decodeMessage(datagram: Buffer): DecodeResult<DecodedMessage> {
  return catchDecodeFailure((): DecodedMessage => {
    const header = readHeader(datagram);
    if (header.length !== datagram.length) {
      const headerLonger = header.length > datagram.length;
      throw new DecodeFailure({
        kind: 'length-mismatch',
        offset: LENGTH_FIELD_OFFSET,
        declared: header.length,
        actual: datagram.length,
        direction: headerLonger ? 'header-longer-than-datagram' : 'datagram-longer-than-header',
        text: headerLonger
          ? `the header says ${header.length} bytes but the datagram has only ${datagram.length}`
          : `the datagram has ${datagram.length} bytes, ${datagram.length - header.length} more than the header's ${header.length}`,
      });
    }
    const body = datagram.subarray(ISAKMP_HEADER_LENGTH);
    if (isEncrypted(header)) return { kind: 'encrypted', header, encryptedBody: body };
    return { kind: 'cleartext', header, ...readChain(header.nextPayload, body, ISAKMP_HEADER_LENGTH) };
  });
}

/**
 * Decodes the payloads of a (decrypted) message body starting with `firstPayloadType` (the
 * header's next payload). The chain alone says where the payloads end: whatever follows the
 * last one is returned as `trailing` and never looked at, because peers pad differently
 * (strongSwan 1..bs zero bytes, libreswan 0..bs-1, racoon random bytes). Error offsets count
 * from `baseOffset` (pass 28 to report them as offsets in the whole message).
 */
export function decodePayloadChain(firstPayloadType: number, bytes: Buffer, baseOffset = 0, budget = new DecodeBudget()): DecodeResult<PayloadChain> {
  return catchDecodeFailure(() => readChain(firstPayloadType, bytes, baseOffset, budget));
}

/** Every payload, proposal, transform and attribute counts against `budget` (decode-budget.ts). */
function readChain(firstPayloadType: number, bytes: Buffer, baseOffset: number, budget = new DecodeBudget()): PayloadChain {
  const payloads: DecodedPayload[] = [];
  let payloadType = firstPayloadType;
  let position = 0;
  while (payloadType !== PayloadType.NONE) {
    const offset = baseOffset + position;
    budget.payload(offset, payloadType);
    const available = bytes.length - position;
    const name = payloadTypeName(payloadType);
    if (available < GENERIC_PAYLOAD_HEADER_LENGTH) {
      throw new DecodeFailure({
        kind: 'payload-overrun',
        offset,
        payloadType,
        declared: GENERIC_PAYLOAD_HEADER_LENGTH,
        available,
        text: `the ${name} payload's generic header needs 4 bytes, only ${available} left`,
      });
    }
    const nextPayloadType = bytes.readUInt8(position);
    const reserved = bytes.readUInt8(position + 1);
    const length = bytes.readUInt16BE(position + 2);
    if (length < GENERIC_PAYLOAD_HEADER_LENGTH) {
      throw new DecodeFailure({
        kind: 'bad-payload-length',
        offset,
        payloadType,
        declared: length,
        text: `the ${name} payload's length ${length} is shorter than its own 4-byte header`,
      });
    }
    if (length > available) {
      throw new DecodeFailure({
        kind: 'payload-overrun',
        offset,
        payloadType,
        declared: length,
        available,
        text: `the ${name} payload declares ${length} bytes, only ${available} left`,
      });
    }
    // IKEv1 calls this byte RESERVED (RFC 2408 §3.2) and we tolerate junk in it on payloads we
    // know. On a payload we do not know, a set top bit reads as IKEv2's "critical": the sender
    // says skipping it is wrong, so it is refused rather than kept as an opaque payload.
    if (!KNOWN_PAYLOAD_TYPES.has(payloadType) && (reserved & CRITICAL_BIT) !== 0) {
      throw new DecodeFailure({
        kind: 'unknown-critical-payload',
        offset,
        payloadType,
        text: `payload type ${payloadType} is unknown and marked critical`,
      });
    }
    const raw = bytes.subarray(position, position + length);
    const body = raw.subarray(GENERIC_PAYLOAD_HEADER_LENGTH);
    const reader = new ByteReader(body, offset + GENERIC_PAYLOAD_HEADER_LENGTH, (faultOffset, text) => ({
      kind: 'malformed-payload',
      offset: faultOffset,
      payloadType,
      text: `${name} payload at offset ${offset}: ${text}`,
    }), budget);
    payloads.push({ ...readPayloadBody(payloadType, reader), raw, body });
    position += length;
    payloadType = nextPayloadType;
  }
  return { payloads, trailing: bytes.subarray(position) };
}

/** The payload chain with next-payload fields and lengths set; the last payload's next is 0. */
export function encodePayloads(payloads: readonly Payload[]): Buffer {
  const writer = new ByteWriter();
  payloads.forEach((payload, index) => {
    const following = payloads[index + 1];
    const nextPayloadType = following ? payloadTypeOf(following) : PayloadType.NONE;
    writeChained(writer, nextPayloadType, encodePayloadBody(payload), `${payloadTypeName(payloadTypeOf(payload))} payload`);
  });
  return writer.toBuffer();
}

/** A cleartext message: header (next payload and length filled in) and payloads. */
export function encodeMessage(fields: MessageFields, payloads: readonly Payload[]): Buffer {
  const body = encodePayloads(payloads);
  const first = payloads[0];
  const header = completeHeader(fields, first ? payloadTypeOf(first) : PayloadType.NONE, ISAKMP_HEADER_LENGTH + body.length);
  return Buffer.concat([encodeHeader(header), body]);
}

/**
 * An encrypted message: the header (E flag set, length covering the padded ciphertext) in front
 * of `encryptedBody`, which the caller built with encodePayloads, padded and encrypted.
 */
export function encodeEncryptedMessage(fields: MessageFields, firstPayloadType: number, encryptedBody: Buffer): Buffer {
  const header = completeHeader(
    { ...fields, flags: fields.flags | IsakmpFlag.ENCRYPTION },
    firstPayloadType,
    ISAKMP_HEADER_LENGTH + encryptedBody.length,
  );
  return Buffer.concat([encodeHeader(header), encryptedBody]);
}

/**
 * Payload types in wire order with an SA's proposals and transforms in place, as tshark lists
 * them (`1,2,3,3,4,10,5,13`): the form of the fixtures' summaries and of a compact log line.
 */
export function flattenedPayloadTypes(payloads: readonly Payload[]): number[] {
  return payloads.flatMap((payload) =>
    payload.type === 'sa'
      ? [
          PayloadType.SA,
          ...payload.proposals.flatMap((proposal) => [PayloadType.PROPOSAL, ...proposal.transforms.map(() => PayloadType.TRANSFORM)]),
        ]
      : [payloadTypeOf(payload)],
  );
}
