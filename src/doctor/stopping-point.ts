/**
 * Where a run stopped, named from what both sides showed: the router's typed events (its log
 * lines as `show log` keeps them, XAUTH verdicts, leases, tunnels) and the client's own account
 * (its failure step and kind). Pure: a `ScenarioRun` in, a tagged union out.
 */
import type { SessionSummary } from '../matrix/session-summary.js';
import type { ScenarioRun } from './run-scenario.js';

export type StoppingPoint =
  | { readonly kind: 'connected' }
  /** Nothing came back: the router never answered message 1 (wrong address, no gateway...). */
  | { readonly kind: 'no-answer'; readonly clientSaid: string }
  | { readonly kind: 'unknown-id'; readonly id: string }
  | { readonly kind: 'phase1-no-proposal-chosen' }
  /** The router refused an encrypted Aggressive Mode message 3 under payload type 1 or 2 (the seed's OpenSWAN line). */
  | { readonly kind: 'encrypted-message3-refused' }
  /** The client's HASH_R check failed, or the router's HASH_I check did: the keys differ. */
  | { readonly kind: 'pre-shared-key-mismatch'; readonly seenBy: 'client' | 'router' }
  | { readonly kind: 'xauth-refused'; readonly user: string; readonly reason: string }
  /** The client asked for its address with a REQUEST; an RTX only pushes (SET). */
  | { readonly kind: 'mode-cfg-pull'; readonly refusesPushedSet: boolean }
  /** The client's ACK of the SET carries values (OpenSWAN's form), refused under the default method (H3). */
  | { readonly kind: 'mode-cfg-ack-with-values' }
  | { readonly kind: 'address-pool-exhausted'; readonly clientNumber: number }
  /** A later client took over an earlier one's tunnel: one peer per tunnel. */
  | { readonly kind: 'tunnel-taken-over'; readonly clientNumber: number }
  | { readonly kind: 'quick-mode-refused'; readonly clientSaid: string }
  | { readonly kind: 'unrecognised'; readonly clientSaid: string; readonly lastRouterLine?: string };

export type StoppingKind = StoppingPoint['kind'];

/** A stopping point and the router line it was read from, when a line told it. */
export interface LocatedStop {
  readonly point: StoppingPoint;
  readonly routerLine?: string;
}

export function stoppingPoint(run: ScenarioRun): StoppingPoint {
  return locateStop(run).point;
}

export function locateStop(run: ScenarioRun): LocatedStop {
  let routerLine: string | undefined;
  const point = classify(run, (line) => (routerLine = line));
  return routerLine === undefined ? { point } : { point, routerLine };
}

function classify(run: ScenarioRun, noteLine: (line: string) => void): StoppingPoint {
  if (run.connected) return { kind: 'connected' };
  const log = run.router.logLines;
  const logShows = (pattern: RegExp) => {
    const found = log.find((line) => pattern.test(line));
    if (found !== undefined) noteLine(found);
    return found;
  };
  const failedIndex = run.sessions.findIndex((session) => session.outcome === 'failed');
  const failed: SessionSummary | undefined = run.sessions[failedIndex];
  const failure = failed?.failure;
  const clientSaid = failure ? `${failure.step}: ${failure.text}` : 'every client connected, yet a tunnel went down';

  const unknownId = logShows(/no gateway for ID "([^"]*)"/);
  if (unknownId) return { kind: 'unknown-id', id: /no gateway for ID "([^"]*)"/.exec(unknownId)![1]! };
  if (logShows(/no proposal chosen/)) return { kind: 'phase1-no-proposal-chosen' };
  if (logShows(/payload malformed : no message/)) return { kind: 'encrypted-message3-refused' };
  if (failure?.kind === 'hash-r-mismatch') return { kind: 'pre-shared-key-mismatch', seenBy: 'client' };
  if (logShows(/HASH mismatch/)) return { kind: 'pre-shared-key-mismatch', seenBy: 'router' };
  const refusal = run.router.xauthVerdicts.find((verdict) => !verdict.ok);
  if (refusal) return { kind: 'xauth-refused', user: refusal.user ?? '(none)', reason: refusal.reason ?? 'refused' };
  if (logShows(/mode-cfg: no address .* exhausted/)) return { kind: 'address-pool-exhausted', clientNumber: failedIndex + 1 };
  if (logShows(/mode-cfg ACK attribute .* carries a value/)) return { kind: 'mode-cfg-ack-with-values' };
  if (logShows(/mode-cfg REQUEST from .* not answered/)) return { kind: 'mode-cfg-pull', refusesPushedSet: failure?.kind === 'mode-cfg-set-rejected' };
  const takenOver = logShows(/tunnel \d+: \S+ replaces \S+/);
  if (takenOver) return { kind: 'tunnel-taken-over', clientNumber: run.sessions.length };
  if (failure?.step === 'phase1' && !logShows(/respond ISAKMP phase/)) return { kind: 'no-answer', clientSaid };
  if (failure?.step === 'quick-mode') return { kind: 'quick-mode-refused', clientSaid };
  const lastRouterLine = log.filter((line) => line.startsWith('[IKE]')).at(-1);
  return { kind: 'unrecognised', clientSaid, ...(lastRouterLine === undefined ? {} : { lastRouterLine }) };
}

/** The exchange a stopping point belongs to, in the order a client goes through them. */
export function stageOf(point: StoppingPoint): 'phase 1' | 'XAUTH' | 'mode-cfg' | 'quick mode' | 'tunnel' | 'none' {
  switch (point.kind) {
    case 'connected':
      return 'none';
    case 'no-answer':
    case 'unknown-id':
    case 'phase1-no-proposal-chosen':
    case 'encrypted-message3-refused':
    case 'pre-shared-key-mismatch':
      return 'phase 1';
    case 'xauth-refused':
      return 'XAUTH';
    case 'mode-cfg-pull':
    case 'mode-cfg-ack-with-values':
    case 'address-pool-exhausted':
      return 'mode-cfg';
    case 'quick-mode-refused':
      return 'quick mode';
    case 'tunnel-taken-over':
      return 'tunnel';
    case 'unrecognised':
      return 'none';
  }
}
