import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIcmpEchoRequest, decodeIcmpEcho, decodeIpv4Packet } from '../../src/esp/ip/index.js';
import type { IkeResponder, InboundDatagram, InstalledIpsecSa, ResponderEffect } from '../../src/ike-responder/port.js';
import { ManualClock } from '../../src/router/clock.js';
import { espSaRecords } from '../../src/router/esp-sa-file.js';
import { LogSink } from '../../src/router/log-sink.js';
import { Router } from '../../src/router/router.js';
import { EspClient, installedSa } from './support/esp-client.js';
import { eventually, UdpPeer } from './support/udp-peer.js';

const START = Date.UTC(2026, 10, 27, 9);
const CLIENT = '192.168.100.1';
const ROUTER = '10.1.1.1';

/** Announces the SA pair when it sees the first IKE datagram, as Quick Mode's last message would. */
class SaAnnouncingResponder implements IkeResponder {
  effects: ResponderEffect[] = [];
  receive(_datagram: InboundDatagram): ResponderEffect[] {
    return this.effects.splice(0);
  }
  tick(): ResponderEffect[] {
    return [];
  }
  nextDeadline(): number | undefined {
    return undefined;
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tunnelUp(keysFile?: string) {
  const clock = new ManualClock(START);
  const responder = new SaAnnouncingResponder();
  const logSink = new LogSink({ clock, settings: { info: true, notice: true, debug: true } });
  const router = new Router({
    bind: '127.0.0.1',
    ikePort: 0,
    nattPort: 0,
    keysFile,
    inside: { ownAddresses: new Set([ROUTER]), lanHosts: new Set() },
    responder,
    logSink,
    clock,
  });
  const listening = await router.start();
  cleanups.push(() => router.stop());
  const peer = await UdpPeer.open();
  cleanups.push(() => peer.close());
  const installed: InstalledIpsecSa = installedSa({
    tunnelId: 1,
    routerSpi: 0x2000a,
    clientSpi: 0xc200a,
    internalAddress: CLIENT,
    peer: { address: '127.0.0.1', port: peer.port },
    local: listening.natt,
    now: START,
  });
  responder.effects = [{ kind: 'ipsec-sa-installed', sa: installed, tunnelCameUp: true }];
  await peer.send(Buffer.from('not really IKE'), listening.ike.port);
  await eventually(() => responder.effects.length === 0);
  return { router, listening, peer, logSink, installed, client: new EspClient(installed) };
}

const ping = (sequenceNumber: number) =>
  buildIcmpEchoRequest({ source: CLIENT, destination: ROUTER, identifier: 9, sequenceNumber, data: Buffer.alloc(56, sequenceNumber) });

describe('router: ESP over the NAT-T port', () => {
  it('answers a ping to lan1 through the tunnel, from the NAT-T port without a non-ESP marker', async () => {
    const { router, listening, peer, client } = await tunnelUp();
    for (const sequenceNumber of [1, 2, 3]) {
      await peer.send(client.seal(ping(sequenceNumber), START), listening.natt.port);
      const answer = await peer.receive();
      expect(answer.from.port).toBe(listening.natt.port);
      expect(answer.bytes.readUInt32BE(0)).toBe(0xc200a); // the client's SPI first, no marker
      const opened = client.open(answer.bytes, START);
      if (opened.kind !== 'delivered') throw new Error(`not delivered: ${JSON.stringify(opened)}`);
      const ip = decodeIpv4Packet(opened.packet);
      if (!ip.ok) throw new Error(ip.problem);
      expect(ip.packet.header).toMatchObject({ source: ROUTER, destination: CLIENT });
      expect(decodeIcmpEcho(ip.packet.payload)).toMatchObject({ ok: true, echo: { kind: 'reply', sequenceNumber } });
    }
    await eventually(() => router.counters().espSent === 3);
    expect(router.tunnelTraffic()).toEqual([expect.objectContaining({ tunnelId: 1, packetsIn: 3, packetsOut: 3 })]);
  });

  it('drops a replayed and a tampered packet, counts them and keeps answering', async () => {
    const { router, listening, peer, client, logSink } = await tunnelUp();
    const first = client.seal(ping(1), START);
    await peer.send(first, listening.natt.port);
    await peer.receive();
    await peer.send(first, listening.natt.port);
    const tampered = client.seal(ping(2), START);
    tampered.writeUInt8(tampered.readUInt8(30) ^ 0x80, 30);
    await peer.send(tampered, listening.natt.port);
    await eventually(() => router.counters().espReceived === 3);
    await peer.send(client.seal(ping(3), START), listening.natt.port);
    await peer.receive();
    const [traffic] = router.tunnelTraffic();
    expect(traffic?.espDrops).toMatchObject({ replayed: 1, 'bad-icv': 1 });
    expect(traffic).toMatchObject({ packetsIn: 2, packetsOut: 2 });
    const messages = logSink.entries().map((entry) => entry.message);
    expect(messages.some((message) => message.startsWith('[IPSEC] sequence number is wrong'))).toBe(true);
  });

  it('--keys FILE writes both directions of the pair to FILE.esp_sa', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtxlab-esp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const keysFile = join(dir, 'keys');
    const { installed } = await tunnelUp(keysFile);
    const lines = readFileSync(`${keysFile}.esp_sa`, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(espSaRecords(installed));
    expect(lines[0]).toMatch(/^"IPv4","127\.0\.0\.1","127\.0\.0\.1","0x0002000a","TripleDES-CBC \[RFC2451\]","0x[0-9a-f]{48}","HMAC-SHA-1-96 \[RFC2404\]","0x[0-9a-f]{40}"$/);
  });
});
