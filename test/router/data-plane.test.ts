import { describe, expect, it } from 'vitest';
import { answerIcmpEcho, decodeIcmpEcho, decodeIpv4Packet, decodeUdpDatagram, buildIcmpEchoRequest, buildUdpPacket, encodeIcmpEcho, encodeIpv4Packet, IpProtocol } from '../../src/esp/ip/index.js';
import { DataPlane, KEEPALIVE_ECHO_IDENTIFIER, type DataPlaneAction } from '../../src/router/data-plane.js';
import { EspClient, installedSa } from './support/esp-client.js';
import { tunnelRoutes } from '../../src/router/lan.js';
import { readConfig } from '../../src/config/read-config.js';

const NOW = Date.UTC(2026, 10, 27, 9);
const ROUTER = '10.1.1.1';
const LAN_HOST = '10.1.1.20';
const CLIENT_A = '192.168.100.1';
const CLIENT_B = '192.168.100.2';
const PEER_A = { address: '127.0.0.2', port: 4500 };
const PEER_B = { address: '127.0.0.3', port: 40123 };

function setUp() {
  const plane = new DataPlane({ ownAddresses: new Set([ROUTER, '172.16.0.254']), lanHosts: new Set([LAN_HOST]) });
  const saA = installedSa({ tunnelId: 1, routerSpi: 0x1000a, clientSpi: 0xc000a, internalAddress: CLIENT_A, peer: PEER_A, now: NOW });
  const saB = installedSa({ tunnelId: 2, routerSpi: 0x1000b, clientSpi: 0xc000b, internalAddress: CLIENT_B, peer: PEER_B, now: NOW });
  plane.install(saA, NOW);
  plane.install(saB, NOW);
  return { plane, a: new EspClient(saA), b: new EspClient(saB) };
}

const ping = (source: string, destination: string, sequenceNumber = 1) =>
  buildIcmpEchoRequest({ source, destination, identifier: 0x4242, sequenceNumber, data: Buffer.from('rtxlab ping payload') });

const sends = (actions: DataPlaneAction[]) => actions.filter((action) => action.kind === 'send-esp');
const logs = (actions: DataPlaneAction[]) => actions.flatMap((action) => (action.kind === 'log' ? [action.message] : []));

/** Opens the one ESP packet the router sent to `client` and decodes the inner IPv4 packet. */
function innerOf(client: EspClient, actions: DataPlaneAction[]) {
  const [sent] = sends(actions);
  if (!sent || sent.kind !== 'send-esp') throw new Error(`nothing sent: ${logs(actions).join('; ')}`);
  const opened = client.open(sent.bytes, NOW);
  if (opened.kind !== 'delivered') throw new Error(`client could not open the answer: ${JSON.stringify(opened)}`);
  const ip = decodeIpv4Packet(opened.packet);
  if (!ip.ok) throw new Error(ip.problem);
  return { sent, ip: ip.packet, bytes: opened.packet };
}

