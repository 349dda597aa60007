/**
 * `rtxlab start --telnet-port / --ssh-port / --mgmt-bind / --ssh-host-key`, run in this process:
 * where the management listeners listen (127.0.0.1 whatever --bind says), the SSH host key kept
 * beside the config, the warning when `sshd service` is off, and the listeners closed at stop.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseManagementPort } from '../../src/cli/management-listeners.js';
import { buildStartCommand } from '../../src/cli/start.js';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { ManualClock } from '../../src/router/clock.js';
import { RawClient } from '../console/support/raw-client.js';
import { eventually } from '../router/support/udp-peer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function configFile(extra = ''): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rtxlab-mgmt-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'router.conf');
  writeFileSync(file, DEFAULT_CONFIG_TEXT.replace('login password *\n', `login password lab-pass\n${extra}`));
  return { dir, file };
}

function runStart(args: string[]) {
  let stdout = '';
  let stop: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const command = buildStartCommand({
    clock: new ManualClock(Date.UTC(2026, 11, 5)),
    stdout: (text) => (stdout += text),
    stderr: () => undefined,
    untilStopped: () => stopped,
  }).exitOverride();
  const finished = command.parseAsync(['--ike-port', '0', '--natt-port', '0', ...args], { from: 'user' });
  cleanups.push(async () => {
    stop('cleanup');
    await finished.catch(() => {});
  });
  return { finished, stop, out: () => stdout };
}

const listenLine = (out: string, service: 'telnet' | 'SSH') => new RegExp(`${service} console on TCP ([\\d.]+):(\\d+)`).exec(out);

describe('rtxlab start management listeners', () => {
  it('listens on 127.0.0.1 whatever --bind is, keeps the SSH host key beside the config, warns that sshd service is off', async () => {
    const { dir, file } = configFile();
    const run = runStart(['--config', file, '--bind', '127.0.0.2', '--telnet-port', '0', '--ssh-port', '0']);
    await eventually(() => listenLine(run.out(), 'SSH') !== null, 10_000);
    expect(listenLine(run.out(), 'telnet')?.[1]).toBe('127.0.0.1');
    expect(listenLine(run.out(), 'SSH')?.[1]).toBe('127.0.0.1');
    const keyPath = join(dir, 'rtxlab_ssh_host_ed25519_key');
    expect(run.out()).toContain(`host key ${keyPath}, generated now`);
    expect(readFileSync(keyPath, 'utf8')).toMatch(/BEGIN OPENSSH PRIVATE KEY/);
    expect(run.out()).toContain('SSH turns every client away until the config has `sshd service on`');
    const client = await RawClient.open(Number(listenLine(run.out(), 'telnet')?.[2]));
    cleanups.push(() => client.close());
    await client.untilText(/Password: $/);
  });

  it('listens on --mgmt-bind and closes the listeners when the router stops', async () => {
    const { file } = configFile('sshd service on\n');
    const run = runStart(['--config', file, '--mgmt-bind', '127.0.0.3', '--telnet-port', '0']);
    await eventually(() => listenLine(run.out(), 'telnet') !== null, 10_000);
    const [, address, port] = listenLine(run.out(), 'telnet') ?? [];
    expect(address).toBe('127.0.0.3');
    run.stop('SIGTERM');
    await run.finished;
    await expect(RawClient.open(Number(port), '127.0.0.3')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('uses a given --ssh-host-key file and generates nothing', async () => {
    const { dir, file } = configFile('sshd service on\n');
    const first = runStart(['--config', file, '--ssh-port', '0', '--ssh-host-key', join(dir, 'my_key')]);
    await eventually(() => listenLine(first.out(), 'SSH') !== null, 10_000);
    expect(first.out()).toContain(`host key ${join(dir, 'my_key')}, generated now`);
    expect(existsSync(join(dir, 'rtxlab_ssh_host_ed25519_key'))).toBe(false);
    first.stop('SIGTERM');
    await first.finished;
    const again = runStart(['--config', file, '--ssh-port', '0', '--ssh-host-key', join(dir, 'my_key')]);
    await eventually(() => listenLine(again.out(), 'SSH') !== null, 10_000);
    expect(again.out()).toContain(`host key ${join(dir, 'my_key')})`);
  });

  it('listens on the `telnetd listen` port with --telnet-port config', async () => {
    const free = await freePort();
    const { file } = configFile(`telnetd listen ${free}\n`);
    const run = runStart(['--config', file, '--telnet-port', 'config']);
    await eventually(() => listenLine(run.out(), 'telnet') !== null, 10_000);
    expect(Number(listenLine(run.out(), 'telnet')?.[2])).toBe(free);
  });

  it('takes a port number or `config` (the telnetd listen / sshd listen port)', () => {
    expect(parseManagementPort('2323')).toBe(2323);
    expect(parseManagementPort('config')).toBe('config');
    expect(() => parseManagementPort('70000')).toThrow();
    expect(() => parseManagementPort('telnet')).toThrow();
  });
});

/** A TCP port free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
