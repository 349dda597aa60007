import {
  createEspSa,
  createInboundSa,
  createOutboundSa,
  formatSpi,
  INBOUND_DROP_REASONS,
  NextHeader,
  readEspHeader,
  receiveEspPacket,
  rtxDebugLineForDrop,
  sendEspPacket,
  type InboundDropReason,
  type InboundSaState,
  type OutboundRefusal,
  type OutboundSaState,
} from '../esp/index.js';
import { answerIcmpEcho, answerUdpEcho, buildIcmpEchoRequest, decodeIcmpEcho, decodeIpv4Packet, IcmpType, IpProtocol } from '../esp/ip/index.js';
import type { Endpoint, InstalledIpsecSa, LogLevel } from '../ike-responder/port.js';
import { formatHostPort } from './host-port.js';
import { LAN_HOST_UDP_ECHO_PORT, tunnelFor, type RouterInside } from './lan.js';

// The router's ESP data plane: SAs by SPI (inbound) and per tunnel (outbound), fed by the
// responder's `ipsec-sa-installed` / `ipsec-sa-removed` effects; ESP in, inner packet routed to
// the router itself, a simulated LAN host or another tunnel, and ESP out. No sockets and no
// clock: the router glue passes `now` in and performs the returned actions.

/** What the glue must do after the data plane handled something. */
export type DataPlaneAction =
  /**
   * An ESP packet to `to`: UDP-encapsulated (RFC 3948: no marker) from the NAT-T socket, or raw
   * (IP protocol 50) when the SA pair was agreed without UDP encapsulation.
   */
  | { readonly kind: 'send-esp'; readonly tunnelId: number; readonly to: Endpoint; readonly bytes: Buffer; readonly encapsulation: EspEncapsulation }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string }
  /** An authenticated ESP packet arrived on this inbound SPI: the peer is alive (idle limit). */
  | { readonly kind: 'esp-accepted'; readonly spi: number }
  /** An inner packet for nobody the router simulates: out to the real LAN (`--lan-tun`). */
  | { readonly kind: 'to-lan'; readonly packet: Buffer }
  /** The reply to the router's own keepalive echo (`ipsec ike keepalive use GW on icmp-echo IP`) came out of this tunnel. */
  | { readonly kind: 'keepalive-echo-reply'; readonly tunnelId: number; readonly sequence: number }
  /** A packet wanted to leave by this tunnel, which has no SA: the initiating side may start a key exchange. */
  | { readonly kind: 'tunnel-wants-sa'; readonly tunnelId: number }
  /** An ICMP echo reply addressed to the router itself came out of a tunnel (an answer to its own `ping`). */
  | { readonly kind: 'echo-reply'; readonly tunnelId: number; readonly packet: Buffer };

/** How an SA pair's packets travel: in UDP (NAT traversal, RFC 3948) or as IP protocol 50. */
export type EspEncapsulation = 'udp' | 'raw';

/** Why an inner packet that came out of a tunnel went nowhere. */
export type InnerDropReason =
  /** Not a valid IPv4 packet (or IPv6, which the inside does not carry). */
  | 'not-ipv4'
  /** Addressed to the router or a LAN host, but nothing there answers it (not an echo request, a fragment, a bad checksum). */
  | 'unanswered'
  /** Addressed to nobody the router knows: no interface, no LAN host, no tunnel client. */
  | 'no-route'
  /** The tunnel it should leave by has no SA to send with (or the SA refused: expired, sequence used up). */
  | 'no-outbound-sa';

export const INNER_DROP_REASONS: readonly InnerDropReason[] = ['not-ipv4', 'unanswered', 'no-route', 'no-outbound-sa'];

/** Per-tunnel traffic, for `show status tunnel N`: inner IP packets and their octets. */
export interface TunnelTraffic {
  readonly tunnelId: number;
  readonly packetsIn: number;
  readonly octetsIn: number;
  readonly packetsOut: number;
  readonly octetsOut: number;
  /** Smallest / largest inner IP packet seen either way (undefined before the first). */
  readonly smallestInnerPacket?: number;
  readonly largestInnerPacket?: number;
  /** ESP packets that reached one of the tunnel's SAs and were dropped, by reason. */
  readonly espDrops: Readonly<Record<InboundDropReason, number>>;
  readonly innerDrops: Readonly<Record<InnerDropReason, number>>;
  readonly outboundRefusals: Readonly<Record<OutboundRefusal, number>>;
}

