/**
 * What `ipsec ike keepalive use` makes the router do for one SA (§15.20), as pure values: which
 * method runs, when probes go, which answers count, and when the peer is given up.
 */
import { describe, expect, it } from 'vitest';
import {
  keepaliveDue,
  keepaliveHeard,
  keepalivePlan,
  startKeepalive,
  type ActivePlan,
  type KeepaliveState,
} from '../../src/ike-responder/keepalive-schedule.js';
import type { KeepalivePolicy } from '../../src/ike-responder/policy.js';

const policy = (overrides: Partial<KeepalivePolicy>): KeepalivePolicy => ({ use: 'auto', method: 'heartbeat', intervalSeconds: 10, count: 6, log: true, ...overrides });
const ANNOUNCED = { announcedDpd: true };
const DPD: ActivePlan = { kind: 'dpd', intervalMs: 10_000, count: 3 };

/** Runs the schedule to `until`, answering each probe when `answers(sequence)` says so; returns the actions' times. */
function run(state: KeepaliveState, until: number, answers: (sequence: number, at: number) => boolean) {
  const log: { at: number; action: string }[] = [];
  for (let guard = 0; guard < 1_000; guard++) {
    const at = state.nextDueAt;
    if (at === undefined || at > until) break;
    const step = keepaliveDue(state, at);
    state = step.state;
    log.push({ at, action: step.action.kind });
    if (step.action.kind === 'send' && answers(step.action.sequence, at)) state = keepaliveHeard(state, { kind: 'dpd-ack', sequence: step.action.sequence }, at + 5).state;
  }
  return { state, log };
}

describe('which keepalive runs', () => {
  it('dpd and icmp-echo treat auto as on; off runs nothing', () => {
    expect(keepalivePlan(policy({ method: 'dpd', use: 'auto' }), ANNOUNCED)).toEqual({ kind: 'dpd', intervalMs: 10_000, count: 6 });
    expect(keepalivePlan(policy({ method: 'icmp-echo', use: 'auto', icmpEchoTarget: '10.1.1.110' }), ANNOUNCED)).toEqual({
      kind: 'icmp-echo',
      target: '10.1.1.110',
      length: 64,
      intervalMs: 10_000,
      count: 6,
    });
    expect(keepalivePlan(policy({ method: 'dpd', use: 'off' }), ANNOUNCED).kind).toBe('none');
  });

  it('heartbeat on sends first; auto (the default) waits for the peer; rfc4306 falls back to heartbeat under IKEv1', () => {
    expect(keepalivePlan(policy({ use: 'on' }), ANNOUNCED)).toMatchObject({ kind: 'heartbeat', sendsFirst: true });
    expect(keepalivePlan(policy({}), ANNOUNCED)).toMatchObject({ kind: 'heartbeat', sendsFirst: false });
    expect(keepalivePlan(policy({ method: 'rfc4306', use: 'on' }), ANNOUNCED)).toMatchObject({ kind: 'heartbeat', sendsFirst: true });
  });

  it('R-U-THERE goes only to a peer that announced DPD (RFC 3706 §5.1), unless the option says otherwise', () => {
    expect(keepalivePlan(policy({ method: 'dpd', use: 'on' }), { announcedDpd: false })).toEqual({ kind: 'none', why: 'the peer did not announce DPD (RFC 3706 §5.1)' });
    expect(keepalivePlan(policy({ method: 'dpd', use: 'on' }), { announcedDpd: false }, { dpdOnlyToAnnouncingPeers: false }).kind).toBe('dpd');
  });
});

