/**
 * `rtxlab console --telnet-port 0`, run in this process: the terminal's console and a telnet
 * session share one router, and ending the terminal's session closes the telnet listener.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConsoleCommand } from '../../src/cli/console.js';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { ManualClock } from '../../src/router/clock.js';
import { RawClient } from '../console/support/raw-client.js';
import { eventually } from '../router/support/udp-peer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('rtxlab console with --telnet-port', () => {
  it('serves telnet beside the terminal; the administrator held over telnet is refused on the terminal; logging out closes the listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtxlab-console-mgmt-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'router.conf');
    writeFileSync(file, DEFAULT_CONFIG_TEXT.replace('login password *\n', 'login password lab-pass\n'));
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let terminal = '';
    stdout.on('data', (chunk: Buffer) => (terminal += chunk.toString('latin1')));
    let stderr = '';
    const finished = buildConsoleCommand({ clock: new ManualClock(Date.UTC(2026, 11, 5)), stdin, stdout, stderr: (text) => (stderr += text) })
      .exitOverride()
      .parseAsync(['--config', file, '--ike-port', '0', '--natt-port', '0', '--telnet-port', '0'], { from: 'user' });
    cleanups.push(async () => {
      stdin.end();
      await finished.catch(() => undefined);
    });
    await eventually(() => /telnet console on TCP 127\.0\.0\.1:\d+/.test(stderr), 10_000);
    const port = Number(/telnet console on TCP 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
    const telnet = await RawClient.open(port);
    cleanups.push(() => telnet.close());
    await telnet.untilText(/Password: $/);
    telnet.send('lab-pass\r\n');
    await telnet.untilText(/> $/);
    telnet.send('administrator\r\n');
    await telnet.untilText(/# $/);

    stdin.write('lab-pass\nadministrator\n');
    await eventually(() => terminal.includes('Other user logged in by telnet'), 5000);
    stdin.end();
    await finished;
    await telnet.until((client) => client.closed, 5000);
    await expect(RawClient.open(port)).rejects.toThrow(/ECONNREFUSED/);
  }, 20_000);
});
