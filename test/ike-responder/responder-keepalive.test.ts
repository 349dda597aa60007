/**
 * The router's own keepalives through the responder, on an injected clock:
 * `ipsec ike keepalive use 1 on dpd 10 3` sends R-U-THERE every 10 s under the ISAKMP SA, an
 * R-U-THERE-ACK keeps the tunnel, and three unanswered ones take the peer's SAs and tunnel down.
 */
import { describe, expect, it } from 'vitest';
import { RTXLAB_HEARTBEAT_NOTIFY, heartbeatNotify, readHeartbeatNotify } from '../../src/ike/rtxlab-heartbeat.js';
import { parseInformational } from '../../src/ike/initiator/informational.js';
import type { KeepalivePolicy } from '../../src/ike-responder/policy.js';
import type { ResponderEffect } from '../../src/ike-responder/port.js';
import type { RtxIkeResponder } from '../../src/ike-responder/responder.js';
import { CLIENT, ClientFlow, connectSeedClient, establish, logLines, newRemoteAccessResponder, seedTunnelGateway, sends } from './support.js';

const DPD_10_3: KeepalivePolicy = { use: 'on', method: 'dpd', intervalSeconds: 10, count: 3, log: true };

function dpdResponder(keepalive: KeepalivePolicy = DPD_10_3, syslogDebug = true): RtxIkeResponder {
  return newRemoteAccessResponder([seedTunnelGateway({ keepalive })], { syslogDebug });
}

/** A seed client (announcing DPD unless told otherwise) with its tunnel up; `establishedAt` is Phase 1's end. */
function connectedClient(responder: RtxIkeResponder, vendorIds: ('DPD' | 'XAUTH')[] = ['XAUTH', 'DPD']) {
  const { flow } = connectSeedClient(responder, { client: { vendorIds } });
  flow.quickMode();
  const [sa] = responder.isakmpSas();
  return { flow, establishedAt: sa!.establishedAt! };
}

/** The R-U-THERE sequence numbers in what the responder sent, as the client reads them. */
function rUThereSequences(flow: ClientFlow, effects: readonly ResponderEffect[]): number[] {
  return sends(effects).flatMap((send) => {
    const parsed = parseInformational(flow.sa, send.bytes);
    if (!parsed.ok) throw new Error(parsed.failure.text);
    return parsed.value.items.flatMap((item) => (item.kind === 'r-u-there' ? [item.sequence] : []));
  });
}

const events = (effects: readonly ResponderEffect[]) => effects.flatMap((effect) => (effect.kind === 'event' && effect.event.type !== 'ike-message' ? [effect.event] : []));

