/**
 * The site-to-site example configs (examples/site-to-site/a.conf and b.conf, written after
 * Yamaha's public samples: Main Mode, pre-shared key, fixed addresses, `ipsec auto refresh on`, a
 * keepalive, NAT traversal off) read from their files and run as two routers in one process
 * through the library API, on an injected clock:
 * - both start their own key exchange (auto refresh); the tunnel comes up with no traffic asked;
 * - the routers' own pings pass LAN to LAN, as raw ESP (IP protocol 50: NAT-T is off);
 * - the lifetimes, set to the 300 s minimum, run out through the clock: the initiating router
 *   rekeys both SAs and traffic keeps passing after the first SAs are gone;
 * - when either router is stopped, the other one's keepalive (DPD, as in the samples) gives the
 *   tunnel up: `IP Tunnel[1] Down`.
 * Raw ESP needs root and the helper `npm run build` compiles; both are there under CI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/router/clock.js';
import { RtxRouter } from '../../src/router/rtx-router.js';
import type { PingRequest, PingResult } from '../../src/router/router-ping.js';
import { NETIO_HELPER } from '../../src/netio/raw-esp-socket.js';
import { repoRoot } from '../support/paths.js';
import { logText, routersInProcess } from './support/routers-in-process.js';

const A = '127.0.0.2';
const B = '127.0.0.3';
const A_LAN = '192.168.1.1';
const B_LAN = '192.168.2.1';
/** Unprivileged ports, the same on both addresses (rtxlab routers send to the ports they listen on). */
const PORTS = { ikePort: 27_500, nattPort: 27_450 } as const;

const canRun = process.getuid?.() === 0 && existsSync(NETIO_HELPER);
const skip = !canRun && process.env.CI !== 'true';

/** An example file with the lifetimes at the 300 s minimum (§15.48) so they run out quickly. */
function exampleWithShortLifetimes(name: string): string {
  const text = readFileSync(join(repoRoot, 'examples', 'site-to-site', name), 'utf8');
  const original = '  ipsec ike duration ipsec-sa 1 3600\n';
  expect(text).toContain(original);
  return text.replace(original, '  ipsec ike duration ipsec-sa 1 300\n  ipsec ike duration isakmp-sa 1 300\n');
}

const startRouter = routersInProcess(PORTS);
const start = (name: string, bind: string, clock: ManualClock) => startRouter(exampleWithShortLifetimes(name), bind, { clock });
const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/** A, then B, on one clock; resolves once both have the tunnel up. */
async function bothUp(): Promise<{ clock: ManualClock; a: RtxRouter; b: RtxRouter }> {
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 9, 0, 0));
  const a = await start('a.conf', A, clock);
  const aUp = a.waitFor('tunnel-up', () => true, 10_000);
  // A's first Main Mode message went to an address nobody listened on yet; B, starting, makes the SAs.
  const b = await start('b.conf', B, clock);
  await b.waitFor('tunnel-up', () => true, 10_000);
  await aUp;
  return { clock, a, b };
}

/** Moves router time on in steps, letting datagrams and the raw ESP helpers work between steps. */
async function runClock(clock: ManualClock, totalMs: number, stepMs = 5_000, until?: () => boolean): Promise<void> {
  for (let elapsed = 0; elapsed < totalMs && !(until?.() ?? false); elapsed += stepMs) {
    clock.advance(stepMs);
    await settle();
  }
}

/** The router's ping waits on its own clock: drive the clock in small steps until it is done. */
async function ping(router: RtxRouter, clock: ManualClock, request: PingRequest): Promise<PingResult> {
  let result: PingResult | undefined;
  const pending = router.ping(request).then((value) => (result = value));
  for (let step = 0; step < 400 && result === undefined; step++) {
    await settle(5);
    clock.advance(50);
  }
  return pending;
}

