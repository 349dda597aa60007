/**
 * The lossy-path figure, at its scale: 50 connects of the bundled client, each through
 * its own seeded impairment of every datagram (20 % loss, 10 % duplication, 15 % reordering, both
 * directions, both ports). At least 49 come up, every one that comes up carries traffic, and none
 * is reported up without it. Deterministic per seed (mulberry32 in support/lossy-path.ts).
 *
 * Time-scaled: the router resends every 150 ms (an option) and the client's waits cover that.
 * Connects run in lanes, one router per lane, because the seed config has one tunnel and a second
 * client on it replaces the first one's SAs ("last one wins"); within a lane they run one after
 * another.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RtxRouter } from '../../src/router/rtx-router.js';
import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession, type TunnelSessionResult } from '../../src/initiator/tunnel-session.js';
import { seededImpairment, startLossyPath } from '../support/lossy-path.js';
import { PUSHED_ADDRESS_CLIENT } from './support/esp-gateway.js';
import { CLIENT_TIMING, ROUTER_RESEND_MS } from '../support/scaled-resends.js';

const CONNECTS = 50;
const MUST_SUCCEED = 49;
const LANES = 10;
const IMPAIRMENT = { loss: 0.2, duplication: 0.1, reordering: 0.15 };


const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Outcome = 'up' | 'up without traffic' | `failed: ${string}`;

/**
 * One connect through a fresh lossy path. Silence after Quick Mode message 3 can hide its loss
 * when the router's resends are lost too; the router keeps resending and the client answers, so
 * the tunnel must carry traffic within that schedule: 10 echo requests over ~1 s, one reply enough.
 */
async function lossyConnect(router: RtxRouter & { listening: NonNullable<RtxRouter['listening']> }, seed: number): Promise<Outcome> {
  const path = await startLossyPath({ ikePort: router.listening.ike.port, nattPort: router.listening.natt.port }, seededImpairment(seed, IMPAIRMENT));
  try {
    const result: TunnelSessionResult = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: path.ikePort, natTPort: path.nattPort },
      local: { address: '127.0.0.1' },
      tunnel: PUSHED_ADDRESS_CLIENT,
      timing: CLIENT_TIMING,
      whenEstablished: 'keep',
    });
    if (result.outcome !== 'established') return `failed: ${result.failure.step} ${result.failure.kind}`;
    try {
      const opened = openEspChannel(result);
      if (!opened.ok) return `failed: ${opened.problem.text}`;
      const report = await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 10, intervalMs: 100, timeoutMs: 300 });
      return report.results.some((echo) => echo.kind === 'reply') ? 'up' : 'up without traffic';
    } finally {
      await result.tunnel!.close();
    }
  } finally {
    await path.close();
  }
}

async function lane(first: number, count: number): Promise<Outcome[]> {
  const router = await RtxRouter.create({ ikePort: 0, nattPort: 0, responderLimits: { retransmitIntervalMs: ROUTER_RESEND_MS } });
  await router.start();
  cleanups.push(() => router.stop());
  const outcomes: Outcome[] = [];
  for (let seed = first; seed < first + count; seed++) outcomes.push(await lossyConnect(router as RtxRouter & { listening: NonNullable<RtxRouter['listening']> }, seed));
  return outcomes;
}

describe('a seeded lossy path: 20 % loss, 10 % duplication, 15 % reordering, both directions, both ports', () => {
  it(`${CONNECTS} connects (${LANES} at a time): at least ${MUST_SUCCEED} come up, none reported up without traffic`, async () => {
    const perLane = CONNECTS / LANES;
    const lanes = await Promise.all(Array.from({ length: LANES }, (_, index) => lane(1 + index * perLane, perLane)));
    const outcomes = lanes.flat();
    const summary = outcomes.map((outcome, index) => `seed ${index + 1}: ${outcome}`).filter((line) => !line.endsWith(': up'));
    expect(outcomes).toHaveLength(CONNECTS);
    expect(outcomes.filter((outcome) => outcome === 'up').length, summary.join('; ')).toBeGreaterThanOrEqual(MUST_SUCCEED);
    expect(outcomes).not.toContain('up without traffic');
  }, 60_000);
});
