/**
 * The seed matrix from the page: the same run as `rtxlab matrix` (src/matrix: every row with its
 * own in-process router on 127.0.0.1, never the live one), each row sent as it finishes with its
 * verdict and the ladder of its client drawn from that row's router events, so the write-up's
 * story can be read row by row.
 */
import { decisiveLogLine, describeOutcome, describeRouterVariant, runMatrix, SEED_MATRIX, type MatrixRunOptions, type RowResult } from '../matrix/index.js';
import type { RouterControl } from '../router/rtx-router-api.js';
import { LadderBook } from './ladder.js';
import type { LadderView, MatrixRowView, ServerMessage } from './messages.js';

/** Watches one row's router for its ladder (the events ladder.ts is made of). */
function watchLadders(router: RouterControl): LadderBook {
  const book = new LadderBook();
  router.on('ike-message', (event) => book.apply(event));
  router.on('xauth', (event) => book.apply(event));
  router.on('isakmp-sa-down', (event) => book.apply(event));
  router.on('ipsec-sa-up', (event) => book.apply(event));
  router.on('log', (event) => book.apply(event));
  return book;
}

export function matrixRowView(result: RowResult, ladders: readonly LadderView[]): MatrixRowView {
  const { row, verdict } = result;
  const decisiveLine = decisiveLogLine(result.routerLog);
  return {
    id: row.id,
    origin: row.origin,
    client: row.client,
    profile: row.profile,
    router: describeRouterVariant(row.router),
    seedObservation: row.seedObservation,
    outcome: describeOutcome(result.session),
    ...(decisiveLine === undefined ? {} : { decisiveLine }),
    matches: verdict.matches,
    ...(verdict.matches ? {} : { why: verdict.why }),
    durationMs: Math.round(result.durationMs),
    ladders,
  };
}

/**
 * The row's router has stopped: a negotiation it never finished can go no further, so a ladder
 * still `negotiating` (a half-open ISAKMP SA, refused with a Notify or left unanswered) failed.
 */
function finished(ladders: readonly LadderView[]): LadderView[] {
  return ladders.map((ladder) => (ladder.outcome === 'negotiating' ? { ...ladder, outcome: 'failed' } : ladder));
}

/**
 * Runs the matrix, sending `matrix-started`, one `matrix-row` per row and `matrix-finished`.
 * Never throws: a run that breaks ends with `matrix-finished` naming the error.
 */
export async function runMatrixForPage(send: (message: ServerMessage) => void, options: Pick<MatrixRunOptions, 'rowIds' | 'timing'> = {}): Promise<void> {
  const rows = options.rowIds === undefined ? SEED_MATRIX : SEED_MATRIX.filter((row) => options.rowIds!.includes(row.id));
  send({ type: 'matrix-started', rows: rows.map((row) => ({ id: row.id, client: row.client })) });
  const books = new Map<string, LadderBook>();
  let done = 0;
  let matched = 0;
  try {
    await runMatrix({
      ...options,
      observeRouter: (row, router) => books.set(row.id, watchLadders(router)),
      onRow: (row) => {
        done++;
        if (row.verdict.matches) matched++;
        send({ type: 'matrix-row', row: matrixRowView(row, finished(books.get(row.row.id)?.views() ?? [])) });
      },
    });
    send({ type: 'matrix-finished', done, matched, total: rows.length });
  } catch (error) {
    send({ type: 'matrix-finished', done, matched, total: rows.length, error: error instanceof Error ? error.message : String(error) });
  }
}
