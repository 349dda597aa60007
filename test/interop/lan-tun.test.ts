/**
 * A real LAN behind rtxlab (`--lan-tun`): rtxlab in the lab's router namespace creates a TUN
 * device, the test gives it 10.1.1.20/24 and starts an HTTP server on that address; a strongSwan
 * 5.9 client in the client namespace connects as the seed's client (10.1.1.110) and fetches the
 * page through the tunnel. Nothing else answers 10.1.1.20: the page can only come through the
 * tunnel, rtxlab's data plane and the TUN device.
 */
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { assertLabPrerequisites, interopSkipReason, startStrongSwanClient, withLab } from './lab/index.js';
import { rtxlabArgv } from './lab/rtxlab.js';
import { RTX_FIRST_POOL_ADDRESS, rtxStrongSwanClient } from './peers/rtx-shaped.js';

const LAN_SERVER = '10.1.1.20';
const PAGE = 'served from the LAN behind rtxlab';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();
const suiteName = `a real LAN behind rtxlab (--lan-tun) with a strongSwan 5.9 client${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`;

describe.skipIf(skipReason !== undefined)(suiteName, () => {
  beforeAll(() => assertLabPrerequisites());

  it('the client fetches a page from an HTTP server on the TUN side of rtxlab, through the tunnel', async () => {
    await withLab({}, async (lab) => {
      const configFile = lab.path('rtx.conf');
      writeFileSync(configFile, DEFAULT_CONFIG_TEXT);
      const rtxlab = lab.router.spawn(rtxlabArgv(['start', '--bind', lab.router.address, '--config', configFile, '--lan-tun', 'rtxlan0']));
      await lab.router.waitForUdpListener(500);
      await lab.router.runChecked(['ip', 'address', 'add', `${LAN_SERVER}/24`, 'dev', 'rtxlan0']);
      await lab.router.runChecked(['ip', 'link', 'set', 'rtxlan0', 'up']);
      const server = `require('node:http').createServer((q, r) => r.end(${JSON.stringify(PAGE)})).listen(8080, ${JSON.stringify(LAN_SERVER)}, () => console.log('serving'))`;
      const http = lab.router.spawn([process.execPath, '-e', server]);
      await http.waitForOutput(/serving/, 10_000);

      const client = await startStrongSwanClient(lab.client, lab.path('client'), rtxStrongSwanClient());
      expect((await client.initiate('rtx', { timeoutMs: 20_000 })).exitCode, rtxlab.output()).toBe(0);
      expect(await client.virtualIps()).toEqual([RTX_FIRST_POOL_ADDRESS]);

      const fetchPage = `fetch('http://${LAN_SERVER}:8080/', { signal: AbortSignal.timeout(10000) }).then((r) => r.text()).then((t) => console.log(t), (e) => { console.error(String(e)); process.exit(1); })`;
      const fetched = await lab.client.run([process.execPath, '-e', fetchPage], { timeoutMs: 20_000 });
      expect(fetched.stdout.trim(), `${fetched.stderr}\n${rtxlab.output()}`).toBe(PAGE);
      const [ikeSa] = await client.listSas();
      expect(ikeSa?.childSas[0]?.packetsIn).toBeGreaterThan(0);
    });
  }, 90_000);
});
