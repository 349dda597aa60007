/**
 * Load mode of `rtxlab connect --count N --concurrency C`: N full handshakes, at most C at a time,
 * each timed from its start to its end; the report gives handshakes per second over the wall time
 * and latency percentiles. Bounded: N and C are capped, and every run is bounded by its session's
 * own deadline.
 */
import type { TunnelSessionResult } from '../initiator/index.js';

export const MAX_LOAD_COUNT = 100_000;
export const MAX_LOAD_CONCURRENCY = 1_000;

export interface LoadOptions {
  readonly count: number;
  readonly concurrency: number;
  /** One handshake; `index` counts from 0. */
  readonly run: (index: number) => Promise<TunnelSessionResult>;
  /** The clock, in milliseconds (default `performance.now`). */
  readonly now?: () => number;
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
}

/** Every reason `count` and `concurrency` cannot be run; empty when they can. */
export function checkLoadOptions(count: number, concurrency: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(count) || count < 1 || count > MAX_LOAD_COUNT) problems.push(`--count must be an integer 1..${MAX_LOAD_COUNT}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_LOAD_CONCURRENCY) problems.push(`--concurrency must be an integer 1..${MAX_LOAD_CONCURRENCY}`);
  return problems;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const problems = checkLoadOptions(options.count, options.concurrency);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const now = options.now ?? (() => performance.now());
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let next = 0;
  const started = now();
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const index = next++;
      const begun = now();
      let result: TunnelSessionResult;
      try {
        result = await options.run(index);
      } catch (error) {
        const reason = `error ${error instanceof Error ? error.message : String(error)}`;
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
        continue;
      }
      if (result.outcome === 'established') {
        latencies.push(now() - begun);
      } else {
        const reason = `${result.failure.step} ${result.failure.kind}`;
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker));
  const wallMs = now() - started;
  const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
  return {
    count: options.count,
    concurrency: options.concurrency,
    established: latencies.length,
    failed,
    wallMs,
    handshakesPerSecond: wallMs > 0 ? (latencies.length * 1000) / wallMs : 0,
    ...(latencies.length > 0 ? { latency: summarizeLatencies(latencies) } : {}),
    failures: [...failures].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
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
  for (const failure of report.failures) lines.push(`failed: ${failure.count} x ${failure.reason}`);
  return lines;
}
