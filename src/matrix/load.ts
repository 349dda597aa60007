/**
 * Load mode of `rtxlab connect --count N --concurrency C`: N full handshakes, at most C at a time,
 * each timed from its start to its end; the report gives handshakes per second over the wall time,
 * latency percentiles and the generator's own CPU per handshake (so a load run shows whether the
 * generator, not the router, was the limit). Bounded: N and C are capped, and every run is bounded
 * by its session's own deadline. Spreading a run over worker processes is load-workers.ts.
 *
 * Hold mode (`--hold [SECONDS]`): each established tunnel is kept open (answering the gateway's
 * DPD) instead of deleted; once every handshake has ended, the report so far (its wall time is the
 * time to establish them all) goes to `hold.until`, and when that resolves the tunnels are
 * deleted, at most `concurrency` at a time.
 */
import type { OpenTunnel, TunnelSessionResult } from '../initiator/index.js';

export const MAX_LOAD_COUNT = 100_000;
export const MAX_LOAD_CONCURRENCY = 1_000;
export const MAX_LOAD_WORKERS = 64;

export interface LoadOptions {
  readonly count: number;
  readonly concurrency: number;
  /** One handshake; `index` counts from 0. */
  readonly run: (index: number) => Promise<TunnelSessionResult>;
  /** The clock, in milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** This process's CPU clock (default `process.cpuUsage`). */
  readonly cpuUsage?: () => NodeJS.CpuUsage;
  /** Hold mode: keep the tunnels (`run` must return them open) until `until` resolves. */
  readonly hold?: HoldOptions;
}

export interface HoldOptions {
  /** Called once all handshakes have ended, with the report so far; the tunnels are deleted when it resolves. */
  readonly until: (established: LoadReport) => Promise<void>;
}

/** What a held run adds to its report. */
export interface HoldFacts {
  /** Tunnels held open (the established ones whose tunnel was still open when all had ended). */
  readonly held: number;
  /** Of those, how many the gateway ended (a Delete) while they were held. */
  readonly endedByGateway: number;
  /** How long they were held, from the last handshake's end to the start of the deletes. */
  readonly heldMs: number;
  /** How long deleting them took. */
  readonly deleteMs: number;
}

/** What one share of a load run produced: raw, so shares from several workers can be merged. */
export interface LoadSample {
  /** Of the established handshakes, in milliseconds. */
  readonly latenciesMs: readonly number[];
  /** `step kind` (or `error message`) -> how many failed so. */
  readonly failures: Readonly<Record<string, number>>;
}