describe('router-sent DPD (ipsec ike keepalive use GW on dpd)', () => {
  it('sends an encrypted R-U-THERE one interval after Phase 1, then every interval, with increasing sequence numbers while answered', () => {
    const responder = dpdResponder();
    const { flow, establishedAt } = connectedClient(responder);
    expect(responder.nextDeadline()).toBe(establishedAt + 10_000);
    expect(sends(responder.tick(establishedAt + 9_999))).toEqual([]);
    const sequences: number[] = [];
    for (let round = 1; round <= 5; round++) {
      const effects = responder.tick(establishedAt + round * 10_000);
      const [sequence] = rUThereSequences(flow, effects);
      sequences.push(sequence!);
      flow.now = establishedAt + round * 10_000 + 20;
      const answered = flow.informational([{ kind: 'r-u-there-ack', sequence: sequence! }]);
      expect(logLines(answered, 'debug')).toContain(`[IKE] keepalive dpd-ack from 192.0.2.132 (sequence ${sequence})`);
    }
    expect(sequences.map((sequence) => sequence - sequences[0]!)).toEqual([0, 1, 2, 3, 4]);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 1, ipsecSaPairs: 1, keepalives: 1 });
  });

  it('follows the newest ISAKMP SA of the same peer (address and port): a Phase 1 rekey moves it, a NAT neighbour keeps its own (assumed)', () => {
    const responder = dpdResponder();
    const { establishedAt } = connectedClient(responder);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 1, keepalives: 1 });
    // The same peer again (a Phase 1 rekey): the older SA stays until it expires, unprobed.
    establish(responder, { client: { vendorIds: ['XAUTH', 'DPD'] }, message3: { encrypt: true }, now: establishedAt + 1_000, from: CLIENT });
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 2, keepalives: 1 });
    // Another client behind the same NAT address (another port): both are probed.
    establish(responder, { client: { vendorIds: ['XAUTH', 'DPD'] }, message3: { encrypt: true }, now: establishedAt + 2_000, from: { address: CLIENT.address, port: 40_500 } });
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 3, keepalives: 2 });
  });

  it('takes the peer down when `count` R-U-THEREs go unanswered: SAs removed, tunnel down, lease released, events with the reason', () => {
    const responder = dpdResponder();
    const { flow, establishedAt } = connectedClient(responder);
    const first = responder.tick(establishedAt + 10_000);
    flow.now = establishedAt + 10_020;
    flow.informational([{ kind: 'r-u-there-ack', sequence: rUThereSequences(flow, first)[0]! }]);
    // Silent from here: probes at +20, +30, +40 s go unanswered; at +50 s the peer is given up.
    for (const at of [20_000, 30_000, 40_000]) expect(rUThereSequences(flow, responder.tick(establishedAt + at))).toHaveLength(1);
    expect(responder.nextDeadline()).toBe(establishedAt + 50_000);
    const down = responder.tick(establishedAt + 50_000);
    expect(logLines(down, 'info')).toEqual([
      '[IKE] 192.0.2.132 does not answer (keepalive dpd: no answer for 3 x 10 s): its SAs are removed',
      'IP Tunnel[1] Down',
      '[IKE] ISAKMP SA with 192.0.2.132 deleted (keepalive dpd: no answer for 3 x 10 s)',
    ]);
    expect(down.flatMap((effect) => (effect.kind === 'ipsec-sa-removed' ? [[effect.reason, effect.tunnelWentDown]] : []))).toEqual([['dead-peer', true]]);
    expect(events(down)).toEqual([
      { type: 'lease-released', address: '10.1.1.110' },
      expect.objectContaining({ type: 'isakmp-sa-down', reason: 'dead-peer', number: 1 }),
    ]);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 0, ipsecSaPairs: 0, leases: 0, saNumbers: 0, keepalives: 0 });
    expect(responder.nextDeadline()).toBeUndefined();
  });

  it('an ACK with a sequence the router never sent does not keep the peer', () => {
    const responder = dpdResponder();
    const { flow, establishedAt } = connectedClient(responder);
    for (const at of [10_000, 20_000, 30_000]) {
      const [sequence] = rUThereSequences(flow, responder.tick(establishedAt + at));
      flow.now = establishedAt + at + 20;
      expect(logLines(flow.informational([{ kind: 'r-u-there-ack', sequence: sequence! + 1_000 }]), 'debug')).toContain(
        `[IKE] keepalive dpd-ack from 192.0.2.132 (sequence ${sequence! + 1_000}) ignored: no probe of that sequence is waiting`,
      );
    }
    expect(events(responder.tick(establishedAt + 40_000))).toContainEqual(expect.objectContaining({ type: 'isakmp-sa-down', reason: 'dead-peer' }));
  });

  it('auto counts as on for DPD (§15.20)', () => {
    const responder = dpdResponder({ ...DPD_10_3, use: 'auto' });
    const { flow, establishedAt } = connectedClient(responder);
    expect(rUThereSequences(flow, responder.tick(establishedAt + 10_000))).toHaveLength(1);
  });

  it('sends no R-U-THERE to a peer that did not announce DPD (RFC 3706 §5.1), and says so at debug level', () => {
    const responder = dpdResponder();
    const { flow, message3Effects } = connectSeedClient(responder, { client: { vendorIds: ['XAUTH'] } });
    expect(logLines(message3Effects, 'debug')).toContain('[IKE] keepalive to 192.0.2.132 not started: the peer did not announce DPD (RFC 3706 §5.1)');
    expect(responder.tableSizes().keepalives).toBe(0);
    flow.quickMode();
    const expiry = responder.ipsecSaPairs()[0]!.expiresAt;
    expect(responder.nextDeadline()).toBe(expiry);
  });

  it('keepalive lines follow `ipsec ike keepalive log` and `syslog debug`; the lines that end SAs do not', () => {
    const quiet = dpdResponder({ ...DPD_10_3, log: false });
    const { establishedAt } = connectedClient(quiet);
    expect(logLines(quiet.tick(establishedAt + 10_000))).toEqual([]);
    const noDebug = dpdResponder(DPD_10_3, false);
    const second = connectedClient(noDebug);
    expect(logLines(noDebug.tick(second.establishedAt + 10_000))).toEqual([]);
    const loud = dpdResponder();
    const third = connectedClient(loud);
    expect(logLines(loud.tick(third.establishedAt + 10_000), 'debug')).toEqual([expect.stringMatching(/^\[IKE\] keepalive R-U-THERE sent to 192\.0\.2\.132 \(sequence \d+\)$/)]);
    // The first R-U-THERE went unanswered: the third silent interval ends at +40 s.
    const lines = [20_000, 30_000, 40_000].flatMap((at) => logLines(quiet.tick(establishedAt + at)));
    expect(lines).toContain('IP Tunnel[1] Down');
    expect(lines.filter((line) => line.includes('keepalive R-U-THERE sent'))).toEqual([]);
  });

  it('the default config (keepalive auto heartbeat) sends nothing to a client', () => {
    const responder = newRemoteAccessResponder(undefined, { syslogDebug: true });
    const { flow } = connectSeedClient(responder, { client: { vendorIds: ['XAUTH', 'DPD'] } });
    flow.quickMode();
    const expiry = responder.ipsecSaPairs()[0]!.expiresAt;
    expect(responder.nextDeadline()).toBe(expiry);
  });
});

