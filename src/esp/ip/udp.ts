import { parseIpv4 } from '../../ike/codec/address.js';
import { internetChecksum } from './checksum.js';
import { IpProtocol } from './ipv4.js';

// UDP (RFC 768) over IPv4, checksummed over the pseudo-header.

const UDP_HEADER_LENGTH = 8;

export interface UdpDatagram {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

export type UdpProblem = 'truncated' | 'bad-length' | 'bad-checksum';

export type UdpDecodeResult = { readonly ok: true; readonly datagram: UdpDatagram } | { readonly ok: false; readonly problem: UdpProblem };

function pseudoHeader(source: string, destination: string, udpLength: number): Buffer {
  const header = Buffer.alloc(12);
  parseIpv4(source).copy(header, 0);
  parseIpv4(destination).copy(header, 4);
  header[9] = IpProtocol.UDP;
  header.writeUInt16BE(udpLength, 10);
  return header;
}

/**
 * Decodes the UDP datagram carried in an IPv4 packet from `source` to `destination`. A zero
 * checksum means the sender computed none (RFC 768); any other must verify. Never throws.
 */
export function decodeUdpDatagram(bytes: Buffer, source: string, destination: string): UdpDecodeResult {
  if (bytes.length < UDP_HEADER_LENGTH) return { ok: false, problem: 'truncated' };
  const length = bytes.readUInt16BE(4);
  if (length < UDP_HEADER_LENGTH || length > bytes.length) return { ok: false, problem: 'bad-length' };
  const datagram = bytes.subarray(0, length);
  if (datagram.readUInt16BE(6) !== 0 && internetChecksum(pseudoHeader(source, destination, length), datagram) !== 0) {
    return { ok: false, problem: 'bad-checksum' };
  }
  return {
    ok: true,
    datagram: { sourcePort: datagram.readUInt16BE(0), destinationPort: datagram.readUInt16BE(2), payload: datagram.subarray(UDP_HEADER_LENGTH) },
  };
}

/** Encodes a UDP datagram with its checksum (a computed 0 is sent as 0xffff, RFC 768). */
export function encodeUdpDatagram(datagram: UdpDatagram, source: string, destination: string): Buffer {
  const length = UDP_HEADER_LENGTH + datagram.payload.length;
  if (length > 0xffff) throw new RangeError(`a UDP datagram of ${length} bytes exceeds 65535`);
  const bytes = Buffer.alloc(length);
  bytes.writeUInt16BE(datagram.sourcePort, 0);
  bytes.writeUInt16BE(datagram.destinationPort, 2);
  bytes.writeUInt16BE(length, 4);
  datagram.payload.copy(bytes, UDP_HEADER_LENGTH);
  const checksum = internetChecksum(pseudoHeader(source, destination, length), bytes);
  bytes.writeUInt16BE(checksum === 0 ? 0xffff : checksum, 6);
  return bytes;
}
