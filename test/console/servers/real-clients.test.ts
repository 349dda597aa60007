/**
 * Debian's `telnet` and OpenSSH's `ssh` (through `sshpass`) reach the console of a running router
 * while the bundled client holds a tunnel: log in, `show ipsec sa` shows the client's SAs; and a
 * script does what RTX automation tools (netmiko and the like) do, over both, with nothing in the
 * answer but the RTX's text. Skipped outside CI when the client programs are missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../../src/config/default-config.js';

import type { OpenTunnel } from '../../../src/initiator/tunnel-session.js';
import { loadOrCreateHostKey } from '../../../src/console/servers/ssh-host-key.js';
import { startSshServer } from '../../../src/console/servers/ssh-server.js';
import type { ManagementServer } from '../../../src/console/servers/management-server.js';
import { startTelnetServer } from '../../../src/console/servers/telnet-server.js';
import { startWithClientConnected, testRouter, type TestRouter } from '../support/routers.js';
import { programMissing, SpawnedClient } from '../support/spawned-client.js';

const CONFIG = DEFAULT_CONFIG_TEXT.replace('login password *\n', 'login password lab-pass\nadministrator password admin-pass\nsshd service on\n');
const PROMPT = /[>#] $/;

const telnetMissing = process.env.CI !== 'true' && programMissing('telnet');
const sshMissing = process.env.CI !== 'true' && (programMissing('ssh') || programMissing('sshpass'));

let test: TestRouter;
let tunnel: OpenTunnel | undefined;
let telnetd: ManagementServer;
let sshd: ManagementServer;
const keyDir = mkdtempSync(join(tmpdir(), 'rtxlab-real-clients-'));
const clients: SpawnedClient[] = [];

beforeAll(async () => {
  test = testRouter(CONFIG);
  ({ tunnel } = await startWithClientConnected(test));
  telnetd = await startTelnetServer({ router: test.router, host: '127.0.0.1', port: 0, clock: test.clock });
  const hostKey = loadOrCreateHostKey(join(keyDir, 'host_key')).privateKey;
  sshd = await startSshServer({ router: test.router, host: '127.0.0.1', port: 0, clock: test.clock, hostKey });
}, 30_000);

afterEach(() => {
  for (const client of clients.splice(0)) client.kill();
});

afterAll(async () => {
  await tunnel?.close();
  await telnetd?.close();
  await sshd?.close();
  await test?.dispose();
  rmSync(keyDir, { recursive: true, force: true });
});

function telnetClient(): SpawnedClient {
  const client = new SpawnedClient('telnet', ['127.0.0.1', String(telnetd.port)]);
  clients.push(client);
  return client;
}

function sshClient(): SpawnedClient {
  const client = new SpawnedClient('sshpass', [
    '-p', 'lab-pass',
    'ssh', '-tt', '-p', String(sshd.port),
    '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
    '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password',
    'user@127.0.0.1',
  ]);
  clients.push(client);
  return client;
}

/** What an automation tool does once at a prompt; returns `show config`'s answer up to the next prompt. */
async function automationShowConfig(client: SpawnedClient): Promise<string> {
  await client.until(PROMPT, client.line('console lines infinity'));
  await client.until(/Password: $/, client.line('administrator'));
  await client.until(/# $/, client.line('admin-pass'));
  const from = client.line('show config');
  const answer = await client.until(/\r\n# $/, from);
  client.line('quit');
  return answer;
}

/** `show config` as the console prints it: the command echoed, the text in CR LF lines, the prompt. */
function expectedShowConfig(): string {
  const lines = test.router.showConfig().replace(/\n$/, '').split('\n');
  return `show config\r\n${lines.join('\r\n')}\r\n# `;
}

describe.skipIf(telnetMissing)(`Debian telnet${telnetMissing ? ' (SKIPPED: telnet not installed)' : ''}`, () => {
  it('logs in and sees the bundled client\'s SAs in `show ipsec sa`', async () => {
    const client = telnetClient();
    await client.until(/Password: $/);
    await client.until(PROMPT, client.line('lab-pass'));
    const answer = await client.until(PROMPT, client.line('show ipsec sa'));
    expect(answer).toMatch(/Total: isakmp:1 send:1 recv:1/);
    expect(answer).toMatch(/tun\[001\]esp\s+recv/);
    client.line('exit');
  }, 20_000);

  it('serves an automation script unchanged: prompt, console lines infinity, administrator, show config', async () => {
    const client = telnetClient();
    await client.until(/Password: $/);
    await client.until(PROMPT, client.line('lab-pass'));
    expect(await automationShowConfig(client)).toBe(expectedShowConfig());
  }, 20_000);
});

describe.skipIf(sshMissing)(`OpenSSH ssh${sshMissing ? ' (SKIPPED: ssh or sshpass not installed)' : ''}`, () => {
  it('logs in with the login password and sees the bundled client\'s SAs in `show ipsec sa`', async () => {
    const client = sshClient();
    await client.until(PROMPT);
    const answer = await client.until(PROMPT, client.line('show ipsec sa'));
    expect(answer).toMatch(/Total: isakmp:1 send:1 recv:1/);
    expect(answer).toMatch(/tun\[001\]esp\s+send/);
    client.line('exit');
  }, 20_000);

  it('serves an automation script unchanged: prompt, console lines infinity, administrator, show config', async () => {
    const client = sshClient();
    await client.until(PROMPT);
    expect(await automationShowConfig(client)).toBe(expectedShowConfig());
  }, 20_000);
});
