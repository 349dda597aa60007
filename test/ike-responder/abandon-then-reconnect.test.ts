/**
 * The lock-out by vanished peers, at its scale: 1,000 sessions that end without a Delete
 * fill the ISAKMP SA table (`maxIsakmpSas`, 1,000). Without the idle limit the RTX keeps them for
 * their lifetime (28,800 s; no DPD configured) and refuses newcomers, as docs/fidelity.md says;
 * with rtxlab's idle limit the newcomer is admitted the moment the limit frees the table, and its
 * Phase 1 completes at once. Phase 1 only (XAUTH off), so each abandoned session costs one
 * handshake: the table, not the exchange, is what is under test.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESPONDER_LIMITS } from '../../src/ike-responder/responder.js';
import { T0, clientMessage1, establish, inbound, logLines, newResponder, seedGateway, sends } from './support.js';

const ABANDONED = DEFAULT_RESPONDER_LIMITS.maxIsakmpSas;
const IDLE_MS = 60_000;
const NEWCOMER = { address: '192.0.2.200', port: 500 };

function abandonedSessions(idleLimitMs: number) {
  const responder = newResponder([seedGateway({ xauth: { request: false } })], { limits: { idleLimitMs } });
  // Each from its own address, as 1,000 vanished remote-access clients would be.
  for (let n = 0; n < ABANDONED; n++) {
    const from = { address: `10.${200 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`, port: 500 };
    establish(responder, { from });
  }
  return responder;
}

describe(`${ABANDONED} abandoned sessions, then a new client`, () => {
  it('without the idle limit (the RTX: SAs live their lifetime): the newcomer is refused, still an hour later', () => {
    const responder = abandonedSessions(0);
    expect(responder.tableSizes().isakmpSas).toBe(ABANDONED);
    const refused = responder.receive(inbound(clientMessage1().bytes, NEWCOMER), T0 + 1_000);
    expect(sends(refused)).toEqual([]);
    expect(logLines(refused).join('\n')).toContain(`(${ABANDONED})`);
    expect(sends(responder.receive(inbound(clientMessage1().bytes, NEWCOMER), T0 + 3_600_000))).toEqual([]);
  }, 60_000);

  it('with --idle-limit: refused until the limit, admitted at once when it falls due, and its Phase 1 completes', () => {
    const responder = abandonedSessions(IDLE_MS);
    expect(sends(responder.receive(inbound(clientMessage1().bytes, NEWCOMER), T0 + 1_000))).toEqual([]);
    const due = responder.nextDeadline()!;
    expect(due).toBe(T0 + 100 + IDLE_MS); // message 3 of each came at T0 + 100
    const reclaimed = responder.tick(due);
    expect(logLines(reclaimed).filter((line) => line.includes('rtxlab idle limit'))).toHaveLength(ABANDONED);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 0, ipsecSaPairs: 0, leases: 0 });
    establish(responder, { from: NEWCOMER, now: due });
    expect(responder.isakmpSas().map((sa) => [sa.peer.address, sa.state, sa.establishedAt])).toEqual([[NEWCOMER.address, 'established', due + 100]]);
  }, 60_000);
});
