/** Doctor's report for people (text) and for CI (JSON, no secrets). */
import type { DoctorAttempt, DoctorReport } from './doctor.js';
import type { Fix } from './fixes.js';
import type { DoctorScenario } from './scenario.js';
import { stageOf, type StoppingPoint } from './stopping-point.js';

/** What the stopping point means, in one sentence. */
export function explainStop(point: StoppingPoint): string {
  switch (point.kind) {
    case 'connected':
      return 'the client connects';
    case 'no-answer':
      return `the router never answered the client's first message (${point.clientSaid})`;
    case 'unknown-id':
      return `no enabled gateway takes the client's ID "${point.id}"`;
    case 'phase1-no-proposal-chosen':
      return "the router took none of the client's Phase 1 proposals";
    case 'encrypted-message3-refused':
      return 'the client encrypts Aggressive Mode message 3 and the router, under payload type 1 or 2, refuses it';
    case 'pre-shared-key-mismatch':
      return `the pre-shared keys differ (the ${point.seenBy}'s HASH check failed)`;
    case 'xauth-refused':
      return `XAUTH refused user ${point.user}: ${point.reason}`;
    case 'mode-cfg-pull':
      return point.refusesPushedSet
        ? 'the client only pulls its address (mode-cfg REQUEST) and refuses the SET the router pushes'
        : 'the client pulls its address with a mode-cfg REQUEST, which an RTX never answers (it only pushes a SET)';
    case 'mode-cfg-ack-with-values':
      return "the client's ACK of the mode-cfg SET carries values, which the default mode-cfg method refuses as malformed";
    case 'address-pool-exhausted':
      return `client ${point.clientNumber} got no address: the mode-cfg pool is exhausted`;
    case 'tunnel-taken-over':
      return `client ${point.clientNumber} took over the tunnel of an earlier client (one peer per tunnel)`;
    case 'quick-mode-refused':
      return `Quick Mode failed (${point.clientSaid})`;
    case 'unrecognised':
      return `the client stopped (${point.clientSaid})${point.lastRouterLine ? `; the router's last line: ${point.lastRouterLine}` : ''}`;
  }
}

export function describeClient(scenario: DoctorScenario): string {
  const overrides = Object.entries(scenario.client.overrides).map(([name, value]) => `${name} = ${formatOverride(value)}`);
  const count = scenario.client.count > 1 ? `${scenario.client.count} x ` : '';
  return `${count}${scenario.client.profile}${overrides.length ? ` (${overrides.join(', ')})` : ''}`;
}

function formatOverride(value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (typeof value === 'object' && value !== null) return Object.values(value).join('-');
  return String(value);
}

export function describeFix(fix: Fix): string {
  return fix.side === 'router' ? `on the router: ${fix.lines.join('; ')}` : `on the client: ${fix.change}`;
}

function describeAttempt(attempt: DoctorAttempt): string {
  const result = attempt.result;
  switch (result.kind) {
    case 'connects':
      return 'connects';
    case 'gets-further':
      return `gets further, then ${explainStop(result.nextStop)}`;
    case 'no-better':
      return `no better: ${explainStop(result.stop)}`;
    case 'not-valid-config':
      return `not applied (the router refused ${result.lines.join('; ')})`;
  }
}

export function formatDoctorReport(report: DoctorReport, source: string): string[] {
  const lines = [`rtxlab doctor: ${describeClient(report.scenario)} against ${source}`];
  if (report.connectsAsConfigured) return [...lines, '', 'verdict  connects as configured'];
  report.steps.forEach((step, index) => {
    lines.push('', `${index + 1}. stops at ${stageOf(step.stop)}: ${explainStop(step.stop)}`);
    if (step.routerLine) lines.push(`   router   ${step.routerLine}`);
    if (step.clientSaid) lines.push(`   client   ${step.clientSaid}`);
    for (const attempt of step.attempts) {
      lines.push(`   ${attempt === step.attempts.find((a) => a.fix === step.accepted) ? 'fix     ' : 'tried   '} ${describeFix(attempt.fix)}`, `            why: ${attempt.fix.why}`, `            re-run with it: ${describeAttempt(attempt)}`);
    }
    if (step.noFix) lines.push(`   fix      none: ${step.noFix.why}`, `   instead  ${step.noFix.workaround}`);
    else if (!step.accepted) lines.push('   fix      none found: no change rtxlab knows gets the client further here');
  });
  lines.push('', `verdict  ${verdictText(report)}`);
  return lines;
}

function verdictText(report: DoctorReport): string {
  const changes = report.fixes.map(describeFix).join(' + ');
  if (report.connectsWithFixes) return `does not connect as configured; connects with ${report.fixes.length === 1 ? 'this change' : `these ${report.fixes.length} changes`}: ${changes}`;
  if (report.fixes.length > 0) return `does not connect as configured; ${changes} get${report.fixes.length === 1 ? 's' : ''} it further, but it still does not connect`;
  return 'does not connect as configured, and no change rtxlab knows makes it connect';
}

/** JSON for CI: fixes as lines or client changes, never a key or password. */
export function doctorJson(report: DoctorReport): object {
  const fixJson = (fix: Fix) => (fix.side === 'router' ? { side: 'router', lines: fix.lines, why: fix.why } : { side: 'client', change: fix.change, why: fix.why });
  return {
    client: describeClient(report.scenario),
    connectsAsConfigured: report.connectsAsConfigured,
    connectsWithFixes: report.connectsWithFixes,
    steps: report.steps.map((step) => ({
      stage: stageOf(step.stop),
      stop: step.stop,
      explanation: explainStop(step.stop),
      ...(step.routerLine ? { routerLine: step.routerLine } : {}),
      ...(step.clientSaid ? { clientSaid: step.clientSaid } : {}),
      attempts: step.attempts.map((attempt) => ({ fix: fixJson(attempt.fix), result: attempt.result.kind, outcome: describeAttempt(attempt) })),
      ...(step.accepted ? { fix: fixJson(step.accepted) } : {}),
      ...(step.noFix ? { noFix: step.noFix } : {}),
    })),
    fixes: report.fixes.map(fixJson),
  };
}
