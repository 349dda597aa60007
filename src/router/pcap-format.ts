/**
 * The bytes of a classic libpcap file of UDP datagrams (pure; pcap-writer.ts holds the file).
 *
 * Link type LINKTYPE_RAW (101): each record is a bare IPv4 or IPv6 packet, told apart by its
 * version nibble, so one file holds both families (`--bind ::1` captures IPv6) and Wireshark /
 * tshark decode it as "Raw IP" with no made-up Ethernet addresses. The IP and UDP headers are
 * synthesised from the endpoints the router's sockets report, with correct checksums (IPv4
 * header checksum, UDP checksum over the pseudo-header) so a decoder that checks them is happy.
 */
import { internetChecksum } from '../esp/ip/checksum.js';
import type { Endpoint } from '../ike-responder/port.js';
import { mapToIpv6, parseIpLiteral, unmapIpv4, type IpLiteral } from './ip-literal.js';

/** pcap magic for microsecond timestamps, written in our (little-endian) byte order. */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
/** https://www.tcpdump.org/linktypes.html: raw IPv4/IPv6, no link-layer header. */
export const LINKTYPE_RAW = 101;
/**
 * Snapshot length: tcpdump's default. Above any packet written here (an IPv6 packet may be
 * 40 + 65535 bytes), so no reader ever sees a record longer than the file says is possible.
 */
export const PCAP_SNAPLEN = 262_144;

const PCAP_GLOBAL_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;
const IPV4_HEADER_BYTES = 20;
const IPV6_HEADER_BYTES = 40;
const UDP_HEADER_BYTES = 8;
const IP_PROTOCOL_UDP = 17;
/** Linux's default TTL / hop limit for the packets it originates. */
const DEFAULT_TTL = 64;
/** Don't Fragment: what Linux sets on UDP it sends with path MTU discovery on. */
const IPV4_DONT_FRAGMENT = 0x4000;

/** The largest UDP payload each family can carry (total length / payload length are 16 bits). */
export const MAX_UDP_PAYLOAD = { 4: 0xffff - IPV4_HEADER_BYTES - UDP_HEADER_BYTES, 6: 0xffff - UDP_HEADER_BYTES } as const;

/** One UDP datagram as it crossed one of the router's sockets. */
export interface CapturedUdpDatagram {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** The UDP payload exactly as on the wire (on 4500: with the non-ESP marker, or the 0xFF keepalive). */
  readonly bytes: Buffer;
}

