import { afterEach, describe, expect, it } from 'vitest';
import { IpProtocol, buildIcmpEchoRequest, buildUdpPacket, decodeIcmpEcho, decodeIpv4Packet } from '../../src/esp/ip/index.js';
import { chooseInnerAddress, openEspChannel, type EspChannel, type InnerPacket } from '../../src/initiator/esp-channel.js';
import { runTunnelSession, type TunnelSessionResult } from '../../src/initiator/tunnel-session.js';
import type { TunnelOptions } from '../../src/initiator/tunnel-options.js';
import { FAST_TUNNEL_TIMING, PUSHED_ADDRESS_CLIENT, startEspGateway, type EspGatewayBehaviour } from './support/esp-gateway.js';
import { seedClientOptions } from './support/fixtures.js';

const fast = FAST_TUNNEL_TIMING;
const pushedAddressClient = PUSHED_ADDRESS_CLIENT;

/** racoon 0.7.1 with mode_cfg off: XAUTH, then Quick Mode from the hand-set 192.168.100.30. */
const handSetAddressClient: TunnelOptions = {
  ...pushedAddressClient,
  modeCfg: undefined,
  quickMode: { ...pushedAddressClient.quickMode!, localId: { kind: 'ipv4-address', address: '192.168.100.30' } },
};

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function establish(behaviour: EspGatewayBehaviour = {}, tunnel: TunnelOptions = pushedAddressClient, whenEstablished: 'keep' | 'delete' = 'keep') {
  const gateway = await startEspGateway(behaviour);
  cleanups.push(gateway.close);
  const result = await runTunnelSession({ gateway: { address: '127.0.0.1', port: gateway.port, natTPort: gateway.natTPort }, tunnel, timing: fast, whenEstablished });
  if (result.outcome !== 'established') throw new Error(`not established: ${result.failure.text}`);
  if (result.tunnel) cleanups.push(result.tunnel.close);
  return { gateway, result };
}

