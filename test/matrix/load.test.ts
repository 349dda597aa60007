import { describe, expect, it } from 'vitest';
import type { TunnelSessionResult } from '../../src/initiator/index.js';
import { checkLoadOptions, formatLoadReport, percentile, runLoad, summarizeLatencies } from '../../src/matrix/index.js';

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

  it('refuses counts and concurrencies out of bounds', async () => {
    expect(checkLoadOptions(0, 1)).toHaveLength(1);
    expect(checkLoadOptions(10, 1_000_000)).toHaveLength(1);
    expect(checkLoadOptions(10, 2)).toEqual([]);
    await expect(runLoad({ count: 1.5, concurrency: 1, run: async () => established })).rejects.toThrow(RangeError);
  });
});
