/**
 * The seed's regression matrix: every client of its table, played by a profile, against an
 * in-process rtxlab with the matching config; and the summaries and load runs `rtxlab connect`
 * shares with it.
 *
 *   const result = await runMatrix()              // every row, one router each
 *   formatMatrix(result)                          // the table, with the decisive log line
 *   result.allMatch                               // false when any row differs from the seed
 */
export { SEED_MATRIX, type ExpectedOutcome, type MatrixRow } from './rows.js';
export { describeRouterVariant, seedRouterConfig, type RouterVariant } from './router-configs.js';
export { decisiveLogLine, describeOutcome, judgeRow, routerEstablishedPhase1, type RowRun, type Verdict } from './judge.js';
export { MATRIX_TIMING, runMatrixRow, type RowResult } from './run-row.js';
export { runMatrix, selectRows, type MatrixResult, type MatrixRunOptions } from './run-matrix.js';
export { formatMatrix, matrixJson } from './format.js';
export { formatSessionSummary, summarizeSession, type SessionSummary } from './session-summary.js';
export {
  MAX_LOAD_CONCURRENCY,
  MAX_LOAD_COUNT,
  checkLoadOptions,
  formatLoadReport,
  percentile,
  runLoad,
  summarizeLatencies,
  type LatencySummary,
  type LoadOptions,
  type LoadReport,
} from './load.js';
