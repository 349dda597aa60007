/**
 * `rtxlab start --config examples/site-to-site/a.conf` and `... b.conf` as two processes, each
 * on its own loopback address (127.0.0.2 / 127.0.0.3, the examples' addresses): they form the
 * tunnel by themselves (auto refresh, Main Mode), and when B's process ends, A's DPD keepalive
 * (10 s, 3 tries, as the examples set it) takes the tunnel down in real time. Unprivileged ports
 * here; the README runs them on 500/4500. NAT-T is off in the examples, so ESP is raw (root).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { ensureBuilt } from './built-cli.js';

const PORTS = ['--ike-port', '27600', '--natt-port', '27550'];
const children: ChildProcess[] = [];

beforeAll(() => {
  ensureBuilt();
}, 180_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});

function startExample(name: string, bind: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'rtxlab.js'), 'start', '--config', join('examples', 'site-to-site', name), '--bind', bind, ...PORTS, '--no-hints'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > timeoutMs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
