import { describe, expect, it } from 'vitest';
import { decisiveLogLine, describeOutcome, judgeRow, type RowRun, type SessionSummary } from '../../src/matrix/index.js';

const connected: SessionSummary = {
  outcome: 'established',
  modeCfg: { address: '10.1.1.110', dns: [], nbns: [] },
  esp: { encryption: '3des-cbc', integrity: 'hmac-sha1-96', mode: 'tunnel', outboundSpi: '01020304', inboundSpi: '05060708', localId: '10.1.1.110', remoteId: '10.1.1.0/255.255.255.0' },
  transcript: [],
};
const failedIn = (step: string, text: string, transcript: string[] = []): SessionSummary => ({ outcome: 'failed', failure: { step, kind: 'x', text }, transcript });
const UP = '[IKE] ISAKMP SA established with 127.0.0.1 (gateway 1, message 3 in clear)';
const run = (session: SessionSummary, routerLog: string[]): RowRun => ({ session, routerLog });

describe('judging a row against what the seed observed', () => {
  it('connects: only a tunnel with ESP SAs counts', () => {
    expect(judgeRow({ kind: 'connects' }, run(connected, [UP])).matches).toBe(true);
    const isakmpOnly = { ...connected, esp: undefined };
    expect(judgeRow({ kind: 'connects' }, run(isakmpOnly, [UP])).matches).toBe(false);
    expect(judgeRow({ kind: 'connects' }, run(failedIn('quick-mode', 'no answer'), [UP]))).toEqual({ matches: false, why: 'no tunnel: failed during quick-mode: no answer' });
  });

  it('does-not-connect: any failure counts, a tunnel does not', () => {
    expect(judgeRow({ kind: 'does-not-connect' }, run(failedIn('phase1', 'x'), [])).matches).toBe(true);
    expect(judgeRow({ kind: 'does-not-connect' }, run(connected, [UP])).matches).toBe(false);
  });

  it("phase1-refused: the router must not establish the SA and must log the seed's line", () => {
    const expected = { kind: 'phase1-refused', routerLog: /payload malformed : no message/ } as const;
    const malformed = '[IKE] payload malformed : no message (127.0.0.1)';
    expect(judgeRow(expected, run(failedIn('phase1', 'x'), [malformed])).matches).toBe(true);
    expect(judgeRow(expected, run(failedIn('xauth', 'silence taken as acceptance'), [malformed])).matches).toBe(true);
    expect(judgeRow(expected, run(failedIn('phase1', 'x'), ['[IKE] HASH mismatch, pre-shared key may differ (127.0.0.1)'])).matches).toBe(false);
    expect(judgeRow(expected, run(failedIn('xauth', 'x'), [malformed, UP])).matches).toBe(false);
  });

  it('fails-after-phase1: the SA up on the router, then the step, the transcript lines and the mention asked for', () => {
    const expected = { kind: 'fails-after-phase1', step: 'mode-cfg', transcriptShows: [/Unexpected SET attribute INTERNAL.IP4.ADDRESS/], mentions: /not answered/ } as const;
    const transcript = ['+1ms .. Unexpected SET attribute INTERNAL-IP4-ADDRESS'];
    const unanswered = '[IKE] mode-cfg REQUEST from 127.0.0.1 not answered (the router only sends SET): INTERNAL-IP4-ADDRESS';
    expect(judgeRow(expected, run(failedIn('mode-cfg', 'x', transcript), [UP, unanswered])).matches).toBe(true);
    expect(judgeRow(expected, run(failedIn('mode-cfg', 'x', transcript), [unanswered])).matches).toBe(false);
    expect(judgeRow(expected, run(failedIn('quick-mode', 'x', transcript), [UP, unanswered])).matches).toBe(false);
    expect(judgeRow(expected, run(failedIn('mode-cfg', 'x', []), [UP, unanswered])).matches).toBe(false);
    expect(judgeRow(expected, run(failedIn('mode-cfg', 'x', transcript), [UP])).matches).toBe(false);
  });
});

describe('the decisive log line', () => {
  it('prefers a refusal to the lines of progress, and never picks a message or payload dump', () => {
    const log = [
      '[IKE] respond ISAKMP phase to 127.0.0.1',
      '[IKE] receive message from 127.0.0.1:500 : AGGRESSIVE, ... payload malformed',
      '[IKE]  payload HASH : 0x00',
      '[IKE] payload malformed : no message (127.0.0.1)',
    ];
    expect(decisiveLogLine(log)).toBe('[IKE] payload malformed : no message (127.0.0.1)');
  });

  it('picks the tunnel coming up when nothing failed, and the last event otherwise', () => {
    expect(decisiveLogLine(['[IKE] respond ISAKMP phase to 127.0.0.1', 'IP Tunnel[1] Up', '[IKE] ISAKMP SA deleted by 127.0.0.1'])).toBe('IP Tunnel[1] Up');
    expect(decisiveLogLine(['[IKE] respond ISAKMP phase to 127.0.0.1'])).toBe('[IKE] respond ISAKMP phase to 127.0.0.1');
    expect(decisiveLogLine(['RTX1500 Rev.8.03.75 starts'])).toBeUndefined();
  });

  it('describes an outcome in one line', () => {
    expect(describeOutcome(connected)).toBe('connected: virtual IP 10.1.1.110, ESP 3des-cbc/hmac-sha1-96 10.1.1.110 <-> 10.1.1.0/255.255.255.0');
    expect(describeOutcome(failedIn('xauth', 'refused'))).toBe('failed during xauth: refused');
  });
});
