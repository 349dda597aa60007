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
 *
 * Hold mode: each worker reports its sample once its share has ended and keeps its tunnels open
 * (a worker has its own file-descriptor limit, so W workers hold W times the sockets one process
 * may open) until this process sends `release`, or goes away; it then deletes them and reports
 * how many it held. Workers ignore SIGINT while holding: the terminal's Ctrl-C reaches the whole
 * process group, and the parent decides when the tunnels go.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TunnelSessionResult } from '../initiator/index.js';
import { checkLoadOptions, collectLoadSample, HeldTunnels, loadReport, mergeLoadSamples, type HoldOptions, type LoadReport, type LoadSample } from './load.js';

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
  /** Hold mode (load.ts): the workers keep their tunnels until `until` resolves. */
  readonly hold?: HoldOptions;
}

/** Parent -> worker: the share to run, then (hold mode) `release`. */
interface ShareJob {
  readonly job: unknown;
  readonly share: LoadShare;
  readonly hold?: boolean;
}
type ShareRequest = ShareJob | { readonly release: true };

/** Worker -> parent. */
type ShareReply =
  | { readonly kind: 'sample'; readonly sample: LoadSample; readonly cpu: NodeJS.CpuUsage }
  | { readonly kind: 'released'; readonly held: number; readonly endedByGateway: number; readonly cpu: NodeJS.CpuUsage }
  | { readonly kind: 'failed'; readonly text: string };

interface ShareOutcome {
  readonly sample: LoadSample;
  readonly cpuMicros: number;
  /** Hold mode: the worker, still holding its tunnels. */
  readonly holder?: ChildProcess;
}

export async function runLoadOnWorkers(options: WorkerLoadOptions): Promise<LoadReport> {
  const problems = checkLoadOptions(options.count, options.concurrency, options.workers);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const shares = loadShares(options.count, options.concurrency, options.workers);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const hold = options.hold !== undefined;
  const outcomes = await Promise.all(shares.map((share) => runShare(options.entry, { job: options.job, share, hold })));
  const wallMs = performance.now() - started;
  const own = process.cpuUsage();
  const workersCpu = outcomes.reduce((sum, outcome) => sum + outcome.cpuMicros, 0);
  const sample = mergeLoadSamples(outcomes.map((outcome) => outcome.sample));
  const facts = { count: options.count, concurrency: options.concurrency, wallMs, cpuBefore, cpu: { user: own.user + workersCpu, system: own.system }, workers: shares.length };
  if (options.hold === undefined) return loadReport(sample, facts);
  const holding = performance.now();
  await options.hold.until(loadReport(sample, facts));
  const deleting = performance.now();
  const released = await Promise.all(outcomes.map((outcome) => (outcome.holder === undefined ? undefined : release(outcome.holder))));
  const after = process.cpuUsage();
  const releaseCpu = released.reduce((sum, reply) => sum + (reply === undefined ? 0 : reply.cpu.user + reply.cpu.system), 0);
  return loadReport(sample, {
    ...facts,
    cpu: { user: after.user + workersCpu + releaseCpu, system: after.system },
    hold: {
      held: released.reduce((sum, reply) => sum + (reply?.held ?? 0), 0),
      endedByGateway: released.reduce((sum, reply) => sum + (reply?.endedByGateway ?? 0), 0),
      heldMs: deleting - holding,
      deleteMs: performance.now() - deleting,
    },
  });
}

/** Tells a holding worker to delete its tunnels; resolves with what it held (undefined if it died). */
function release(child: ChildProcess): Promise<Extract<ShareReply, { kind: 'released' }> | undefined> {
  return new Promise((resolve) => {
    child.once('message', (reply: ShareReply) => resolve(reply.kind === 'released' ? reply : undefined));
    child.once('exit', () => resolve(undefined));
    if (child.connected) child.send({ release: true } satisfies ShareRequest);
    else resolve(undefined);
  });
}

/** One worker's share; a worker that fails or dies counts its whole share as failed, with its reason. */
function runShare(entry: URL, request: ShareJob): Promise<ShareOutcome> {
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
    child.once('message', (reply: ShareReply) => {
      if (reply.kind !== 'sample') return settle(failedShare(reply.kind === 'failed' ? reply.text : 'released before reporting'));
      const outcome = { sample: reply.sample, cpuMicros: reply.cpu.user + reply.cpu.system };
      if (request.hold !== true) return settle(outcome);
      // Still holding its tunnels: the parent releases it later.
      settled = true;
      resolve({ ...outcome, holder: child });
    });
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

/**
 * The worker side: waits for its share, builds the handshake from the job (with `hold`, one that
 * keeps its tunnel open), runs it, replies; in hold mode it then holds the tunnels until released.
 */
export function serveLoadShare(buildRun: (job: unknown, hold: boolean) => (index: number) => Promise<TunnelSessionResult>): void {
  process.once('message', async (request: ShareRequest) => {
    if ('release' in request) return process.exit(0);
    const { job, share } = request;
    const hold = request.hold === true;
    const held = hold ? new HeldTunnels() : undefined;
    if (hold) process.on('SIGINT', () => {});
    let reply: ShareReply;
    const cpuBefore = process.cpuUsage();
    try {
      const run = buildRun(job, hold);
      const sample = await collectLoadSample(share.count, share.concurrency, run, () => performance.now(), share.firstIndex, held);
      reply = { kind: 'sample', sample, cpu: process.cpuUsage(cpuBefore) };
    } catch (error) {
      reply = { kind: 'failed', text: error instanceof Error ? error.message : String(error) };
    }
    if (held === undefined || reply.kind === 'failed') {
      process.send?.(reply, undefined, undefined, () => process.exit(0));
      return;
    }
    const cpuAtReport = process.cpuUsage();
    let letting = false;
    const letGo = async (): Promise<void> => {
      if (letting) return;
      letting = true;
      const closed = await held.closeAll(share.concurrency);
      const done: ShareReply = { kind: 'released', ...closed, cpu: process.cpuUsage(cpuAtReport) };
      if (process.connected) process.send?.(done, undefined, undefined, () => process.exit(0));
      else process.exit(0);
    };
    // Released by the parent, or the parent is gone: delete the tunnels either way.
    process.once('message', () => void letGo());
    process.once('disconnect', () => void letGo());
    // The parent went away while the share ran: nobody will release these tunnels.
    if (!process.connected) return void letGo();
    process.send?.(reply);
  });
}