describe('data plane: the router itself', () => {
  it('answers a ping to its lan1 address through the tunnel it came from, to the peer NAT-T endpoint', () => {
    const { plane, a } = setUp();
    const { sent, ip } = innerOf(a, plane.receive(a.seal(ping(CLIENT_A, ROUTER, 7), NOW), PEER_A, NOW));
    expect(sent).toMatchObject({ tunnelId: 1, to: PEER_A, encapsulation: 'udp' });
    expect(ip.header).toMatchObject({ source: ROUTER, destination: CLIENT_A, protocol: IpProtocol.ICMP });
    const echo = decodeIcmpEcho(ip.payload);
    expect(echo).toMatchObject({ ok: true, echo: { kind: 'reply', identifier: 0x4242, sequenceNumber: 7 } });
  });

  it('answers on every interface address of the config (lan2 too)', () => {
    const { plane, a } = setUp();
    const { ip } = innerOf(a, plane.receive(a.seal(ping(CLIENT_A, '172.16.0.254'), NOW), PEER_A, NOW));
    expect(ip.header.source).toBe('172.16.0.254');
  });

  it('counts inner packets and octets both ways on the tunnel', () => {
    const { plane, a } = setUp();
    const request = ping(CLIENT_A, ROUTER);
    plane.receive(a.seal(request, NOW), PEER_A, NOW);
    plane.receive(a.seal(request, NOW), PEER_A, NOW);
    expect(plane.trafficOf(1)).toMatchObject({
      packetsIn: 2,
      octetsIn: 2 * request.length,
      packetsOut: 2,
      octetsOut: 2 * request.length,
      smallestInnerPacket: request.length,
      largestInnerPacket: request.length,
    });
    expect(plane.trafficOf(2)).toMatchObject({ packetsIn: 0, packetsOut: 0 });
    expect(plane.tunnels().map((tunnel) => tunnel.tunnelId)).toEqual([1, 2]);
    expect(plane.counters()).toMatchObject({ espReceived: 2, espSealed: 2 });
  });

  it('does not answer what is not an echo request, and says so', () => {
    const { plane, a } = setUp();
    const udp = buildUdpPacket({ source: CLIENT_A, destination: ROUTER, sourcePort: 5000, destinationPort: 7, payload: Buffer.from('x') });
    const actions = plane.receive(a.seal(udp, NOW), PEER_A, NOW);
    expect(sends(actions)).toEqual([]);
    expect(plane.trafficOf(1).innerDrops.unanswered).toBe(1);
  });
});

describe('data plane: the simulated LAN', () => {
  it('a LAN host answers ICMP echo from its own address with a host TTL', () => {
    const { plane, a } = setUp();
    const { ip } = innerOf(a, plane.receive(a.seal(ping(CLIENT_A, LAN_HOST), NOW), PEER_A, NOW));
    expect(ip.header).toMatchObject({ source: LAN_HOST, destination: CLIENT_A, ttl: 64 });
  });

  it('a LAN host echoes UDP on port 7 back to the sender port', () => {
    const { plane, a } = setUp();
    const request = buildUdpPacket({ source: CLIENT_A, destination: LAN_HOST, sourcePort: 40000, destinationPort: 7, payload: Buffer.from('hello office') });
    const { ip } = innerOf(a, plane.receive(a.seal(request, NOW), PEER_A, NOW));
    const udp = decodeUdpDatagram(ip.payload, ip.header.source, ip.header.destination);
    expect(udp).toEqual({ ok: true, datagram: { sourcePort: 7, destinationPort: 40000, payload: Buffer.from('hello office') } });
  });

  it('drops traffic to an address nobody has', () => {
    const { plane, a } = setUp();
    const actions = plane.receive(a.seal(ping(CLIENT_A, '10.1.1.99'), NOW), PEER_A, NOW);
    expect(sends(actions)).toEqual([]);
    expect(plane.trafficOf(1).innerDrops['no-route']).toBe(1);
    expect(logs(actions).join('\n')).toContain('no-route');
  });
});

