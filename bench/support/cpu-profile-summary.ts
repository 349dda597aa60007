/**
 * Where a CPU profile's time went, as the shares docs/benchmarks.md quotes: the non-idle samples
 * of a `.cpuprofile` (written by `RTXLAB_BENCH_PROFILE`, `RTXLAB_BENCH_WINDOW_PROFILE`,
 * `IKE_WORKERS_FRONT_PROFILE` or node's `--cpu-prof`), by self time, grouped by source file or by
 * function.
 *
 *   npm run -s profile-summary -- FILE.cpuprofile [--by file|function] [--top N]
 *
 * Files are named as the project sees them: `src/...`, `node_modules/PACKAGE`, `node:MODULE`;
 * native code and V8's own entries ("(garbage collector)", "(program)") by their names.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileShare {
  readonly name: string;
  readonly ms: number;
  /** Of the non-idle time. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly rows: readonly ProfileShare[];
}

/** Where a frame's code lives, as the project names it. */
function fileOf(frame: ProfileNode['callFrame']): string {
  const inProject = /\/((?:src|bench|test)\/.*|node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (inProject) return inProject[1]!.replace(/^(node_modules\/(?:@[^/]+\/)?[^/]+).*$/, '$1');
  if (frame.url.startsWith('node:')) return frame.url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!;
  return frame.url === '' ? frame.functionName || '(anonymous)' : frame.url;
}

function functionOf(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url === '' ? name : `${name} ${fileOf(frame)}:${frame.lineNumber + 1}`;
}

export function summarizeCpuProfile(profile: CpuProfile, by: 'file' | 'function'): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byName = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, index) => {
    const deltaUs = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    totalUs += deltaUs;
    if (frame === undefined) return;
    if (frame.functionName === '(idle)') {
      idleUs += deltaUs;
      return;
    }
    const name = by === 'file' ? fileOf(frame) : functionOf(frame);
    byName.set(name, (byName.get(name) ?? 0) + deltaUs);
  });
  const busyUs = Math.max(1, totalUs - idleUs);
  const rows = [...byName].map(([name, us]) => ({ name, ms: us / 1000, share: us / busyUs })).sort((a, b) => b.ms - a.ms);
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, rows };
}

export function formatProfileSummary(summary: ProfileSummary, top: number): string {
  const lines = [`${summary.totalMs.toFixed(0)} ms sampled, ${(summary.totalMs - summary.idleMs).toFixed(0)} ms not idle; shares of the not-idle time:`];
  for (const row of summary.rows.slice(0, top)) lines.push(`${row.ms.toFixed(1).padStart(9)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
  return lines.join('\n');
}

function main(args: string[]): void {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { by: { type: 'string', default: 'file' }, top: { type: 'string', default: '25' } } });
  const top = Number(values.top);
  if (positionals.length !== 1 || (values.by !== 'file' && values.by !== 'function') || !Number.isInteger(top) || top < 1) {
    console.error('usage: npm run -s profile-summary -- FILE.cpuprofile [--by file|function] [--top N]');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
  console.log(formatProfileSummary(summarizeCpuProfile(profile, values.by), top));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
