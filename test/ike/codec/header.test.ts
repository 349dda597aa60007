import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader, isEncrypted, type IsakmpHeader } from '../../../src/ike/codec/index.js';
import { ExchangeType, IsakmpFlag, PayloadType } from '../../../src/ike/constants.js';
import { expectError, expectOk, hex, initiatorCookie, responderCookie } from './fixtures.js';

// CKY-I | CKY-R | next 08 | version 0x10 | exchange 06 | flags 01 | M-ID cc65a872 | length 0x4c
const transactionHeader = hex('0011223344556677 8899aabbccddeeff 08 10 06 01 cc65a872 0000004c');

describe('ISAKMP header (RFC 2408 §3.1)', () => {
  it('decodes the 28 fixed bytes into cookies, types, flags, message id and length', () => {
    const header = expectOk(decodeHeader(transactionHeader));
    expect(header).toEqual<IsakmpHeader>({
      initiatorCookie,
      responderCookie,
      nextPayload: PayloadType.HASH,
      majorVersion: 1,
      minorVersion: 0,
      exchangeType: ExchangeType.TRANSACTION,
      flags: IsakmpFlag.ENCRYPTION,
      messageId: 0xcc65a872,
      length: 0x4c,
    });
    expect(isEncrypted(header)).toBe(true);
  });

  it('encodes a header back to the same bytes', () => {
    expect(encodeHeader(expectOk(decodeHeader(transactionHeader)))).toEqual(transactionHeader);
  });

  it('reads only the first 28 bytes of a longer datagram', () => {
    const datagram = Buffer.concat([transactionHeader, Buffer.alloc(48, 0xaa)]);
    expect(expectOk(decodeHeader(datagram)).messageId).toBe(0xcc65a872);
  });

  it('keeps a non-zero minor version as sent', () => {
    const header = Buffer.from(transactionHeader);
    header[17] = 0x11;
    expect(expectOk(decodeHeader(header)).minorVersion).toBe(1);
  });

  it.each([0, 1, 27])('reports a %i-byte datagram as a truncated header', (size) => {
    const error = expectError(decodeHeader(transactionHeader.subarray(0, size)));
    expect(error).toMatchObject({ kind: 'truncated-header', offset: 0, available: size });
  });

  it('rejects major version 2 (IKEv2) with the version byte offset', () => {
    const header = Buffer.from(transactionHeader);
    header[17] = 0x20;
    expect(expectError(decodeHeader(header))).toMatchObject({ kind: 'bad-version', offset: 17, majorVersion: 2, minorVersion: 0 });
  });

  it('rejects a length field below the header size', () => {
    const header = Buffer.from(transactionHeader);
    header.writeUInt32BE(27, 24);
    expect(expectError(decodeHeader(header))).toMatchObject({ kind: 'bad-message-length', offset: 24, declared: 27 });
  });

  it('refuses to encode a cookie that is not 8 bytes', () => {
    const header = expectOk(decodeHeader(transactionHeader));
    expect(() => encodeHeader({ ...header, initiatorCookie: Buffer.alloc(7) })).toThrow(RangeError);
  });

  it('treats a header without the E flag as cleartext whatever the other flags', () => {
    expect(isEncrypted({ flags: IsakmpFlag.COMMIT | IsakmpFlag.AUTHENTICATION_ONLY })).toBe(false);
  });
});
