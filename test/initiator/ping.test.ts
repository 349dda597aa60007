import { afterEach, describe, expect, it } from 'vitest';
import { openEspChannel, type EspChannel } from '../../src/initiator/esp-channel.js';
import { checkPingOptions, pingBound, pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession } from '../../src/initiator/tunnel-session.js';
import { FAST_TUNNEL_TIMING, PUSHED_ADDRESS_CLIENT, startEspGateway, type EspGatewayBehaviour } from './support/esp-gateway.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A kept tunnel to an in-test gateway whose ESP peer answers for 10.1.1.1, and its channel. */
async function channelTo(behaviour: EspGatewayBehaviour = {}): Promise<EspChannel> {
  const gateway = await startEspGateway(behaviour);
  cleanups.push(gateway.close);
  const result = await runTunnelSession({
    gateway: { address: '127.0.0.1', port: gateway.port, natTPort: gateway.natTPort },
    tunnel: PUSHED_ADDRESS_CLIENT,
    timing: FAST_TUNNEL_TIMING,
    whenEstablished: 'keep',
  });
  if (result.outcome !== 'established') throw new Error(result.failure.text);
  cleanups.push(result.tunnel!.close);
  const opened = openEspChannel(result);
  if (!opened.ok) throw new Error(opened.problem.text);
  return opened.channel;
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('pingThroughTunnel', () => {
  it('gets a reply to every echo from the address pinged, with sequence numbers from 1 and no loss', async () => {
    const channel = await channelTo();
    const report = await pingThroughTunnel(channel, '10.1.1.1', { count: 3, intervalMs: 20, timeoutMs: 1000 });
    expect(report.results.map((result) => [result.sequence, result.kind])).toEqual([
      [1, 'reply'],
      [2, 'reply'],
      [3, 'reply'],
    ]);
    for (const result of report.results) {
      expect(result).toMatchObject({ from: '10.1.1.1', ttl: 255, dataBytes: 56 });
      if (result.kind === 'reply') expect(result.rttMs).toBeGreaterThanOrEqual(0);
    }
    expect(report.summary).toMatchObject({ destination: '10.1.1.1', transmitted: 3, received: 3, lossPercent: 0, duplicates: 0, corrupted: 0 });
    expect(channel.counters()).toMatchObject({ outbound: { packets: 3 }, inbound: { packets: 3 } });
  });

  it('times out every echo when nobody answers, within its bound', async () => {
    const channel = await channelTo({ esp: 'silent' });
    const options = { count: 2, intervalMs: 50, timeoutMs: 200 };
    const started = performance.now();
    const report = await pingThroughTunnel(channel, '10.1.1.1', options);
    const elapsed = performance.now() - started;
    expect(report.results).toEqual([
      { sequence: 1, kind: 'timeout' },
      { sequence: 2, kind: 'timeout' },
    ]);
    expect(report.summary).toMatchObject({ transmitted: 2, received: 0, lossPercent: 100 });
    expect(report.summary.rttMs).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(pingBound(options) - 5);
    expect(elapsed).toBeLessThan(pingBound(options) + 1000);
  });

  it('times out echoes to an address behind the gateway that no one holds', async () => {
    const channel = await channelTo();
    const report = await pingThroughTunnel(channel, '10.1.1.99', { count: 1, timeoutMs: 150 });
    expect(report.results).toEqual([{ sequence: 1, kind: 'timeout' }]);
  });

  it('loses the echo whose reply was tampered with: ESP drops it, the ping never sees it', async () => {
    const channel = await channelTo({ tamperReplies: [2] });
    const report = await pingThroughTunnel(channel, '10.1.1.1', { count: 3, intervalMs: 20, timeoutMs: 300 });
    expect(report.results.map((result) => result.kind)).toEqual(['reply', 'timeout', 'reply']);
    expect(report.summary).toMatchObject({ received: 2, lossPercent: 33 });
    expect(channel.counters().drops['bad-icv']).toBe(1);
  });

  it('does not count a replayed copy of a reply: ESP drops it before the ping sees it', async () => {
    const channel = await channelTo({ duplicateReplies: 'same-packet' });
    const report = await pingThroughTunnel(channel, '10.1.1.1', { count: 2, intervalMs: 20, timeoutMs: 500 });
    expect(report.summary).toMatchObject({ transmitted: 2, received: 2, duplicates: 0 });
    await until(() => channel.counters().drops.replayed === 2);
    expect(channel.counters().drops.replayed).toBe(2);
  });

  it('counts a reply sent twice under fresh ESP sequence numbers as a duplicate, not as a second reply', async () => {
    const channel = await channelTo({ duplicateReplies: 'resealed' });
    // The first copy of reply 2 settles the run, so its second copy may come after: ask for 3, look at 1 and 2.
    const report = await pingThroughTunnel(channel, '10.1.1.1', { count: 3, intervalMs: 50, timeoutMs: 500 });
    expect(report.summary).toMatchObject({ transmitted: 3, received: 3, lossPercent: 0 });
    expect(report.summary.duplicates).toBeGreaterThanOrEqual(2);
    expect(channel.counters().drops.replayed).toBe(0);
  });

  it('does not send echoes to an address outside the tunnel (IDcr 10.1.1.0/24)', async () => {
    const channel = await channelTo();
    const report = await pingThroughTunnel(channel, '8.8.8.8', { count: 1, timeoutMs: 100 });
    expect(report.results).toEqual([{ sequence: 1, kind: 'not-sent', reason: 'outside-selectors' }]);
  });

  it('reports echoes it could not send once the tunnel is gone', async () => {
    const channel = await channelTo();
    channel.close();
    const report = await pingThroughTunnel(channel, '10.1.1.1', { count: 2, intervalMs: 0, timeoutMs: 100 });
    expect(report.results).toEqual([
      { sequence: 1, kind: 'not-sent', reason: 'channel-closed' },
      { sequence: 2, kind: 'not-sent', reason: 'channel-closed' },
    ]);
    expect(report.summary).toMatchObject({ transmitted: 0, received: 0 });
  });
});

describe('ping options', () => {
  it('are bounded in count, time and size', () => {
    expect(checkPingOptions('10.1.1.1', {})).toEqual([]);
    expect(checkPingOptions('10.1.1.1', { count: 0 })).toHaveLength(1);
    expect(checkPingOptions('10.1.1.1', { count: 1001 })).toHaveLength(1);
    expect(checkPingOptions('10.1.1.1', { timeoutMs: 0, intervalMs: -1 })).toHaveLength(2);
    expect(checkPingOptions('10.1.1.1', { dataBytes: 1401, identifier: 0x10000 })).toHaveLength(2);
    expect(checkPingOptions('office', {})).toEqual(['office is not an IPv4 address']);
  });

  it('bound a run by the last send plus its timeout', () => {
    expect(pingBound({ count: 4, intervalMs: 1000, timeoutMs: 2000 })).toBe(5000);
    expect(pingBound()).toBe(5000);
  });

  it('are checked before anything is sent', async () => {
    const channel = await channelTo();
    await expect(pingThroughTunnel(channel, '10.1.1.1', { count: 0 })).rejects.toThrow(RangeError);
    expect(channel.counters().outbound.packets).toBe(0);
  });
});