describe.skipIf(skip)('the site-to-site examples, two routers in one process (raw ESP: root and the built helper)', () => {
  it('come up by themselves, ping LAN to LAN as raw ESP, rekey as the 300 s lifetimes run out, and log the tunnel down once the initiator is stopped', async () => {
    const { clock, a, b } = await bothUp();
    expect(logText(a)).toContain(`[IKE] initiate ISAKMP phase to ${B} (local address ${A})`);
    expect(logText(b)).toEqual(expect.arrayContaining([`[IKE] initiate ISAKMP phase to ${A} (local address ${B})`, `[IKE] initiate IPsec phase to ${A}`, 'IP Tunnel[1] Up']));
    expect(logText(a)).toEqual(expect.arrayContaining([`[IKE] respond ISAKMP phase to ${B}`, `[IKE] respond IPsec phase to ${B}`, 'IP Tunnel[1] Up']));
    // NAT traversal off: plain tunnel mode, ESP as IP protocol 50.
    expect(b.ipsecState().ipsecSas.map((row) => row.mode)).toEqual(['tunnel', 'tunnel']);

    // A's own exchange, still unanswered, is dropped once the tunnel has B's SAs: one set of SAs.
    await runClock(clock, 10_000);
    expect(a.ipsecState().totals).toEqual({ isakmp: 1, send: 1, recv: 1 });
    expect(b.ipsecState().totals).toEqual({ isakmp: 1, send: 1, recv: 1 });

    const fromA = await ping(a, clock, { host: B_LAN, source: A_LAN, count: 2 });
    expect(fromA.replies.map((reply) => reply.from)).toEqual([B_LAN, B_LAN]);
    const fromB = await ping(b, clock, { host: A_LAN, source: B_LAN, count: 1 });
    expect(fromB.replies.map((reply) => reply.from)).toEqual([A_LAN]);
    expect(a.tunnels()[0]?.traffic?.packetsIn).toBeGreaterThanOrEqual(3);

    // 400 s: B rekeys at 75 % (225 s) of both 300 s lifetimes; the first SAs end at 300 s.
    const firstSpis = b.ipsecState().ipsecSas.map((row) => row.spi.toString('hex'));
    await runClock(clock, 400_000);
    expect(logText(b).filter((line) => line === `[IKE] initiate ISAKMP phase to ${A} (local address ${B})`)).toHaveLength(2);
    expect(logText(b).filter((line) => line === `[IKE] initiate IPsec phase to ${A}`)).toHaveLength(2);
    const nowSpis = b.ipsecState().ipsecSas.map((row) => row.spi.toString('hex'));
    expect(nowSpis).toHaveLength(2);
    expect(nowSpis.some((spi) => firstSpis.includes(spi))).toBe(false);
    expect([...logText(a), ...logText(b)]).not.toContain('IP Tunnel[1] Down');
    const afterRekey = await ping(a, clock, { host: B_LAN, source: A_LAN, count: 1 });
    expect(afterRekey.replies.map((reply) => reply.from)).toEqual([B_LAN]);

    // B goes away: A's DPD (R-U-THERE every 10 s, 3 unanswered) gives the tunnel up.
    await expectDownAfterStopping(b, a, clock);
    expect(a.tunnels()).toEqual([expect.objectContaining({ tunnelId: 1, up: false })]);
  }, 60_000);

  it("the other way round: when the responding router is stopped, the initiator's own DPD gives the tunnel up", async () => {
    const { clock, a, b } = await bothUp();
    await runClock(clock, 30_000);
    expect(logText(b)).not.toContain('IP Tunnel[1] Down');

    await expectDownAfterStopping(a, b, clock);
  }, 60_000);
});

/**
 * Stops `gone`, runs the clock in 5 s steps until `survivor` logs the tunnel down, and checks it
 * did within 40 s of router time (DPD 10 s x 3 unanswered, plus one interval of slack).
 */
async function expectDownAfterStopping(gone: RtxRouter, survivor: RtxRouter, clock: ManualClock): Promise<void> {
  await gone.stop();
  const down = survivor.waitFor('tunnel-down', () => true, 10_000);
  let downSeen = false;
  void down.then(() => (downSeen = true));
  const stoppedAt = clock.now();
  await runClock(clock, 60_000, 5_000, () => downSeen);
  await down;
  expect(clock.now() - stoppedAt).toBeLessThanOrEqual(40_000);
  expect(logText(survivor)).toContain('IP Tunnel[1] Down');
}
