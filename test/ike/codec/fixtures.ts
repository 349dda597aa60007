import {
  decodeMessage,
  decodePayloadChain,
  type DecodedMessage,
  type DecodedPayload,
  type DecodeError,
  type DecodeResult,
  type Payload,
  type PayloadChain,
} from '../../../src/ike/codec/index.js';

/** Shared inputs and helpers of the codec specs. */

export const initiatorCookie = Buffer.from('0011223344556677', 'hex');
export const responderCookie = Buffer.from('8899aabbccddeeff', 'hex');

export const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** `body` behind a generic payload header (next payload, reserved 0, length). */
export function withGenericHeader(body: Buffer, nextPayload = 0): Buffer {
  const header = Buffer.from([nextPayload, 0, 0, 0]);
  header.writeUInt16BE(4 + body.length, 2);
  return Buffer.concat([header, body]);
}

/** A decoded payload without its received bytes, to compare with what was built. */
export function withoutReceivedBytes(payload: DecodedPayload): Payload {
  const { raw: _raw, body: _body, ...built } = payload;
  return built as Payload;
}

export function expectOk<T>(result: DecodeResult<T>): T {
  if (!result.ok) throw new Error(`expected a successful decode, got ${result.error.kind}: ${result.error.text}`);
  return result.value;
}

export function expectError<T>(result: DecodeResult<T>): DecodeError {
  if (result.ok) throw new Error('expected a decode error, the decode succeeded');
  return result.error;
}

export function decodeChain(firstPayloadType: number, bytes: Buffer): PayloadChain {
  return expectOk(decodePayloadChain(firstPayloadType, bytes));
}

export function decodeCleartext(datagram: Buffer): Extract<DecodedMessage, { kind: 'cleartext' }> {
  const message = expectOk(decodeMessage(datagram));
  if (message.kind !== 'cleartext') throw new Error('expected a cleartext message');
  return message;
}
