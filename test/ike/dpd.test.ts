/** DPD notifies on the wire (RFC 3706 §5), as both roles build and read them. */
import { describe, expect, it } from 'vitest';
import { NotifyType, ProtocolId } from '../../src/ike/constants.js';
import { nextDpdSequence, dpdNotify, readDpdNotify } from '../../src/ike/dpd.js';

const cookies = { initiatorCookie: Buffer.from('0102030405060708', 'hex'), responderCookie: Buffer.from('1112131415161718', 'hex') };

describe('DPD notifies (RFC 3706 §5)', () => {
  it('R-U-THERE: protocol ISAKMP, SPI = CKY-I | CKY-R, data = the 4-byte big-endian sequence', () => {
    expect(dpdNotify('r-u-there', cookies, 0x01020304)).toMatchObject({
      notifyType: NotifyType.R_U_THERE,
      protocolId: ProtocolId.ISAKMP,
      spi: Buffer.from('01020304050607081112131415161718', 'hex'),
      data: Buffer.from('01020304', 'hex'),
    });
    expect(dpdNotify('r-u-there-ack', cookies, 7).notifyType).toBe(NotifyType.R_U_THERE_ACK);
  });

  it('reads both kinds back, and refuses a sequence that is not 4 bytes', () => {
    expect(readDpdNotify(dpdNotify('r-u-there', cookies, 99))).toEqual({ kind: 'r-u-there', sequence: 99 });
    expect(readDpdNotify(dpdNotify('r-u-there-ack', cookies, 0xffffffff))).toEqual({ kind: 'r-u-there-ack', sequence: 0xffffffff });
    expect(readDpdNotify({ notifyType: NotifyType.R_U_THERE, data: Buffer.from('0001', 'hex') })).toBeUndefined();
    expect(readDpdNotify({ notifyType: NotifyType.INITIAL_CONTACT, data: Buffer.alloc(4) })).toBeUndefined();
  });

  it('sequence numbers wrap at 2^32', () => {
    expect(nextDpdSequence(0xffffffff)).toBe(0);
    expect(nextDpdSequence(41)).toBe(42);
  });
});
