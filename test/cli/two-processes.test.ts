import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchConfig, hubConfig } from '../ike-initiator/support/site-to-site-configs.js';
import { ensureBuilt } from './built-cli.js';
import { startRtxlab, stopStartedRtxlabs, until } from './start-process.js';

// Two `rtxlab start` processes, each on its own loopback address and the same ports (each sends
// to the ports it listens on itself), form the site-to-site tunnel by themselves.
const HUB = '127.20.17.2';
const BRANCH = '127.20.17.3';
const PORTS = ['--ike-port', '25600', '--natt-port', '25550'];

let dir = '';

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rtxlab-two-'));
}, 180_000);

afterAll(() => {
  stopStartedRtxlabs();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `rtxlab start` on a config written for it, and collects its output (the router log). */
function startProcess(name: string, text: string, bind: string) {
  const file = join(dir, `${name}.cfg`);
  writeFileSync(file, text);
  return startRtxlab(['--config', file, '--bind', bind, ...PORTS, '--no-hints']);
}

describe('two rtxlab start processes (--bind 127.20.17.2 / 127.20.17.3)', () => {
  it('form the site-to-site tunnel by themselves', async () => {
    const hub = startProcess('hub', hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB);
    await until(() => hub.output().includes('starts'), 15_000);
    const branch = startProcess('branch', branchConfig({ hubAddress: HUB, branchAddress: BRANCH }), BRANCH);
    await until(() => branch.output().includes('IP Tunnel[1] Up') && hub.output().includes('IP Tunnel[1] Up'), 20_000);
    expect(branch.output()).toContain(`[IKE] initiate ISAKMP phase to ${HUB} (local address ${BRANCH})`);
    expect(branch.output()).toContain('IP Tunnel[1] Up');
    expect(hub.output()).toContain(`[IKE] respond IPsec phase to ${BRANCH}`);
    expect(hub.output()).toContain('IP Tunnel[1] Up');
  }, 60_000);
});
