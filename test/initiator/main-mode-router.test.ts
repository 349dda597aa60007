import { afterEach, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/cli/start.js';
import type { RtxRouter } from '../../src/router/rtx-router.js';
import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession } from '../../src/initiator/tunnel-session.js';
import type { TunnelOptions } from '../../src/initiator/tunnel-options.js';
import { seedClientOptions } from './support/fixtures.js';
import { FAST_TUNNEL_TIMING } from './support/esp-gateway.js';
import { siteToSiteConfig } from '../support/site-to-site-config.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A site-to-site tunnel as Yamaha's examples write it: the peer's fixed address, a pre-shared
 * key, no XAUTH and no mode-cfg; the network behind the peer is 192.168.10.0/24. NAT-T on
 * because this client carries ESP only inside UDP.
 */
const SITE_TO_SITE = { lanAddress: '10.1.1.1', routesThroughTunnel: ['192.168.10.0/24'], preSharedKey: 'SITEKEY' };
const SITE_TO_SITE_CONFIG = siteToSiteConfig({ ...SITE_TO_SITE, remoteAddress: '127.0.0.1' });

async function router(config: string): Promise<{ running: RtxRouter; log: string[] }> {
  const log: string[] = [];
  const keep = (text: string) => void log.push(...text.split('\n').filter((line) => line.length > 0));
  const running = await startRouter({ bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { stdout: keep, stderr: keep, defaultConfig: config });
  cleanups.push(() => running.stop());
  return { running, log };
}

/** The peer office's router played by the bundled client: Main Mode, PSK, its LAN as IDci. */
const SITE_CLIENT: TunnelOptions = {
  phase1: seedClientOptions({
    exchangeMode: 'main',
    identity: { kind: 'ipv4-address', address: '127.0.0.1' },
    preSharedKey: Buffer.from('SITEKEY'),
    proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key', lifeSeconds: 28800 }],
    vendorIds: ['NAT_T_RFC3947'],
    natTraversal: 'force',
  }),
  quickMode: {
    proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
    localId: { kind: 'ipv4-subnet', address: '192.168.10.0', netmask: '255.255.255.0' },
    remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
  },
};

describe('the bundled client in Main Mode against the rtxlab router (loopback)', () => {
  it('establishes Main Mode and Quick Mode with a fixed-address gateway and pings the router through the tunnel', async () => {
    const { running, log } = await router(SITE_TO_SITE_CONFIG);
    const exchanges: string[] = [];
    running.on('ike-message', ({ message }) => {
      // Retransmissions (the client's resends are quick here) are not part of the sequence.
      if (!message.retransmission) exchanges.push(`${message.direction} ${message.exchange}${message.encrypted ? '*' : ''}`);
    });
    const result = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: running.listening!.ike.port, natTPort: running.listening!.natt.port },
      local: { address: '127.0.0.1' },
      tunnel: SITE_CLIENT,
      timing: FAST_TUNNEL_TIMING,
      whenEstablished: 'keep',
    });
    if (result.outcome !== 'established') throw new Error(`${result.failure.text}\n${log.join('\n')}`);
    cleanups.push(result.tunnel!.close);
    // Six Main Mode messages, 5 and 6 encrypted, then Quick Mode: no XAUTH, no mode-cfg.
    expect(exchanges.slice(0, 9)).toEqual([
      'in IDENTITY-PROTECTION',
      'out IDENTITY-PROTECTION',
      'in IDENTITY-PROTECTION',
      'out IDENTITY-PROTECTION',
      'in IDENTITY-PROTECTION*',
      'out IDENTITY-PROTECTION*',
      'in QUICK-MODE*',
      'out QUICK-MODE*',
      'in QUICK-MODE*',
    ]);
    expect(log).toEqual(expect.arrayContaining([expect.stringContaining('[IKE] respond ISAKMP phase to 127.0.0.1'), expect.stringContaining('IP Tunnel[1] Up')]));

    const opened = openEspChannel(result, { innerAddress: '192.168.10.1' });
    if (!opened.ok) throw new Error(opened.problem.text);
    const report = await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 3, intervalMs: 20, timeoutMs: 1000 });
    expect(report.results.map((echo) => echo.kind)).toEqual(['reply', 'reply', 'reply']);
  });

  it('fails at message 6 with a different pre-shared key, and the router logs why', async () => {
    const { running, log } = await router(SITE_TO_SITE_CONFIG);
    const result = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: running.listening!.ike.port, natTPort: running.listening!.natt.port },
      local: { address: '127.0.0.1' },
      tunnel: { ...SITE_CLIENT, phase1: { ...SITE_CLIENT.phase1, preSharedKey: Buffer.from('WRONGKEY') } },
      timing: FAST_TUNNEL_TIMING,
    });
    expect(result.outcome).toBe('failed');
    if (result.outcome !== 'failed') return;
    expect(result.failure).toMatchObject({ step: 'phase1', kind: 'notify-received' });
    expect(log).toEqual(expect.arrayContaining([expect.stringContaining('[IKE] message 5 does not decrypt, pre-shared key may differ (127.0.0.1)')]));
  });

  it('gets no answer in Main Mode from the seed config, whose only gateway is `remote address any`', async () => {
    const { running, log } = await router(siteToSiteConfig({ ...SITE_TO_SITE, remoteAddress: 'any' }));
    const result = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: running.listening!.ike.port, natTPort: running.listening!.natt.port },
      local: { address: '127.0.0.1' },
      tunnel: SITE_CLIENT,
      timing: FAST_TUNNEL_TIMING,
    });
    expect(result.outcome === 'failed' && result.failure).toMatchObject({ step: 'phase1', kind: 'notify-received', notifies: [expect.objectContaining({ name: 'NO-PROPOSAL-CHOSEN' })] });
    expect(log).toEqual(expect.arrayContaining([expect.stringContaining('[IKE] no gateway for 127.0.0.1 (Main Mode needs ipsec ike remote address)')]));
  });
});
