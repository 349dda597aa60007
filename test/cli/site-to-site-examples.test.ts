/**
 * `rtxlab start --config examples/site-to-site/a.conf` and `... b.conf` as two processes, each
 * on its own loopback address (127.0.0.2 / 127.0.0.3, the examples' addresses): they form the
 * tunnel by themselves (auto refresh, Main Mode), and when B's process ends, A's DPD keepalive
 * (10 s, 3 tries, as the examples set it) takes the tunnel down in real time. Unprivileged ports
 * here; the README runs them on 500/4500. NAT-T is off in the examples, so ESP is raw (root).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './built-cli.js';
import { startRtxlab, stopStartedRtxlabs, until } from './start-process.js';

const PORTS = ['--ike-port', '27600', '--natt-port', '27550'];

beforeAll(() => {
  ensureBuilt();
}, 180_000);

afterAll(() => stopStartedRtxlabs());

function startExample(name: string, bind: string) {
  return startRtxlab(['--config', join('examples', 'site-to-site', name), '--bind', bind, ...PORTS, '--no-hints']);
}

describe('the site-to-site examples as two rtxlab start processes', () => {
  it('come up by themselves, and A logs the tunnel down once B has gone', async () => {
    const a = startExample('a.conf', '127.0.0.2');
    await until(() => a.output().includes('starts'), 15_000);
    const b = startExample('b.conf', '127.0.0.3');
    await until(() => a.output().includes('IP Tunnel[1] Up') && b.output().includes('IP Tunnel[1] Up'), 20_000);
    expect(a.output()).toContain('[IKE] initiate ISAKMP phase to 127.0.0.3 (local address 127.0.0.2)');
    expect(b.output()).toContain('[IKE] initiate ISAKMP phase to 127.0.0.2 (local address 127.0.0.3)');
    expect(b.output()).toContain('IP Tunnel[1] Up');
    expect(a.output()).toContain('IP Tunnel[1] Up');

    b.child.kill('SIGTERM');
    await until(() => a.output().includes('IP Tunnel[1] Down'), 55_000);
    expect(a.output()).toMatch(/\[IKE\] 127\.0\.0\.3 does not answer \(keepalive dpd: no answer for 3 x 10 s\)/);
    expect(a.output()).toContain('IP Tunnel[1] Down');
  }, 120_000);
});
