/**
 * The router's own `ping` (command reference §56.7.9: `ping [-s datalen] [-c count]
 * [-sa ip_address] [-w wait] host`), pure half: the echo requests it sends, its replies
 * recognised among the inner packets that come out of a tunnel, and the result. The driver
 * (RtxRouter.ping) sends through the data plane and waits on the router's clock.
 */
import { buildIcmpEchoRequest, decodeIcmpEcho, decodeIpv4Packet, IpProtocol } from '../esp/ip/index.js';

/** Defaults where the reference's are NOT FOUND (assumed): 3 echoes of 56 data bytes, 1 s apart, 2 s wait for the last. */
export const PING_DEFAULTS = { count: 3, dataBytes: 56, waitSeconds: 2, intervalMs: 1_000 } as const;

export interface PingRequest {
  /** An IPv4 literal (rtxlab resolves no names). */
  readonly host: string;
  /** `-sa`: the source address, one of the router's own; default its first interface address. */
  readonly source?: string;
  /** `-c`. */
  readonly count?: number;
  /** `-s`: ICMP data bytes. */
  readonly dataBytes?: number;
  /** `-w`: how long to wait for the last reply, in seconds. */
  readonly waitSeconds?: number;
}

export interface PingReply {
  readonly sequence: number;
  readonly from: string;
  readonly ttl: number;
  /** ICMP message bytes (header + data), as BSD ping counts them. */
  readonly bytes: number;
  readonly roundTripMs: number;
}

export interface PingResult {
  readonly host: string;
  readonly source: string;
  readonly transmitted: number;
  readonly replies: readonly PingReply[];
  /** Requests no `ip route ... gateway tunnel N` covered (rtxlab routes only into tunnels). */
  readonly unroutable: number;
}

export function pingRequestPacket(fields: { source: string; host: string; identifier: number; sequence: number; dataBytes: number }): Buffer {
  return buildIcmpEchoRequest({
    source: fields.source,
    destination: fields.host,
    identifier: fields.identifier,
    sequenceNumber: fields.sequence,
    identification: fields.sequence & 0xffff,
    data: Buffer.from(Array.from({ length: fields.dataBytes }, (_, index) => (fields.sequence + index) & 0xff)),
  });
}

/** An echo reply to our identifier: its sequence, sender, TTL and size; undefined for anything else. */
export function readPingReply(packet: Buffer, identifier: number): Omit<PingReply, 'roundTripMs'> | undefined {
  const decoded = decodeIpv4Packet(packet);
  if (!decoded.ok || decoded.packet.header.protocol !== IpProtocol.ICMP) return undefined;
  const echo = decodeIcmpEcho(decoded.packet.payload);
  if (!echo.ok || echo.echo.kind !== 'reply' || echo.echo.identifier !== identifier) return undefined;
  return { sequence: echo.echo.sequenceNumber, from: decoded.packet.header.source, ttl: decoded.packet.header.ttl, bytes: decoded.packet.payload.length };
}

/** Every reason the request cannot be sent; empty when it can. */
export function checkPingRequest(request: PingRequest, ownAddresses: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(request.host) || request.host.split('.').some((octet) => Number(octet) > 255)) problems.push(`${request.host} is not an IPv4 address`);
  if (request.source !== undefined && !ownAddresses.has(request.source)) problems.push(`${request.source} is not one of the router's addresses`);
  if (request.source === undefined && ownAddresses.size === 0) problems.push('the router has no interface address to send from');
  const count = request.count ?? PING_DEFAULTS.count;
  if (!Number.isInteger(count) || count < 1 || count > 1000) problems.push(`count ${count} is outside 1..1000`);
  const dataBytes = request.dataBytes ?? PING_DEFAULTS.dataBytes;
  if (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes > 1400) problems.push(`data length ${dataBytes} is outside 0..1400`);
  const wait = request.waitSeconds ?? PING_DEFAULTS.waitSeconds;
  if (!(wait > 0 && wait <= 60)) problems.push(`wait ${wait} s is outside (0, 60]`);
  return problems;
}