/** Router-wide ESP counters: what belongs to no tunnel. */
export interface DataPlaneCounters {
  readonly espReceived: number;
  /** ESP packets sealed for sending. */
  readonly espSealed: number;
  /** ESP whose SPI names no installed SA. */
  readonly unknownSpi: number;
  /** ESP too short to hold even an SPI. */
  readonly truncatedHeader: number;
}

interface InboundEntry {
  readonly tunnelId: number;
  state: InboundSaState;
}

interface OutboundEntry {
  readonly tunnelId: number;
  readonly peer: Endpoint;
  readonly encapsulation: EspEncapsulation;
  readonly internalAddress?: string;
  state: OutboundSaState;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/** RFC 791 §3.2: the identification only has to be unique per source for the datagram's lifetime. */
const IDENTIFICATION_MODULUS = 0x10000;

/** The ICMP identifier of the router's keepalive echoes: what the RTX uses is NOT FOUND (ASSUMED, ASCII "RT"). */
export const KEEPALIVE_ECHO_IDENTIFIER = 0x5254;

export class DataPlane {
  private readonly inbound = new Map<number, InboundEntry>();
  /** The newest outbound SA of each tunnel: the one the RTX sends with after a rekey. */
  private readonly outbound = new Map<number, OutboundEntry>();
  /**
   * Each client's mode-cfg address and the tunnel its outbound SA is on: a routed packet finds its
   * tunnel without reading every SA (a lease is held by one SA set, so an address is on one tunnel).
   */
  private readonly tunnelByInternalAddress = new Map<string, number>();
  private readonly traffic = new Map<number, Mutable<TunnelTraffic>>();
  private readonly counts: Mutable<DataPlaneCounters> = { espReceived: 0, espSealed: 0, unknownSpi: 0, truncatedHeader: 0 };
  private nextIdentification = 0;
  /** A real LAN behind the router (`--lan-tun`): inner packets nobody else takes go there. */
  private lanDevice = false;

  constructor(private inside: RouterInside) {}

  /** `--lan-tun` opened (or closed): packets with no simulated destination go to the real LAN. */
  setLanDevice(present: boolean): void {
    this.lanDevice = present;
  }

  /**
   * An IP packet from the real LAN (`--lan-tun`): into the tunnel of its destination (a client's
   * mode-cfg address, or an `ip route ... gateway tunnel N`), else dropped.
   */
  fromLan(packet: Buffer, now: number): DataPlaneAction[] {
    const decoded = decodeIpv4Packet(packet);
    if (!decoded.ok) return [log('debug', `[IPSEC] from the LAN device: not an IPv4 packet (${decoded.problem})`)];
    const tunnelId = this.tunnelTowards(decoded.packet.header.destination);
    if (tunnelId === undefined) return [log('debug', `[IPSEC] from the LAN device: no tunnel towards ${decoded.packet.header.destination}`)];
    return this.sendInto(tunnelId, packet, now);
  }

  private tunnelTowards(destination: string): number | undefined {
    return this.tunnelByInternalAddress.get(destination) ?? tunnelFor(this.inside.tunnelRoutes ?? [], destination);
  }

  /** A changed config (interface addresses, routes): later packets follow it. */
  setInside(inside: RouterInside): void {
    this.inside = inside;
  }

