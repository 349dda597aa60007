import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/router/clock.js';
import { TestTerminal } from '../console/support/test-terminal.js';
import { BRANCH_LAN, HUB_LAN, branchConfig, hubConfig } from '../ike-initiator/support/site-to-site-configs.js';
import { logText, routersInProcess } from './support/routers-in-process.js';

// Two RTX routers in one process on loopback addresses of their own, on the same (unprivileged)
// ports: each sends to the ports it listens on itself (rtxlab's rule for peers).
const HUB = '127.20.16.2';
const BRANCH = '127.20.16.3';
const PORTS = { ikePort: 25_500, nattPort: 25_450 } as const;
const LAN_HOST = '192.168.1.20';

const start = routersInProcess(PORTS);


describe('two RTX routers in one process (site-to-site, Aggressive Mode)', () => {
  it('bring the tunnel up by themselves and pass the router ping LAN to LAN', async () => {
    const hub = await start(hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB, { lanHosts: [LAN_HOST] });
    const hubUp = hub.waitFor('tunnel-up');
    const branch = await start(branchConfig({ hubAddress: HUB, branchAddress: BRANCH }), BRANCH);
    await branch.waitFor('tunnel-up');
    await hubUp;
    expect(logText(branch)).toEqual(expect.arrayContaining([`[IKE] initiate ISAKMP phase to ${HUB} (local address ${BRANCH})`, `[IKE] initiate IPsec phase to ${HUB}`, 'IP Tunnel[1] Up']));
    expect(logText(hub)).toEqual(expect.arrayContaining([`[IKE] respond ISAKMP phase to ${BRANCH}`, `[IKE] respond IPsec phase to ${BRANCH}`, 'IP Tunnel[1] Up']));

    const toRouter = await branch.ping({ host: HUB_LAN, source: BRANCH_LAN, count: 2, waitSeconds: 2 });
    expect(toRouter.replies.map((reply) => [reply.sequence, reply.from, reply.ttl])).toEqual([
      [0, HUB_LAN, 255],
      [1, HUB_LAN, 255],
    ]);
    const toLanHost = await branch.ping({ host: LAN_HOST, source: BRANCH_LAN, count: 1 });
    expect(toLanHost.replies.map((reply) => [reply.from, reply.ttl])).toEqual([[LAN_HOST, 64]]);
    // And the other way: the hub's ping goes into the SA pair the branch made.
    const fromHub = await hub.ping({ host: BRANCH_LAN, source: HUB_LAN, count: 1 });
    expect(fromHub.replies).toHaveLength(1);
  });

  it("the console's ping prints each reply and the summary, as the RTX's ping does (format assumed)", async () => {
    await start(hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB);
    const branch = await start(branchConfig({ hubAddress: HUB, branchAddress: BRANCH }), BRANCH);
    await branch.waitFor('tunnel-up');
    const terminal = new TestTerminal(branch);
    terminal.start();
    terminal.line(`ping -c 2 -sa ${BRANCH_LAN} ${HUB_LAN}`);
    for (let waited = 0; waited < 50 && !terminal.screen.includes('round-trip'); waited++) await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = terminal.screen.split(/\r?\n/);
    expect(lines.filter((line) => line.startsWith(`received from ${HUB_LAN}: icmp_seq=`))).toHaveLength(2);
    expect(lines).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
    expect(lines.some((line) => /^round-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms$/.test(line))).toBe(true);
  });

  it('without auto refresh the first ping starts the key exchange: that request is lost, the next ones answered', async () => {
    await start(hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB);
    const branch = await start(branchConfig({ hubAddress: HUB, branchAddress: BRANCH, autoRefresh: false }), BRANCH);
    expect(logText(branch).some((line) => line.includes('initiate ISAKMP phase'))).toBe(false);
    const result = await branch.ping({ host: HUB_LAN, source: BRANCH_LAN, count: 3 });
    expect(result.transmitted).toBe(3);
    expect(result.replies.map((reply) => reply.sequence)).toEqual([1, 2]);
    expect(logText(branch)).toContain('IP Tunnel[1] Up');
  });

  it('ipsec refresh sa (API) removes the SAs and auto refresh brings the tunnel up again', async () => {
    await start(hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB);
    const branch = await start(branchConfig({ hubAddress: HUB, branchAddress: BRANCH }), BRANCH);
    await branch.waitFor('tunnel-up');
    const down = branch.waitFor('tunnel-down');
    const upAgain = branch.waitFor('tunnel-up');
    expect(branch.refreshSa()).toBeGreaterThanOrEqual(1);
    await down;
    await upAgain;
    expect(logText(branch).filter((line) => line.startsWith('[IKE] initiate ISAKMP phase'))).toHaveLength(2);
  });

  it('log the tunnel down when the other router is stopped (no keepalive: when the SA ends and its rekey gets no answer)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const hub = await start(hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB, { clock });
    const branch = await start(branchConfig({ hubAddress: HUB, branchAddress: BRANCH, branchExtra: ['ipsec ike duration ipsec-sa 1 300'] }), BRANCH, { clock });
    await branch.waitFor('tunnel-up');
    await hub.stop();
    const down = branch.waitFor('tunnel-down', () => true, 5_000);
    // 300 s of router time in 5 s steps, letting the sockets work between steps.
    for (let elapsed = 0; elapsed < 300_000; elapsed += 5_000) {
      clock.advance(5_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await down;
    const lines = logText(branch);
    expect(lines).toContain(`[IKE] IPsec phase to ${HUB} timed out`);
    expect(lines.at(-1)).toBe('IP Tunnel[1] Down');
  });
});

describe('two RTX routers in one process (site-to-site, Main Mode: fixed addresses, no names)', () => {
  it('bring the tunnel up by themselves in Main Mode and pass the router ping both ways', async () => {
    const addresses = { hubAddress: HUB, branchAddress: BRANCH, exchange: 'main' as const };
    const hub = await start(hubConfig(addresses), HUB);
    const hubUp = hub.waitFor('tunnel-up');
    const branch = await start(branchConfig(addresses), BRANCH);
    await branch.waitFor('tunnel-up');
    await hubUp;
    expect(logText(branch)).toEqual(expect.arrayContaining([`[IKE] initiate ISAKMP phase to ${HUB} (local address ${BRANCH})`, 'IP Tunnel[1] Up']));
    const toHub = await branch.ping({ host: HUB_LAN, source: BRANCH_LAN, count: 2, waitSeconds: 2 });
    expect(toHub.replies.map((reply) => reply.from)).toEqual([HUB_LAN, HUB_LAN]);
    const fromHub = await hub.ping({ host: BRANCH_LAN, source: HUB_LAN, count: 1 });
    expect(fromHub.replies).toHaveLength(1);
  });
});
