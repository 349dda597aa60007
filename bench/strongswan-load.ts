/**
 * rtxlab against strongSwan 5.9 as the gateway (issue 14 point 3): the same load generator
 * (`rtxlab connect --count N --concurrency C --json`, in the interop lab's client namespace)
 * against a strongSwan responder shaped like the seed's RTX (Aggressive Mode PSK, XAUTH, mode-cfg
 * push, 3DES/SHA1/MODP1024; test/interop/peers/rtx-shaped.ts) and then against `rtxlab start` on
 * the seed's config, each in the lab's router namespace with the same wide pool. Reports both
 * rates, p99 latency, each gateway's CPU per handshake (from /proc: charon's threads, rtxlab's
 * process) and the ratio. Needs root and Debian's strongSwan (scripts/install-peers.sh);
 * otherwise the row says why it was skipped.
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
  const report = JSON.parse(run.stdout) as { established: number; handshakesPerSecond: number; latency?: { p99Ms: number } };
  return {
    established: report.established,
    handshakesPerSecond: report.handshakesPerSecond,
    ...(report.latency ? { p99Ms: report.latency.p99Ms } : {}),
    gatewayCpuMs,
  };
}

export default async function strongSwanLoadBench(): Promise<BenchReport> {
  const skip = interopSkipReason();
  if (skip !== undefined) return { name: 'strongswan-load', rows: [{ metric: 'rtxlab vs strongSwan 5.9', value: `skipped: ${skip}` }] };
  const figures = await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
    const charon = await startStrongSwanResponder(lab.router, lab.path('strongswan'), rtxStrongSwanResponder({ poolAddresses: WIDE_POOL }));
    const strongSwan = await loadAgainst(lab, charon.daemon);
    await charon.daemon.stop();
    const configPath = join(lab.path(), 'rtxlab.conf');
    writeFileSync(configPath, LOAD_CONFIG);
    const rtxlab = lab.router.spawn(sourceCliArgv(['start', '--config', configPath, '--bind', lab.router.address, '--half-open-total', '1000']));
    await rtxlab.waitForOutput(/rtxlab: listening on UDP/, 30_000);
    const ours = await loadAgainst(lab, rtxlab);
    await rtxlab.stop();
    return { strongSwan, ours };
  });
  const row = (name: string, f: LoadFigures): BenchRow => ({
    metric: `${name}: ${f.established} of ${COUNT} at concurrency ${CONCURRENCY}`,
    value: `${f.handshakesPerSecond.toFixed(1)} handshakes/s; p99 ${f.p99Ms === undefined ? 'n/a' : `${f.p99Ms.toFixed(0)} ms`}; gateway CPU ${(f.gatewayCpuMs / Math.max(1, f.established)).toFixed(2)} ms/handshake`,
  });
  const ratio = figures.ours.handshakesPerSecond / Math.max(1e-9, figures.strongSwan.handshakesPerSecond);
  const p99Ok = figures.ours.p99Ms !== undefined && figures.strongSwan.p99Ms !== undefined && figures.ours.p99Ms <= figures.strongSwan.p99Ms;
  return {
    name: 'strongswan-load',
    rows: [row('strongSwan 5.9 (RTX-shaped responder)', figures.strongSwan), row('rtxlab (seed config, wide pool)', figures.ours), { metric: 'rtxlab / strongSwan handshakes/s', value: `${ratio.toFixed(2)}x` }],
    target: { description: 'rtxlab >= 3x strongSwan handshakes/s with a p99 no worse', met: ratio >= 3 && p99Ok },
  };
}
