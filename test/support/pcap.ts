import { readFileSync } from 'node:fs';

/** One UDP datagram from a capture, with the IKE/ESP split of RFC 3948 applied on port 4500. */
export interface CapturedDatagram {
  frame: number; // 1-based, as tshark numbers frames
  srcAddress: string;
  dstAddress: string;
  srcPort: number;
  dstPort: number;
  udpPayload: Buffer;
  /** What the datagram carries once the non-ESP marker is looked at. */
  content: { kind: 'ike'; message: Buffer } | { kind: 'esp'; packet: Buffer } | { kind: 'natt-keepalive' };
}

const LINKTYPE_ETHERNET = 1;

/**
 * Reads the UDP/IPv4 datagrams of a classic little-endian pcap file with Ethernet framing
 * (what tcpdump -w wrote for the fixtures). Anything else is skipped, not guessed at.
 */
export function readUdpCapture(path: string): CapturedDatagram[] {
  const file = readFileSync(path);
  if (file.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian pcap file`);
  const linkType = file.readUInt32LE(20);
  if (linkType !== LINKTYPE_ETHERNET) throw new Error(`${path}: link type ${linkType} is not Ethernet`);
  const datagrams: CapturedDatagram[] = [];
  let offset = 24;
  let frame = 0;
  while (offset + 16 <= file.length) {
    const capturedLength = file.readUInt32LE(offset + 8);
    const record = file.subarray(offset + 16, offset + 16 + capturedLength);
    offset += 16 + capturedLength;
    frame++;
    if (record.length < 14 + 20 + 8 || record.readUInt16BE(12) !== 0x0800) continue;
    const ip = record.subarray(14);
    const headerLength = (ip[0]! & 0x0f) * 4;
    if (ip[9] !== 17) continue;
    const totalLength = ip.readUInt16BE(2);
    const udp = ip.subarray(headerLength, totalLength);
    const srcPort = udp.readUInt16BE(0);
    const dstPort = udp.readUInt16BE(2);
    const udpPayload = Buffer.from(udp.subarray(8, udp.readUInt16BE(4)));
    datagrams.push({
      frame,
      srcAddress: Array.from(ip.subarray(12, 16)).join('.'),
      dstAddress: Array.from(ip.subarray(16, 20)).join('.'),
      srcPort,
      dstPort,
      udpPayload,
      content: classify(udpPayload, srcPort === 4500 || dstPort === 4500),
    });
  }
  return datagrams;
}

function classify(payload: Buffer, natTraversalPort: boolean): CapturedDatagram['content'] {
  if (!natTraversalPort) return { kind: 'ike', message: payload };
  if (payload.length === 1 && payload[0] === 0xff) return { kind: 'natt-keepalive' };
  if (payload.length >= 4 && payload.readUInt32BE(0) === 0) return { kind: 'ike', message: payload.subarray(4) };
  return { kind: 'esp', packet: payload };
}