function channelOf(result: Extract<TunnelSessionResult, { outcome: 'established' }>): EspChannel {
  const opened = openEspChannel(result);
  if (!opened.ok) throw new Error(opened.problem.text);
  cleanups.push(async () => opened.channel.close());
  return opened.channel;
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const echoRequest = (source: string, sequenceNumber: number, destination = '10.1.1.1') =>
  buildIcmpEchoRequest({ source, destination, identifier: 0x7e57, sequenceNumber, data: Buffer.from('through the tunnel') });

function echoSequenceOf(inner: InnerPacket): number | undefined {
  const ip = decodeIpv4Packet(inner.packet);
  const echo = ip.ok ? decodeIcmpEcho(ip.packet.payload) : undefined;
  return echo?.ok ? echo.echo.sequenceNumber : undefined;
}

function collect(channel: EspChannel): InnerPacket[] {
  const received: InnerPacket[] = [];
  channel.onInnerPacket((inner) => received.push(inner));
  return received;
}

describe('openEspChannel on a kept tunnel over 127.0.0.1', () => {
  it('sends an inner packet from the mode-cfg address as UDP-encapsulated ESP and hands the decrypted reply to the listener', async () => {
    const { gateway, result, channel } = await establish().then((up) => ({ ...up, channel: channelOf(up.result) }));
    expect(channel.innerAddress).toBe('10.1.1.110');
    const received = collect(channel);
    const sent = await channel.send(echoRequest(channel.innerAddress, 1));
    expect(sent).toMatchObject({ kind: 'sent', sequenceNumber: 1 });
    await until(() => received.length === 1);

    expect(gateway.innerSeen).toEqual([{ source: '10.1.1.110', destination: '10.1.1.1', protocol: IpProtocol.ICMP }]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ nextHeader: 4, sequenceNumber: 1 });
    const reply = decodeIpv4Packet(received[0]!.packet);
    if (!reply.ok) throw new Error(reply.problem);
    expect(reply.packet.header).toMatchObject({ source: '10.1.1.1', destination: '10.1.1.110' });
    expect(decodeIcmpEcho(reply.packet.payload)).toMatchObject({ ok: true, echo: { kind: 'reply', identifier: 0x7e57, sequenceNumber: 1 } });
    expect(channel.counters()).toMatchObject({ outbound: { packets: 1 }, inbound: { packets: 1 } });
    // ESP reached the gateway: no "ignored ESP" note, and the gateway's IKE ran on NAT-T meanwhile.
    expect(result.transcript.some((record) => record.kind === 'note' && record.text.includes('ignored'))).toBe(false);
  });

  it('sends from the hand-set IDci address when there is no mode-cfg (racoon without mode_cfg)', async () => {
    const { gateway, result } = await establish({ pushAddress: false }, handSetAddressClient);
    const channel = channelOf(result);
    expect(channel.innerAddress).toBe('192.168.100.30');
    const received = collect(channel);
    await channel.send(echoRequest(channel.innerAddress, 1));
    await until(() => received.length === 1);
    expect(gateway.innerSeen[0]).toMatchObject({ source: '192.168.100.30' });
    expect(received).toHaveLength(1);
  });

  it('drops a tampered reply as bad-icv and a replayed one as replayed, delivering neither', async () => {
    const { result } = await establish({ tamperReplies: [1], duplicateReplies: 'same-packet' });
    const channel = channelOf(result);
    const received = collect(channel);
    await channel.send(echoRequest(channel.innerAddress, 1));
    await channel.send(echoRequest(channel.innerAddress, 2));
    await until(() => channel.counters().drops.replayed + channel.counters().drops['bad-icv'] === 3);
    expect(received.map(echoSequenceOf)).toEqual([2]);
    // Reply 1 twice with a bad ICV (it never moves the window), reply 2's copy as a replay.
    expect(channel.counters().drops).toMatchObject({ 'bad-icv': 2, replayed: 1, 'unknown-spi': 0 });
  });

  it('counts ESP under a foreign SPI and datagrams too short for ESP, and carries on', async () => {
    const { gateway, result } = await establish();
    const channel = channelOf(result);
    const received = collect(channel);
    const client = result.paths.natT!.local;
    await until(gateway.espInstalled);
    gateway.sendRaw(Buffer.concat([Buffer.from('0badc0de00000001', 'hex'), Buffer.alloc(48)]), client);
    gateway.sendRaw(Buffer.from('0badc0', 'hex'), client);
    gateway.sendInner(buildUdpPacket({ source: '10.1.1.1', destination: '10.1.1.110', sourcePort: 7, destinationPort: 40000, payload: Buffer.from('unasked') }), client);
    await until(() => received.length === 1);
    expect(channel.counters().drops).toMatchObject({ 'unknown-spi': 1, truncated: 1 });
    expect(decodeIpv4Packet(received[0]!.packet)).toMatchObject({ ok: true, packet: { header: { protocol: IpProtocol.UDP } } });
  });

  it('holds inner packets to the Quick Mode IDs both ways: refuses to send outside them, drops what comes from outside', async () => {
    const { gateway, result } = await establish();
    const channel = channelOf(result);
    const received = collect(channel);
    expect(await channel.send(echoRequest(channel.innerAddress, 1, '8.8.8.8'))).toEqual({ kind: 'refused', reason: 'outside-selectors' });
    await until(gateway.espInstalled);
    gateway.sendInner(echoRequest('172.16.0.9', 1, '10.1.1.110'), result.paths.natT!.local);
    await until(() => channel.counters().drops['outside-selectors'] === 1);
    expect(channel.counters().drops['outside-selectors']).toBe(1);
    expect(received).toEqual([]);
    expect(gateway.innerSeen).toEqual([]);
  });

  it('sends outside the IDs when told not to enforce them, for the gateway to judge', async () => {
    const { gateway, result } = await establish({ esp: 'silent' });
    const opened = openEspChannel(result, { enforceSelectors: false });
    if (!opened.ok) throw new Error(opened.problem.text);
    expect(await opened.channel.send(echoRequest(opened.channel.innerAddress, 1, '8.8.8.8'))).toMatchObject({ kind: 'sent' });
    await until(() => gateway.innerSeen.length === 1);
    expect(gateway.innerSeen).toEqual([{ source: '10.1.1.110', destination: '8.8.8.8', protocol: IpProtocol.ICMP }]);
    opened.channel.close();
  });

  it('notes and drops ESP that arrives while no channel listens, without disturbing IKE', async () => {
    const { gateway, result } = await establish();
    await until(gateway.espInstalled);
    gateway.sendInner(echoRequest('10.1.1.1', 1, '10.1.1.110'), result.paths.natT!.local);
    await until(() => result.transcript.some((record) => record.kind === 'note' && record.text.startsWith('ignored a')));
    expect(result.transcript.filter((record) => record.kind === 'note' && /^ignored a \d+-byte ESP datagram on nat-t$/.test(record.text))).toHaveLength(1);
  });

  it('refuses to send once the tunnel is closed, and stops delivering', async () => {
    const { result } = await establish();
    const channel = channelOf(result);
    await result.tunnel!.close();
    await until(() => channel.closed);
    expect(channel.closed).toBe(true);
    expect(await channel.send(echoRequest(channel.innerAddress, 1))).toEqual({ kind: 'refused', reason: 'channel-closed' });
    // Underneath, the NAT-T socket is closed too: the path says so instead of throwing.
    expect(await result.tunnel!.esp!.send(Buffer.alloc(64, 1))).toBe('socket-closed');
  });

  it('refuses a tunnel that was not kept, and raw ESP (IP protocol 50), with a typed problem', async () => {
    const { result } = await establish({}, pushedAddressClient, 'delete');
    expect(openEspChannel(result)).toMatchObject({ ok: false, problem: { kind: 'not-kept' } });

    const noNatT: TunnelOptions = { ...pushedAddressClient, phase1: seedClientOptions({ vendorIds: ['XAUTH', 'DPD'], natTraversal: 'off' }) };
    const raw = await establish({}, noNatT);
    expect(raw.result.espSas).toMatchObject({ encapsulationMode: 1, udpEncapsulated: false });
    expect(openEspChannel(raw.result)).toMatchObject({ ok: false, problem: { kind: 'raw-esp-unsupported' } });
  });
});

describe('chooseInnerAddress', () => {
  it('takes the address given, then the mode-cfg address, then an IPv4 IDci', () => {
    expect(chooseInnerAddress({ modeCfg: { address: '10.1.1.110' } }, '10.9.9.9')).toBe('10.9.9.9');
    expect(chooseInnerAddress({ modeCfg: { address: '10.1.1.110' } })).toBe('10.1.1.110');
    expect(chooseInnerAddress({ modeCfg: {}, espSas: { localId: { kind: 'ipv4-address', address: '192.168.100.30' } } })).toBe('192.168.100.30');
  });

  it('has none for a subnet IDci and no mode-cfg address', () => {
    expect(chooseInnerAddress({ espSas: { localId: { kind: 'ipv4-subnet', address: '10.0.0.0', netmask: '255.0.0.0' } } })).toBeUndefined();
  });
});
