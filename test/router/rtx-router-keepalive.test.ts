/**
 * Router-sent keepalives end to end on loopback, the bundled client connected with
 * `connectClient` to the seed's config plus a keepalive line:
 * - `ipsec ike keepalive use 1 on dpd 10 3`: while the client answers R-U-THERE the tunnel stays;
 *   once it stops (`tunnel.answerDpd(false)`), the router takes the tunnel down within
 *   (count + 1) x interval;
 * - `… icmp-echo 10.1.1.110 10 3`: the router's echoes reach the client's address through the
 *   tunnel; a host there answering keeps the tunnel, silence takes it down.
 * The router runs on a ManualClock: 10 s intervals take no time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, DEFAULT_CONFIG_TEXT, openEspChannel, startRtxRouter, type RouterEvent } from '../../src/index.js';
import { answerIcmpEcho } from '../../src/esp/ip/index.js';
import { CLIENT_PROFILES } from '../../src/initiator/profiles/catalogue.js';
import { profileTunnel } from '../../src/initiator/profiles/overrides.js';
import { SEED_CLIENT_INPUTS } from '../../src/initiator/profiles/profile.js';
import { formatSessionTranscript, runTunnelSession } from '../../src/initiator/index.js';
import { ManualClock } from '../../src/router/clock.js';
import { NotifyType, notifyTypeName } from '../../src/ike/constants.js';
import { CLIENT_TIMING, ROUTER_RESEND_MS } from '../support/scaled-resends.js';

const INTERVAL_MS = 10_000;
const COUNT = 3;
const DPD_CONFIG = DEFAULT_CONFIG_TEXT.replace('ipsec ike keepalive log 1 on\n', `ipsec ike keepalive log 1 on\nipsec ike keepalive use 1 on dpd ${INTERVAL_MS / 1000} ${COUNT}\n`);

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An incoming Informational carrying a notify of this name (as `describePayload` names it). */
const inboundNotify = (name: string) => (event: Extract<RouterEvent, { type: 'ike-message' }>) =>
  event.message.direction === 'in' && event.message.payloads.some((payload) => payload.name === 'N' && (payload.detail?.startsWith(name) ?? false));

