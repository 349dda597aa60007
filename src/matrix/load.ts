/**
 * Load mode of `rtxlab connect --count N --concurrency C`: N full handshakes, at most C at a time,
 * each timed from its start to its end; the report gives handshakes per second over the wall time,
 * latency percentiles and the generator's own CPU per handshake (so a load run shows whether the
 * generator, not the router, was the limit). Bounded: N and C are capped, and every run is bounded
 * by its session's own deadline. Spreading a run over worker processes is load-workers.ts.
 */
import type { TunnelSessionResult } from '../initiator/index.js';

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
  const sample = await collectLoadSample(options.count, options.concurrency, options.run, now);
  return loadReport(sample, { count: options.count, concurrency: options.concurrency, wallMs: now() - started, cpu: cpuUsage(), cpuBefore, workers: 1 });
}

/** Runs `count` handshakes, at most `concurrency` at a time, and keeps what each gave. */
export async function collectLoadSample(
  count: number,
  concurrency: number,
  run: (index: number) => Promise<TunnelSessionResult>,
  now: () => number = () => performance.now(),
  firstIndex = 0,
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
      if (result.outcome === 'established') latenciesMs.push(now() - begun);
      else fail(`${result.failure.step} ${result.failure.kind}`);
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
  for (const failure of report.failures) lines.push(`failed: ${failure.count} x ${failure.reason}`);
  return lines;
}
