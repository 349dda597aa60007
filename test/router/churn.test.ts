/**
 * Churn: the bundled client connects (Aggressive Mode, XAUTH, mode-cfg, Quick Mode), pings through
 * the tunnel and closes it (Deletes), over and over against one router. Every table the responder
 * keeps (`RtxRouter.tableSizes()`) is back at its baseline after each cycle, and the heap does not
 * grow with the cycles (a loose bound: it is measured after a forced collection, and what a cycle
 * leaves behind would show as growth proportional to the cycle count).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { RtxRouter } from '../../src/router/rtx-router.js';
import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession } from '../../src/initiator/tunnel-session.js';
import { PUSHED_ADDRESS_CLIENT } from '../initiator/support/esp-gateway.js';
import { eventually } from './support/udp-peer.js';

const CYCLES = 60;
/** Cycles before the first heap reading: module loading, JIT and pools settle first. */
const WARM_UP = 10;
/** Loose (seen: about 1 MB over the 50 measured cycles, bounded caches filling): a leak of 100 KB per cycle would exceed it. */
const HEAP_GROWTH_LIMIT_BYTES = 4 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function heapAfterCollection(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

describe('connect, ping, close, repeated', () => {
  it(`${CYCLES} cycles: every table back to baseline after each, heap flat`, async () => {
    const router = await RtxRouter.create({ ikePort: 0, nattPort: 0, responderLimits: { retransmitIntervalMs: 100 } });
    const listening = await router.start();
    cleanups.push(() => router.stop());
    const baseline = router.tableSizes();
    expect(baseline).toEqual({ isakmpSas: 0, halfOpen: 0, ipsecSaPairs: 0, leases: 0, saNumbers: 0, keepalives: 0 });
    let heapAtWarmUp = 0;
    const outcomes: string[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const result = await runTunnelSession({
        gateway: { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port },
        local: { address: '127.0.0.1' },
        tunnel: PUSHED_ADDRESS_CLIENT,
        timing: { retransmitTimeoutsMs: [300, 300, 300], message3QuietMs: 150, peerWaitMs: 1_500 },
        whenEstablished: 'keep',
      });
      if (result.outcome !== 'established') {
        outcomes.push(`cycle ${cycle}: ${result.failure.text}`);
        continue;
      }
      const opened = openEspChannel(result);
      const report = opened.ok ? await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 1, intervalMs: 10, timeoutMs: 1_000 }) : undefined;
      if (report?.results[0]?.kind !== 'reply') outcomes.push(`cycle ${cycle}: no reply`);
      await result.tunnel!.close();
      await eventually(() => JSON.stringify(router.tableSizes()) === JSON.stringify(baseline), 2_000).catch(() => {
        outcomes.push(`cycle ${cycle}: tables ${JSON.stringify(router.tableSizes())}`);
      });
      // The `show log` ring fills up to its capacity (bounded: log-sink.test.ts); emptied here so
      // the heap readings show what the cycles leave elsewhere.
      router.clearLog();
      if (cycle === WARM_UP) heapAtWarmUp = heapAfterCollection();
    }
    expect(outcomes).toEqual([]);
    expect(router.tableSizes()).toEqual(baseline);
    const growth = heapAfterCollection() - heapAtWarmUp;
    expect(growth, `heap grew ${growth} bytes over ${CYCLES - WARM_UP} cycles`).toBeLessThan(HEAP_GROWTH_LIMIT_BYTES);
  }, 60_000);
});