describe('DPD probes', () => {
  it('go every interval with increasing sequence numbers while answered', () => {
    const { log, state } = run(startKeepalive(DPD, 0, 100), 60_000, () => true);
    expect(log.map((entry) => entry.at)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(log.every((entry) => entry.action === 'send')).toBe(true);
    expect(state.lastSequence).toBe(105);
    expect(state.missed).toBe(0);
  });

  it('give the peer up when a probe falls due after `count` unanswered ones: between count and count + 1 intervals after it fell silent', () => {
    const silentFrom = 25_000;
    const { log } = run(startKeepalive(DPD, 0, 1), 200_000, (_sequence, at) => at < silentFrom);
    expect(log).toEqual([
      { at: 10_000, action: 'send' },
      { at: 20_000, action: 'send' },
      { at: 30_000, action: 'send' },
      { at: 40_000, action: 'send' },
      { at: 50_000, action: 'send' },
      { at: 60_000, action: 'peer-dead' },
    ]);
    const deadAt = 60_000;
    expect(deadAt - silentFrom).toBeGreaterThanOrEqual(3 * 10_000);
    expect(deadAt - silentFrom).toBeLessThanOrEqual(4 * 10_000);
  });

  it('one answer resets the count', () => {
    const answered = new Set([3]);
    const { log } = run(startKeepalive(DPD, 0, 1), 200_000, (sequence) => answered.has(sequence));
    // Probes 1 and 2 unanswered, 3 answered, then 4, 5, 6 unanswered.
    expect(log.filter((entry) => entry.action === 'send')).toHaveLength(6);
    expect(log.at(-1)).toEqual({ at: 70_000, action: 'peer-dead' });
  });

  it('count only an ACK of an unanswered probe: a wrong sequence or an ACK before any probe does nothing', () => {
    let state = startKeepalive(DPD, 0, 50);
    expect(keepaliveHeard(state, { kind: 'dpd-ack', sequence: 49 }, 1).counted).toBe(false);
    state = keepaliveDue(state, 10_000).state;
    state = keepaliveDue(state, 20_000).state;
    // Probes 50 and 51 are out, 50 unanswered: either ACK counts, a later or much older one does not.
    expect(keepaliveHeard(state, { kind: 'dpd-ack', sequence: 52 }, 20_001).counted).toBe(false);
    expect(keepaliveHeard(state, { kind: 'dpd-ack', sequence: 49 }, 20_001).counted).toBe(false);
    expect(keepaliveHeard(state, { kind: 'dpd-ack', sequence: 50 }, 20_001)).toMatchObject({ counted: true, state: { missed: 0, heard: true } });
    expect(keepaliveHeard(state, { kind: 'heartbeat', sequence: 51 }, 20_001).counted).toBe(false);
  });

  it('wrap their sequence number at 2^32', () => {
    const state = keepaliveDue(startKeepalive(DPD, 0, 0xffff_ffff), 10_000);
    expect(state.action).toEqual({ kind: 'send', sequence: 0xffff_ffff });
    expect(keepaliveDue(keepaliveHeard(state.state, { kind: 'dpd-ack', sequence: 0xffff_ffff }, 10_001).state, 20_000).action).toEqual({ kind: 'send', sequence: 0 });
  });
});

describe('ICMP echo probes', () => {
  it('match replies on the 16-bit sequence field', () => {
    const plan: ActivePlan = { kind: 'icmp-echo', target: '10.1.1.110', length: 64, intervalMs: 1_000, count: 2 };
    const step = keepaliveDue(startKeepalive(plan, 0, 0x1_0005), 1_000);
    expect(step.action).toEqual({ kind: 'send', sequence: 0x1_0005 });
    expect(keepaliveHeard(step.state, { kind: 'icmp-echo-reply', sequence: 5 }, 1_001).counted).toBe(true);
    expect(keepaliveHeard(step.state, { kind: 'dpd-ack', sequence: 0x1_0005 }, 1_001).counted).toBe(false);
  });
});

describe('heartbeats', () => {
  const ON: ActivePlan = { kind: 'heartbeat', sendsFirst: true, intervalMs: 10_000, count: 3 };
  const AUTO: ActivePlan = { kind: 'heartbeat', sendsFirst: false, intervalMs: 10_000, count: 3 };

  it('on: sent every interval; the peer is given up after `count` intervals without one of its heartbeats (expected from the start)', () => {
    let state = startKeepalive(ON, 0, 1);
    const actions: string[] = [];
    for (let at = 10_000; at <= 30_000; at += 10_000) {
      const step = keepaliveDue(state, at);
      state = step.state;
      actions.push(step.action.kind);
    }
    expect(actions).toEqual(['send', 'send', 'peer-dead']);
    expect(state.nextDueAt).toBeUndefined();
  });

  it('on: each heartbeat heard resets the count, whatever its sequence (it is the peer\'s own)', () => {
    let state = startKeepalive(ON, 0, 1);
    for (let at = 10_000; at <= 100_000; at += 10_000) {
      state = keepaliveHeard(state, { kind: 'heartbeat', sequence: 9_000 + at }, at - 1).state;
      expect(keepaliveDue(state, at).action.kind).toBe('send');
      state = keepaliveDue(state, at).state;
    }
  });

  it('auto: nothing is sent until the peer sends one; then the first goes at once', () => {
    let state = startKeepalive(AUTO, 0, 1);
    expect(state.nextDueAt).toBeUndefined();
    expect(keepaliveDue(state, 1_000_000).action.kind).toBe('wait');
    state = keepaliveHeard(state, { kind: 'heartbeat', sequence: 7 }, 12_345).state;
    expect(state.nextDueAt).toBe(12_345);
    expect(keepaliveDue(state, 12_345).action).toEqual({ kind: 'send', sequence: 1 });
  });
});