  /** `ipsec-sa-installed`: both halves of the pair, keyed as Quick Mode made them. */
  install(installed: InstalledIpsecSa, now: number): void {
    const transform = { encryption: installed.encryption, integrity: installed.integrity };
    const lifetime = { seconds: installed.lifeSeconds, ...(installed.lifeKilobytes === undefined ? {} : { kilobytes: installed.lifeKilobytes }) };
    const inboundSa = createEspSa(transform, installed.inbound);
    const outboundSa = createEspSa(transform, installed.outbound);
    this.inbound.set(inboundSa.spi, { tunnelId: installed.tunnelId, state: createInboundSa(inboundSa, { lifetime, now }) });
    const replaced = this.outbound.get(installed.tunnelId)?.internalAddress;
    if (replaced !== undefined && this.tunnelByInternalAddress.get(replaced) === installed.tunnelId) this.tunnelByInternalAddress.delete(replaced);
    if (installed.internalAddress !== undefined) this.tunnelByInternalAddress.set(installed.internalAddress, installed.tunnelId);
    this.outbound.set(installed.tunnelId, {
      tunnelId: installed.tunnelId,
      peer: installed.peer,
      encapsulation: installed.udpEncapsulated ? 'udp' : 'raw',
      ...(installed.internalAddress === undefined ? {} : { internalAddress: installed.internalAddress }),
      state: createOutboundSa(outboundSa, { lifetime, now }),
    });
    this.mutableTraffic(installed.tunnelId);
  }

  /** `ipsec-sa-removed`: forget both SPIs; the tunnel's counters stay. */
  remove(tunnelId: number, inboundSpi: Buffer, outboundSpi: Buffer): void {
    if (inboundSpi.length === 4) this.inbound.delete(inboundSpi.readUInt32BE(0));
    const current = this.outbound.get(tunnelId);
    if (!current || outboundSpi.length !== 4 || current.state.sa.spi !== outboundSpi.readUInt32BE(0)) return;
    this.outbound.delete(tunnelId);
    if (current.internalAddress !== undefined && this.tunnelByInternalAddress.get(current.internalAddress) === tunnelId) this.tunnelByInternalAddress.delete(current.internalAddress);
  }

  /** One ESP packet, from the NAT-T port or as IP protocol 50 (`from.port` 0). Never throws on its bytes. */
  receive(bytes: Buffer, from: Endpoint, now: number): DataPlaneAction[] {
    this.counts.espReceived++;
    const header = readEspHeader(bytes);
    if (header === undefined) {
      this.counts.truncatedHeader++;
      return [log('debug', `ESP from ${describe(from)} (${bytes.length} bytes) dropped: too short for an ESP header`)];
    }
    const entry = this.inbound.get(header.spi);
    if (!entry) {
      this.counts.unknownSpi++;
      return [log('debug', `[IPSEC] ESP from ${describe(from)} dropped: unknown SPI 0x${formatSpi(header.spi)}`)];
    }
    const step = receiveEspPacket(entry.state, bytes, now);
    entry.state = step.state;
    const traffic = this.mutableTraffic(entry.tunnelId);
    const { outcome } = step;
    switch (outcome.kind) {
      case 'dropped': {
        traffic.espDrops = { ...traffic.espDrops, [outcome.reason]: traffic.espDrops[outcome.reason] + 1 };
        const rtxLine = rtxDebugLineForDrop(outcome.reason);
        const sequence = outcome.sequenceNumber === undefined ? '' : ` sequence ${outcome.sequenceNumber}`;
        const detail = `ESP from ${describe(from)} SPI 0x${formatSpi(header.spi)}${sequence} dropped: ${outcome.reason}`;
        return [log('debug', rtxLine === undefined ? `[IPSEC] ${detail}` : `${rtxLine} (${detail})`)];
      }
      case 'dummy':
        return [];
      case 'delivered': {
        this.countInner(traffic, 'in', outcome.packet.length);
        const accepted: DataPlaneAction = { kind: 'esp-accepted', spi: header.spi };
        if (outcome.nextHeader !== NextHeader.IPV4) return [accepted, ...this.dropInner(traffic, 'not-ipv4')];
        return [accepted, ...this.route(entry.tunnelId, outcome.packet, now)];
      }
    }
  }