describe('router-sent DPD with the bundled client (loopback)', () => {
  it('keeps the tunnel while the client answers R-U-THERE, and takes it down within (count + 1) x interval once it stops', async () => {
    const clock = new ManualClock(Date.now());
    const router = await startRtxRouter({ config: { text: DPD_CONFIG }, ikePort: 0, nattPort: 0, clock, responderLimits: { retransmitIntervalMs: ROUTER_RESEND_MS } });
    cleanups.push(() => router.stop());
    const result = await connectClient({ gateway: router.listening!, profile: 'yms-vpn1', timing: CLIENT_TIMING });
    if (result.outcome !== 'established') throw new Error(result.failure.text);
    const tunnel = result.tunnel!;
    cleanups.push(() => tunnel.close());

    for (let round = 0; round < COUNT + 2; round++) {
      const acknowledged = router.waitFor('ike-message', inboundNotify(notifyTypeName(NotifyType.R_U_THERE_ACK)), 3_000);
      clock.advance(INTERVAL_MS);
      await acknowledged;
    }
    expect(router.tunnels()).toEqual([expect.objectContaining({ tunnelId: 1, up: true })]);

    tunnel.answerDpd(false);
    const stoppedAt = clock.now();
    const tunnelDown = router.waitFor('tunnel-down', () => true, 5_000);
    const isakmpDown = router.waitFor('isakmp-sa-down', () => true, 5_000);
    let downAt: number | undefined;
    void tunnelDown.then(() => (downAt = clock.now()));
    for (let step = 0; step < COUNT + 2 && downAt === undefined; step++) {
      clock.advance(INTERVAL_MS);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await tunnelDown).toEqual({ type: 'tunnel-down', tunnelId: 1, reason: 'dead-peer' });
    expect((await isakmpDown).reason).toBe('dead-peer');
    expect(downAt! - stoppedAt).toBeGreaterThanOrEqual(COUNT * INTERVAL_MS);
    expect(downAt! - stoppedAt).toBeLessThanOrEqual((COUNT + 1) * INTERVAL_MS);
    expect(router.ipsecState().totals).toEqual({ isakmp: 0, send: 0, recv: 0 });
    expect(router.leases()).toEqual([]);
    expect(router.logEntries().map((entry) => entry.message)).toContain('IP Tunnel[1] Down');
    // The router tells the client (Deletes per `send info`): it notices its tunnel is gone.
    expect(await tunnel.ended).toBe('deleted-by-peer');
  });

  it('icmp-echo: the router pings the client\'s address through the tunnel; answered, the tunnel stays; unanswered, it goes down', async () => {
    const config = DEFAULT_CONFIG_TEXT.replace('ipsec ike keepalive log 1 on\n', `ipsec ike keepalive log 1 on\nipsec ike keepalive use 1 on icmp-echo 10.1.1.110 ${INTERVAL_MS / 1000} ${COUNT}\n`);
    const clock = new ManualClock(Date.now());
    const router = await startRtxRouter({ config: { text: config }, ikePort: 0, nattPort: 0, clock, responderLimits: { retransmitIntervalMs: ROUTER_RESEND_MS } });
    cleanups.push(() => router.stop());
    const result = await connectClient({ gateway: router.listening!, timing: CLIENT_TIMING });
    if (result.outcome !== 'established') throw new Error(result.failure.text);
    cleanups.push(() => result.tunnel!.close());
    const opened = openEspChannel(result);
    if (!opened.ok) throw new Error(opened.problem.text);
    const channel = opened.channel;
    expect(channel.innerAddress).toBe('10.1.1.110');
    // The host behind the client: answers echo requests to its address.
    let requests = 0;
    const stopAnswering = channel.onInnerPacket((inner) => {
      const answer = answerIcmpEcho(inner.packet, new Set([channel.innerAddress]));
      if (answer.kind !== 'reply') return;
      requests++;
      void channel.send(answer.packet);
    });

    for (let round = 0; round < COUNT + 2; round++) {
      const replied = router.waitFor('log', (event) => event.entry.message.startsWith('[IKE] keepalive icmp-echo-reply from 127.0.0.1'), 3_000);
      clock.advance(INTERVAL_MS);
      await replied;
    }
    expect(requests).toBe(COUNT + 2);
    expect(router.tunnels()).toEqual([expect.objectContaining({ tunnelId: 1, up: true })]);

    stopAnswering();
    const tunnelDown = router.waitFor('tunnel-down', () => true, 5_000);
    let down = false;
    void tunnelDown.then(() => (down = true));
    for (let step = 0; step < COUNT + 2 && !down; step++) {
      clock.advance(INTERVAL_MS);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await tunnelDown).toEqual({ type: 'tunnel-down', tunnelId: 1, reason: 'dead-peer' });
  });

  it('a client configured not to answer DPD (TunnelOptions.dpd = ignore) notes each R-U-THERE it leaves unanswered and loses its tunnel', async () => {
    const clock = new ManualClock(Date.now());
    const router = await startRtxRouter({ config: { text: DPD_CONFIG }, ikePort: 0, nattPort: 0, clock, responderLimits: { retransmitIntervalMs: ROUTER_RESEND_MS } });
    cleanups.push(() => router.stop());
    const built = profileTunnel(CLIENT_PROFILES['yms-vpn1'], { ...SEED_CLIENT_INPUTS, localAddress: '127.0.0.1' }, { natTraversal: 'force' });
    if (!built.ok) throw new Error(built.text);
    const { ike, natt } = router.listening!;
    const result = await runTunnelSession({
      gateway: { address: ike.address, port: ike.port, natTPort: natt.port },
      local: { address: '127.0.0.1' },
      tunnel: { ...built.options, dpd: 'ignore' },
      whenEstablished: 'keep',
      timing: CLIENT_TIMING,
    });
    if (result.outcome !== 'established') throw new Error(result.failure.text);
    cleanups.push(() => result.tunnel!.close());
    const tunnelDown = router.waitFor('tunnel-down', () => true, 5_000);
    let down = false;
    void tunnelDown.then(() => (down = true));
    for (let step = 0; step < COUNT + 2 && !down; step++) {
      clock.advance(INTERVAL_MS);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await tunnelDown).reason).toBe('dead-peer');
    expect(formatSessionTranscript(result.transcript).filter((line) => / R-U-THERE \d+ not answered \(DPD answers off\)$/.test(line))).toHaveLength(COUNT);
  });
});
