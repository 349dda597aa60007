/**
 * Each `--impair` rule against the bundled client: the real router in this process with the rule
 * (`RtxRouterOptions.impair`), the client straight to its ports. Either the client recovers by
 * retransmission (the tunnel comes up and carries pings) or it fails at the step, and with the
 * message, the fault must cause. The router's resend interval is scaled down to 150 ms; the
 * client's waits cover it, as in lost-datagrams.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RtxRouter } from '../../src/router/rtx-router.js';
import { parseImpairRule, type ImpairRule } from '../../src/router/impair/impair-rule.js';
import type { RouterEventOf } from '../../src/router/rtx-router-api.js';
import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession, type TunnelSessionResult } from '../../src/initiator/tunnel-session.js';
import { PUSHED_ADDRESS_CLIENT } from './support/esp-gateway.js';
import { CLIENT_TIMING, ROUTER_RESEND_MS } from '../support/scaled-resends.js';


const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function rules(...texts: string[]): ImpairRule[] {
  return texts.map((text) => {
    const parsed = parseImpairRule(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.rule;
  });
}

interface Run {
  readonly result: TunnelSessionResult;
  /** The IKE messages the router wrote and read, in order (`out AGGRESSIVE`, `in QUICK-MODE`...). */
  readonly messages: RouterEventOf<'ike-message'>['message'][];
  readonly router: RtxRouter;
}

async function connectUnder(...impair: string[]): Promise<Run> {
  const router = await RtxRouter.create({ ikePort: 0, nattPort: 0, impair: rules(...impair), responderLimits: { retransmitIntervalMs: ROUTER_RESEND_MS } });
  const messages: Run['messages'] = [];
  router.on('ike-message', (event) => messages.push(event.message));
  const listening = await router.start();
  cleanups.push(() => router.stop());
  const result = await runTunnelSession({
    gateway: { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port },
    local: { address: '127.0.0.1' },
    tunnel: PUSHED_ADDRESS_CLIENT,
    timing: CLIENT_TIMING,
    whenEstablished: 'keep',
  });
  if (result.outcome === 'established') cleanups.push(result.tunnel!.close);
  return { result, messages, router };
}

async function pings(result: TunnelSessionResult): Promise<string[]> {
  if (result.outcome !== 'established') throw new Error(`${result.failure.step}: ${result.failure.text}`);
  const opened = openEspChannel(result);
  if (!opened.ok) throw new Error(opened.problem.text);
  const report = await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 3, intervalMs: 20, timeoutMs: 1000 });
  return report.results.map((echo) => echo.kind);
}

function failureOf(result: TunnelSessionResult): string {
  return result.outcome === 'failed' ? `${result.failure.step}: ${result.failure.text}` : 'established';
}

const sent = (run: Run, exchange: string) => run.messages.filter((message) => message.direction === 'out' && message.exchange === exchange);

describe('the bundled client recovers by retransmission', () => {
  it.each([
    ['drop:out:aggressive:1', 'the first Aggressive Mode message 2 never leaves: the router resends it'],
    ['drop:in:aggressive:2', 'message 3 never arrives: the router resends message 2, the client message 3'],
    ['duplicate:out:aggressive:1', 'message 2 arrives twice: the client answers the repeat with message 3 again'],
    ['duplicate:in:quick:1', 'Quick Mode message 1 is read twice: the router answers the repeat with its stored message 2'],
    ['corrupt:in:aggressive:2', 'message 3 arrives corrupted: the router cannot read it and resends message 2'],
    ['corrupt:out:transaction:1', 'the XAUTH REQUEST arrives corrupted: the client cannot read it, the router resends it'],
    ['corrupt:out:quick:1', 'Quick Mode message 2 arrives with its padding changed (HASH(2) still verifies, the IV for message 3 does not match): the router resends message 2, the client takes the router\'s copy and rebuilds message 3'],
    ['delay:out:transaction:1:400', 'the XAUTH REQUEST is held back past the router\'s own resend: the resend comes first'],
    ['stale-cookie:out:transaction:1', 'the XAUTH REQUEST carries a cookie of no SA of the client\'s: it is ignored, the resend gets through'],
    ['answer-twice:aggressive:2', 'the answer to message 3 (the XAUTH REQUEST) goes out twice'],
    ['drop:out:transaction:3', 'the third Transaction message the router sends (the mode-cfg SET) never leaves: its resend does'],
  ])('%s: %s; the tunnel comes up and answers 3 of 3 pings', async (rule) => {
    const run = await connectUnder(rule);
    expect(failureOf(run.result)).toBe('established');
    expect(await pings(run.result)).toEqual(['reply', 'reply', 'reply']);
  }, 15_000);

  it('drop:out:aggressive:1 really took the first message 2: the router wrote it twice, the client saw one', async () => {
    const run = await connectUnder('drop:out:aggressive:1');
    expect(failureOf(run.result)).toBe('established');
    expect(sent(run, 'AGGRESSIVE').length).toBeGreaterThanOrEqual(2);
    const received = run.result.transcript.filter((record) => record.kind === 'message' && record.entry.direction === 'received' && record.entry.exchange === 'AGGRESSIVE');
    expect(received.length).toBe(sent(run, 'AGGRESSIVE').length - 1);
  });
});

describe('informational exchanges', () => {
  it('drop:in:informational:1+: the client\'s Deletes at close never arrive; it closes all the same, and the router keeps the SAs (what --idle-limit is for)', async () => {
    const run = await connectUnder('drop:in:informational:1+');
    expect(await pings(run.result)).toEqual(['reply', 'reply', 'reply']);
    if (run.result.outcome === 'established') await run.result.tunnel!.close();
    expect(run.messages.filter((message) => message.direction === 'in' && message.exchange === 'INFORMATIONAL')).toEqual([]);
    expect(run.router.tableSizes()).toMatchObject({ isakmpSas: 1, ipsecSaPairs: 1 });
  });
});

describe('the bundled client fails at the step the fault is in, and says so', () => {
  it('drop:out:aggressive:1+: no message 2 ever leaves; the client gives up Phase 1 after its sends of message 1', async () => {
    const run = await connectUnder('drop:out:aggressive:1+');
    expect(failureOf(run.result)).toBe(`phase1: no answer to message 1 after ${CLIENT_TIMING.retransmitTimeoutsMs!.length} sends`);
  });

  it('drop:in:quick:1+: no Quick Mode message 1 arrives; the client gives up Quick Mode', async () => {
    const run = await connectUnder('drop:in:quick:1+');
    expect(run.result.outcome === 'failed' && run.result.failure.step).toBe('quick-mode');
    expect(run.result.outcome === 'failed' && run.result.failure.kind).toBe('quick-mode-no-response');
  });

  it('withhold-mode-cfg-set: XAUTH succeeds, no SET ever comes; the client fails at mode-cfg after its wait', async () => {
    const run = await connectUnder('withhold-mode-cfg-set');
    expect(failureOf(run.result)).toBe(`mode-cfg: no mode-cfg SET within ${CLIENT_TIMING.peerWaitMs} ms`);
    expect(run.router.leases().map((lease) => lease.address)).toEqual(['10.1.1.110']); // the address was assigned, only the SET withheld
  });

  it('stale-cookie:out:aggressive:1: message 2 names another cookie, which HASH_R covers; the client fails Phase 1 at once (it does not wait for the resend)', async () => {
    const run = await connectUnder('stale-cookie:out:aggressive:1');
    // The client's diagnosis for any HASH_R mismatch names the likeliest cause, the keys.
    expect(failureOf(run.result)).toBe('phase1: HASH_R does not verify: the pre-shared keys differ');
  });
});
