/**
 * The bytes of a classic libpcap file of UDP datagrams (pure; pcap-writer.ts holds the file).
 *
 * Link type LINKTYPE_RAW (101): each record is a bare IPv4 or IPv6 packet, told apart by its
 * version nibble, so one file holds both families (`--bind ::1` captures IPv6) and Wireshark /
 * tshark decode it as "Raw IP" with no made-up Ethernet addresses. The IP and UDP headers are
 * synthesised from the endpoints the router's sockets report, with correct checksums (IPv4
 * header checksum, UDP checksum over the pseudo-header) so a decoder that checks them is happy.
 * IPv4 uses the esp module's builder (src/esp/ip); IPv6 is only needed here.
 */
import { buildUdpPacket, encodeIpv4Packet, internetChecksum, IpProtocol, type UdpPacketFields } from '../esp/ip/index.js';
import { formatIpv4, formatIpv6, parseIpv6 } from '../ike/codec/address.js';
import type { Endpoint } from '../ike-responder/port.js';
import { mapToIpv6, parseIpLiteral, unmapIpv4 } from './ip-literal.js';

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
/** Linux's default TTL / hop limit for the packets it originates. */
const DEFAULT_TTL = 64;

/** The largest UDP payload each family can carry (total length / payload length are 16 bits). */
export const MAX_UDP_PAYLOAD = { 4: 0xffff - IPV4_HEADER_BYTES - UDP_HEADER_BYTES, 6: 0xffff - UDP_HEADER_BYTES } as const;

/** One UDP datagram as it crossed one of the router's sockets. */
export interface CapturedUdpDatagram {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** The UDP payload exactly as on the wire (on 4500: with the non-ESP marker, or the 0xFF keepalive); raw ESP: the IP payload. */
  readonly bytes: Buffer;
  /** `esp`: raw ESP, IP protocol 50 (IPv4 only; the ports are not used); absent: UDP. */
  readonly protocol?: 'esp';
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

/**
 * RFC 791 header (no options, Don't Fragment as Linux sends UDP, TTL 64) + UDP with its
 * checksum: the esp module's IPv4/UDP builder. Throws RangeError if it cannot fit.
 */
export function ipv4UdpPacket(fields: UdpPacketFields): Buffer {
  checkPayload(fields.payload, 4);
  return buildUdpPacket({ ...fields, dontFragment: true });
}

/**
 * RFC 8200 header (no extension headers, hop limit 64) + UDP with its checksum, mandatory in
 * IPv6 (RFC 8200 §8.1: a computed 0 is sent as 0xffff).
 */
export function ipv6UdpPacket(fields: UdpPacketFields): Buffer {
  checkPayload(fields.payload, 6);
  const source = parseIpv6(fields.source);
  const destination = parseIpv6(fields.destination);
  const udpLength = UDP_HEADER_BYTES + fields.payload.length;

  const udp = Buffer.alloc(udpLength);
  udp.writeUInt16BE(fields.sourcePort, 0);
  udp.writeUInt16BE(fields.destinationPort, 2);
  udp.writeUInt16BE(udpLength, 4);
  fields.payload.copy(udp, UDP_HEADER_BYTES);
  const pseudo = Buffer.alloc(40);
  source.copy(pseudo, 0);
  destination.copy(pseudo, 16);
  pseudo.writeUInt32BE(udpLength, 32);
  pseudo[39] = IpProtocol.UDP;
  const checksum = internetChecksum(pseudo, udp);
  udp.writeUInt16BE(checksum === 0 ? 0xffff : checksum, 6);

  const header = Buffer.alloc(IPV6_HEADER_BYTES);
  header.writeUInt32BE(0x6000_0000, 0); // version 6, traffic class 0, flow label 0
  header.writeUInt16BE(udpLength, 4);
  header[6] = IpProtocol.UDP;
  header[7] = fields.ttl ?? DEFAULT_TTL; // hop limit
  source.copy(header, 8);
  destination.copy(header, 24);
  return Buffer.concat([header, udp]);
}

function checkPayload(payload: Buffer, family: 4 | 6): void {
  if (payload.length > MAX_UDP_PAYLOAD[family]) {
    throw new RangeError(`a UDP payload of ${payload.length} bytes does not fit in an IPv${family} packet (at most ${MAX_UDP_PAYLOAD[family]})`);
  }
}

/**
 * Both endpoints in one family, as text. A dual-stack socket (`--bind ::`) reports IPv4 peers
 * as `::ffff:a.b.c.d`: when both ends are IPv4 or v4-mapped the packet is IPv4 (what went over
 * the wire); when only one is, it is written v4-mapped in an IPv6 packet rather than guessed at.
 */
export function endpointAddresses(from: string, to: string): { family: 4 | 6; source: string; destination: string } {
  const source = parseIpLiteral(from);
  const destination = parseIpLiteral(to);
  if (source === undefined) throw new RangeError(`not an IP address: ${JSON.stringify(from)}`);
  if (destination === undefined) throw new RangeError(`not an IP address: ${JSON.stringify(to)}`);
  const source4 = unmapIpv4(source);
  const destination4 = unmapIpv4(destination);
  if (source4 !== undefined && destination4 !== undefined) {
    return { family: 4, source: formatIpv4(source4.bytes), destination: formatIpv4(destination4.bytes) };
  }
  return { family: 6, source: formatIpv6(mapToIpv6(source).bytes), destination: formatIpv6(mapToIpv6(destination).bytes) };
}

/** The IP packet that carried `datagram`. Throws RangeError for non-IP endpoints or oversized payloads. */
export function udpPacketOf(datagram: Pick<CapturedUdpDatagram, 'from' | 'to' | 'bytes' | 'protocol'>, options: { identification?: number } = {}): Buffer {
  const { family, source, destination } = endpointAddresses(datagram.from.address, datagram.to.address);
  if (datagram.protocol === 'esp') {
    if (family !== 4) throw new RangeError('raw ESP is captured for IPv4 only');
    return encodeIpv4Packet({ source, destination, protocol: IpProtocol.ESP, payload: datagram.bytes, dontFragment: true, ...options });
  }
  const fields = { source, destination, sourcePort: datagram.from.port, destinationPort: datagram.to.port, payload: datagram.bytes, ...options };
  return family === 4 ? ipv4UdpPacket(fields) : ipv6UdpPacket(fields);
}

/** One whole pcap record (header + packet) for `datagram`. Throws RangeError as udpPacketOf. */
export function pcapRecord(datagram: CapturedUdpDatagram, options: { identification?: number } = {}): Buffer {
  const packet = udpPacketOf(datagram, options);
  return Buffer.concat([pcapRecordHeader(datagram.time, packet.length), packet]);
}