/** rtxlab heartbeats in what the responder sent, as the peer reads them. */
function heartbeatsIn(flow: ClientFlow, effects: readonly ResponderEffect[]): number[] {
  return sends(effects).flatMap((send) => {
    const parsed = parseInformational(flow.sa, send.bytes);
    if (!parsed.ok) throw new Error(parsed.failure.text);
    return parsed.value.items.flatMap((item) => (item.kind === 'notify' ? [readHeartbeatNotify({ notifyType: item.notifyType, data: item.data ?? Buffer.alloc(0) })] : [])).filter((sequence): sequence is number => sequence !== undefined);
  });
}

/** The peer (another rtxlab end) sends one heartbeat, arriving at `at`. */
function sendHeartbeat(flow: ClientFlow, at: number, sequence: number): ResponderEffect[] {
  flow.now = at - 10;
  const { data } = heartbeatNotify(flow.sa, sequence);
  return flow.informational([{ kind: 'notify', notifyType: RTXLAB_HEARTBEAT_NOTIFY, data }]);
}

describe("router-sent heartbeat (rtxlab's assumed format, between two rtxlab ends)", () => {
  const HEARTBEAT_ON: KeepalivePolicy = { use: 'on', method: 'heartbeat', intervalSeconds: 10, count: 3, log: true };

  it('auto (the default): silent until the peer sends one, then one at once and one every interval', () => {
    const responder = dpdResponder({ ...HEARTBEAT_ON, use: 'auto' });
    const { flow, establishedAt } = connectedClient(responder);
    expect(responder.nextDeadline()).toBe(responder.ipsecSaPairs()[0]!.expiresAt);
    const heard = sendHeartbeat(flow, establishedAt + 25_000, 77);
    // Heard, and not reported as an unknown notification.
    expect(logLines(heard, 'debug')).toContain('[IKE] keepalive heartbeat from 192.0.2.132 (sequence 77)');
    expect(logLines(heard, 'info')).toEqual([]);
    expect(responder.nextDeadline()).toBe(establishedAt + 25_000);
    const [first] = heartbeatsIn(flow, responder.tick(establishedAt + 25_000));
    expect(first).toBeDefined();
    sendHeartbeat(flow, establishedAt + 30_000, 78);
    expect(heartbeatsIn(flow, responder.tick(establishedAt + 35_000))).toEqual([first! + 1]);
  });

  it('on: sent from Phase 1 on; a peer whose heartbeats stop is given up after `count` silent intervals', () => {
    const responder = dpdResponder(HEARTBEAT_ON);
    const { flow, establishedAt } = connectedClient(responder, ['XAUTH']);
    let sent = 0;
    for (const at of [10_000, 20_000, 30_000]) {
      sendHeartbeat(flow, establishedAt + at - 1_000, at);
      sent += heartbeatsIn(flow, responder.tick(establishedAt + at)).length;
    }
    expect(sent).toBe(3);
    // The peer falls silent after its heartbeat at +29 s: intervals ending +40, +50, +60 s bring nothing.
    for (const at of [40_000, 50_000]) expect(heartbeatsIn(flow, responder.tick(establishedAt + at))).toHaveLength(1);
    const down = responder.tick(establishedAt + 60_000);
    expect(logLines(down, 'info')).toContain('[IKE] 192.0.2.132 does not answer (keepalive heartbeat: no answer for 3 x 10 s): its SAs are removed');
    expect(events(down)).toContainEqual(expect.objectContaining({ type: 'isakmp-sa-down', reason: 'dead-peer' }));
  });

  it('off: a peer\'s heartbeats start nothing', () => {
    const responder = dpdResponder({ ...HEARTBEAT_ON, use: 'off' });
    const { flow, establishedAt } = connectedClient(responder);
    sendHeartbeat(flow, establishedAt + 1_000, 1);
    expect(responder.tableSizes().keepalives).toBe(0);
    expect(responder.nextDeadline()).toBe(responder.ipsecSaPairs()[0]!.expiresAt);
  });
});

