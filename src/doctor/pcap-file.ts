/**
 * The IKE datagrams of a libpcap capture: raw IP (rtxlab's own `--pcap`, LINKTYPE_RAW) or
 * Ethernet (tcpdump on an interface), IPv4 or IPv6, UDP datagrams that hold ISAKMP messages. Bounds-checked:
 * a truncated or foreign record is skipped, never read past.
 */
export interface CapturedIke {
  readonly timeMs: number;
  readonly from: { readonly address: string; readonly port: number };
  readonly to: { readonly address: string; readonly port: number };
  /** The ISAKMP message (the non-ESP marker on 4500 removed). */
  readonly message: Buffer;
}

export type PcapReading = { readonly ok: true; readonly datagrams: readonly CapturedIke[] } | { readonly ok: false; readonly problem: string };

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
/** RFC 2408 §3.1: cookies, next payload, version (1.0 = 0x10), exchange, flags, message ID, length. */
const ISAKMP_HEADER_BYTES = 28;

export function readPcapIke(file: Buffer): PcapReading {
  if (file.length < 24) return { ok: false, problem: 'not a pcap file (shorter than its 24-byte header)' };
  const magic = file.readUInt32LE(0);
  const littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const bigEndian = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!littleEndian && !bigEndian) return { ok: false, problem: 'not a libpcap file (pcapng is not read: convert it with `editcap -F pcap`)' };
  const nanoseconds = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (offset: number) => (littleEndian ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
  const linkType = u32(20);
  if (linkType !== LINKTYPE_RAW && linkType !== LINKTYPE_ETHERNET) return { ok: false, problem: `link type ${linkType} is not read (raw IP or Ethernet only)` };
  const datagrams: CapturedIke[] = [];
  for (let offset = 24; offset + 16 <= file.length; ) {
    const capturedLength = u32(offset + 8);
    const start = offset + 16;
    if (start + capturedLength > file.length) break;
    const timeMs = u32(offset) * 1000 + u32(offset + 4) / (nanoseconds ? 1e6 : 1e3);
    const frame = file.subarray(start, start + capturedLength);
    const datagram = udpOf(linkType === LINKTYPE_ETHERNET ? ethernetPayload(frame) : frame);
    if (datagram) {
      const ike = ikeMessageOf(datagram);
      if (ike) datagrams.push({ timeMs, from: datagram.from, to: datagram.to, message: ike });
    }
    offset = start + capturedLength;
  }
  return { ok: true, datagrams };
}

function ethernetPayload(frame: Buffer): Buffer | undefined {
  if (frame.length < 14) return undefined;
  let etherType = frame.readUInt16BE(12);
  let offset = 14;
  if (etherType === 0x8100 && frame.length >= 18) {
    etherType = frame.readUInt16BE(16);
    offset = 18;
  }
  return etherType === 0x0800 || etherType === 0x86dd ? frame.subarray(offset) : undefined;
}

interface UdpDatagram {
  from: { address: string; port: number };
  to: { address: string; port: number };
  payload: Buffer;
}

function udpOf(packet: Buffer | undefined): UdpDatagram | undefined {
  if (!packet || packet.length < 1) return undefined;
  const version = packet[0]! >> 4;
  let source: string;
  let destination: string;
  let udp: Buffer;
  if (version === 4) {
    const headerLength = (packet[0]! & 0x0f) * 4;
    if (packet.length < headerLength + 8 || packet[9] !== 17) return undefined;
    source = [...packet.subarray(12, 16)].join('.');
    destination = [...packet.subarray(16, 20)].join('.');
    udp = packet.subarray(headerLength, Math.min(packet.length, packet.readUInt16BE(2)));
  } else if (version === 6) {
    if (packet.length < 48 || packet[6] !== 17) return undefined;
    source = ipv6Text(packet.subarray(8, 24));
    destination = ipv6Text(packet.subarray(24, 40));
    udp = packet.subarray(40);
  } else {
    return undefined;
  }
  if (udp.length < 8) return undefined;
  const udpLength = Math.min(udp.length, udp.readUInt16BE(4));
  return { from: { address: source, port: udp.readUInt16BE(0) }, to: { address: destination, port: udp.readUInt16BE(2) }, payload: udp.subarray(8, udpLength) };
}

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(bytes.readUInt16BE(index).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/**
 * On the NAT-T port an IKE message follows four zero bytes (RFC 3948 §2.2); keepalives and ESP are
 * not IKE. Any UDP port is read, not only 500 and 4500: rtxlab's own captures in tests use
 * ephemeral ports. A message is kept only when it reads as an ISAKMP 1.0 header whose length is
 * the datagram's, so ESP and other UDP fall away.
 */
function ikeMessageOf(datagram: UdpDatagram): Buffer | undefined {
  const { payload } = datagram;
  const framed = datagram.from.port !== 500 && datagram.to.port !== 500 && payload.length >= 32 && payload.readUInt32BE(0) === 0;
  const message = framed ? payload.subarray(4) : payload;
  const looksLikeIsakmp = message.length >= ISAKMP_HEADER_BYTES && message[17] === 0x10 && message.readUInt32BE(24) === message.length;
  return looksLikeIsakmp ? message : undefined;
}
