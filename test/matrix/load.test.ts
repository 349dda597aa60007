import { describe, expect, it } from 'vitest';
import type { TunnelSessionResult } from '../../src/initiator/index.js';
import { checkLoadOptions, formatLoadReport, percentile, runLoad, summarizeLatencies } from '../../src/matrix/index.js';
import { mergeLoadSamples } from '../../src/matrix/load.js';
import { loadShares } from '../../src/matrix/load-workers.js';

const established = { outcome: 'established' } as TunnelSessionResult;
const failed = (step: string, kind: string) => ({ outcome: 'failed', failure: { step, kind, text: '' }, transcript: [] }) as unknown as TunnelSessionResult;

describe('load mode', () => {
  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(summarizeLatencies([30, 10, 20])).toEqual({ minMs: 10, p50Ms: 20, p90Ms: 30, p99Ms: 30, maxMs: 30, meanMs: 20 });
  });

  it('runs every handshake once, never more than C at a time', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const report = await runLoad({
      count: 20,
      concurrency: 4,
      run: async (index) => {
        seen.push(index);
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
        return established;
      },
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(most).toBe(4);
    expect(report).toMatchObject({ count: 20, concurrency: 4, established: 20, failed: 0 });
  });

  it('times each handshake and the whole run on its clock, and counts failures by step and kind', async () => {
    let clock = 0;
    const report = await runLoad({
      count: 4,
      concurrency: 1,
      now: () => clock,
      run: async (index) => {
        clock += 10 * (index + 1);
        if (index === 3) throw new Error('socket');
        return index === 2 ? failed('xauth', 'xauth-failed') : established;
      },
    });
    expect(report.established).toBe(2);
    expect(report.latency).toMatchObject({ minMs: 10, maxMs: 20 });
    expect(report.wallMs).toBe(100);
    expect(report.handshakesPerSecond).toBe(20);
    expect(report.failures).toEqual([{ reason: 'xauth xauth-failed', count: 1 }, { reason: 'error socket', count: 1 }]);
    expect(formatLoadReport(report)[0]).toBe('2 of 4 handshakes established (concurrency 1) in 0.10 s: 20.0 handshakes/s');
  });

  it("reports the generator's own CPU, in all and per established handshake", async () => {
    let cpuMicros = 1_000;
    const report = await runLoad({
      count: 3,
      concurrency: 1,
      cpuUsage: () => ({ user: cpuMicros, system: cpuMicros / 10 }),
      run: async (index) => {
        cpuMicros += 10_000;
        return index === 0 ? failed('phase1', 'timeout') : established;
      },
    });
    expect(report.generatorCpuMs).toBeCloseTo(33, 6);
    expect(report.generatorCpuPerHandshakeMs).toBeCloseTo(16.5, 6);
    expect(report.workers).toBe(1);
    expect(formatLoadReport(report)).toContain('generator CPU 33 ms, 16.50 ms per handshake (one process)');
  });

  it('splits a run over workers without losing or repeating a handshake, none idle', () => {
    expect(loadShares(10, 4, 3)).toEqual([
      { count: 4, concurrency: 2, firstIndex: 0 },
      { count: 3, concurrency: 1, firstIndex: 4 },
      { count: 3, concurrency: 1, firstIndex: 7 },
    ]);
    expect(loadShares(2, 100, 8)).toEqual([
      { count: 1, concurrency: 1, firstIndex: 0 },
      { count: 1, concurrency: 1, firstIndex: 1 },
    ]);
    for (const [count, concurrency, workers] of [[1, 1, 1], [100, 10, 3], [7, 1, 4], [1000, 100, 64]] as const) {
      const shares = loadShares(count, concurrency, workers);
      expect(shares.reduce((sum, share) => sum + share.count, 0)).toBe(count);
      expect(shares.every((share) => share.count >= 1 && share.concurrency >= 1 && share.concurrency <= share.count)).toBe(true);
    }
  });

  it('merges the samples of several workers', () => {
    expect(mergeLoadSamples([{ latenciesMs: [1, 2], failures: { 'xauth timeout': 1 } }, { latenciesMs: [3], failures: { 'xauth timeout': 2, 'error x': 1 } }])).toEqual({
      latenciesMs: [1, 2, 3],
      failures: { 'xauth timeout': 3, 'error x': 1 },
    });
  });

  it('refuses counts and concurrencies out of bounds', async () => {
    expect(checkLoadOptions(0, 1)).toHaveLength(1);
    expect(checkLoadOptions(10, 1_000_000)).toHaveLength(1);
    expect(checkLoadOptions(10, 2)).toEqual([]);
    expect(checkLoadOptions(10, 2, 0)).toHaveLength(1);
    expect(checkLoadOptions(10, 2, 65)).toHaveLength(1);
    await expect(runLoad({ count: 1.5, concurrency: 1, run: async () => established })).rejects.toThrow(RangeError);
  });
});
