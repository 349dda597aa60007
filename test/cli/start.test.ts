import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildStartCommand, type StartDependencies } from '../../src/cli/start.js';
import { ManualClock } from '../../src/router/clock.js';
import { eventually, UdpPeer } from '../router/support/udp-peer.js';
import { repoRoot } from '../support/paths.js';
import { processAggressive2 } from '../../src/initiator/index.js';
import { clientMessage1 } from '../ike-responder/support.js';

/** 2008/10/01 12:28:06 JST. */
const START = Date.UTC(2008, 9, 1, 3, 28, 6);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtxlab-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `rtxlab start ARGS` in this process with captured output and a stop button. */
function runStart(args: string[], deps: Partial<StartDependencies> = {}) {
  let stdout = '';
  let stderr = '';
  let stop: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const command = buildStartCommand({
    clock: new ManualClock(START),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    untilStopped: () => stopped,
    ...deps,
  })
    .exitOverride()
    .configureOutput({ writeErr: (text) => (stderr += text), writeOut: (text) => (stdout += text) });
  const finished = command.parseAsync(args, { from: 'user' });
  cleanups.push(async () => {
    stop('cleanup');
    await finished.catch(() => {});
  });
  const ports = async () => {
    await eventually(() => stdout.includes('rtxlab: listening'));
    const match = /listening on UDP 127\.0\.0\.1:(\d+) \(IKE\) and 127\.0\.0\.1:(\d+) \(NAT-T\)/.exec(stdout);
    if (!match) throw new Error(`no listening line in ${stdout}`);
    return { ike: Number(match[1]), natt: Number(match[2]) };
  };
  return { finished, stop, ports, out: () => stdout, err: () => stderr };
}

async function peer() {
  const p = await UdpPeer.open();
  cleanups.push(() => p.close());
  return p;
}