describe('data plane: between tunnel clients', () => {
  it('re-encrypts a packet for client B into tunnel 2, unchanged, to B peer endpoint', () => {
    const { plane, a, b } = setUp();
    const request = ping(CLIENT_A, CLIENT_B);
    const { sent, bytes } = innerOf(b, plane.receive(a.seal(request, NOW), PEER_A, NOW));
    expect(sent).toMatchObject({ tunnelId: 2, to: PEER_B });
    expect(bytes).toEqual(request);
    expect(plane.trafficOf(1)).toMatchObject({ packetsIn: 1, packetsOut: 0 });
    expect(plane.trafficOf(2)).toMatchObject({ packetsIn: 0, packetsOut: 1 });
  });

  it('follows `ip route NETWORK gateway tunnel N`: a packet for 192.168.100.30 (racoon\'s hand-set inner address) goes into tunnel 1', () => {
    const plane = new DataPlane({
      ownAddresses: new Set([ROUTER]),
      lanHosts: new Set(),
      tunnelRoutes: tunnelRoutes(readConfig('ip route 192.168.100.0/24 gateway tunnel 1\nip route 10.9.0.0/16 gateway tunnel 2\n').model),
    });
    const saA = installedSa({ tunnelId: 1, routerSpi: 0x2000a, clientSpi: 0xd000a, internalAddress: CLIENT_A, peer: PEER_A, now: NOW });
    const saB = installedSa({ tunnelId: 2, routerSpi: 0x2000b, clientSpi: 0xd000b, internalAddress: CLIENT_B, peer: PEER_B, now: NOW });
    plane.install(saA, NOW);
    plane.install(saB, NOW);
    const a = new EspClient(saA);
    const b = new EspClient(saB);
    const request = ping(CLIENT_B, '192.168.100.30');
    const { sent, bytes } = innerOf(a, plane.receive(b.seal(request, NOW), PEER_B, NOW));
    expect(sent).toMatchObject({ tunnelId: 1, to: PEER_A });
    expect(bytes).toEqual(request);
    // Nothing routes 10.8.0.1: dropped as before.
    expect(sends(plane.receive(b.seal(ping(CLIENT_B, '10.8.0.1'), NOW), PEER_B, NOW))).toEqual([]);
    expect(plane.trafficOf(2).innerDrops['no-route']).toBe(1);
  });

  it('stops routing to a client once its SA pair is removed', () => {
    const { plane, a, b } = setUp();
    plane.remove(2, b.installed.inbound.spi, b.installed.outbound.spi);
    const actions = plane.receive(a.seal(ping(CLIENT_A, CLIENT_B), NOW), PEER_A, NOW);
    expect(sends(actions)).toEqual([]);
    expect(plane.trafficOf(1).innerDrops['no-route']).toBe(1);
    // B's own SPI is gone too.
    plane.receive(b.seal(ping(CLIENT_B, ROUTER), NOW), PEER_B, NOW);
    expect(plane.counters().unknownSpi).toBe(1);
  });
});

describe('data plane: rekeyed pairs', () => {
  it('keeps the old inbound SPI until it is removed, and answers with the newest outbound SA', () => {
    const { plane, a } = setUp();
    const rekeyed = installedSa({ tunnelId: 1, routerSpi: 0x1100a, clientSpi: 0xc100a, internalAddress: CLIENT_A, peer: PEER_A, now: NOW });
    plane.install(rekeyed, NOW);
    const newClient = new EspClient(rekeyed);
    // Still on the old SA: accepted, answered with the new outbound SPI.
    const actions = plane.receive(a.seal(ping(CLIENT_A, ROUTER), NOW), PEER_A, NOW);
    const { sent } = innerOf(newClient, actions);
    expect(sent.bytes.readUInt32BE(0)).toBe(0xc100a);
    // The old pair goes: its SPI is unknown now, the new one carries on.
    plane.remove(1, a.installed.inbound.spi, a.installed.outbound.spi);
    expect(sends(plane.receive(a.seal(ping(CLIENT_A, ROUTER, 2), NOW), PEER_A, NOW))).toEqual([]);
    expect(plane.counters().unknownSpi).toBe(1);
    expect(sends(plane.receive(newClient.seal(ping(CLIENT_A, ROUTER, 3), NOW), PEER_A, NOW))).toHaveLength(1);
  });
});

