/**
 * One lost datagram never breaks a connection: the bundled client against rtxlab's router in
 * this process, through a relay that drops exactly the datagram a test names. The router's
 * resend interval is scaled down to 150 ms (an option); the client's waits are set to cover it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RtxRouter } from '../../src/router/rtx-router.js';
import { ExchangeType } from '../../src/ike/constants.js';
import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession, type TunnelSessionResult } from '../../src/initiator/tunnel-session.js';
import { dropNth, startLossyPath, type DropRule, type RelayedDatagram } from '../support/lossy-path.js';
import { PUSHED_ADDRESS_CLIENT } from './support/esp-gateway.js';
import { CLIENT_TIMING, ROUTER_RESEND_MS } from '../support/scaled-resends.js';


const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startScaledRouter(log: string[]): Promise<RtxRouter & { listening: NonNullable<RtxRouter['listening']> }> {
  const running = await RtxRouter.create({ ikePort: 0, nattPort: 0, responderLimits: { retransmitIntervalMs: ROUTER_RESEND_MS } });
  running.on('log', (event) => log.push(event.entry.line));
  running.on('problem', (event) => log.push(`rtxlab: ${event.text}`));
  await running.start();
  cleanups.push(() => running.stop());
  return running as RtxRouter & { listening: NonNullable<RtxRouter['listening']> };
}

async function routerBehind(drop: DropRule): Promise<{ running: RtxRouter; path: Awaited<ReturnType<typeof startLossyPath>>; log: string[] }> {
  const log: string[] = [];
  const running = await startScaledRouter(log);
  const path = await startLossyPath({ ikePort: running.listening.ike.port, nattPort: running.listening.natt.port }, drop);
  cleanups.push(() => path.close());
  return { running, path, log };
}

async function connect(path: { ikePort: number; nattPort: number }): Promise<TunnelSessionResult> {
  const result = await runTunnelSession({
    gateway: { address: '127.0.0.1', port: path.ikePort, natTPort: path.nattPort },
    local: { address: '127.0.0.1' },
    tunnel: PUSHED_ADDRESS_CLIENT,
    timing: CLIENT_TIMING,
    whenEstablished: 'keep',
  });
  if (result.outcome === 'established') cleanups.push(result.tunnel!.close);
  return result;
}

async function pings(result: TunnelSessionResult, count = 3, timeoutMs = 1000, intervalMs = 20): Promise<string[]> {
  if (result.outcome !== 'established') throw new Error(result.failure.text);
  const opened = openEspChannel(result);
  if (!opened.ok) throw new Error(opened.problem.text);
  const report = await pingThroughTunnel(opened.channel, '10.1.1.1', { count, intervalMs, timeoutMs });
  return report.results.map((echo) => echo.kind);
}

const ike = (direction: RelayedDatagram['direction'], exchangeType: number) => (datagram: Omit<RelayedDatagram, 'dropped'>) =>
  datagram.direction === direction && datagram.exchangeType === exchangeType;
const exchangeOf = (seen: readonly RelayedDatagram[], exchangeType: number) =>
  seen.filter((datagram) => datagram.exchangeType === exchangeType).map((datagram) => `${datagram.direction}${datagram.dropped ? ' (dropped)' : ''}`);

describe('one lost datagram on the way to the router', () => {
  it('Aggressive Mode message 3 lost: the router resends message 2, the client resends message 3, the tunnel comes up and pings', async () => {
    // The client's second Aggressive Mode datagram is message 3 (the first is message 1).
    const { path } = await routerBehind(dropNth(2, ike('to-router', ExchangeType.AGGRESSIVE)));
    const result = await connect(path);
    expect(result.outcome === 'established' ? result.confirmation : result.failure.text).toBe('peer-message');
    expect(exchangeOf(path.seen, ExchangeType.AGGRESSIVE)).toEqual(['to-router', 'to-client', 'to-router (dropped)', 'to-client', 'to-router']);
    expect(await pings(result)).toEqual(['reply', 'reply', 'reply']);
  });

  it('the last Quick Mode message lost: the router resends message 2, the client resends message 3, the SAs are installed and pings work', async () => {
    const { path } = await routerBehind(dropNth(2, ike('to-router', ExchangeType.QUICK_MODE)));
    const result = await connect(path);
    expect(result.outcome === 'established' ? result.quickModeConfirmation : result.failure.text).toBe('quiet-period');
    expect(exchangeOf(path.seen, ExchangeType.QUICK_MODE)).toEqual(['to-router', 'to-client', 'to-router (dropped)', 'to-client', 'to-router']);
    expect(await pings(result)).toEqual(['reply', 'reply', 'reply']);
  });

  it('the mode-cfg SET lost twice: the client still waits, the router\'s third send arrives', async () => {
    let setsDropped = 0;
    // The router's Transaction messages: XAUTH REQUEST, XAUTH STATUS, then the mode-cfg SET and its resends.
    const transactionsToClient = ike('to-client', ExchangeType.TRANSACTION);
    let transactions = 0;
    const { path } = await routerBehind((datagram) => {
      if (!transactionsToClient(datagram)) return false;
      transactions += 1;
      if (transactions >= 3 && setsDropped < 2) {
        setsDropped += 1;
        return true;
      }
      return false;
    });
    const result = await connect(path);
    expect(result.outcome === 'established' ? result.modeCfg?.address : result.failure.text).toBe('10.1.1.110');
    expect(setsDropped).toBe(2);
    expect(await pings(result)).toEqual(['reply', 'reply', 'reply']);
  });
});

// The seeded lossy path (20 % loss, 10 % duplication, 15 % reordering) at 50 connects: lossy-suite.test.ts.
