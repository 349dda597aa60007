import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildStartCommand } from '../../src/cli/start.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `rtxlab start ARGS` in this process, output captured, stopped by the test. */
function runStart(args: string[]) {
  let stdout = '';
  let stderr = '';
  let stop: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const finished = buildStartCommand({ stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), untilStopped: () => stopped })
    .exitOverride()
    .configureOutput({ writeErr: (text) => (stderr += text), writeOut: (text) => (stdout += text) })
    .parseAsync(['--ike-port', '0', '--natt-port', '0', ...args], { from: 'user' });
  cleanups.push(async () => {
    stop('cleanup');
    await finished.catch(() => {});
  });
  return { finished, stop, out: () => stdout, err: () => stderr };
}

async function eventually(test: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !test(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('rtxlab start --web-port', () => {
  it('serves the web console on --mgmt-bind (127.0.0.1 by default), says where, and closes it at stop', async () => {
    const run = runStart(['--web-port', '0']);
    await eventually(() => run.err().includes('web console on'), 'the web console line');
    const url = /rtxlab: web console on (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(run.err())?.[1];
    expect(url).toBeDefined();
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="terminal">');
    run.stop('SIGTERM');
    await run.finished;
    await expect(fetch(url!)).rejects.toThrow();
  });

  it('is off without --web-port', async () => {
    const run = runStart([]);
    await eventually(() => run.out().includes('rtxlab: listening'), 'listening');
    expect(run.err()).not.toContain('web console');
  });

  it('refuses to start when the web port is taken, saying which', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    const run = runStart(['--web-port', String(port)]);
    await expect(run.finished).rejects.toThrow();
    expect(run.err()).toContain(`rtxlab: web console: cannot listen on TCP 127.0.0.1:${port}`);
  });
});
