/**
 * The router applies `impair` rules on its receive path too, on its own clock, and forgets
 * held-back datagrams when it stops. A raw UDP peer stands in for the client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/router/clock.js';
import { parseImpairRule, type ImpairRule } from '../../../src/router/impair/impair-rule.js';
import { RtxRouter } from '../../../src/router/rtx-router.js';
import { clientMessage1 } from '../../ike-responder/support.js';
import { UdpPeer } from '../support/udp-peer.js';

const START = Date.UTC(2008, 9, 1, 3, 28, 6);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function rule(text: string): ImpairRule {
  const parsed = parseImpairRule(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rule;
}

async function routerWith(text: string, clock: ManualClock) {
  const router = await RtxRouter.create({ ikePort: 0, nattPort: 0, clock, impair: [rule(text)] });
  const listening = await router.start();
  cleanups.push(() => router.stop());
  const client = await UdpPeer.open();
  cleanups.push(() => client.close());
  return { router, client, ikePort: listening.ike.port };
}

/** Datagrams that arrive within `ms` of real time. */
async function arrivals(client: UdpPeer, ms = 150): Promise<number> {
  let count = 0;
  for (;;) {
    try {
      await client.receive(ms);
      count++;
    } catch {
      return count;
    }
  }
}

describe('impair rules on the router', () => {
  it('delay:in:aggressive:1:1000: message 1 reaches the responder only when the router\'s clock has moved 1 s', async () => {
    const clock = new ManualClock(START);
    const { client, ikePort } = await routerWith('delay:in:aggressive:1:1000', clock);
    await client.send(clientMessage1().bytes, ikePort);
    expect(await arrivals(client)).toBe(0);
    clock.advance(999);
    expect(await arrivals(client)).toBe(0);
    clock.advance(1);
    expect(await arrivals(client)).toBe(1);
  });

  it('answer-twice:aggressive:1: message 2 goes out twice for one message 1', async () => {
    const { client, ikePort } = await routerWith('answer-twice:aggressive:1', new ManualClock(START));
    await client.send(clientMessage1().bytes, ikePort);
    const first = await client.receive();
    const second = await client.receive();
    expect(second.bytes).toEqual(first.bytes);
    expect(await arrivals(client)).toBe(0);
  });

  it('drop:in:aggressive:1: the first message 1 of an SA is never read, its resend is', async () => {
    const { router, client, ikePort } = await routerWith('drop:in:aggressive:1', new ManualClock(START));
    const message1 = clientMessage1().bytes;
    await client.send(message1, ikePort);
    expect(await arrivals(client)).toBe(0);
    expect(router.tableSizes().halfOpen).toBe(0);
    await client.send(message1, ikePort);
    expect(await arrivals(client)).toBe(1);
  });

  it('a held-back datagram is forgotten when the router stops (no timer left behind)', async () => {
    const clock = new ManualClock(START);
    const { router, client, ikePort } = await routerWith('delay:in:aggressive:1:60000', clock);
    await client.send(clientMessage1().bytes, ikePort);
    await arrivals(client, 100);
    const withHeldBack = clock.pendingTimers;
    await router.stop();
    expect(clock.pendingTimers).toBeLessThan(withHeldBack);
    expect(clock.pendingTimers).toBe(0);
  });
});
