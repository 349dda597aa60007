import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../../src/esp/ip/index.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('Internet checksum (RFC 1071)', () => {
  it('RFC 1071 §3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d', () => {
    expect(internetChecksum(hex('0001f203f4f5f6f7'))).toBe(0x220d);
  });

  it('reproduces the header checksums of RFC 3602 case #5 (f9fe inner, f9a5 outer)', () => {
    expect(internetChecksum(hex('45000054 08f20000 4001 0000 c0a87b03 c0a87b64'))).toBe(0xf9fe);
    expect(internetChecksum(hex('4500007c 08f20000 4032 0000 c0a87b03 c0a87b64'))).toBe(0xf9a5);
  });

  it('a header with its checksum in place checks to 0', () => {
    expect(internetChecksum(hex('45000054 08f20000 4001f9fe c0a87b03 c0a87b64'))).toBe(0);
  });

  it('pads an odd final byte with zero', () => {
    expect(internetChecksum(hex('ab'))).toBe(~0xab00 & 0xffff);
  });

  it('property: splitting the data into parts anywhere, even at odd offsets, changes nothing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        const data = Buffer.from(bytes);
        const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...points].map((start, i) => data.subarray(start, [...points, data.length][i]));
        return internetChecksum(...parts) === internetChecksum(data);
      }),
    );
  });
});
