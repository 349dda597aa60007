import { decodeIcmpEcho, encodeIcmpEcho } from './icmp.js';
import { decodeIpv4Packet, encodeIpv4Packet, IpProtocol, isFragment, type Ipv4Packet } from './ipv4.js';
import { decodeUdpDatagram, encodeUdpDatagram } from './udp.js';

// Answering pings and UDP echo: the router's own interface addresses (`ip lan1 address ...`)
// and the simulated LAN hosts behind it answer packets that came out of a tunnel.

export type EchoAnswer =
  | { readonly kind: 'reply'; readonly packet: Buffer }
  | { readonly kind: 'ignored'; readonly why: EchoIgnoredReason };

export type EchoIgnoredReason =
  /** Not an IPv4 packet with a valid header. */
  | 'malformed-ip'
  /** A piece of a fragmented datagram: nothing here reassembles. */
  | 'fragment'
  /** Addressed to someone else: the caller routes it on. */
  | 'not-addressed-to-us'
  /** Not the protocol / ICMP type / port this responder answers. */
  | 'not-echo-request'
  /** The ICMP or UDP part is truncated or fails its checksum. */
  | 'malformed-payload';

export interface ReplyOptions {
  /**
   * TTL of the answer. The RTX1500's is not documented (NOT FOUND); 255 is what many routers
   * use for their own packets, hosts mostly use 64.
   */
  readonly ttl?: number;
  /** IPv4 identification of the answer (a router keeps a counter). */
  readonly identification?: number;
}

const ignored = (why: EchoIgnoredReason): EchoAnswer => ({ kind: 'ignored', why });

function addressedTo(packet: Buffer, ownAddresses: ReadonlySet<string>): Ipv4Packet | EchoAnswer {
  const decoded = decodeIpv4Packet(packet);
  if (!decoded.ok) return ignored('malformed-ip');
  if (isFragment(decoded.packet.header)) return ignored('fragment');
  if (!ownAddresses.has(decoded.packet.header.destination)) return ignored('not-addressed-to-us');
  return decoded.packet;
}

const isAnswer = (value: Ipv4Packet | EchoAnswer): value is EchoAnswer => 'kind' in value;

/**
 * Answers an ICMP echo request addressed to one of `ownAddresses` with an echo reply from that
 * address: same identifier, sequence number and data (RFC 792), TOS copied.
 */
export function answerIcmpEcho(packet: Buffer, ownAddresses: ReadonlySet<string>, options: ReplyOptions = {}): EchoAnswer {
  const request = addressedTo(packet, ownAddresses);
  if (isAnswer(request)) return request;
  if (request.header.protocol !== IpProtocol.ICMP) return ignored('not-echo-request');
  const echo = decodeIcmpEcho(request.payload);
  if (!echo.ok) return ignored(echo.problem === 'not-echo' ? 'not-echo-request' : 'malformed-payload');
  if (echo.echo.kind !== 'request') return ignored('not-echo-request');
  return {
    kind: 'reply',
    packet: encodeIpv4Packet({
      source: request.header.destination,
      destination: request.header.source,
      protocol: IpProtocol.ICMP,
      tos: request.header.tos,
      ttl: options.ttl ?? 255,
      identification: options.identification ?? 0,
      payload: encodeIcmpEcho({ ...echo.echo, kind: 'reply' }),
    }),
  };
}

/**
 * Answers a UDP datagram sent to `port` of one of `ownAddresses` with the same payload, back to
 * where it came from (the echo service of RFC 862, on whichever port the LAN host is given).
 */
export function answerUdpEcho(packet: Buffer, ownAddresses: ReadonlySet<string>, port: number, options: ReplyOptions = {}): EchoAnswer {
  const request = addressedTo(packet, ownAddresses);
  if (isAnswer(request)) return request;
  if (request.header.protocol !== IpProtocol.UDP) return ignored('not-echo-request');
  const { source, destination } = request.header;
  const datagram = decodeUdpDatagram(request.payload, source, destination);
  if (!datagram.ok) return ignored('malformed-payload');
  if (datagram.datagram.destinationPort !== port) return ignored('not-echo-request');
  return {
    kind: 'reply',
    packet: encodeIpv4Packet({
      source: destination,
      destination: source,
      protocol: IpProtocol.UDP,
      tos: request.header.tos,
      ttl: options.ttl ?? 64,
      identification: options.identification ?? 0,
      payload: encodeUdpDatagram({ sourcePort: port, destinationPort: datagram.datagram.sourcePort, payload: datagram.datagram.payload }, destination, source),
    }),
  };
}

export interface EchoRequestFields {
  readonly source: string;
  readonly destination: string;
  readonly identifier: number;
  readonly sequenceNumber: number;
  readonly data: Buffer;
  readonly ttl?: number;
  readonly identification?: number;
}

/** An IPv4 ICMP echo request, as a client behind a tunnel sends it. */
export function buildIcmpEchoRequest(fields: EchoRequestFields): Buffer {
  return encodeIpv4Packet({
    source: fields.source,
    destination: fields.destination,
    protocol: IpProtocol.ICMP,
    ttl: fields.ttl ?? 64,
    identification: fields.identification ?? 0,
    payload: encodeIcmpEcho({ kind: 'request', identifier: fields.identifier, sequenceNumber: fields.sequenceNumber, data: fields.data }),
  });
}

export interface UdpPacketFields {
  readonly source: string;
  readonly destination: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
  readonly ttl?: number;
  readonly identification?: number;
  /** Set DF, as Linux does on the UDP it sends (default: clear). */
  readonly dontFragment?: boolean;
}

/** An IPv4 packet carrying one UDP datagram. */
export function buildUdpPacket(fields: UdpPacketFields): Buffer {
  const { source, destination } = fields;
  return encodeIpv4Packet({
    source,
    destination,
    protocol: IpProtocol.UDP,
    ttl: fields.ttl ?? 64,
    identification: fields.identification ?? 0,
    dontFragment: fields.dontFragment ?? false,
    payload: encodeUdpDatagram({ sourcePort: fields.sourcePort, destinationPort: fields.destinationPort, payload: fields.payload }, source, destination),
  });
}