export interface LatencySummary {
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface LoadReport {
  readonly count: number;
  readonly concurrency: number;
  readonly established: number;
  readonly failed: number;
  readonly wallMs: number;
  /** Established handshakes per second of wall time. */
  readonly handshakesPerSecond: number;
  /** Of the established handshakes; undefined when none was. */
  readonly latency?: LatencySummary;
  /** How the failures failed (`step kind`), with how many of each. */
  readonly failures: readonly { readonly reason: string; readonly count: number }[];
  /** The generator's CPU time (user + system, its process and its worker processes) over the run. */
  readonly generatorCpuMs: number;
  /** generatorCpuMs per established handshake; undefined when none was. */
  readonly generatorCpuPerHandshakeMs?: number;
  /** Worker processes the handshakes ran on (1: this process). */
  readonly workers: number;
  /** Hold mode only. */
  readonly hold?: HoldFacts;
}

/** Every reason `count` and `concurrency` cannot be run; empty when they can. */
export function checkLoadOptions(count: number, concurrency: number, workers = 1): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_LOAD_WORKERS) problems.push(`--workers must be an integer 1..${MAX_LOAD_WORKERS}`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_LOAD_COUNT) problems.push(`--count must be an integer 1..${MAX_LOAD_COUNT}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_LOAD_CONCURRENCY) problems.push(`--concurrency must be an integer 1..${MAX_LOAD_CONCURRENCY}`);
  return problems;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const problems = checkLoadOptions(options.count, options.concurrency);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const now = options.now ?? (() => performance.now());
  const cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
  const cpuBefore = cpuUsage();
  const started = now();
  const held = options.hold === undefined ? undefined : new HeldTunnels();
  const sample = await collectLoadSample(options.count, options.concurrency, options.run, now, 0, held);
  const facts = { count: options.count, concurrency: options.concurrency, wallMs: now() - started, cpu: cpuUsage(), cpuBefore, workers: 1 };
  if (options.hold === undefined || held === undefined) return loadReport(sample, facts);
  const holding = now();
  await options.hold.until(loadReport(sample, facts));
  const deleting = now();
  const closed = await held.closeAll(options.concurrency);
  return loadReport(sample, { ...facts, cpu: cpuUsage(), hold: { ...closed, heldMs: deleting - holding, deleteMs: now() - deleting } });
}

/** The tunnels a held run keeps open, and which of them the gateway ended meanwhile. */
export class HeldTunnels {
  private readonly open: OpenTunnel[] = [];
  private endedByGateway = 0;

  add(tunnel: OpenTunnel): void {
    this.open.push(tunnel);
    void tunnel.ended.then((how) => {
      if (how === 'deleted-by-peer') this.endedByGateway++;
    });
  }

  get size(): number {
    return this.open.length;
  }

  /** Sends every tunnel's Deletes and closes its sockets, at most `concurrency` at a time. */
  async closeAll(concurrency: number): Promise<{ held: number; endedByGateway: number }> {
    const tunnels = this.open.splice(0);
    let next = 0;
    const closer = async (): Promise<void> => {
      while (next < tunnels.length) await tunnels[next++]!.close().catch(() => undefined);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tunnels.length)) }, closer));
    return { held: tunnels.length, endedByGateway: this.endedByGateway };
  }
}

/** Runs `count` handshakes, at most `concurrency` at a time, and keeps what each gave. */
export async function collectLoadSample(
  count: number,
  concurrency: number,
  run: (index: number) => Promise<TunnelSessionResult>,
  now: () => number = () => performance.now(),
  firstIndex = 0,
  /** Hold mode: where the established tunnels go (a result without one is closed at once otherwise). */
  held?: HeldTunnels,
): Promise<LoadSample> {
  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  const fail = (reason: string): void => void (failures[reason] = (failures[reason] ?? 0) + 1);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = firstIndex + next++;
      const begun = now();
      let result: TunnelSessionResult;
      try {
        result = await run(index);
      } catch (error) {
        fail(`error ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (result.outcome === 'established') {
        latenciesMs.push(now() - begun);
        if (result.tunnel !== undefined) held?.add(result.tunnel);
      } else fail(`${result.failure.step} ${result.failure.kind}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latenciesMs, failures };
}

/** Several shares' samples as one. */
export function mergeLoadSamples(samples: readonly LoadSample[]): LoadSample {
  const failures: Record<string, number> = {};
  for (const sample of samples) for (const [reason, count] of Object.entries(sample.failures)) failures[reason] = (failures[reason] ?? 0) + count;
  return { latenciesMs: samples.flatMap((sample) => sample.latenciesMs), failures };
}

export interface LoadRunFacts {
  readonly count: number;
  readonly concurrency: number;
  readonly wallMs: number;
  readonly cpuBefore: NodeJS.CpuUsage;
  readonly cpu: NodeJS.CpuUsage;
  readonly workers: number;
  readonly hold?: HoldFacts;
}

export function loadReport(sample: LoadSample, facts: LoadRunFacts): LoadReport {
  const { latenciesMs } = sample;
  const failures = Object.entries(sample.failures);
  const failed = failures.reduce((sum, [, count]) => sum + count, 0);
  const generatorCpuMs = (facts.cpu.user - facts.cpuBefore.user + facts.cpu.system - facts.cpuBefore.system) / 1000;
  return {
    count: facts.count,
    concurrency: facts.concurrency,
    established: latenciesMs.length,
    failed,
    wallMs: facts.wallMs,
    handshakesPerSecond: facts.wallMs > 0 ? (latenciesMs.length * 1000) / facts.wallMs : 0,
    ...(latenciesMs.length > 0 ? { latency: summarizeLatencies(latenciesMs) } : {}),
    failures: failures.map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    generatorCpuMs,
    ...(latenciesMs.length > 0 ? { generatorCpuPerHandshakeMs: generatorCpuMs / latenciesMs.length } : {}),
    workers: facts.workers,
    ...(facts.hold === undefined ? {} : { hold: facts.hold }),
  };
}

/** Percentiles by the nearest-rank method: the smallest value with at least p % of values at or below it. */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) throw new RangeError('no values');
  const rank = Math.max(1, Math.ceil((p / 100) * sortedValues.length));
  return sortedValues[Math.min(rank, sortedValues.length) - 1]!;
}

export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    minMs: sorted[0]!,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1)!,
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

export function formatLoadReport(report: LoadReport): string[] {
  const lines = [
    `${report.established} of ${report.count} handshakes established (concurrency ${report.concurrency}) in ${(report.wallMs / 1000).toFixed(2)} s: ${report.handshakesPerSecond.toFixed(1)} handshakes/s`,
  ];
  if (report.latency) {
    const { minMs, p50Ms, p90Ms, p99Ms, maxMs, meanMs } = report.latency;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    lines.push(`latency p50 ${ms(p50Ms)}, p90 ${ms(p90Ms)}, p99 ${ms(p99Ms)} (min ${ms(minMs)}, max ${ms(maxMs)}, mean ${ms(meanMs)})`);
  }
  const perHandshake = report.generatorCpuPerHandshakeMs === undefined ? '' : `, ${report.generatorCpuPerHandshakeMs.toFixed(2)} ms per handshake`;
  lines.push(`generator CPU ${report.generatorCpuMs.toFixed(0)} ms${perHandshake} (${report.workers === 1 ? 'one process' : `${report.workers} worker processes`})`);
  if (report.hold) {
    const { held, endedByGateway, heldMs, deleteMs } = report.hold;
    const ended = endedByGateway === 0 ? '' : ` (${endedByGateway} ended by the gateway meanwhile)`;
    lines.push(`held ${held} tunnels open for ${(heldMs / 1000).toFixed(1)} s${ended}, deleted them in ${(deleteMs / 1000).toFixed(2)} s`);
  }
  for (const failure of report.failures) lines.push(`failed: ${failure.count} x ${failure.reason}`);
  return lines;
}
