// `rtxlab start --events ndjson` driven from the shell harness of examples/ (what a C, Go or
// Python test suite does): wait for `listening`, connect a client, see `tunnel-up`, stop.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { ensureBuilt } from './built-cli.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('rtxlab start --events ndjson', () => {
  it('examples/ndjson-harness.sh sees listening first, then tunnel-up with the lease and SPIs', () => {
    const run = spawnSync('bash', [join(repoRoot, 'examples', 'ndjson-harness.sh')], {
      cwd: '/',
      env: { ...process.env, RTXLAB: `${process.execPath} ${join(repoRoot, 'bin', 'rtxlab.js')}` },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const event = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { type: string; tunnelId: number; sa: { internalAddress: string; inboundSpi: string; outboundSpi: string } };
    expect(event).toMatchObject({ type: 'tunnel-up', tunnelId: 1, sa: { internalAddress: '10.1.1.110' } });
    expect(event.sa.inboundSpi).toMatch(/^[0-9a-f]{8}$/);
    expect(event.sa.outboundSpi).toMatch(/^[0-9a-f]{8}$/);
  });

  it('prints nothing but JSON objects, the first of them `listening`', async () => {
    // Stopped once the boot lines are out (bounded: 60 s), however long a loaded machine takes to start it.
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'rtxlab.js'), 'start', '--ike-port', '0', '--natt-port', '0', '--events', 'ndjson'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    await new Promise<void>((resolve) => {
      const bound = setTimeout(() => child.kill('SIGTERM'), 60_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.split('\n').length > 4) child.kill('SIGTERM');
      });
      child.once('close', () => {
        clearTimeout(bound);
        resolve();
      });
    });
    const run = { stdout };
    const lines = run.stdout.trim().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { type: string; entry?: { message: string } });
    expect(events[0]!.type).toBe('listening');
    expect(events.slice(1, 4).map((event) => event.entry?.message)).toEqual(['Power-on boot', expect.stringMatching(/^RTX1500 Rev\.8\.03\.75/), expect.stringMatching(/^main: /)]);
  }, 90_000);
});
