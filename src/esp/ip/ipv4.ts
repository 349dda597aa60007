import { formatIpv4, parseIpv4 } from '../../ike/codec/address.js';
import { internetChecksum } from './checksum.js';

// IPv4 headers (RFC 791) as the router's inside needs them: decode what comes out of a tunnel,
// encode what the router or a simulated LAN host answers. No options are written and no
// fragments are reassembled.

export const IPV4_MIN_HEADER_LENGTH = 20;

/** IANA protocol numbers used behind the router. */
export const IpProtocol = { ICMP: 1, UDP: 17, ESP: 50 } as const;

export interface Ipv4Header {
  readonly headerLength: number;
  /** The whole TOS byte (DSCP and ECN). */
  readonly tos: number;
  readonly totalLength: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** In octets (the field counts 8-octet units). */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly source: string;
  readonly destination: string;
}

export interface Ipv4Packet {
  readonly header: Ipv4Header;
  /** The bytes after the header up to the total length (link padding beyond it is dropped). */
  readonly payload: Buffer;
}

export type Ipv4Problem =
  | 'truncated'
  | 'not-ipv4'
  /** IHL below 5 words or past the end of the bytes. */
  | 'bad-header-length'
  /** Total length shorter than the header or longer than the bytes. */
  | 'bad-total-length'
  | 'bad-header-checksum';

export type Ipv4DecodeResult = { readonly ok: true; readonly packet: Ipv4Packet } | { readonly ok: false; readonly problem: Ipv4Problem };

const fail = (problem: Ipv4Problem): Ipv4DecodeResult => ({ ok: false, problem });

/** Decodes and checks an IPv4 packet; never throws on received bytes. */
export function decodeIpv4Packet(bytes: Buffer): Ipv4DecodeResult {
  if (bytes.length < IPV4_MIN_HEADER_LENGTH) return fail('truncated');
  if (bytes[0]! >> 4 !== 4) return fail('not-ipv4');
  const headerLength = (bytes[0]! & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH || headerLength > bytes.length) return fail('bad-header-length');
  const totalLength = bytes.readUInt16BE(2);
  if (totalLength < headerLength || totalLength > bytes.length) return fail('bad-total-length');
  if (internetChecksum(bytes.subarray(0, headerLength)) !== 0) return fail('bad-header-checksum');
  const flagsAndOffset = bytes.readUInt16BE(6);
  return {
    ok: true,
    packet: {
      header: {
        headerLength,
        tos: bytes[1]!,
        totalLength,
        identification: bytes.readUInt16BE(4),
        dontFragment: (flagsAndOffset & 0x4000) !== 0,
        moreFragments: (flagsAndOffset & 0x2000) !== 0,
        fragmentOffset: (flagsAndOffset & 0x1fff) * 8,
        ttl: bytes[8]!,
        protocol: bytes[9]!,
        source: formatIpv4(bytes.subarray(12, 16)),
        destination: formatIpv4(bytes.subarray(16, 20)),
      },
      payload: bytes.subarray(headerLength, totalLength),
    },
  };
}

/** True for any piece of a fragmented datagram (there is no reassembly here). */
export function isFragment(header: Ipv4Header): boolean {
  return header.moreFragments || header.fragmentOffset !== 0;
}

export interface Ipv4PacketFields {
  readonly source: string;
  readonly destination: string;
  readonly protocol: number;
  readonly payload: Buffer;
  readonly ttl?: number;
  readonly identification?: number;
  readonly tos?: number;
  readonly dontFragment?: boolean;
}

/** Builds an unfragmented IPv4 packet with a 20-byte header and its checksum. */
export function encodeIpv4Packet(fields: Ipv4PacketFields): Buffer {
  const totalLength = IPV4_MIN_HEADER_LENGTH + fields.payload.length;
  if (totalLength > 0xffff) throw new RangeError(`an IPv4 packet of ${totalLength} bytes exceeds 65535`);
  const packet = Buffer.alloc(totalLength);
  packet[0] = 0x45;
  packet[1] = fields.tos ?? 0;
  packet.writeUInt16BE(totalLength, 2);
  packet.writeUInt16BE(fields.identification ?? 0, 4);
  packet.writeUInt16BE(fields.dontFragment ? 0x4000 : 0, 6);
  packet[8] = fields.ttl ?? 64;
  packet[9] = fields.protocol;
  parseIpv4(fields.source).copy(packet, 12);
  parseIpv4(fields.destination).copy(packet, 16);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, IPV4_MIN_HEADER_LENGTH)), 10);
  fields.payload.copy(packet, IPV4_MIN_HEADER_LENGTH);
  return packet;
}
