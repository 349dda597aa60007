// The tiny IP layer behind the router: IPv4, ICMP echo and UDP, enough for pings and UDP echo
// through a tunnel. Pure functions; decoders never throw on received bytes.
export { internetChecksum } from './checksum.js';
export {
  IPV4_MIN_HEADER_LENGTH,
  IpProtocol,
  decodeIpv4Packet,
  encodeIpv4Packet,
  isFragment,
  type Ipv4DecodeResult,
  type Ipv4Header,
  type Ipv4Packet,
  type Ipv4PacketFields,
  type Ipv4Problem,
} from './ipv4.js';
export { IcmpType, decodeIcmpEcho, encodeIcmpEcho, type IcmpEcho, type IcmpEchoDecodeResult, type IcmpEchoProblem } from './icmp.js';
export { decodeUdpDatagram, encodeUdpDatagram, type UdpDatagram, type UdpDecodeResult, type UdpProblem } from './udp.js';
export {
  answerIcmpEcho,
  answerUdpEcho,
  buildIcmpEchoRequest,
  buildUdpPacket,
  type EchoAnswer,
  type EchoIgnoredReason,
  type EchoRequestFields,
  type ReplyOptions,
  type UdpPacketFields,
} from './echo.js';