describe('data plane: what is dropped, counted and logged, never thrown', () => {
  it('tampered ESP (one ciphertext bit flipped) fails the ICV', () => {
    const { plane, a } = setUp();
    const esp = a.seal(ping(CLIENT_A, ROUTER), NOW);
    esp.writeUInt8(esp.readUInt8(esp.length - 20) ^ 0x01, esp.length - 20);
    const actions = plane.receive(esp, PEER_A, NOW);
    expect(sends(actions)).toEqual([]);
    expect(plane.trafficOf(1).espDrops['bad-icv']).toBe(1);
    expect(plane.trafficOf(1).packetsIn).toBe(0);
    expect(logs(actions).join('\n')).toMatch(/SPI 0x0001000a sequence 1 dropped: bad-icv/);
  });

  it('a replayed packet is dropped with the RTX sequence line; the original was answered', () => {
    const { plane, a } = setUp();
    const esp = a.seal(ping(CLIENT_A, ROUTER), NOW);
    expect(sends(plane.receive(esp, PEER_A, NOW))).toHaveLength(1);
    const again = plane.receive(esp, PEER_A, NOW);
    expect(sends(again)).toEqual([]);
    expect(plane.trafficOf(1).espDrops.replayed).toBe(1);
    expect(logs(again)[0]).toMatch(/^\[IPSEC\] sequence number is wrong/);
  });

  it('a truncated packet is dropped, whether cut inside the payload or inside the header', () => {
    const { plane, a } = setUp();
    const esp = a.seal(ping(CLIENT_A, ROUTER), NOW);
    expect(sends(plane.receive(esp.subarray(0, 24), PEER_A, NOW))).toEqual([]);
    expect(plane.trafficOf(1).espDrops.truncated).toBe(1);
    expect(sends(plane.receive(esp.subarray(0, 6), PEER_A, NOW))).toEqual([]);
    expect(plane.counters().truncatedHeader).toBe(1);
  });

  it('an unknown SPI is dropped and counted router-wide', () => {
    const { plane } = setUp();
    const stranger = new EspClient(installedSa({ tunnelId: 9, routerSpi: 0xdead0, clientSpi: 0xbeef0, peer: PEER_A, now: NOW }));
    const actions = plane.receive(stranger.seal(ping(CLIENT_A, ROUTER), NOW), PEER_A, NOW);
    expect(sends(actions)).toEqual([]);
    expect(plane.counters().unknownSpi).toBe(1);
    expect(logs(actions)[0]).toContain('unknown SPI 0x000dead0');
  });

  it('survives random bytes after a known SPI', () => {
    const { plane } = setUp();
    for (let length = 8; length < 120; length += 7) {
      const junk = Buffer.alloc(length, length);
      junk.writeUInt32BE(0x1000a, 0);
      junk.writeUInt32BE(length, 4);
      expect(() => plane.receive(junk, PEER_A, NOW)).not.toThrow();
    }
    expect(plane.trafficOf(1).packetsIn).toBe(0);
  });

  it('sends a pair agreed without UDP encapsulation as raw ESP (IP protocol 50), and takes raw ESP in', () => {
    const plane = new DataPlane({ ownAddresses: new Set([ROUTER]), lanHosts: new Set() });
    const raw = { ...installedSa({ tunnelId: 1, routerSpi: 0x1000a, clientSpi: 0xc000a, internalAddress: CLIENT_A, peer: { address: PEER_A.address, port: 0 }, now: NOW }), udpEncapsulated: false };
    plane.install(raw, NOW);
    const client = new EspClient(raw);
    const { sent, ip } = innerOf(client, plane.receive(client.seal(ping(CLIENT_A, ROUTER), NOW), { address: PEER_A.address, port: 0 }, NOW));
    expect(sent).toMatchObject({ tunnelId: 1, encapsulation: 'raw', to: { address: PEER_A.address } });
    expect(ip.header).toMatchObject({ source: ROUTER, destination: CLIENT_A });
  });
});

