import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIcmpEcho, encodeIcmpEcho, internetChecksum } from '../../../src/esp/ip/index.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// The ICMP part of RFC 3602 case #5 (ping 192.168.123.100): echo request, id a70a, sequence 0.
const rfcEchoRequest = hex(`
  08000ebd a70a0000 8e9c083d b95b0700 08090a0b 0c0d0e0f 10111213 14151617
  18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637`);

describe('ICMP echo', () => {
  it('decodes the RFC 3602 ping', () => {
    expect(decodeIcmpEcho(rfcEchoRequest)).toEqual({
      ok: true,
      echo: { kind: 'request', identifier: 0xa70a, sequenceNumber: 0, data: rfcEchoRequest.subarray(8) },
    });
  });

  it('encodes it back byte for byte, checksum 0ebd included', () => {
    expect(encodeIcmpEcho({ kind: 'request', identifier: 0xa70a, sequenceNumber: 0, data: rfcEchoRequest.subarray(8) })).toEqual(rfcEchoRequest);
  });

  it('a reply differs in type 0 and a checksum that still verifies', () => {
    const reply = encodeIcmpEcho({ kind: 'reply', identifier: 0xa70a, sequenceNumber: 0, data: rfcEchoRequest.subarray(8) });
    expect(reply[0]).toBe(0);
    expect(reply.readUInt16BE(2)).toBe(0x0ebd + 0x0800);
    expect(decodeIcmpEcho(reply)).toMatchObject({ ok: true, echo: { kind: 'reply' } });
  });

  it('refuses a short message, a bad checksum and other ICMP types', () => {
    expect(decodeIcmpEcho(rfcEchoRequest.subarray(0, 7))).toEqual({ ok: false, problem: 'truncated' });
    const corrupt = Buffer.from(rfcEchoRequest);
    corrupt[20]! ^= 1;
    expect(decodeIcmpEcho(corrupt)).toEqual({ ok: false, problem: 'bad-checksum' });
    const unreachable = encodeIcmpEcho({ kind: 'request', identifier: 0, sequenceNumber: 0, data: Buffer.alloc(4) });
    unreachable[0] = 3;
    unreachable.writeUInt16BE(0, 2);
    unreachable.writeUInt16BE(internetChecksum(unreachable), 2);
    expect(decodeIcmpEcho(unreachable)).toEqual({ ok: false, problem: 'not-echo' });
  });

  it('property: any echo round-trips; random bytes never throw', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(0xffff), fc.nat(0xffff), fc.uint8Array({ maxLength: 200 }), (request, identifier, sequenceNumber, data) => {
        const echo = { kind: request ? 'request' : 'reply', identifier, sequenceNumber, data: Buffer.from(data) } as const;
        expect(decodeIcmpEcho(encodeIcmpEcho(echo))).toEqual({ ok: true, echo });
      }),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => typeof decodeIcmpEcho(Buffer.from(bytes)).ok === 'boolean'));
  });
});
