import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpProtocol, decodeIpv4Packet, encodeIpv4Packet, internetChecksum, isFragment } from '../../../src/esp/ip/index.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('IPv4 header encoding', () => {
  it('writes the outer header of RFC 3602 case #5 byte for byte, checksum included', () => {
    const packet = encodeIpv4Packet({
      source: '192.168.123.3',
      destination: '192.168.123.100',
      protocol: IpProtocol.ESP,
      identification: 0x08f2,
      payload: Buffer.alloc(104),
    });
    expect(packet.subarray(0, 20)).toEqual(hex('4500007c 08f20000 4032f9a5 c0a87b03 c0a87b64'));
    expect(packet).toHaveLength(0x7c);
  });

  it('writes DF, TOS and TTL when asked', () => {
    const packet = encodeIpv4Packet({ source: '10.1.1.1', destination: '10.1.1.110', protocol: 1, payload: Buffer.alloc(0), dontFragment: true, tos: 0xb8, ttl: 255 });
    expect(decodeIpv4Packet(packet)).toMatchObject({ ok: true, packet: { header: { dontFragment: true, tos: 0xb8, ttl: 255 } } });
  });

  it('refuses more than 65535 bytes', () => {
    expect(() => encodeIpv4Packet({ source: '10.0.0.1', destination: '10.0.0.2', protocol: 17, payload: Buffer.alloc(65516) })).toThrow(RangeError);
  });
});

describe('IPv4 header decoding', () => {
  const ping = hex(`45000054 08f20000 4001f9fe c0a87b03 c0a87b64
    08000ebd a70a0000 8e9c083d b95b0700 08090a0b 0c0d0e0f 10111213 14151617
    18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637`);

  it('reads the inner packet of RFC 3602 case #5', () => {
    const decoded = decodeIpv4Packet(ping);
    expect(decoded).toEqual({
      ok: true,
      packet: {
        header: {
          headerLength: 20,
          tos: 0,
          totalLength: 84,
          identification: 0x08f2,
          dontFragment: false,
          moreFragments: false,
          fragmentOffset: 0,
          ttl: 64,
          protocol: IpProtocol.ICMP,
          source: '192.168.123.3',
          destination: '192.168.123.100',
        },
        payload: ping.subarray(20),
      },
    });
  });

  it('drops link padding beyond the total length', () => {
    const decoded = decodeIpv4Packet(Buffer.concat([ping, Buffer.alloc(6)]));
    expect(decoded.ok && decoded.packet.payload).toHaveLength(64);
  });

  it('skips options: the payload starts after IHL words', () => {
    const withOptions = Buffer.concat([Buffer.from(ping.subarray(0, 20)), Buffer.of(1, 1, 1, 0), ping.subarray(20)]);
    withOptions[0] = 0x46;
    withOptions.writeUInt16BE(88, 2);
    withOptions.writeUInt16BE(0, 10);
    withOptions.writeUInt16BE(internetChecksum(withOptions.subarray(0, 24)), 10);
    const decoded = decodeIpv4Packet(withOptions);
    expect(decoded.ok && decoded.packet.payload).toEqual(ping.subarray(20));
  });

  it('reads fragment fields (offset in octets)', () => {
    const fragment = encodeIpv4Packet({ source: '10.0.0.1', destination: '10.0.0.2', protocol: 17, payload: Buffer.alloc(8) });
    fragment.writeUInt16BE(0x2000 | 185, 6);
    fragment.writeUInt16BE(0, 10);
    fragment.writeUInt16BE(internetChecksum(fragment.subarray(0, 20)), 10);
    const decoded = decodeIpv4Packet(fragment);
    expect(decoded.ok && decoded.packet.header).toMatchObject({ moreFragments: true, fragmentOffset: 1480 });
    expect(decoded.ok && isFragment(decoded.packet.header)).toBe(true);
    expect(decoded.ok && isFragment({ ...decoded.packet.header, moreFragments: false, fragmentOffset: 0 })).toBe(false);
    expect(decoded.ok && isFragment({ ...decoded.packet.header, moreFragments: false, fragmentOffset: 8 })).toBe(true);
  });

  it('names each malformation', () => {
    const broken = (edit: (bytes: Buffer) => void): Buffer => {
      const bytes = Buffer.from(ping);
      edit(bytes);
      return bytes;
    };
    expect(decodeIpv4Packet(ping.subarray(0, 19))).toEqual({ ok: false, problem: 'truncated' });
    expect(decodeIpv4Packet(broken((b) => (b[0] = 0x65)))).toEqual({ ok: false, problem: 'not-ipv4' });
    expect(decodeIpv4Packet(broken((b) => (b[0] = 0x44)))).toEqual({ ok: false, problem: 'bad-header-length' });
    expect(decodeIpv4Packet(broken((b) => (b[0] = 0x4f)).subarray(0, 40))).toEqual({ ok: false, problem: 'bad-header-length' });
    expect(decodeIpv4Packet(broken((b) => b.writeUInt16BE(85, 2)))).toEqual({ ok: false, problem: 'bad-total-length' });
    expect(decodeIpv4Packet(broken((b) => b.writeUInt16BE(19, 2)))).toEqual({ ok: false, problem: 'bad-total-length' });
    expect(decodeIpv4Packet(broken((b) => (b[8] = 63)))).toEqual({ ok: false, problem: 'bad-header-checksum' });
  });

  it('property: what is encoded decodes to the same fields; random bytes never throw', () => {
    const address = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(address, address, fc.nat(255), fc.uint8Array({ maxLength: 300 }), fc.nat(0xffff), (source, destination, protocol, payload, identification) => {
        const decoded = decodeIpv4Packet(encodeIpv4Packet({ source, destination, protocol, identification, payload: Buffer.from(payload) }));
        return decoded.ok && decoded.packet.header.source === source && decoded.packet.header.destination === destination &&
          decoded.packet.header.protocol === protocol && decoded.packet.header.identification === identification && decoded.packet.payload.equals(Buffer.from(payload));
      }),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => typeof decodeIpv4Packet(Buffer.from(bytes)).ok === 'boolean'));
  });
});