describe('rtxlab start', () => {
  it('logs the RTX boot lines, says where it listens, and stops cleanly', async () => {
    const run = runStart(['--ike-port', '0', '--natt-port', '0'], { defaultConfig: '' });
    const ports = await run.ports();
    const lines = run.out().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '2008/10/01 12:28:06: Power-on boot',
      '2008/10/01 12:28:06: RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008) starts',
    ]);
    expect(lines[2]).toMatch(/^2008\/10\/01 12:28:06: main:  RTX1500 ver=d0 serial=\S+ MAC-Address=/);
    expect(lines[3]).toBe(`rtxlab: listening on UDP 127.0.0.1:${ports.ike} (IKE) and 127.0.0.1:${ports.natt} (NAT-T)`);
    run.stop('SIGTERM');
    await run.finished;
    expect(run.out()).toContain('rtxlab: stopped (SIGTERM)');
    const reuse = await UdpPeer.open(ports.ike); // the port is free again
    await reuse.close();
  });

  it('answers Aggressive Mode message 1 with the RTX responder by default, and logs it', async () => {
    const run = runStart(['--ike-port', '0', '--natt-port', '0']);
    const ports = await run.ports();
    const client = await peer();
    const message1 = clientMessage1();
    await client.send(message1.bytes, ports.ike);
    const reply = await client.receive();
    const processed = processAggressive2(message1.state, reply.bytes, {
      local: { address: '127.0.0.1', port: client.port },
      remote: { address: '127.0.0.1', port: ports.ike },
    });
    expect(processed.ok).toBe(true); // HASH_R verified with the seed's key PSKEY1
    await eventually(() => run.out().includes('respond ISAKMP phase'));
    expect(run.out()).toContain(`2008/10/01 12:28:06: [IKE] respond ISAKMP phase to 127.0.0.1`);
  });

  it('--demo connects the bundled client to the router it started and pings 10.1.1.1 through the tunnel', async () => {
    const run = runStart(['--ike-port', '0', '--natt-port', '0', '--demo']);
    await run.ports();
    await eventually(() => run.out().includes('packet loss'), 10_000);
    expect(run.out()).toContain('ESTABLISHED');
    expect(run.out()).toMatch(/virtual IP {2}10\.1\.1\.110/);
    expect(run.out()).toContain('3 packets transmitted, 3 received, 0% packet loss');
    expect(run.out()).toContain('IP Tunnel[1] Up');
  });

  it('builds the router from the --config file and follows its syslog switches', async () => {
    const file = join(tempDir(), 'config.txt');
    writeFileSync(file, 'console character ascii\nsyslog debug on\n');
    const run = runStart(['--config', file, '--ike-port', '0', '--natt-port', '0']);
    const ports = await run.ports();
    const client = await peer();
    // Marked IKE on the NAT-T port but too short for a header: the responder's debug line says so.
    await client.send(Buffer.from('00000000aabbcc', 'hex'), ports.natt);
    await eventually(() => run.out().includes('[IKE]'));
    expect(run.out()).toMatch(/2008\/10\/01 12:28:06: \[IKE\] .*127\.0\.0\.1/);
    // A config with no gateway starts, with the warning that no client can connect.
    expect(run.err()).toBe('rtxlab: warning: no enabled gateway: no tunnel with IKE settings is enabled (`tunnel enable N`); every client will fail\n');
  });

  it('uses the embedded seed config without --config: it answers the seed client (ID myid, PSK PSKEY1)', async () => {
    const run = runStart(['--ike-port', '0', '--natt-port', '0']);
    const ports = await run.ports();
    expect(run.err()).toBe('');
    const client = await peer();
    const message1 = clientMessage1();
    await client.send(message1.bytes, ports.ike);
    const reply = await client.receive();
    expect(reply.bytes.length).toBeGreaterThan(28);
  });

  it('without `syslog debug on`, keeps debug lines off stdout', async () => {
    const run = runStart(['--ike-port', '0', '--natt-port', '0'], { defaultConfig: '' });
    const ports = await run.ports();
    const client = await peer();
    await client.send(Buffer.from('01', 'hex'), ports.ike);
    await client.send(Buffer.from('00000000aabbcc', 'hex'), ports.natt);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(run.out()).not.toContain('[IKE]');
  });

  it("stamps log lines in the config's timezone", async () => {
    const run = runStart(['--ike-port', '0', '--natt-port', '0'], { defaultConfig: 'timezone utc\n' });
    await run.ports();
    expect(run.out()).toContain('2008/10/01 03:28:06: Power-on boot');
  });

  it('reports config lines the reader skipped, with file and line number, and runs anyway', async () => {
    const file = join(tempDir(), 'config.txt');
    writeFileSync(file, 'syslog debug on\nfrobnicate the router\n');
    const run = runStart(['--config', file, '--ike-port', '0', '--natt-port', '0']);
    await run.ports();
    expect(run.err()).toContain(`rtxlab: ${file}: 2 lines read: 1 applied`);
    expect(run.err()).toContain('rtxlab:   line 2: frobnicate the router: Error:');
  });

  it('summarises thousands of bad lines in a few, and warns about what makes every client fail', async () => {
    const file = join(tempDir(), 'config.txt');
    writeFileSync(file, Array.from({ length: 5000 }, (_, index) => `frobnicate ${index}`).join('\n'));
    const run = runStart(['--config', file, '--ike-port', '0', '--natt-port', '0']);
    await run.ports();
    expect(run.err()).toContain('5000 lines rejected; the first 5:');
    expect(run.err().split('\n').length).toBeLessThan(20);
    expect(run.err()).toMatch(/rtxlab: warning: .*gateway/);
  });

  it('refuses a file that is not config text, in one sentence', async () => {
    const file = join(tempDir(), 'config.bin');
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256)));
    const run = runStart(['--config', file, '--ike-port', '0', '--natt-port', '0']);
    await expect(run.finished).rejects.toMatchObject({ exitCode: 1 });
    expect(run.err()).toContain(`rtxlab: ${file} is not config text`);
    expect(run.err().split('\n').filter((line) => line.length > 0)).toHaveLength(1);
  });

  it('--strict refuses to start on a rejected line', async () => {
    const file = join(tempDir(), 'config.txt');
    writeFileSync(file, 'syslog debug on\nfrobnicate the router\n');
    const run = runStart(['--config', file, '--ike-port', '0', '--natt-port', '0', '--strict']);
    await expect(run.finished).rejects.toMatchObject({ exitCode: 1 });
    expect(run.err()).toContain('1 line rejected; not starting (strict)');
  });

  it('creates the --keys file at start', async () => {
    const keys = join(tempDir(), 'ikev1_decryption_table');
    const run = runStart(['--ike-port', '0', '--natt-port', '0', '--keys', keys], { defaultConfig: '' });
    await run.ports();
    expect(existsSync(keys)).toBe(true);
    expect(run.out()).toContain(`appending IKE SA keys to ${keys}`);
  });

  it('fails with exit code 1 and the reason when the IKE port is taken', async () => {
    const busy = createSocket('udp4');
    await new Promise<void>((resolve) => busy.bind(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const port = busy.address().port;
    const run = runStart(['--ike-port', String(port), '--natt-port', '0'], { defaultConfig: '' });
    const failure = await run.finished.then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(CommanderError);
    expect((failure as CommanderError).exitCode).toBe(1);
    expect(run.err()).toContain(`rtxlab: cannot listen on UDP 127.0.0.1:${port} (IKE): the port is already in use`);
    expect(run.err()).toContain('--ike-port');
  });

  it('leaves no signal handlers behind when startup fails', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const missing = join(tempDir(), 'missing.txt');
    const command = buildStartCommand({ stderr: () => {} })
      .exitOverride()
      .configureOutput({ writeErr: () => {} });
    await expect(command.parseAsync(['--config', missing, '--ike-port', '0', '--natt-port', '0'], { from: 'user' })).rejects.toMatchObject({ exitCode: 1 });
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });

  it('fails with exit code 1 when the config file cannot be read', async () => {
    const missing = join(tempDir(), 'missing.txt');
    const run = runStart(['--config', missing, '--ike-port', '0', '--natt-port', '0']);
    await expect(run.finished).rejects.toMatchObject({ exitCode: 1 });
    expect(run.err()).toContain(`rtxlab: cannot read config ${missing}`);
  });

  it.each([
    [['--ike-port', '70000'], /--ike-port.*0-65535/],
    [['--natt-port', 'abc'], /--natt-port.*0-65535/],
    [['--bind', 'localhost'], /--bind.*IPv4 or IPv6 address/],
  ])('refuses bad option values: %j', async (args, message) => {
    const run = runStart(args, { defaultConfig: '' });
    await expect(run.finished).rejects.toBeInstanceOf(CommanderError);
    expect(run.err()).toMatch(message);
  });

  it('defaults to 127.0.0.1, UDP 500 and 4500', () => {
    const command = buildStartCommand();
    const defaults = Object.fromEntries(command.options.map((option) => [option.attributeName(), option.defaultValue]));
    expect(defaults).toMatchObject({ bind: '127.0.0.1', ikePort: 500, nattPort: 4500 });
  });
});

describe('rtxlab start as a process', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops cleanly on %s', async (signal) => {
    const script = `
      const { buildStartCommand } = await import(${JSON.stringify(join(repoRoot, 'src/cli/start.ts'))});
      await buildStartCommand({ defaultConfig: '' }).parseAsync(['--ike-port', '0', '--natt-port', '0'], { from: 'user' });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await eventually(() => stdout.includes('rtxlab: listening'), 15_000);
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(stdout).toContain(`rtxlab: stopped (${signal})`);
    // Only the start-up warning of a config without gateways.
    expect(stderr).toBe('rtxlab: warning: no enabled gateway: no tunnel with IKE settings is enabled (`tunnel enable N`); every client will fail\n');
  });
});
