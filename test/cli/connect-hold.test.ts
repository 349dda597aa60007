/**
 * `rtxlab connect --count N --concurrency C --hold [SECONDS]`: the load generator keeps every
 * tunnel it establishes open (the router holds them all at once) until the hold ends, then
 * deletes them; `{n}` in --id (from --id-from) gives each handshake the name `tunnel template`
 * gives its tunnel. In this process, and spread over worker processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConnectCommand } from '../../src/cli/connect.js';
import type { CliIo } from '../../src/cli/io.js';
import { startRtxRouter, type RtxRouter } from '../../src/index.js';
import { eventually } from '../router/support/udp-peer.js';
import { templateTunnelsConfig } from '../support/template-tunnels-config.js';

/** Tunnel 1 (`client`) copied to tunnels 2-6 (`client2` ... `client6`) by `tunnel template`. */
const TEMPLATE_CONFIG = templateTunnelsConfig({ lastTunnel: 6, pool: '10.1.1.110-10.1.1.250', globalLines: ['syslog debug off'] });

let router: RtxRouter;
const tunnelsUp: number[] = [];

beforeAll(async () => {
  router = await startRtxRouter({ config: { text: TEMPLATE_CONFIG }, ikePort: 0, nattPort: 0, hints: false });
  router.on('tunnel-up', (event) => void tunnelsUp.push(event.tunnelId));
});
afterAll(async () => {
  await router?.stop();
});

function connect(args: string[]) {
  const out = { stdout: '', stderr: '', exitCode: undefined as number | undefined };
  const io: CliIo = {
    stdout: (text) => void (out.stdout += text),
    stderr: (text) => void (out.stderr += text),
    readStdin: async () => new Uint8Array(),
    setExitCode: (code) => void (out.exitCode = code),
  };
  const command = buildConnectCommand(io)
    .exitOverride()
    .configureOutput({ writeErr: (text) => void (out.stderr += text), writeOut: (text) => void (out.stdout += text) });
  const gateway = `127.0.0.1:${router.listening!.ike.port}`;
  const finished = command.parseAsync([gateway, '--natt-port', String(router.listening!.natt.port), '--local', '127.0.0.1', ...args], { from: 'user' });
  return { out, finished };
}

/** Runs a held load of 4 tunnels (client2 ... client5) and checks the router holds all 4 while the generator holds them. */
async function heldRun(extra: string[]) {
  tunnelsUp.length = 0;
  let done = false;
  const run = connect(['--count', '4', '--concurrency', '2', '--hold', '3', '--id', 'client{n}', '--id-from', '2', ...extra]);
  void run.finished.then(() => (done = true));
  await eventually(() => router.tableSizes().ipsecSaPairs === 4, 15_000);
  expect(done).toBe(false);
  expect(router.tableSizes()).toMatchObject({ isakmpSas: 4, ipsecSaPairs: 4, leases: 4 });
  expect([...tunnelsUp].sort()).toEqual([2, 3, 4, 5]);
  await run.finished;
  // The generator deleted them at the end of the hold.
  await eventually(() => router.tableSizes().isakmpSas === 0 && router.tableSizes().ipsecSaPairs === 0, 5_000);
  return run.out;
}

describe('rtxlab connect --hold', () => {
  it('keeps 4 tunnels open for the hold, says how long establishing them took, then deletes them', async () => {
    const out = await heldRun([]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^4 of 4 tunnels established in \d+\.\d\d s; holding them open for 3 s \(or until interrupted\)$/m);
    expect(out.stdout).toMatch(/^held 4 tunnels open for 3\.\d s, deleted them in \d+\.\d\d s$/m);
  }, 30_000);

  it('spread over 2 worker processes, each holds its share until released', async () => {
    const out = await heldRun(['--workers', '2', '--json']);
    expect(out.exitCode).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({ mode: 'load', count: 4, established: 4, failed: 0, workers: 2, hold: { held: 4, endedByGateway: 0 } });
    expect(report.hold.heldMs).toBeGreaterThanOrEqual(2_900);
    expect(out.stderr).toMatch(/4 of 4 tunnels established in .* holding them open for 3 s/);
  }, 60_000);
});