describe('router-sent ICMP echo (ipsec ike keepalive use GW on icmp-echo IP)', () => {
  const ECHO: KeepalivePolicy = { use: 'auto', method: 'icmp-echo', icmpEchoTarget: '10.1.1.110', icmpEchoLength: 100, intervalSeconds: 10, count: 3, log: true };
  const echoes = (effects: readonly ResponderEffect[]) => effects.filter((effect) => effect.kind === 'keepalive-icmp-echo');

  it('asks the data plane for an echo through the tunnel every interval (auto counts as on); a reply on the tunnel resets the count', () => {
    const responder = dpdResponder(ECHO);
    const { establishedAt } = connectedClient(responder, ['XAUTH']);
    for (let round = 1; round <= 5; round++) {
      const [echo] = echoes(responder.tick(establishedAt + round * 10_000));
      expect(echo).toMatchObject({ kind: 'keepalive-icmp-echo', tunnelId: 1, target: '10.1.1.110', dataLength: 100 });
      if (echo?.kind !== 'keepalive-icmp-echo') throw new Error('no echo');
      expect(logLines(responder.keepaliveIcmpEchoReply(1, echo.sequence, establishedAt + round * 10_000 + 5), 'debug')).toEqual([
        `[IKE] keepalive icmp-echo-reply from 192.0.2.132 (sequence ${echo.sequence})`,
      ]);
    }
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 1, ipsecSaPairs: 1 });
  });

  it('without replies (or with replies on another tunnel) the peer is given up and the tunnel goes down', () => {
    const responder = dpdResponder(ECHO);
    const { establishedAt } = connectedClient(responder, ['XAUTH']);
    const effects = [10_000, 20_000, 30_000, 40_000].flatMap((at) => {
      const tick = responder.tick(establishedAt + at);
      for (const echo of echoes(tick)) if (echo.kind === 'keepalive-icmp-echo') responder.keepaliveIcmpEchoReply(2, echo.sequence, establishedAt + at + 5);
      return tick;
    });
    expect(echoes(effects)).toHaveLength(3);
    expect(logLines(effects, 'info')).toContain('[IKE] 192.0.2.132 does not answer (keepalive icmp-echo: no answer for 3 x 10 s): its SAs are removed');
    expect(logLines(effects, 'info')).toContain('IP Tunnel[1] Down');
  });
});
