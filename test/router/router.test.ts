import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IkeResponder, InboundDatagram, ResponderEffect } from '../../src/ike-responder/port.js';
import { RouterStartError } from '../../src/router/start-errors.js';
import { ManualClock } from '../../src/router/clock.js';
import { LogSink } from '../../src/router/log-sink.js';
import { Router, type RouterProblem } from '../../src/router/router.js';
import { eventually, UdpPeer } from './support/udp-peer.js';

/** 2008/10/01 12:28:06 JST. */
const START = Date.UTC(2008, 9, 1, 3, 28, 6);
const cookie = Buffer.from('3f4efdfbaf6a702d', 'hex');
const ka = Buffer.from('f9396f7ee670873b69dd3fa3e9b071fcdb34f51d59f1175c', 'hex');

/** A responder driven by the test: records its calls and answers what the test says. */
class ScriptedResponder implements IkeResponder {
  readonly received: { datagram: InboundDatagram; now: number }[] = [];
  readonly ticks: number[] = [];
  deadline: number | undefined;
  onReceive: (datagram: InboundDatagram) => ResponderEffect[] = () => [];
  onTick: (now: number) => ResponderEffect[] = () => [];

  receive(datagram: InboundDatagram, now: number): ResponderEffect[] {
    this.received.push({ datagram, now });
    return this.onReceive(datagram);
  }
  tick(now: number): ResponderEffect[] {
    this.ticks.push(now);
    return this.onTick(now);
  }
  nextDeadline(): number | undefined {
    return this.deadline;
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startRouter(options: { keysFile?: string; debug?: boolean; deadline?: number } = {}) {
  const clock = new ManualClock(START);
  const responder = new ScriptedResponder();
  responder.deadline = options.deadline;
  const logSink = new LogSink({ clock, settings: { info: true, notice: false, debug: options.debug ?? false } });
  const router = new Router({ bind: '127.0.0.1', ikePort: 0, nattPort: 0, keysFile: options.keysFile, responder, logSink, clock });
  const problems: RouterProblem[] = [];
  router.on('problem', (problem) => problems.push(problem));
  const listening = await router.start();
  cleanups.push(() => router.stop());
  const peer = await UdpPeer.open();
  cleanups.push(() => peer.close());
  const peerEndpoint = { address: '127.0.0.1', port: peer.port };
  return { clock, responder, logSink, router, problems, listening, peer, peerEndpoint };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtxlab-router-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('Router', () => {
  it('reports the ports it listens on', async () => {
    const { router, listening } = await startRouter();
    expect(listening.ike.port).toBeGreaterThan(0);
    expect(listening.natt.port).toBeGreaterThan(0);
    expect(router.listening).toEqual(listening);
  });

  it('hands every IKE datagram, from either port, to the responder with the clock time', async () => {
    const { responder, listening, peer, clock } = await startRouter();
    await peer.send(Buffer.from('aa01', 'hex'), listening.ike.port);
    await eventually(() => responder.received.length === 1);
    clock.advance(2_000);
    await peer.send(Buffer.from('00000000bb02', 'hex'), listening.natt.port);
    await eventually(() => responder.received.length === 2);
    const [viaIke, viaNatt] = responder.received;
    expect(viaIke).toMatchObject({ now: START, datagram: { natTraversal: false, local: listening.ike, from: { port: peer.port } } });
    expect(viaIke?.datagram.bytes.toString('hex')).toBe('aa01');
    expect(viaNatt).toMatchObject({ now: START + 2_000, datagram: { natTraversal: true, local: listening.natt } });
    expect(viaNatt?.datagram.bytes.toString('hex')).toBe('bb02');
  });

  it('performs the effects in the order the responder returns them', async () => {
    const keysFile = join(tempDir(), 'keys');
    const { responder, listening, peer, logSink, router } = await startRouter({ keysFile });
    responder.onReceive = (datagram) => [
      { kind: 'log', level: 'info', message: `[IKE] respond ISAKMP phase to ${datagram.from.address}` },
      { kind: 'send', bytes: Buffer.from('0101', 'hex'), to: datagram.from, from: datagram.local, natTraversal: false },
      { kind: 'ike-keys', initiatorCookie: cookie, encryptionKey: ka },
      { kind: 'send', bytes: Buffer.from('0202', 'hex'), to: datagram.from, from: datagram.local, natTraversal: false },
    ];
    await peer.send(Buffer.from('00', 'hex'), listening.ike.port);
    expect((await peer.receive()).bytes.toString('hex')).toBe('0101');
    expect((await peer.receive()).bytes.toString('hex')).toBe('0202');
    expect(logSink.entries().map((entry) => entry.line)).toEqual(['2008/10/01 12:28:06: [IKE] respond ISAKMP phase to 127.0.0.1']);
    expect(readFileSync(keysFile, 'utf8')).toBe(`${cookie.toString('hex')},${ka.toString('hex')}\n`);
    await eventually(() => router.counters().ikeSent === 2);
  });

  it('sends on the NAT-T port behind the non-ESP marker when the responder says so', async () => {
    const { responder, listening, peer } = await startRouter();
    responder.onReceive = (datagram) => [{ kind: 'send', bytes: Buffer.from('c0ffee', 'hex'), to: datagram.from, from: datagram.local, natTraversal: true }];
    await peer.send(Buffer.from('00000000aa', 'hex'), listening.natt.port);
    const reply = await peer.receive();
    expect(reply.bytes.toString('hex')).toBe('00000000c0ffee');
    expect(reply.from.port).toBe(listening.natt.port);
  });

  describe('deadline scheduling', () => {
    it('arms the timer to the responder deadline at start and ticks there', async () => {
      const { responder, clock } = await startRouter({ deadline: START + 10_000 });
      clock.advance(9_999);
      expect(responder.ticks).toEqual([]);
      responder.deadline = undefined;
      clock.advance(1);
      expect(responder.ticks).toEqual([START + 10_000]);
      expect(clock.pendingTimers).toBe(0);
    });

    it('re-arms after every receive, to whatever the responder now wants', async () => {
      const { responder, clock, peer, listening } = await startRouter();
      responder.onReceive = () => {
        responder.deadline = clock.now() + 5_000; // e.g. retransmit message 2
        return [];
      };
      await peer.send(Buffer.from('01', 'hex'), listening.ike.port);
      await eventually(() => responder.received.length === 1);
      expect(clock.pendingTimers).toBe(1);
      responder.onTick = (now) => {
        responder.deadline = now + 5_000;
        return [];
      };
      clock.advance(5_000);
      expect(responder.ticks).toEqual([START + 5_000]);
      clock.advance(5_000);
      expect(responder.ticks).toEqual([START + 5_000, START + 10_000]);
      expect(clock.pendingTimers).toBe(1);
    });

    it('performs what a tick returns (a retransmission)', async () => {
      const { responder, clock, peer, peerEndpoint, listening } = await startRouter({ deadline: START + 1_000 });
      responder.onTick = () => {
        responder.deadline = undefined;
        return [{ kind: 'send', bytes: Buffer.from('5e5e', 'hex'), to: peerEndpoint, from: listening.ike, natTraversal: false }];
      };
      clock.advance(1_000);
      expect((await peer.receive()).bytes.toString('hex')).toBe('5e5e');
    });

    it('clears the timer on stop', async () => {
      const { responder, clock, router } = await startRouter({ deadline: START + 1_000 });
      await router.stop();
      expect(clock.pendingTimers).toBe(0);
      clock.advance(5_000);
      expect(responder.ticks).toEqual([]);
    });
  });

  it('ignores NAT keepalives (counted) and drops ESP for an unknown SPI with a debug line, never bothering the responder', async () => {
    const { responder, listening, peer, router, logSink } = await startRouter({ debug: true });
    await peer.send(Buffer.from([0xff]), listening.natt.port);
    await peer.send(Buffer.from('d5866ebf000000010102030405060708', 'hex'), listening.natt.port);
    await eventually(() => router.counters().espReceived === 1 && router.counters().nattKeepalives === 1);
    expect(responder.received).toEqual([]);
    expect(logSink.entries().map((entry) => [entry.level, entry.message])).toEqual([
      ['debug', `[IPSEC] ESP from 127.0.0.1:${peer.port} dropped: unknown SPI 0xd5866ebf`],
    ]);
  });

  it('survives garbage on both ports and a responder that throws on every datagram', async () => {
    const { responder, listening, peer, router, problems } = await startRouter();
    responder.onReceive = () => {
      throw new Error('decoder bug');
    };
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const sent = 200;
    for (let i = 0; i < sent; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 600) }, () => Math.floor(random() * 256)));
      await peer.send(bytes, i % 2 === 0 ? listening.ike.port : listening.natt.port);
    }
    const seen = () => {
      const c = router.counters();
      return c.ikeReceived + c.nattKeepalives + c.espReceived + c.nattMalformed;
    };
    await eventually(() => seen() === sent, 5_000);
    const counters = router.counters();
    expect(counters.responderErrors).toBe(counters.ikeReceived);
    expect(problems.filter((p) => p.kind === 'responder-threw')).toHaveLength(counters.ikeReceived);
    // Still serving afterwards.
    responder.onReceive = (datagram) => [{ kind: 'send', bytes: Buffer.from('0k', 'latin1'), to: datagram.from, from: datagram.local, natTraversal: false }];
    await peer.send(Buffer.from('01', 'hex'), listening.ike.port);
    expect((await peer.receive()).bytes.toString('latin1')).toBe('0k');
  });

