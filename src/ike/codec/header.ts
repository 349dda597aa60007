import { ISAKMP_HEADER_LENGTH, ISAKMP_MAJOR_VERSION, ISAKMP_MINOR_VERSION, IsakmpFlag } from '../constants.js';
import { catchDecodeFailure, DecodeFailure, type DecodeResult } from './errors.js';
import type { IsakmpHeader, MessageFields } from './types.js';
import { ByteWriter } from './writer.js';

const COOKIE_LENGTH = 8;
/** Where the header's length field sits; length errors point here. */
export const LENGTH_FIELD_OFFSET = 24;
const VERSION_OFFSET = 17;

/**
 * Decodes the 28-byte header at the start of `datagram`. Only the header is checked here (size,
 * major version, a length field of at least 28); decodeMessage checks the length against the
 * datagram. A minor version other than 0 is decoded and kept: RFC 2408 §3.1 says a receiver
 * SHOULD NOT accept a higher one, but refusing it (INVALID-MINOR-VERSION, §5.2) is the
 * exchange's decision, not a decoding failure.
 */
export function decodeHeader(datagram: Buffer): DecodeResult<IsakmpHeader> {
  return catchDecodeFailure(() => readHeader(datagram));
}

export function readHeader(datagram: Buffer): IsakmpHeader {
  if (datagram.length < ISAKMP_HEADER_LENGTH) {
    throw new DecodeFailure({
      kind: 'truncated-header',
      offset: 0,
      available: datagram.length,
      text: `an ISAKMP header needs ${ISAKMP_HEADER_LENGTH} bytes, the datagram has ${datagram.length}`,
    });
  }
  // Fixed offsets of RFC 2408 §3.1; the size check above keeps every read in range.
  const initiatorCookie = datagram.subarray(0, COOKIE_LENGTH);
  const responderCookie = datagram.subarray(COOKIE_LENGTH, 2 * COOKIE_LENGTH);
  const nextPayload = datagram.readUInt8(16);
  const version = datagram.readUInt8(VERSION_OFFSET);
  const majorVersion = version >> 4;
  const minorVersion = version & 0x0f;
  const exchangeType = datagram.readUInt8(18);
  const flags = datagram.readUInt8(19);
  const messageId = datagram.readUInt32BE(20);
  const length = datagram.readUInt32BE(LENGTH_FIELD_OFFSET);
  if (majorVersion !== ISAKMP_MAJOR_VERSION) {
    throw new DecodeFailure({
      kind: 'bad-version',
      offset: VERSION_OFFSET,
      majorVersion,
      minorVersion,
      text: `major version ${majorVersion} (version byte 0x${version.toString(16).padStart(2, '0')}) is not ISAKMP/IKEv1's 1`,
    });
  }
  if (length < ISAKMP_HEADER_LENGTH) {
    throw new DecodeFailure({
      kind: 'bad-message-length',
      offset: LENGTH_FIELD_OFFSET,
      declared: length,
      text: `the header's length field says ${length}, less than the ${ISAKMP_HEADER_LENGTH}-byte header itself`,
    });
  }
  return { initiatorCookie, responderCookie, nextPayload, majorVersion, minorVersion, exchangeType, flags, messageId, length };
}

export function encodeHeader(header: IsakmpHeader): Buffer {
  for (const [name, cookie] of [['initiator', header.initiatorCookie], ['responder', header.responderCookie]] as const) {
    if (cookie.length !== COOKIE_LENGTH) throw new RangeError(`${name} cookie must be ${COOKIE_LENGTH} bytes, not ${cookie.length}`);
  }
  if (header.majorVersion > 0x0f || header.minorVersion > 0x0f) throw new RangeError('versions are 4-bit fields');
  return new ByteWriter()
    .bytes(header.initiatorCookie)
    .bytes(header.responderCookie)
    .u8(header.nextPayload)
    .u8((header.majorVersion << 4) | header.minorVersion)
    .u8(header.exchangeType)
    .u8(header.flags)
    .u32(header.messageId)
    .u32(header.length)
    .toBuffer();
}

/** The full header for a message of `length` bytes whose first payload is `nextPayload`. */
export function completeHeader(fields: MessageFields, nextPayload: number, length: number): IsakmpHeader {
  return {
    initiatorCookie: fields.initiatorCookie,
    responderCookie: fields.responderCookie,
    nextPayload,
    majorVersion: fields.majorVersion ?? ISAKMP_MAJOR_VERSION,
    minorVersion: fields.minorVersion ?? ISAKMP_MINOR_VERSION,
    exchangeType: fields.exchangeType,
    flags: fields.flags,
    messageId: fields.messageId,
    length,
  };
}

export function isEncrypted(header: Pick<IsakmpHeader, 'flags'>): boolean {
  return (header.flags & IsakmpFlag.ENCRYPTION) !== 0;
}
