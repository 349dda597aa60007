/**
 * Whether a row's run reproduced the seed's observation, and which router log line says most
 * about what happened. Pure: a run is the client's summary plus the router's log lines.
 */
import type { ExpectedOutcome } from './rows.js';
import type { SessionSummary } from './session-summary.js';

export interface RowRun {
  readonly session: SessionSummary;
  /** The router's log messages, timestamps stripped, in order. */
  readonly routerLog: readonly string[];
}

export type Verdict = { readonly matches: true } | { readonly matches: false; readonly why: string };

/** The responder's debug line for an established ISAKMP SA (`syslog debug on`, as in the seed). */
const ISAKMP_SA_ESTABLISHED = /\[IKE\] ISAKMP SA established/;

export function routerEstablishedPhase1(routerLog: readonly string[]): boolean {
  return routerLog.some((line) => ISAKMP_SA_ESTABLISHED.test(line));
}

export function judgeRow(expected: ExpectedOutcome, run: RowRun): Verdict {
  const connected = run.session.outcome === 'established' && run.session.esp !== undefined;
  const phase1Up = routerEstablishedPhase1(run.routerLog);
  const fail = (why: string): Verdict => ({ matches: false, why });
  switch (expected.kind) {
    case 'connects':
      return connected ? { matches: true } : fail(`no tunnel: ${describeOutcome(run.session)}`);
    case 'does-not-connect':
      return connected ? fail('the tunnel came up') : { matches: true };
    case 'phase1-refused':
      if (connected) return fail('the tunnel came up');
      if (phase1Up) return fail('the router established the ISAKMP SA');
      return run.routerLog.some((line) => expected.routerLog.test(line)) ? { matches: true } : fail(`the router logged no line matching ${expected.routerLog}`);
    case 'fails-after-phase1': {
      if (connected) return fail('the tunnel came up');
      if (!phase1Up) return fail('the router never established the ISAKMP SA');
      const step = run.session.failure?.step;
      if (expected.step && step !== expected.step) return fail(`the client stopped during ${step ?? 'nothing'}, not ${expected.step}`);
      const missing = (expected.transcriptShows ?? []).filter((pattern) => !run.session.transcript.some((line) => pattern.test(line)));
      if (missing.length > 0) return fail(`the client transcript has no line matching ${missing.join(', ')}`);
      const mentions = expected.mentions;
      if (mentions && !run.routerLog.some((line) => mentions.test(line)) && !run.session.transcript.some((line) => mentions.test(line))) {
        return fail(`neither the router log nor the client transcript mentions ${mentions}`);
      }
      return { matches: true };
    }
  }
}

/** `connected: 10.1.1.110, ESP 3des-cbc/hmac-sha1-96` or `failed during mode-cfg: ...`. */
export function describeOutcome(session: SessionSummary): string {
  if (session.outcome === 'failed') return `failed during ${session.failure!.step}: ${session.failure!.text}`;
  if (!session.esp) return 'ISAKMP SA only (no Quick Mode)';
  const address = session.modeCfg?.address ? `virtual IP ${session.modeCfg.address}, ` : '';
  const selectors = session.esp.localId && session.esp.remoteId ? ` ${session.esp.localId} <-> ${session.esp.remoteId}` : '';
  return `connected: ${address}ESP ${session.esp.encryption}/${session.esp.integrity}${selectors}`;
}

/**
 * The router line that explains a run best: a refusal or failure line if there is one (the first
 * of the most telling kind), else the line of the tunnel coming up, else the last IKE line.
 * Message, payload and key dumps (`ipsec ike log`) never count.
 */
export function decisiveLogLine(routerLog: readonly string[]): string | undefined {
  const lines = routerLog.filter(isSummaryLine);
  for (const pattern of DECISIVE_PATTERNS) {
    const found = lines.find((line) => pattern.test(line));
    if (found) return found;
  }
  return lines.at(-1);
}

const DECISIVE_PATTERNS: readonly RegExp[] = [
  /payload malformed/i,
  /HASH mismatch/,
  /no gateway for ID/,
  /no proposal chosen/,
  /refused/,
  /not answered/,
  /not acknowledged/,
  /answered with a REPLY instead of an ACK/,
  /timed out/,
  /notification .* received/,
  /ISAKMP SA with \S+ deleted/,
  /IP Tunnel\[\d+\] Up/,
  /respond IPsec phase/,
  /mode-cfg: /,
];

/** A line that states an event, not a dump of one message (`send message`, `  payload ...`, `  key ...`). */
function isSummaryLine(line: string): boolean {
  if (!line.startsWith('[IKE] ') && !line.startsWith('IP Tunnel')) return false;
  return !/^\[IKE\] ( |send message|receive message)/.test(line);
}
