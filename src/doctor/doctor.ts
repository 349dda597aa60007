/**
 * `rtxlab doctor`'s core: run the client against the config; where it stops, try the smallest
 * fixes one at a time, each on a fresh router and client; keep the first that connects or gets
 * the client to a later stage, and go on from there until it connects or nothing helps.
 */
import type { TunnelTiming } from '../initiator/index.js';
import { decisiveLogLine } from '../matrix/judge.js';
import { applyFix, proposeFixes, type Fix } from './fixes.js';
import { routerSettings } from './router-settings.js';
import { runScenario, type ScenarioRun } from './run-scenario.js';
import type { DoctorScenario } from './scenario.js';
import { locateStop, stageOf, stoppingPoint, type StoppingPoint } from './stopping-point.js';

/** What a re-run with one fix applied showed. */
export type AttemptResult =
  | { readonly kind: 'connects' }
  | { readonly kind: 'gets-further'; readonly nextStop: StoppingPoint }
  | { readonly kind: 'no-better'; readonly stop: StoppingPoint }
  | { readonly kind: 'not-valid-config'; readonly lines: readonly string[] };

export interface DoctorAttempt {
  readonly fix: Fix;
  readonly result: AttemptResult;
}

export interface DoctorStep {
  readonly stop: StoppingPoint;
  /** The router's most telling line of the run (never a message or key dump). */
  readonly routerLine?: string;
  /** The client's own account of where it stopped. */
  readonly clientSaid?: string;
  readonly attempts: readonly DoctorAttempt[];
  /** The attempt kept (it connects or gets further). */
  readonly accepted?: Fix;
  /** When nothing rtxlab can play fixes it. */
  readonly noFix?: { readonly why: string; readonly workaround: string };
}

export interface DoctorReport {
  readonly scenario: DoctorScenario;
  readonly connectsAsConfigured: boolean;
  readonly steps: readonly DoctorStep[];
  /** The kept fixes, in order: applied together, the last re-run ran with all of them. */
  readonly fixes: readonly Fix[];
  /** The re-run with every kept fix applied connected. */
  readonly connectsWithFixes: boolean;
}

/** A chain longer than this means doctor is going round in circles, not fixing. */
const MAX_STEPS = 5;

const STAGE_ORDER = ['phase 1', 'XAUTH', 'mode-cfg', 'quick mode', 'tunnel'] as const;

export interface DoctorOptions {
  readonly timing?: TunnelTiming;
  /** Told of each run as it starts (the CLI prints progress on stderr). */
  readonly onRun?: (what: string) => void;
}

export async function diagnose(initial: DoctorScenario, options: DoctorOptions = {}): Promise<DoctorReport> {
  const run = (scenario: DoctorScenario, what: string) => {
    options.onRun?.(what);
    return runScenario(scenario, options.timing);
  };
  let scenario = initial;
  let current: ScenarioRun = await run(scenario, 'as configured');
  const steps: DoctorStep[] = [];
  const fixes: Fix[] = [];
  for (let stepCount = 0; stepCount < MAX_STEPS; stepCount += 1) {
    const located = locateStop(current);
    const stop = located.point;
    if (stop.kind === 'connected') break;
    const evidence = stepEvidence(current, located.routerLine);
    const proposal = proposeFixes(stop, scenario, await routerSettings(scenario));
    if (proposal.kind === 'none') {
      steps.push({ stop, ...evidence, attempts: [], noFix: { why: proposal.why, workaround: proposal.workaround } });
      break;
    }
    const attempts: DoctorAttempt[] = [];
    let kept: { fix: Fix; run: ScenarioRun } | undefined;
    for (const fix of proposal.fixes) {
      const rerun = await run(applyFix(scenario, fix), describeFixBriefly(fix));
      const result = judgeAttempt(stop, rerun);
      attempts.push({ fix, result });
      if (result.kind === 'connects' || result.kind === 'gets-further') {
        kept = { fix, run: rerun };
        break;
      }
    }
    steps.push({ stop, ...evidence, attempts, ...(kept ? { accepted: kept.fix } : {}) });
    if (!kept) break;
    fixes.push(kept.fix);
    scenario = applyFix(scenario, kept.fix);
    current = kept.run;
  }
  const connectsAsConfigured = steps.length === 0 && current.connected;
  return { scenario: initial, connectsAsConfigured, steps, fixes, connectsWithFixes: fixes.length > 0 && current.connected };
}

function judgeAttempt(before: StoppingPoint, rerun: ScenarioRun): AttemptResult {
  if (rerun.rejectedLines.length > 0) return { kind: 'not-valid-config', lines: rerun.rejectedLines };
  const after = stoppingPoint(rerun);
  if (after.kind === 'connected') return { kind: 'connects' };
  const further = after.kind !== before.kind && stageRank(after) >= stageRank(before);
  return further ? { kind: 'gets-further', nextStop: after } : { kind: 'no-better', stop: after };
}

function stageRank(point: StoppingPoint): number {
  const stage = stageOf(point);
  return stage === 'none' ? -1 : STAGE_ORDER.indexOf(stage);
}

function stepEvidence(run: ScenarioRun, stopLine: string | undefined): Pick<DoctorStep, 'routerLine' | 'clientSaid'> {
  const routerLine = stopLine ?? decisiveLogLine(run.router.logLines);
  const failure = run.sessions.find((session) => session.outcome === 'failed')?.failure;
  return { ...(routerLine === undefined ? {} : { routerLine }), ...(failure ? { clientSaid: `${failure.step}: ${failure.text}` } : {}) };
}

export function describeFixBriefly(fix: Fix): string {
  return fix.side === 'router' ? `router: ${fix.lines.join(' / ')}` : `client: ${fix.change}`;
}
