import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../../src/ike/codec/index.js';
import { hex } from './fixtures.js';

describe('address text for identity views', () => {
  it('formats and parses dotted-quad IPv4', () => {
    expect(formatIpv4(hex('c00002fe'))).toBe('192.0.2.254');
    expect(parseIpv4('192.0.2.254')).toEqual(hex('c00002fe'));
    expect(() => parseIpv4('192.0.2')).toThrow(RangeError);
    expect(() => formatIpv4(hex('c00002'))).toThrow(RangeError);
  });

  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'], // the longer zero run is compressed
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // a single zero group is not
    ['fe800000000000000000000000000000', 'fe80::'],
  ])('formats %s as %s (RFC 5952) and parses it back', (bytes, text) => {
    expect(formatIpv6(hex(bytes))).toBe(text);
    expect(parseIpv6(text)).toEqual(hex(bytes));
  });

  it('parses an embedded IPv4 tail and upper-case hex', () => {
    expect(parseIpv6('::FFFF:192.0.2.1')).toEqual(hex('00000000000000000000ffffc0000201'));
  });

  it('refuses text that is not an IPv6 address', () => {
    expect(() => parseIpv6('1:2:3:4:5:6:7:8:9')).toThrow(RangeError);
    expect(() => parseIpv6('10.0.0.1')).toThrow(RangeError);
  });
});
