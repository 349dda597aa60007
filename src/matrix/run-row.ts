/**
 * Runs one row of the matrix: an rtxlab router in this process on 127.0.0.1 (ephemeral ports)
 * with the row's config, the row's profile against it, and the router's log collected.
 */
import { RtxRouter } from '../router/rtx-router.js';
import type { RouterControl } from '../router/rtx-router-api.js';
import { runTunnelSession, type TunnelTiming } from '../initiator/index.js';
import { CLIENT_PROFILES, SEED_CLIENT_INPUTS, profileTunnel } from '../initiator/profiles/index.js';
import { judgeRow, type RowRun, type Verdict } from './judge.js';
import { seedRouterConfig } from './router-configs.js';
import type { MatrixRow } from './rows.js';
import { summarizeSession } from './session-summary.js';

/**
 * Short waits, so a row that fails by silence fails in seconds: the client resends after 0.3 s
 * and 0.6 s, takes 0.6 s of silence after message 3 as acceptance and waits 1.5 s for the gateway.
 */
export const MATRIX_TIMING: TunnelTiming = { retransmitTimeoutsMs: [300, 600], message3QuietMs: 600, peerWaitMs: 1500 };

/** How long the router keeps running after the client is done, to log what the client's last messages did. */
const SETTLE_MS = 150;

export interface RowResult extends RowRun {
  readonly row: MatrixRow;
  readonly verdict: Verdict;
  /** Problems the router reported on its error output (config lines, internal errors). */
  readonly routerProblems: readonly string[];
  readonly durationMs: number;
}

/**
 * `observeRouter`: called with the row's router before it starts, so a front end can watch its
 * events (the web console draws each row's ladder from them).
 */
export async function runMatrixRow(row: MatrixRow, timing: TunnelTiming = MATRIX_TIMING, observeRouter?: (router: RouterControl) => void): Promise<RowResult> {
  const started = performance.now();
  const router = await RtxRouter.create({ config: { text: seedRouterConfig(row.router) }, bind: '127.0.0.1', ikePort: 0, nattPort: 0 });
  observeRouter?.(router);
  // What the router logs (its messages, as `show log` holds them) and what went wrong inside it.
  const routerLog: string[] = [];
  const problems: string[] = router.configReport.problems.map((problem) => `config line ${problem.line}: ${problem.text}: ${problem.error}`);
  router.on('log', (event) => routerLog.push(event.entry.message));
  router.on('problem', (event) => problems.push(event.text));
  const listening = await router.start();
  let session;
  try {
    const built = profileTunnel(CLIENT_PROFILES[row.profile], { ...SEED_CLIENT_INPUTS, localAddress: '127.0.0.1' });
    if (!built.ok) throw new Error(`profile ${row.profile}: ${built.text}`);
    const result = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port },
      local: { address: '127.0.0.1' },
      tunnel: built.options,
      timing,
    });
    session = summarizeSession(result);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    await router.stop();
  }
  const run: RowRun = { session, routerLog };
  return { row, ...run, verdict: judgeRow(row.expected, run), routerProblems: problems, durationMs: performance.now() - started };
}
