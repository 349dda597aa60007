/**
 * Router CPU per full remote-access handshake (issue 14, point 1): the router runs in a process
 * of its own (bench/support/router-process.ts) on the seed config; the bundled client in this
 * process runs N handshakes one after the other (Aggressive Mode, XAUTH, mode-cfg push, Quick
 * Mode, Deletes). The router's `process.cpuUsage()` before and after gives its CPU per handshake;
 * the same process measures one MODP-1024 key pair + shared secret (the DH work a handshake must
 * do), and the bench reports the ratio, with the seed's `syslog debug on` and with it off.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectClient, DEFAULT_CONFIG_TEXT } from '../src/index.js';
import type { BenchReport, BenchRow } from './run.js';

const HANDSHAKES = 60;
const DH_ROUNDS = 200;
const TARGET_RATIO = 3;

type Reply = { type: 'listening'; listening: { ike: { address: string; port: number }; natt: { address: string; port: number } } } | { type: 'cpu'; cpu: NodeJS.CpuUsage } | { type: 'dh'; micros: number } | { type: 'stopped' };

function ask<T extends Reply['type']>(child: ChildProcess, request: object, type: T): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`router process: no ${type} within 30 s`)), 30_000);
    const onMessage = (reply: Reply) => {
      if (reply.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply as Extract<Reply, { type: T }>);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

async function measure(config: string): Promise<{ routerMicros: number; dhMicros: number; failed: number }> {
  const child = fork(fileURLToPath(new URL('./support/router-process.ts', import.meta.url)), [], {
    execArgv: ['--openssl-legacy-provider', '--import', 'tsx', ...(process.env.RTXLAB_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RTXLAB_BENCH_PROFILE}`] : [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const { listening } = await ask(child, { type: 'start', config }, 'listening');
    // One handshake first: lazily built tables and JIT warm-up are not per-handshake work.
    await connectClient({ gateway: listening, whenEstablished: 'delete', confirmation: 'skip' });
    const before = (await ask(child, { type: 'cpu' }, 'cpu')).cpu;
    let failed = 0;
    for (let index = 0; index < HANDSHAKES; index++) {
      const result = await connectClient({ gateway: listening, whenEstablished: 'delete', confirmation: 'skip' });
      if (result.outcome !== 'established') failed++;
    }
    // Let the router finish the last Deletes before reading its clock.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = (await ask(child, { type: 'cpu' }, 'cpu')).cpu;
    const routerMicros = (after.user - before.user + after.system - before.system) / HANDSHAKES;
    const { micros: dhMicros } = await ask(child, { type: 'dh', rounds: DH_ROUNDS }, 'dh');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await ask(child, { type: 'stop' }, 'stopped');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    return { routerMicros, dhMicros, failed };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

export default async function handshakeCpuBench(): Promise<BenchReport> {
  const rows: BenchRow[] = [{ metric: 'handshakes per run', value: `${HANDSHAKES}, one at a time, seed config, bundled client yms-vpn1, router in its own process` }];
  let met = true;
  for (const [label, config] of [
    ['debug log on (seed)', DEFAULT_CONFIG_TEXT],
    ['debug log off', DEFAULT_CONFIG_TEXT.replace('syslog debug on', 'syslog debug off')],
  ] as const) {
    const { routerMicros, dhMicros, failed } = await measure(config);
    const ratio = routerMicros / dhMicros;
    met &&= ratio <= TARGET_RATIO && failed === 0;
    rows.push(
      { metric: `${label}: router CPU per handshake`, value: `${(routerMicros / 1000).toFixed(2)} ms${failed > 0 ? ` (${failed} failed)` : ''}` },
      { metric: `${label}: MODP-1024 key pair + secret (same process)`, value: `${(dhMicros / 1000).toFixed(3)} ms` },
      { metric: `${label}: router / DH`, value: `${ratio.toFixed(1)}x` },
    );
  }
  return { name: 'handshake-cpu', rows, target: { description: `router CPU per full handshake <= ${TARGET_RATIO}x its DH work`, met } };
}
