/**
 * `npm run bench`: runs every benchmark module of this folder (each `*.ts` but this one, whose
 * default export returns a BenchReport) one after the other and prints one table.
 * Benchmarks are measurements, not tests: they never fail the build.
 * `npm run bench -- NAME...` runs only the modules whose file name contains one of the NAMEs.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchRow {
  readonly metric: string;
  readonly value: string;
}

export interface BenchReport {
  readonly name: string;
  readonly rows: readonly BenchRow[];
  /** The target the benchmark measures against, and whether this run met it. */
  readonly target?: { readonly description: string; readonly met: boolean };
}

export type BenchModule = { default: () => Promise<BenchReport> | BenchReport };

const benchDir = dirname(fileURLToPath(import.meta.url));

function table(reports: readonly BenchReport[]): string {
  const rows: [string, string, string][] = [['bench', 'metric', 'value']];
  for (const report of reports) {
    for (const row of report.rows) rows.push([report.name, row.metric, row.value]);
    if (report.target) rows.push([report.name, `target: ${report.target.description}`, report.target.met ? 'met' : 'NOT met']);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
    .sort();
  const reports: BenchReport[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(benchDir, file)).href)) as BenchModule;
    if (typeof module.default !== 'function') continue;
    reports.push(await module.default());
  }
  console.log(table(reports));
}

await main();
