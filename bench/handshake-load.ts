/**
 * Handshakes under load (issue 14 point 2): the router in a process of its own pinned to core 0,
 * the load generator (`rtxlab connect --count N --concurrency C --json` in its own process) pinned to
 * core 1 (`taskset`; on one core, or without taskset, they share and the table says so). For
 * concurrency 1, 10 and 100: handshakes/s, latency p50/p99, the router's CPU per handshake and the
 * generator's own, and the router's CPU per handshake against the DH work it must do measured in
 * the router's own process (the same-run reference).
 *
 * The config is the seed's with a pool wide enough for 100 tunnels at once (10.1.1.110-250) and
 * the responder's half-open limit raised for load (`half-open total 1000`; rtxlab options, not
 * RTX settings); every handshake is a full tunnel (Aggressive Mode, XAUTH, mode-cfg, Quick Mode)
 * deleted at once.
 */
import { fork, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG_TEXT } from '../src/index.js';
import { askRouterProcess } from './support/ask-router-process.js';
import type { BenchReport, BenchRow } from './run.js';
import { SOURCE_CLI, SOURCE_EXEC_ARGV } from './support/source-cli.js';

export const LOAD_CONFIG = DEFAULT_CONFIG_TEXT.replace('10.1.1.110-10.1.1.112', '10.1.1.110-10.1.1.250');
const RUNS: readonly { readonly concurrency: number; readonly count: number }[] = [
  { concurrency: 1, count: 40 },
  { concurrency: 10, count: 100 },
  { concurrency: 100, count: 200 },
];
const RUN_BOUND_MS = 120_000;
const execArgv = [...SOURCE_EXEC_ARGV];



/** Pins a process (every thread) to one core; false when that cannot be done here. */
function pin(pid: number, core: number): boolean {
  if (availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

interface GeneratorReport {
  readonly established: number;
  readonly failed: number;
  readonly handshakesPerSecond: number;
  readonly latency?: { readonly p50Ms: number; readonly p99Ms: number };
  readonly generatorCpuPerHandshakeMs?: number;
}

function runGenerator(args: readonly string[]): Promise<{ report: GeneratorReport; pinned: boolean }> {
  return new Promise((resolve, reject) => {
    const child = fork(SOURCE_CLI, ['connect', ...args], { execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    const pinned = child.pid !== undefined && pin(child.pid, 1);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill(), RUN_BOUND_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      try {
        resolve({ report: JSON.parse(stdout) as GeneratorReport, pinned });
      } catch {
        reject(new Error(`load generator printed no report: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

export default async function handshakeLoadBench(): Promise<BenchReport> {
  const router = fork(fileURLToPath(new URL('./support/router-process.ts', import.meta.url)), [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const routerPinned = router.pid !== undefined && pin(router.pid, 0);
    const { listening } = await askRouterProcess(router, { type: 'start', config: LOAD_CONFIG, responderLimits: { maxHalfOpenSas: 1_000 } }, 'listening', 30_000);
    const gateway = [`${listening.ike.address}:${listening.ike.port}`, '--natt-port', String(listening.natt.port)];
    // One handshake first: JIT warm-up and lazily built tables are not per-handshake work.
    await runGenerator([...gateway, '--count', '2', '--json']);
    const { micros: dhMicros } = await askRouterProcess(router, { type: 'dh', rounds: 200 }, 'dh', 30_000);
    const rows: BenchRow[] = [];
    let generatorPinned = true;
    for (const { concurrency, count } of RUNS) {
      const before = (await askRouterProcess(router, { type: 'cpu' }, 'cpu', 30_000)).cpu;
      const { report, pinned } = await runGenerator([...gateway, '--count', String(count), '--concurrency', String(concurrency), '--json']);
      generatorPinned &&= pinned;
      await new Promise((resolve) => setTimeout(resolve, 200)); // the last Deletes
      const after = (await askRouterProcess(router, { type: 'cpu' }, 'cpu', 30_000)).cpu;
      const routerMs = (after.user - before.user + after.system - before.system) / 1000 / Math.max(1, report.established);
      const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
      rows.push({
        metric: `concurrency ${concurrency}: ${report.established} of ${count} established`,
        value: [
          `${report.handshakesPerSecond.toFixed(1)} handshakes/s`,
          `p50 ${ms(report.latency?.p50Ms)}, p99 ${ms(report.latency?.p99Ms)}`,
          `router CPU ${routerMs.toFixed(2)} ms/handshake (${(routerMs / (dhMicros / 1000)).toFixed(0)}x DH)`,
          `generator CPU ${ms(report.generatorCpuPerHandshakeMs)}/handshake`,
        ].join('; '),
      });
    }
    rows.unshift(
      { metric: 'placement', value: routerPinned && generatorPinned ? 'router on core 0, generator on core 1 (taskset)' : 'router and generator share the cores (no taskset or one core)' },
      { metric: 'DH work per handshake (router process)', value: `${(dhMicros / 1000).toFixed(3)} ms (MODP-1024 key pair + secret)` },
    );
    const exited = new Promise((resolve) => router.once('exit', resolve));
    await askRouterProcess(router, { type: 'stop' }, 'stopped', 30_000);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    return { name: 'handshake-load', rows };
  } finally {
    if (router.exitCode === null) router.kill();
  }
}
