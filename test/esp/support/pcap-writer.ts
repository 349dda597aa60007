// A classic little-endian pcap file of Ethernet/IPv4 frames, enough for tshark to decode ESP the
// esp module sealed. Outer UDP checksums are 0 (allowed for ESP in UDP, RFC 3948 §2.1).
import { IpProtocol, encodeIpv4Packet } from '../../../src/esp/ip/index.js';

export interface OuterEsp {
  readonly source: string;
  readonly destination: string;
  /** true: ESP in UDP on port 4500 (RFC 3948); false: raw ESP, IP protocol 50. */
  readonly udpEncapsulated: boolean;
  readonly espPacket: Buffer;
}

const ETHERNET_HEADER = Buffer.from('020000000002020000000001' + '0800', 'hex');

function udp4500(payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(4500, 0);
  header.writeUInt16BE(4500, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

export function pcapOfEspPackets(packets: readonly OuterEsp[]): Buffer {
  const globalHeader = Buffer.alloc(24);
  globalHeader.writeUInt32LE(0xa1b2c3d4, 0);
  globalHeader.writeUInt16LE(2, 4);
  globalHeader.writeUInt16LE(4, 6);
  globalHeader.writeUInt32LE(65535, 16);
  globalHeader.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const records = packets.map((packet, index) => {
    const ip = encodeIpv4Packet({
      source: packet.source,
      destination: packet.destination,
      protocol: packet.udpEncapsulated ? IpProtocol.UDP : IpProtocol.ESP,
      payload: packet.udpEncapsulated ? udp4500(packet.espPacket) : packet.espPacket,
    });
    const frame = Buffer.concat([ETHERNET_HEADER, ip]);
    const recordHeader = Buffer.alloc(16);
    recordHeader.writeUInt32LE(1_700_000_000 + index, 0);
    recordHeader.writeUInt32LE(frame.length, 8);
    recordHeader.writeUInt32LE(frame.length, 12);
    return Buffer.concat([recordHeader, frame]);
  });
  return Buffer.concat([globalHeader, ...records]);
}
