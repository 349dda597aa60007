/**
 * A load run spread over worker processes (`rtxlab connect --count N --concurrency C --workers W`),
 * so the load generator is not the limit of what it measures: each worker runs its share of the
 * handshakes (count and concurrency split as evenly as they go) on its own event loop, and so on
 * its own core when there is one, and sends back its raw sample and the CPU it used; this process
 * merges them into one report whose generator CPU is its own plus the workers'.
 *
 * Processes rather than threads: a worker thread of node 20 cannot load a TypeScript entry through
 * tsx (the tests and benches run the sources), while a forked process can, and a process's CPU is
 * its own to report.
 *
 * The worker's entry module receives a `job` (plain data, sent over IPC) and must turn it into the
 * function that runs one handshake: `serveLoadShare` does the rest on that side.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TunnelSessionResult } from '../initiator/index.js';
import { checkLoadOptions, collectLoadSample, loadReport, mergeLoadSamples, type LoadReport, type LoadSample } from './load.js';

export interface LoadShare {
  readonly count: number;
  readonly concurrency: number;
  /** Index of the share's first handshake in the whole run. */
  readonly firstIndex: number;
}

/** `count` and `concurrency` split over at most `workers` shares; no share is empty. */
export function loadShares(count: number, concurrency: number, workers: number): LoadShare[] {
  const used = Math.min(workers, count);
  const shares: LoadShare[] = [];
  let firstIndex = 0;
  for (let i = 0; i < used; i++) {
    const shareCount = Math.floor(count / used) + (i < count % used ? 1 : 0);
    const shareConcurrency = Math.max(1, Math.floor(concurrency / used) + (i < concurrency % used ? 1 : 0));
    shares.push({ count: shareCount, concurrency: Math.min(shareConcurrency, shareCount), firstIndex });
    firstIndex += shareCount;
  }
  return shares;
}

export interface WorkerLoadOptions {
  readonly count: number;
  readonly concurrency: number;
  readonly workers: number;
  /** The worker's entry module; it calls `serveLoadShare`. */
  readonly entry: URL;
  /** What the entry needs to build one handshake (plain data). */
  readonly job: unknown;
}

/** Parent -> worker. */
interface ShareRequest {
  readonly job: unknown;
  readonly share: LoadShare;
}

/** Worker -> parent. */
type ShareReply = { readonly kind: 'sample'; readonly sample: LoadSample; readonly cpu: NodeJS.CpuUsage } | { readonly kind: 'failed'; readonly text: string };

interface ShareOutcome {
  readonly sample: LoadSample;
  readonly cpuMicros: number;
}

export async function runLoadOnWorkers(options: WorkerLoadOptions): Promise<LoadReport> {
  const problems = checkLoadOptions(options.count, options.concurrency, options.workers);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const shares = loadShares(options.count, options.concurrency, options.workers);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcomes = await Promise.all(shares.map((share) => runShare(options.entry, { job: options.job, share })));
  const wallMs = performance.now() - started;
  const own = process.cpuUsage();
  const workersCpu = outcomes.reduce((sum, outcome) => sum + outcome.cpuMicros, 0);
  return loadReport(mergeLoadSamples(outcomes.map((outcome) => outcome.sample)), {
    count: options.count,
    concurrency: options.concurrency,
    wallMs,
    cpuBefore,
    cpu: { user: own.user + workersCpu, system: own.system },
    workers: shares.length,
  });
}

/** One worker's share; a worker that fails or dies counts its whole share as failed, with its reason. */
function runShare(entry: URL, request: ShareRequest): Promise<ShareOutcome> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(entry), [], { execArgv: workerExecArgv(entry), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (outcome: ShareOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
      if (child.connected) child.disconnect();
    };
    const failedShare = (reason: string): ShareOutcome => ({ sample: { latenciesMs: [], failures: { [`error worker: ${reason}`]: request.share.count } }, cpuMicros: 0 });
    child.once('message', (reply: ShareReply) =>
      settle(reply.kind === 'sample' ? { sample: reply.sample, cpuMicros: reply.cpu.user + reply.cpu.system } : failedShare(reply.text)),
    );
    child.once('error', (error) => settle(failedShare(error.message)));
    child.once('exit', (code, signal) => settle(failedShare(`exited (${signal ?? code}) before reporting`)));
    child.send(request);
  });
}

/**
 * The workers run with --openssl-legacy-provider (single DES is an RTX algorithm) and, for a
 * TypeScript entry (tests, benches), tsx's loader named by path so any current directory works.
 */
function workerExecArgv(entry: URL): string[] {
  const legacy = ['--openssl-legacy-provider'];
  if (!entry.pathname.endsWith('.ts')) return legacy;
  return [...legacy, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

/** The worker side: waits for its share, builds the handshake from the job, runs it, replies. */
export function serveLoadShare(buildRun: (job: unknown) => (index: number) => Promise<TunnelSessionResult>): void {
  process.once('message', async ({ job, share }: ShareRequest) => {
    let reply: ShareReply;
    try {
      const run = buildRun(job);
      const cpuBefore = process.cpuUsage();
      const sample = await collectLoadSample(share.count, share.concurrency, run, () => performance.now(), share.firstIndex);
      reply = { kind: 'sample', sample, cpu: process.cpuUsage(cpuBefore) };
    } catch (error) {
      reply = { kind: 'failed', text: error instanceof Error ? error.message : String(error) };
    }
    process.send?.(reply, undefined, undefined, () => process.exit(0));
  });
}
