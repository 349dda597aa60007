/** The matrix as a text table and as JSON. */
import { decisiveLogLine, describeOutcome } from './judge.js';
import { describeRouterVariant } from './router-configs.js';
import type { MatrixResult } from './run-matrix.js';
import type { RowResult } from './run-row.js';

/** One block per row: client and config, what the seed saw, what rtxlab did, the decisive router line, the verdict. */
export function formatMatrix(result: MatrixResult, options: { verbose?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const [index, row] of result.rows.entries()) {
    lines.push(...formatRow(index + 1, row));
    if (options.verbose) {
      lines.push('   client transcript:', ...row.session.transcript.map((line) => `     ${line}`));
      lines.push('   router log:', ...row.routerLog.map((line) => `     ${line}`));
      if (row.routerProblems.length > 0) lines.push('   router problems:', ...row.routerProblems.map((line) => `     ${line}`));
    }
    lines.push('');
  }
  const matched = result.rows.filter((row) => row.verdict.matches).length;
  lines.push(`${matched} of ${result.rows.length} rows match${result.allMatch ? '' : ': the emulation differs from the seed (or from the hypothesis row) where marked DIFFERS'}`);
  return lines;
}

function formatRow(number: number, result: RowResult): string[] {
  const { row, verdict } = result;
  const mark = verdict.matches ? 'MATCHES' : 'DIFFERS';
  return [
    `${String(number).padStart(2)}. ${row.client}${row.origin === 'hypothesis' ? '  [hypothesis row, not in the seed]' : ''}`,
    `    profile  ${row.profile}`,
    `    router   ${describeRouterVariant(row.router)}`,
    `    seed     ${row.seedObservation}`,
    `    rtxlab   ${describeOutcome(result.session)}`,
    `    log      ${decisiveLogLine(result.routerLog) ?? '(nothing logged)'}`,
    `    verdict  ${mark}${verdict.matches ? '' : `: ${verdict.why}`}  (${Math.round(result.durationMs)} ms)`,
  ];
}

export function matrixJson(result: MatrixResult): unknown {
  return {
    allMatch: result.allMatch,
    rows: result.rows.map((row) => ({
      id: row.row.id,
      origin: row.row.origin,
      client: row.row.client,
      profile: row.row.profile,
      router: { ...row.row.router, description: describeRouterVariant(row.row.router) },
      seedObservation: row.row.seedObservation,
      outcome: describeOutcome(row.session),
      decisiveLogLine: decisiveLogLine(row.routerLog) ?? null,
      matches: row.verdict.matches,
      ...(row.verdict.matches ? {} : { why: row.verdict.why }),
      session: row.session,
      routerLog: row.routerLog,
      durationMs: Math.round(row.durationMs),
    })),
  };
}
