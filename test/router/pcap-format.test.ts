// The bytes of rtxlab's capture files, checked against vectors computed elsewhere: a textbook
// IPv4 header, a real kernel's header from a fixture capture, UDP checksums computed
// independently (Python, by the RFC 1071 definition), and the pcap file layout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/esp/ip/checksum.js';
import {
  LINKTYPE_RAW,
  MAX_UDP_PAYLOAD,
  endpointAddresses,
  ipv4UdpPacket,
  ipv6UdpPacket,
  pcapGlobalHeader,
  pcapRecord,
  pcapRecordHeader,
  udpPacketOf,
} from '../../src/router/pcap-format.js';
import { parseIpv6 } from '../../src/ike/codec/address.js';
import { capturesDir } from '../support/paths.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('pcap file layout', () => {
  it('the global header says pcap 2.4, microseconds, little-endian, snaplen 262144, raw IP', () => {
    expect(pcapGlobalHeader()).toEqual(hex('d4c3b2a1 0200 0400 00000000 00000000 00000400 65000000'));
    expect(LINKTYPE_RAW).toBe(101);
  });

  it('a record header holds seconds, microseconds and the length twice (nothing truncated)', () => {
    expect(pcapRecordHeader(1_700_000_000_123.456, 29)).toEqual(hex('00f15365 40e20100 1d000000 1d000000'));
  });

  it('a record is its header followed by the IP packet', () => {
    const datagram = { time: 1_000, from: { address: '127.0.0.1', port: 500 }, to: { address: '127.0.0.2', port: 500 }, bytes: Buffer.from('rtxlab!') };
    const record = pcapRecord(datagram);
    const packet = udpPacketOf(datagram);
    expect(record.subarray(0, 16)).toEqual(pcapRecordHeader(1_000, packet.length));
    expect(record.subarray(16)).toEqual(packet);
  });
});

describe('IPv4 + UDP', () => {
  it('reproduces the textbook header 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7', () => {
    const packet = ipv4UdpPacket({
      source: '192.168.0.1',
      destination: '192.168.0.199',
      sourcePort: 1,
      destinationPort: 2,
      payload: Buffer.alloc(0x73 - 28),
    });
    expect(packet.subarray(0, 20)).toEqual(hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7'));
  });

  it("reproduces a real kernel's IPv4 header (strongSwan's first Aggressive Mode message, fixture frame 1)", () => {
    const file = readFileSync(join(capturesDir, 'strongswan-push', 'capture.pcap'));
    const kernelHeader = file.subarray(24 + 16 + 14, 24 + 16 + 14 + 20); // pcap, record and Ethernet headers
    const udpLength = file.readUInt16BE(24 + 16 + 14 + 20 + 4);
    const packet = ipv4UdpPacket({
      source: '192.0.2.132',
      destination: '192.0.2.254',
      sourcePort: 500,
      destinationPort: 500,
      payload: Buffer.alloc(udpLength - 8),
      identification: kernelHeader.readUInt16BE(4),
    });
    expect(packet.subarray(0, 20)).toEqual(kernelHeader);
  });

  it('UDP header and checksum for 127.0.0.1:500 -> 127.0.0.2:500 "rtxlab!" (0x90a1, computed independently)', () => {
    const packet = ipv4UdpPacket({ source: '127.0.0.1', destination: '127.0.0.2', sourcePort: 500, destinationPort: 500, payload: Buffer.from('rtxlab!') });
    expect(packet.subarray(20)).toEqual(Buffer.concat([hex('01f4 01f4 000f 90a1'), Buffer.from('rtxlab!')]));
  });

  it('every header verifies: the IP header and the pseudo-header + segment each sum to zero', () => {
    for (const length of [0, 1, 2, 3, 1400, MAX_UDP_PAYLOAD[4]]) {
      const payload = Buffer.alloc(length, 0xa5);
      const packet = ipv4UdpPacket({ source: '10.1.2.3', destination: '192.0.2.7', sourcePort: 4500, destinationPort: 61_000, payload });
      expect(packet.readUInt16BE(2)).toBe(20 + 8 + length);
      expect(internetChecksum(packet.subarray(0, 20))).toBe(0);
      const pseudo = Buffer.concat([packet.subarray(12, 20), hex('0011'), packet.subarray(24, 26)]);
      expect(internetChecksum(pseudo, packet.subarray(20))).toBe(0);
    }
  });

  it('refuses a payload that cannot fit in 65535 bytes of IPv4', () => {
    expect(() => ipv4UdpPacket({ source: '127.0.0.1', destination: '127.0.0.1', sourcePort: 1, destinationPort: 1, payload: Buffer.alloc(MAX_UDP_PAYLOAD[4] + 1) })).toThrow(
      /does not fit in an IPv4 packet/,
    );
  });
});

describe('IPv6 + UDP', () => {
  it('header fields and checksum for [::1]:4500 -> [::1]:4500, a NAT-T keepalive (0xddb1, computed independently)', () => {
    const packet = ipv6UdpPacket({ source: '::1', destination: '::1', sourcePort: 4500, destinationPort: 4500, payload: Buffer.from([0xff]) });
    expect(packet).toEqual(
      Buffer.concat([hex('60000000 0009 11 40'), parseIpv6('::1'), parseIpv6('::1'), hex('1194 1194 0009 ddb1 ff')]),
    );
  });

  it('checksum for [2001:db8::1]:500 -> [2001:db8::2]:500 "rtxlab!" (0x3330, computed independently)', () => {
    const packet = ipv6UdpPacket({ source: '2001:db8::1', destination: '2001:db8::2', sourcePort: 500, destinationPort: 500, payload: Buffer.from('rtxlab!') });
    expect(packet.readUInt16BE(40 + 6)).toBe(0x3330);
  });
});

describe('which family a datagram is written in', () => {
  const packetOf = (from: string, to: string) => udpPacketOf({ from: { address: from, port: 500 }, to: { address: to, port: 500 }, bytes: Buffer.from('x') });

  it('IPv4 endpoints: an IPv4 packet; IPv6 endpoints: an IPv6 packet', () => {
    expect(packetOf('127.0.0.1', '127.0.0.1')[0]! >> 4).toBe(4);
    expect(packetOf('::1', '::1')[0]! >> 4).toBe(6);
  });

  it('a dual-stack socket`s v4-mapped peer talking to a v4-mapped local address is IPv4 on the wire', () => {
    expect(endpointAddresses('::ffff:192.0.2.1', '::ffff:127.0.0.1')).toEqual({ family: 4, source: '192.0.2.1', destination: '127.0.0.1' });
    expect(packetOf('::ffff:192.0.2.1', '::ffff:127.0.0.1').subarray(12, 20)).toEqual(hex('c0000201 7f000001'));
  });

  it('an IPv4 peer and an IPv6 local address (`--bind ::`) are both written as IPv6, the peer v4-mapped', () => {
    const packet = packetOf('192.0.2.1', '::');
    expect(packet[0]! >> 4).toBe(6);
    expect(packet.subarray(8, 24)).toEqual(parseIpv6('::ffff:192.0.2.1'));
  });

  it('a zone suffix is dropped; a host name is refused', () => {
    expect(packetOf('fe80::1%eth0', 'fe80::2').subarray(8, 24)).toEqual(parseIpv6('fe80::1'));
    expect(() => packetOf('router.example', '127.0.0.1')).toThrow(/not an IP address/);
  });
});