  /**
   * The router's keepalive echo into tunnel `tunnelId`: from its first interface address (the
   * config's first `ip INTERFACE address`; which source the RTX uses is NOT FOUND, ASSUMED), with
   * `dataLength` zero bytes of data (§15.20 `length=`, default 64), TTL 255 like the router's
   * other packets.
   */
  sendKeepaliveEcho(tunnelId: number, target: string, sequence: number, dataLength: number, now: number): DataPlaneAction[] {
    const [source] = this.inside.ownAddresses;
    if (source === undefined) return [log('debug', `[IPSEC] tunnel ${tunnelId}: keepalive echo to ${target} not sent: the router has no interface address`)];
    const packet = buildIcmpEchoRequest({
      source,
      destination: target,
      identifier: KEEPALIVE_ECHO_IDENTIFIER,
      sequenceNumber: sequence & 0xffff,
      data: Buffer.alloc(dataLength),
      ttl: 255,
      identification: this.takeIdentification(),
    });
    return this.sendInto(tunnelId, packet, now);
  }

  /** The tunnel's traffic so far (all zero for a tunnel that never had an SA). */
  trafficOf(tunnelId: number): TunnelTraffic {
    return { ...(this.traffic.get(tunnelId) ?? noTraffic(tunnelId)) };
  }

  private mutableTraffic(tunnelId: number): Mutable<TunnelTraffic> {
    let found = this.traffic.get(tunnelId);
    if (!found) this.traffic.set(tunnelId, (found = noTraffic(tunnelId)));
    return found;
  }

  /** A snapshot of every tunnel that ever had an SA. */
  tunnels(): TunnelTraffic[] {
    return [...this.traffic.values()].map((traffic) => ({ ...traffic })).sort((a, b) => a.tunnelId - b.tunnelId);
  }

  counters(): DataPlaneCounters {
    return { ...this.counts };
  }

  /** Where an inner packet from tunnel `fromTunnel` goes: the router, a LAN host, or another tunnel. */
  private route(fromTunnel: number, packet: Buffer, now: number): DataPlaneAction[] {
    const traffic = this.mutableTraffic(fromTunnel);
    const decoded = decodeIpv4Packet(packet);
    if (!decoded.ok) return this.dropInner(traffic, 'not-ipv4');
    const { destination } = decoded.packet.header;
    if (this.inside.ownAddresses.has(destination)) {
      // Echo replies to the router: its keepalive's (by identifier), else its own `ping`'s.
      const keepaliveReply = keepaliveEchoReply(decoded.packet.header.protocol, decoded.packet.payload);
      if (keepaliveReply !== undefined) return [{ kind: 'keepalive-echo-reply', tunnelId: fromTunnel, sequence: keepaliveReply }];
      if (isEchoReply(decoded.packet)) return [{ kind: 'echo-reply', tunnelId: fromTunnel, packet }];
      // The router's own packets: TTL 255 (see ReplyOptions), one identification counter.
      const answer = answerIcmpEcho(packet, this.inside.ownAddresses, { identification: this.takeIdentification() });
      if (answer.kind !== 'reply') return this.dropInner(traffic, 'unanswered');
      return this.sendInto(fromTunnel, answer.packet, now);
    }
    if (this.inside.lanHosts.has(destination)) {
      const options = { ttl: 64, identification: this.takeIdentification() };
      const icmp = answerIcmpEcho(packet, this.inside.lanHosts, options);
      const answer = icmp.kind === 'reply' ? icmp : answerUdpEcho(packet, this.inside.lanHosts, LAN_HOST_UDP_ECHO_PORT, options);
      if (answer.kind !== 'reply') return this.dropInner(traffic, 'unanswered');
      return this.sendInto(fromTunnel, answer.packet, now);
    }
    // A client's mode-cfg address (a host route while its SA lives), then the config's
    // `ip route ... gateway tunnel N` (longest prefix).
    const tunnelId = this.tunnelTowards(destination);
    if (tunnelId === undefined) return this.lanDevice ? [{ kind: 'to-lan', packet }] : this.dropInner(traffic, 'no-route');
    return this.sendInto(tunnelId, packet, now);
  }

