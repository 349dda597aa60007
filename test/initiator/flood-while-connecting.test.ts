/**
 * A flood of Aggressive Mode message 1s from other addresses (127.0.0.2-11, many ports) at 200
 * per second, while the bundled client connects to rtxlab's router in this process with its
 * normal schedule. Time-scaled: the flood runs 2 s (the 60 s), bounded in count.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtxRouter } from '../../src/router/rtx-router.js';
import { buildAggressive1, drawPhase1Randomness } from '../../src/initiator/index.js';
import { runTunnelSession } from '../../src/initiator/tunnel-session.js';
import { DEFAULT_PHASE1_TIMING } from '../../src/initiator/index.js';
import { PUSHED_ADDRESS_CLIENT } from './support/esp-gateway.js';

const FLOOD_PER_SECOND = 200;
const FLOOD_MS = 2_000;
/**
 * The client's normal Phase 1 schedule (message 1 resent after 1 s, 2 s, ...); the waits for
 * silence are shortened, as nothing is lost on loopback.
 */
const TIMING = { retransmitTimeoutsMs: DEFAULT_PHASE1_TIMING.retransmitTimeoutsMs, message3QuietMs: 300, peerWaitMs: 5_000 };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function flooders(count: number): Promise<Socket[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, (_, index) => {
      const socket = createSocket('udp4');
      return new Promise<Socket>((resolve) => socket.bind(0, `127.0.0.${index + 2}`, () => resolve(socket)));
    }),
  );
  cleanups.push(() => Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve())))));
  return sockets;
}

describe('a flood of message 1s from other addresses while a client connects', () => {
  it('the client connects within its normal schedule; the router keeps at most 100 half-open negotiations', async () => {
    const log: string[] = [];
    const running = await RtxRouter.create({ ikePort: 0, nattPort: 0 });
    running.on('log', (event) => log.push(event.entry.line));
    const listening = await running.start();
    cleanups.push(() => running.stop());
    const ikePort = listening.ike.port;

    // One valid message 1 (the costly kind: the router answers it with a DH exchange), a fresh cookie per send.
    const options = PUSHED_ADDRESS_CLIENT.phase1;
    const message1 = buildAggressive1(options, drawPhase1Randomness(options.proposals[0]!.group, 32)).bytes;
    const sockets = await flooders(10);
    let sent = 0;
    const total = (FLOOD_PER_SECOND * FLOOD_MS) / 1000;
    const flood = setInterval(() => {
      for (let burst = 0; burst < FLOOD_PER_SECOND / 20 && sent < total; burst++, sent++) {
        const datagram = Buffer.from(message1);
        datagram.writeUInt32BE(sent + 1, 4);
        sockets[sent % sockets.length]!.send(datagram, ikePort, '127.0.0.1');
      }
    }, 50);
    cleanups.push(async () => clearInterval(flood));

    // By now more message 1s than the table's 100 half-open slots have arrived: the old rule
    // (refuse when full, keep each 30 s) would have kept the client out.
    // Waited for by count, not by time: a loaded machine stretches the flood's timer.
    for (let waited = 0; sent <= 150 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: ikePort, natTPort: listening.natt.port },
      local: { address: '127.0.0.1' },
      tunnel: PUSHED_ADDRESS_CLIENT,
      timing: TIMING,
    });
    const sentWhileConnecting = sent;
    while (sent < total) await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(flood);

    expect(result.outcome === 'established' ? result.modeCfg?.address : result.failure.text).toBe('10.1.1.110');
    // Message 2 came within the first retransmission interval: message 1 went once.
    const message1Sends = result.transcript.filter((record) => record.kind === 'message' && record.entry.direction === 'sent' && record.entry.note.startsWith('message 1'));
    expect(message1Sends).toHaveLength(1);
    expect(sentWhileConnecting).toBeGreaterThan(150);
    expect(running.tableSizes().halfOpen).toBeLessThanOrEqual(100);
    // Every eviction is a drop line of the sender whose message 1 caused it: at most 10 per
    // address per minute, for the 10 flooding addresses and the client's.
    const evictionLines = log.filter((line) => line.includes('dropped to make room')).length;
    expect(evictionLines).toBeGreaterThan(0);
    expect(evictionLines).toBeLessThanOrEqual(11 * 10);
  }, 30_000);
});