describe('data plane: the router\'s keepalive echo (ipsec ike keepalive use GW on icmp-echo IP)', () => {
  it('sends an echo request into the tunnel from the first interface address, with the configured data length and TTL 255', () => {
    const { plane, a } = setUp();
    const { sent, ip } = innerOf(a, plane.sendKeepaliveEcho(1, CLIENT_A, 0x1_0007, 64, NOW));
    expect(sent).toMatchObject({ tunnelId: 1, to: PEER_A });
    expect(ip.header).toMatchObject({ source: ROUTER, destination: CLIENT_A, protocol: IpProtocol.ICMP, ttl: 255 });
    expect(decodeIcmpEcho(ip.payload)).toEqual({ ok: true, echo: { kind: 'request', identifier: KEEPALIVE_ECHO_IDENTIFIER, sequenceNumber: 7, data: Buffer.alloc(64) } });
  });

  it('hands the reply to the keepalive (with its tunnel and sequence) instead of treating it as traffic to the router', () => {
    const { plane, b } = setUp();
    const reply = encodeIpv4Packet({ source: CLIENT_B, destination: ROUTER, protocol: IpProtocol.ICMP, payload: encodeIcmpEcho({ kind: 'reply', identifier: KEEPALIVE_ECHO_IDENTIFIER, sequenceNumber: 9, data: Buffer.alloc(64) }) });
    const actions = plane.receive(b.seal(reply, NOW), PEER_B, NOW);
    expect(actions).toContainEqual({ kind: 'keepalive-echo-reply', tunnelId: 2, sequence: 9 });
    const other = encodeIpv4Packet({ source: CLIENT_B, destination: ROUTER, protocol: IpProtocol.ICMP, payload: encodeIcmpEcho({ kind: 'reply', identifier: 0x4242, sequenceNumber: 9, data: Buffer.alloc(8) }) });
    expect(plane.receive(b.seal(other, NOW), PEER_B, NOW).some((action) => action.kind === 'keepalive-echo-reply')).toBe(false);
  });

  it('cannot send without an outbound SA on the tunnel: the echo is dropped (and will count as unanswered)', () => {
    const { plane } = setUp();
    expect(sends(plane.sendKeepaliveEcho(9, CLIENT_A, 1, 64, NOW))).toEqual([]);
    expect(plane.trafficOf(9).innerDrops['no-outbound-sa']).toBe(1);
  });
});

describe("data plane: the router's own packets (ping)", () => {
  const REMOTE_LAN = '192.168.1.1';
  const routed = () => {
    const { plane, a } = setUp();
    plane.setInside({ ownAddresses: new Set([ROUTER]), lanHosts: new Set(), tunnelRoutes: tunnelRoutes(readConfig('ip route 192.168.1.0/24 gateway tunnel 1\n').model) });
    return { plane, a };
  };

  it('sends a packet from the router into the tunnel its route names', () => {
    const { plane, a } = routed();
    const { sent, ip } = innerOf(a, plane.originate(ping(ROUTER, REMOTE_LAN, 3), NOW)!);
    expect(sent).toMatchObject({ tunnelId: 1, to: PEER_A });
    expect(ip.header).toMatchObject({ source: ROUTER, destination: REMOTE_LAN });
  });

  it('asks for an SA when the route names a tunnel without one, and drops the packet', () => {
    const plane = new DataPlane({ ownAddresses: new Set([ROUTER]), lanHosts: new Set(), tunnelRoutes: tunnelRoutes(readConfig('ip route 192.168.1.0/24 gateway tunnel 1\n').model) });
    const actions = plane.originate(ping(ROUTER, REMOTE_LAN), NOW)!;
    expect(sends(actions)).toEqual([]);
    expect(actions).toContainEqual({ kind: 'tunnel-wants-sa', tunnelId: 1 });
  });

  it('has nowhere to send a packet no tunnel route covers', () => {
    const { plane } = routed();
    expect(plane.originate(ping(ROUTER, '203.0.113.9'), NOW)).toBeUndefined();
  });

  it('hands an echo reply addressed to the router to the router (its ping), instead of answering it', () => {
    const { plane, a } = routed();
    const reply = answerIcmpEcho(ping(ROUTER, REMOTE_LAN, 5), new Set([REMOTE_LAN]));
    if (reply.kind !== 'reply') throw new Error('no reply built');
    const actions = plane.receive(a.seal(reply.packet, NOW), PEER_A, NOW);
    expect(actions).toContainEqual({ kind: 'echo-reply', tunnelId: 1, packet: reply.packet });
    expect(sends(actions)).toEqual([]);
  });
});