  it('reports a failed send as a problem and carries on', async () => {
    const { responder, listening, peer, router, problems } = await startRouter();
    responder.onReceive = (datagram) => [{ kind: 'send', bytes: Buffer.from('01', 'hex'), to: { address: '127.0.0.1', port: 0 }, from: datagram.local, natTraversal: false }];
    await peer.send(Buffer.from('01', 'hex'), listening.ike.port);
    await eventually(() => router.counters().sendFailures === 1);
    expect(problems).toMatchObject([{ kind: 'send-failed', to: { address: '127.0.0.1', port: 0 } }]);
  });

  it('ignores ike-keys effects when no keys file was asked for', async () => {
    const { responder, listening, peer, problems } = await startRouter();
    responder.onReceive = () => [{ kind: 'ike-keys', initiatorCookie: cookie, encryptionKey: ka }];
    await peer.send(Buffer.from('01', 'hex'), listening.ike.port);
    await eventually(() => responder.received.length === 1);
    expect(problems).toEqual([]);
  });

  it('refuses to start when the keys file cannot be opened, saying which file', async () => {
    const keysFile = join(tempDir(), 'no-such-dir', 'keys');
    const clock = new ManualClock(START);
    const router = new Router({ bind: '127.0.0.1', ikePort: 0, nattPort: 0, keysFile, responder: new ScriptedResponder(), logSink: new LogSink({ clock }), clock });
    const failure = router.start();
    await expect(failure).rejects.toBeInstanceOf(RouterStartError);
    await expect(failure).rejects.toThrow(`cannot open keys file ${keysFile}`);
    expect(router.listening).toBeUndefined();
  });

  it('frees its ports on stop', async () => {
    const { router, listening } = await startRouter();
    await router.stop();
    const again = await UdpPeer.open(listening.ike.port);
    await again.close();
    expect(router.listening).toBeUndefined();
  });
});
