/**
 * The `datagram` event's record (what `--pcap` writes) from what the transport hands over and
 * what the router sends. The transport strips RFC 3948 framing on the NAT-T port; a capture
 * must show the datagram as it was on the wire, so the framing is put back here: the non-ESP
 * marker before IKE on 4500, the single 0xFF byte of a keepalive.
 */
import type { Endpoint } from '../ike-responder/port.js';
import { frameIkeForNatt } from './natt-framing.js';
import type { DatagramRecord } from './rtx-router-api.js';
import type { InboundPacket } from './udp-transport.js';

/** RFC 3948 §2.3: a NAT keepalive is one 0xFF byte. */
const NATT_KEEPALIVE = Buffer.from([0xff]);

/** A received datagram, with the bytes that arrived (framing included). */
export function inboundDatagramRecord(packet: InboundPacket, time: number): DatagramRecord {
  switch (packet.kind) {
    case 'ike': {
      const { bytes, from, local, natTraversal } = packet.datagram;
      return { direction: 'in', time, from, to: local, kind: 'ike', bytes: natTraversal ? frameIkeForNatt(bytes) : bytes };
    }
    case 'natt-keepalive':
      return { direction: 'in', time, from: packet.from, to: packet.local, kind: 'natt-keepalive', bytes: NATT_KEEPALIVE };
    case 'esp':
    case 'natt-malformed':
      return { direction: 'in', time, from: packet.from, to: packet.local, kind: packet.kind, bytes: packet.bytes };
  }
}

/** An IKE message the router sends (`UdpTransport.send`): behind the marker on the NAT-T port. */
export function outboundIkeRecord(ikeMessage: Buffer, from: Endpoint, to: Endpoint, natTraversal: boolean, time: number): DatagramRecord {
  return { direction: 'out', time, from, to, kind: 'ike', bytes: natTraversal ? frameIkeForNatt(ikeMessage) : ikeMessage };
}

/** ESP in UDP the router sends (`UdpTransport.sendEsp`): no marker, the SPI first. */
export function outboundEspRecord(esp: Buffer, from: Endpoint, to: Endpoint, time: number): DatagramRecord {
  return { direction: 'out', time, from, to, kind: 'esp', bytes: esp };
}