  /**
   * A packet the router itself sends (its `ping`): routed like one from a tunnel, by the
   * config's `ip route ... gateway tunnel N`. Undefined when no tunnel route covers it.
   */
  originate(packet: Buffer, now: number): DataPlaneAction[] | undefined {
    const decoded = decodeIpv4Packet(packet);
    if (!decoded.ok) return undefined;
    const tunnelId = tunnelFor(this.inside.tunnelRoutes ?? [], decoded.packet.header.destination);
    return tunnelId === undefined ? undefined : this.sendInto(tunnelId, packet, now);
  }

  private sendInto(tunnelId: number, packet: Buffer, now: number): DataPlaneAction[] {
    const traffic = this.mutableTraffic(tunnelId);
    const entry = this.outbound.get(tunnelId);
    if (!entry) return [...this.dropInner(traffic, 'no-outbound-sa'), { kind: 'tunnel-wants-sa', tunnelId }];
    const step = sendEspPacket(entry.state, packet, NextHeader.IPV4, now);
    entry.state = step.state;
    if (step.outcome.kind === 'refused') {
      const { reason } = step.outcome;
      traffic.outboundRefusals = { ...traffic.outboundRefusals, [reason]: traffic.outboundRefusals[reason] + 1 };
      return this.dropInner(traffic, 'no-outbound-sa');
    }
    this.countInner(traffic, 'out', packet.length);
    this.counts.espSealed++;
    return [{ kind: 'send-esp', tunnelId, to: entry.peer, bytes: step.outcome.packet, encapsulation: entry.encapsulation }];
  }

  private countInner(traffic: Mutable<TunnelTraffic>, direction: 'in' | 'out', length: number): void {
    if (direction === 'in') {
      traffic.packetsIn++;
      traffic.octetsIn += length;
    } else {
      traffic.packetsOut++;
      traffic.octetsOut += length;
    }
    traffic.smallestInnerPacket = Math.min(traffic.smallestInnerPacket ?? length, length);
    traffic.largestInnerPacket = Math.max(traffic.largestInnerPacket ?? length, length);
  }

  private dropInner(traffic: Mutable<TunnelTraffic>, reason: InnerDropReason): DataPlaneAction[] {
    traffic.innerDrops = { ...traffic.innerDrops, [reason]: traffic.innerDrops[reason] + 1 };
    return [log('debug', `[IPSEC] tunnel ${traffic.tunnelId}: inner packet dropped: ${reason}`)];
  }

  private takeIdentification(): number {
    const identification = this.nextIdentification;
    this.nextIdentification = (this.nextIdentification + 1) % IDENTIFICATION_MODULUS;
    return identification;
  }
}

/** The sequence of an echo reply to the router's keepalive echo, or undefined for anything else. */
function keepaliveEchoReply(protocol: number, payload: Buffer): number | undefined {
  if (protocol !== IpProtocol.ICMP) return undefined;
  const icmp = decodeIcmpEcho(payload);
  return icmp.ok && icmp.echo.kind === 'reply' && icmp.echo.identifier === KEEPALIVE_ECHO_IDENTIFIER ? icmp.echo.sequenceNumber : undefined;
}

/** An ICMP echo reply (to the router's own `ping`; keepalive echoes are told apart first by their identifier). */
function isEchoReply(packet: { readonly header: { readonly protocol: number }; readonly payload: Buffer }): boolean {
  return packet.header.protocol === IpProtocol.ICMP && packet.payload[0] === IcmpType.ECHO_REPLY;
}

function noTraffic(tunnelId: number): Mutable<TunnelTraffic> {
  return {
    tunnelId,
    packetsIn: 0,
    octetsIn: 0,
    packetsOut: 0,
    octetsOut: 0,
    espDrops: zeroes(INBOUND_DROP_REASONS),
    innerDrops: zeroes(INNER_DROP_REASONS),
    outboundRefusals: { 'sequence-exhausted': 0, 'sa-expired': 0 },
  };
}

const log = (level: LogLevel, message: string): DataPlaneAction => ({ kind: 'log', level, message });
const describe = (endpoint: Endpoint): string => formatHostPort(endpoint.address, endpoint.port);
