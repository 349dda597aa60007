import { describe, expect, it } from 'vitest';
import { formatProfileSummary, summarizeCpuProfile, type CpuProfile } from '../../bench/support/cpu-profile-summary.js';

const frame = (id: number, functionName: string, url: string, lineNumber = 0) => ({ id, callFrame: { functionName, url, lineNumber } });

/** Five samples: idle 40 ms, send (native) 30, xstate 20, a project file 10 and 10 at two lines (deltas in microseconds). */
const profile: CpuProfile = {
  nodes: [
    frame(1, '(idle)', ''),
    frame(2, 'send', ''),
    frame(3, 'microstep', 'file:///work/x/node_modules/xstate/dist/raise.mjs', 9),
    frame(4, 'receive', 'file:///work/x/src/ike-responder/responder.ts', 269),
    frame(5, 'tick', 'file:///work/x/src/ike-responder/responder.ts', 277),
  ],
  samples: [1, 2, 3, 4, 5],
  timeDeltas: [40_000, 30_000, 20_000, 10_000, 10_000],
};

describe('the CPU profile summary the benchmark notes quote', () => {
  it('shares of the not-idle time by file: project paths, packages, native names', () => {
    const summary = summarizeCpuProfile(profile, 'file');
    expect(summary.totalMs).toBe(110);
    expect(summary.idleMs).toBe(40);
    expect(summary.rows.map((row) => [row.name, Math.round(row.share * 1000) / 10])).toEqual([
      ['send', 42.9],
      ['node_modules/xstate', 28.6],
      ['src/ike-responder/responder.ts', 28.6],
    ]);
  });

  it('by function: each with its file and line', () => {
    const summary = summarizeCpuProfile(profile, 'function');
    expect(summary.rows.map((row) => row.name)).toEqual(['send', 'microstep node_modules/xstate:10', 'receive src/ike-responder/responder.ts:270', 'tick src/ike-responder/responder.ts:278']);
    expect(formatProfileSummary(summary, 1)).toBe('110 ms sampled, 70 ms not idle; shares of the not-idle time:\n     30.0 ms  42.9 %  send');
  });
});
