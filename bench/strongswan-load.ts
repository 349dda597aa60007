/**
 * rtxlab against strongSwan 5.9 as the gateway (issue 14 point 3): the same load generator
 * (`rtxlab connect --count N --concurrency C --json`, in the interop lab's client namespace)
 * against a strongSwan responder shaped like the seed's RTX (Aggressive Mode PSK, XAUTH, mode-cfg
 * push, 3DES/SHA1/MODP1024; test/interop/peers/rtx-shaped.ts) and then against `rtxlab start` on
 * the seed's config, each in the lab's router namespace with the same wide pool. Reports both
 * rates, p99 latency, each gateway's CPU per handshake (from /proc: charon's threads, rtxlab's
 * process), the generator's own CPU per handshake beside it, and the ratio. Each gateway takes
 * the load twice: the first run includes what a fresh process does once (rtxlab's JIT compiling
 * its hot paths, charon's first allocations), the second is the steady state the target is judged
 * on. Needs root and Debian's strongSwan (scripts/install-peers.sh); otherwise the row says why
 * it was skipped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interopSkipReason, startStrongSwanResponder, withLab, type Daemon, type Lab } from '../test/interop/lab/index.js';
import { RTX_LAN_ADDRESS, rtxStrongSwanResponder } from '../test/interop/peers/rtx-shaped.js';
import { LOAD_CONFIG } from './handshake-load.js';
import type { BenchReport, BenchRow } from './run.js';
import { sourceCliArgv } from './support/source-cli.js';

const WIDE_POOL = '10.1.1.110-10.1.1.250';
const COUNT = 100;
const CONCURRENCY = 10;
const RUN_BOUND_MS = 180_000;

interface LoadFigures {
  readonly established: number;
  readonly handshakesPerSecond: number;
  readonly p99Ms?: number;
  readonly gatewayCpuMs: number;
  /** The load generator's own CPU per established handshake: when it nears a core's worth, the generator is the limit. */
  readonly generatorCpuPerHandshakeMs?: number;
}

/** utime + stime of a process (every thread), in milliseconds. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of stat
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function loadAgainst(lab: Lab, gateway: Daemon): Promise<LoadFigures> {
  const pid = gateway.pid!;
  const before = cpuMsOf(pid);
  const run = await lab.client.run(sourceCliArgv(['connect', lab.router.address, '--count', String(COUNT), '--concurrency', String(CONCURRENCY), '--json']), { timeoutMs: RUN_BOUND_MS });
  const gatewayCpuMs = cpuMsOf(pid) - before;
  const report = JSON.parse(run.stdout) as { established: number; handshakesPerSecond: number; latency?: { p99Ms: number }; generatorCpuPerHandshakeMs?: number };
  return {
    established: report.established,
    handshakesPerSecond: report.handshakesPerSecond,
    ...(report.latency ? { p99Ms: report.latency.p99Ms } : {}),
    gatewayCpuMs,
    ...(report.generatorCpuPerHandshakeMs === undefined ? {} : { generatorCpuPerHandshakeMs: report.generatorCpuPerHandshakeMs }),
  };
}

export default async function strongSwanLoadBench(): Promise<BenchReport> {
  const skip = interopSkipReason();
  if (skip !== undefined) return { name: 'strongswan-load', rows: [{ metric: 'rtxlab vs strongSwan 5.9', value: `skipped: ${skip}` }] };
  const figures = await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
    const charon = await startStrongSwanResponder(lab.router, lab.path('strongswan'), rtxStrongSwanResponder({ poolAddresses: WIDE_POOL }));
    const strongSwan = [await loadAgainst(lab, charon.daemon), await loadAgainst(lab, charon.daemon)] as const;
    await charon.daemon.stop();
    const configPath = join(lab.path(), 'rtxlab.conf');
    writeFileSync(configPath, LOAD_CONFIG);
    const rtxlab = lab.router.spawn(sourceCliArgv(['start', '--config', configPath, '--bind', lab.router.address, '--half-open-total', '1000']));
    await rtxlab.waitForOutput(/rtxlab: listening on UDP/, 30_000);
    const ours = [await loadAgainst(lab, rtxlab), await loadAgainst(lab, rtxlab)] as const;
    await rtxlab.stop();
    return { strongSwan, ours };
  });
  const perHandshake = (f: LoadFigures) => f.gatewayCpuMs / Math.max(1, f.established);
  const row = (name: string, f: LoadFigures): BenchRow => ({
    metric: `${name}: ${f.established} of ${COUNT} at concurrency ${CONCURRENCY}`,
    value: `${f.handshakesPerSecond.toFixed(1)} handshakes/s; p99 ${f.p99Ms === undefined ? 'n/a' : `${f.p99Ms.toFixed(0)} ms`}; gateway CPU ${perHandshake(f).toFixed(2)} ms/handshake; generator CPU ${f.generatorCpuPerHandshakeMs === undefined ? 'n/a' : `${f.generatorCpuPerHandshakeMs.toFixed(2)} ms/handshake`}`,
  });
  const ratioOf = (run: 0 | 1) => figures.ours[run].handshakesPerSecond / Math.max(1e-9, figures.strongSwan[run].handshakesPerSecond);
  const cpuRatioOf = (run: 0 | 1) => perHandshake(figures.strongSwan[run]) / Math.max(1e-9, perHandshake(figures.ours[run]));
  const [, steadySwan] = figures.strongSwan;
  const [, steadyOurs] = figures.ours;
  const p99Ok = steadyOurs.p99Ms !== undefined && steadySwan.p99Ms !== undefined && steadyOurs.p99Ms <= steadySwan.p99Ms;
  const runs = ['first run', 'second run'] as const;
  return {
    name: 'strongswan-load',
    rows: [
      ...runs.flatMap((run, index) => [row(`strongSwan 5.9 (RTX-shaped responder), ${run}`, figures.strongSwan[index]!), row(`rtxlab (seed config, wide pool), ${run}`, figures.ours[index]!)]),
      ...runs.map((run, index) => ({ metric: `rtxlab / strongSwan, ${run}: handshakes/s; gateway CPU per handshake (strongSwan's / rtxlab's)`, value: `${ratioOf(index as 0 | 1).toFixed(2)}x; ${cpuRatioOf(index as 0 | 1).toFixed(2)}x` })),
    ],
    target: { description: 'rtxlab >= 3x strongSwan handshakes/s with a p99 no worse (second run)', met: ratioOf(1) >= 3 && p99Ok },
  };
}