/** The 24-byte file header: version 2.4, UTC timestamps, raw IP. */
export function pcapGlobalHeader(): Buffer {
  const header = Buffer.alloc(PCAP_GLOBAL_HEADER_BYTES);
  header.writeUInt32LE(PCAP_MAGIC_MICROSECONDS, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  // thiszone 0 and sigfigs 0: timestamps are UTC.
  header.writeUInt32LE(PCAP_SNAPLEN, 16);
  header.writeUInt32LE(LINKTYPE_RAW, 20);
  return header;
}

/** The 16-byte header of one record: seconds, microseconds, captured and original length. */
export function pcapRecordHeader(timeMs: number, packetLength: number): Buffer {
  const micros = Math.max(0, Math.round(timeMs * 1000));
  const header = Buffer.alloc(PCAP_RECORD_HEADER_BYTES);
  header.writeUInt32LE(Math.floor(micros / 1_000_000) >>> 0, 0);
  header.writeUInt32LE(micros % 1_000_000, 4);
  header.writeUInt32LE(packetLength, 8);
  header.writeUInt32LE(packetLength, 12);
  return header;
}

/** The UDP header fields both families share. */
export interface UdpFields {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

export interface Ipv4UdpFields extends UdpFields {
  /** 4 bytes each. */
  readonly source: Buffer;
  readonly destination: Buffer;
  readonly identification?: number;
  readonly ttl?: number;
}

export interface Ipv6UdpFields extends UdpFields {
  /** 16 bytes each. */
  readonly source: Buffer;
  readonly destination: Buffer;
  readonly hopLimit?: number;
}

/**
 * A UDP segment (header + payload) with its checksum over `pseudoHeader` (RFC 768; RFC 8200
 * §8.1 for IPv6). A computed 0 is sent as 0xffff: 0 means "no checksum", which IPv6 forbids.
 */
export function udpSegment(fields: UdpFields, pseudoHeader: Buffer): Buffer {
  const segment = Buffer.alloc(UDP_HEADER_BYTES + fields.payload.length);
  segment.writeUInt16BE(fields.sourcePort, 0);
  segment.writeUInt16BE(fields.destinationPort, 2);
  segment.writeUInt16BE(segment.length, 4);
  fields.payload.copy(segment, UDP_HEADER_BYTES);
  const checksum = internetChecksum(pseudoHeader, segment);
  segment.writeUInt16BE(checksum === 0 ? 0xffff : checksum, 6);
  return segment;
}

/** RFC 791 header (no options) + UDP, both checksummed. Throws RangeError if it cannot fit. */
export function ipv4UdpPacket(fields: Ipv4UdpFields): Buffer {
  checkPayload(fields, 4);
  const udpLength = UDP_HEADER_BYTES + fields.payload.length;
  const pseudo = Buffer.alloc(12);
  fields.source.copy(pseudo, 0);
  fields.destination.copy(pseudo, 4);
  pseudo[9] = IP_PROTOCOL_UDP;
  pseudo.writeUInt16BE(udpLength, 10);

  const header = Buffer.alloc(IPV4_HEADER_BYTES);
  header[0] = 0x45; // version 4, 5 words of header
  header.writeUInt16BE(IPV4_HEADER_BYTES + udpLength, 2);
  header.writeUInt16BE(fields.identification ?? 0, 4);
  header.writeUInt16BE(IPV4_DONT_FRAGMENT, 6);
  header[8] = fields.ttl ?? DEFAULT_TTL;
  header[9] = IP_PROTOCOL_UDP;
  fields.source.copy(header, 12);
  fields.destination.copy(header, 16);
  header.writeUInt16BE(internetChecksum(header), 10);
  return Buffer.concat([header, udpSegment(fields, pseudo)]);
}

/** RFC 8200 header (no extension headers) + UDP with its mandatory checksum. */
export function ipv6UdpPacket(fields: Ipv6UdpFields): Buffer {
  checkPayload(fields, 6);
  const udpLength = UDP_HEADER_BYTES + fields.payload.length;
  const pseudo = Buffer.alloc(40);
  fields.source.copy(pseudo, 0);
  fields.destination.copy(pseudo, 16);
  pseudo.writeUInt32BE(udpLength, 32);
  pseudo[39] = IP_PROTOCOL_UDP;

  const header = Buffer.alloc(IPV6_HEADER_BYTES);
  header.writeUInt32BE(0x6000_0000, 0); // version 6, traffic class 0, flow label 0
  header.writeUInt16BE(udpLength, 4);
  header[6] = IP_PROTOCOL_UDP;
  header[7] = fields.hopLimit ?? DEFAULT_TTL;
  fields.source.copy(header, 8);
  fields.destination.copy(header, 24);
  return Buffer.concat([header, udpSegment(fields, pseudo)]);
}

function checkPayload(fields: UdpFields & { source: Buffer; destination: Buffer }, family: 4 | 6): void {
  const addressBytes = family === 4 ? 4 : 16;
  if (fields.source.length !== addressBytes || fields.destination.length !== addressBytes) {
    throw new RangeError(`an IPv${family} address is ${addressBytes} bytes`);
  }
  if (fields.payload.length > MAX_UDP_PAYLOAD[family]) {
    throw new RangeError(`a UDP payload of ${fields.payload.length} bytes does not fit in an IPv${family} packet (at most ${MAX_UDP_PAYLOAD[family]})`);
  }
}

/**
 * Both endpoints in one family. A dual-stack socket (`--bind ::`) reports IPv4 peers as
 * `::ffff:a.b.c.d`: when both ends are IPv4 or v4-mapped the packet is IPv4 (what went over the
 * wire); when only one is, it is written v4-mapped in an IPv6 packet rather than guessed at.
 */
export function endpointAddresses(from: string, to: string): { source: IpLiteral; destination: IpLiteral } {
  const source = parseIpLiteral(from);
  const destination = parseIpLiteral(to);
  if (source === undefined) throw new RangeError(`not an IP address: ${JSON.stringify(from)}`);
  if (destination === undefined) throw new RangeError(`not an IP address: ${JSON.stringify(to)}`);
  const source4 = unmapIpv4(source);
  const destination4 = unmapIpv4(destination);
  if (source4 !== undefined && destination4 !== undefined) return { source: source4, destination: destination4 };
  return { source: mapToIpv6(source), destination: mapToIpv6(destination) };
}

/** The IP packet that carried `datagram`. Throws RangeError for non-IP endpoints or oversized payloads. */
export function udpPacketOf(datagram: Pick<CapturedUdpDatagram, 'from' | 'to' | 'bytes'>, options: { identification?: number } = {}): Buffer {
  const { source, destination } = endpointAddresses(datagram.from.address, datagram.to.address);
  const udp = { sourcePort: datagram.from.port, destinationPort: datagram.to.port, payload: datagram.bytes };
  return source.family === 4
    ? ipv4UdpPacket({ ...udp, source: source.bytes, destination: destination.bytes, ...options })
    : ipv6UdpPacket({ ...udp, source: source.bytes, destination: destination.bytes });
}

/** One whole pcap record (header + packet) for `datagram`. Throws RangeError as udpPacketOf. */
export function pcapRecord(datagram: CapturedUdpDatagram, options: { identification?: number } = {}): Buffer {
  const packet = udpPacketOf(datagram, options);
  return Buffer.concat([pcapRecordHeader(datagram.time, packet.length), packet]);
}
