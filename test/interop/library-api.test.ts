/**
 * The library API against a real client: a process in the lab's router namespace imports rtxlab
 * (the built package entry, dist/index.js), starts a router from config text and waits for
 * `tunnel-up` through `waitFor`; strongSwan 5.9 (pull = no) connects from the client namespace.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { assertLabPrerequisites, interopSkipReason, startStrongSwanClient, withLab } from './lab/index.js';
import { rtxStrongSwanClient } from './peers/rtx-shaped.js';
import { repoRoot } from '../support/paths.js';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();

/** The fixture user's script: the router, its `tunnel-up` event as one JSON line, stop. */
function apiScript(bind: string): string {
  return `
const { startRtxRouter } = await import(${JSON.stringify(join(repoRoot, 'dist', 'index.js'))});
const router = await startRtxRouter({ config: { text: ${JSON.stringify(DEFAULT_CONFIG_TEXT)} }, bind: ${JSON.stringify(bind)} });
console.log('listening');
const up = await router.waitFor('tunnel-up', () => true, 60_000);
const lease = router.leases();
console.log(JSON.stringify({ up, lease }));
await router.stop();`;
}

describe.skipIf(skipReason !== undefined)(`the library API with a real strongSwan client${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`, () => {
  beforeAll(() => assertLabPrerequisites());

  it('waitFor(tunnel-up) resolves with the lease and SPIs strongSwan got', async () => {
    await withLab({}, async (lab) => {
      const api = lab.router.spawn([process.execPath, '--openssl-legacy-provider', '--input-type=module', '-e', apiScript(lab.router.address)]);
      await lab.router.waitForUdpListener(500);
      const client = await startStrongSwanClient(lab.client, lab.path('client'), rtxStrongSwanClient({}));
      const initiated = await client.initiate('rtx', { timeoutMs: 20_000 });
      expect(initiated.exitCode).toBe(0);
      expect(await client.virtualIps()).toEqual(['10.1.1.110']);
      const deadline = Date.now() + 10_000;
      while (!api.output().includes('"type":"tunnel-up"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const line = api.output().split('\n').find((text) => text.includes('"type":"tunnel-up"'));
      expect(line, api.output()).toBeDefined();
      const { up, lease } = JSON.parse(line!) as { up: { tunnelId: number; peer: { address: string }; sa: { internalAddress: string; inboundSpi: string } }; lease: { address: string }[] };
      expect(up).toMatchObject({ tunnelId: 1, peer: { address: lab.client.address }, sa: { internalAddress: '10.1.1.110' } });
      expect(up.sa.inboundSpi).toMatch(/^[0-9a-f]{8}$/);
      expect(lease.map((entry) => entry.address)).toEqual(['10.1.1.110']);
    });
  }, 90_000);
});
