import { afterEach, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/cli/start.js';
import type { RtxRouter } from '../../src/router/rtx-router.js';
import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession } from '../../src/initiator/tunnel-session.js';
import { FAST_TUNNEL_TIMING, PUSHED_ADDRESS_CLIENT } from './support/esp-gateway.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** rtxlab's router in this process, on the embedded seed config (NAT traversal on), log kept. */
async function router(): Promise<{ running: RtxRouter; log: string[] }> {
  const log: string[] = [];
  const keep = (text: string) => void log.push(...text.split('\n').filter((line) => line.length > 0));
  const running = await startRouter({ bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { stdout: keep, stderr: keep });
  cleanups.push(() => running.stop());
  return { running, log };
}

describe('ping through a tunnel to the rtxlab router', () => {
  it("gets the pool's first address and replies from the router's lan1 address 10.1.1.1", async () => {
    const { running, log } = await router();
    const result = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: running.listening!.ike.port, natTPort: running.listening!.natt.port },
      local: { address: '127.0.0.1' },
      tunnel: PUSHED_ADDRESS_CLIENT,
      timing: FAST_TUNNEL_TIMING,
      whenEstablished: 'keep',
    });
    if (result.outcome !== 'established') throw new Error(`${result.failure.text}\n${log.join('\n')}`);
    cleanups.push(result.tunnel!.close);
    const opened = openEspChannel(result);
    if (!opened.ok) throw new Error(opened.problem.text);
    expect(opened.channel.innerAddress).toBe('10.1.1.110');

    const report = await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 3, intervalMs: 20, timeoutMs: 1000 });
    expect(report.results.map((echo) => echo.kind)).toEqual(['reply', 'reply', 'reply']);
    expect(report.results.every((echo) => echo.kind === 'reply' && echo.from === '10.1.1.1')).toBe(true);
    expect(opened.channel.counters().drops).toMatchObject({ 'bad-icv': 0, replayed: 0, 'unknown-spi': 0 });

    // No --lan-host given: nothing behind the router holds 10.1.1.99.
    const unanswered = await pingThroughTunnel(opened.channel, '10.1.1.99', { count: 1, timeoutMs: 200 });
    expect(unanswered.results).toEqual([{ sequence: 1, kind: 'timeout' }]);
  });
});
