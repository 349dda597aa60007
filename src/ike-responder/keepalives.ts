/**
 * The router's own keepalives, one per established ISAKMP SA (keepalive-schedule.ts decides;
 * this turns its actions into effects): R-U-THERE and rtxlab heartbeats as protected
 * Informationals under the SA, ICMP echoes as a request to the router's data plane, and the
 * SAs whose peer stopped answering, for the responder to take down. DEBUG lines per
 * `ipsec ike keepalive log GW` (on by default) under `syslog debug on` (§15.21).
 */
import { dpdNotify } from '../ike/dpd.js';
import { heartbeatNotify } from '../ike/rtxlab-heartbeat.js';
import { DeadlineQueue } from './deadline-queue.js';
import { SetIndex } from './index-sets.js';
import { sendEffects } from './exchange-effects.js';
import { newMessageId, protectedInformationalMessage } from './informational.js';
import {
  DEFAULT_KEEPALIVE_OPTIONS,
  keepaliveDeadline,
  keepaliveDue,
  keepaliveHeard,
  keepalivePlan,
  startKeepalive,
  type ActivePlan,
  type KeepaliveAnswer,
  type KeepaliveOptions,
  type KeepaliveState,
} from './keepalive-schedule.js';
import { ikeLog } from './log-lines.js';
import type { EstablishedIsakmpSa } from './phase2-exchanges.js';
import type { ResponderEffect } from './port.js';

export interface KeepaliveHost {
  readonly randomBytes: (length: number) => Buffer;
  /** `syslog debug on`, read at each use (the config may change). */
  readonly syslogDebug: () => boolean;
  readonly options?: Partial<KeepaliveOptions>;
}

interface Running {
  readonly sa: EstablishedIsakmpSa;
  state: KeepaliveState;
  /** When it started (a counter): probes due together go out in that order. */
  readonly order: number;
}

/** Why a peer was given up: the method and how many intervals went unanswered. */
export interface DeadPeer {
  readonly saNumber: number;
  readonly reason: string;
}

const PROBE_NAME: Record<ActivePlan['kind'], string> = { dpd: 'R-U-THERE', 'icmp-echo': 'ICMP echo', heartbeat: 'heartbeat' };

export class Keepalives {
  private readonly running = new Map<number, Running>();
  /** Each running keepalive's next due time, so that neither a tick nor the next deadline reads them all. */
  private readonly dueTimes = new DeadlineQueue<number>();
  private started = 0;
  /** ICMP-echo keepalives by tunnel: each echo reply through a tunnel finds its SAs without reading every keepalive. */
  private readonly icmpEchoByTunnel = new SetIndex<number, number>();
  private readonly options: KeepaliveOptions;

  constructor(private readonly host: KeepaliveHost) {
    this.options = { ...DEFAULT_KEEPALIVE_OPTIONS, ...host.options };
  }

  /** An ISAKMP SA is established: its gateway's keepalive starts (nothing when the config asks for none). */
  start(sa: EstablishedIsakmpSa, peer: { readonly announcedDpd: boolean }, now: number): ResponderEffect[] {
    const plan = keepalivePlan(sa.gateway.keepalive, peer, this.options);
    if (plan.kind === 'none') {
      // Only a configured DPD that cannot run is worth a line; `off` and the default are silent.
      return sa.gateway.keepalive.use !== 'off' && sa.gateway.keepalive.method === 'dpd' ? this.debugLines(sa, [ikeLog.keepaliveNotStarted(sa.path.to.address, plan.why)]) : [];
    }
    const state = startKeepalive(plan, now, this.host.randomBytes(4).readUInt32BE(0) & 0x7fffffff);
    this.running.set(sa.saNumber, { sa, state, order: this.started++ });
    this.dueTimes.set(sa.saNumber, keepaliveDeadline(state));
    if (plan.kind === 'icmp-echo') this.icmpEchoByTunnel.add(sa.gateway.tunnelId, sa.saNumber);
    return [];
  }

  stop(saNumber: number): void {
    const running = this.running.get(saNumber);
    if (running?.state.plan.kind === 'icmp-echo') this.icmpEchoByTunnel.remove(running.sa.gateway.tunnelId, saNumber);
    this.running.delete(saNumber);
    this.dueTimes.delete(saNumber);
  }

  /** Something the peer sent under the SA (a DPD ACK, a heartbeat) or through its tunnel (an echo reply). */
  heard(saNumber: number, answer: KeepaliveAnswer, now: number): ResponderEffect[] {
    const running = this.running.get(saNumber);
    if (!running) return [];
    const { state, counted } = keepaliveHeard(running.state, answer, now);
    running.state = state;
    this.dueTimes.set(saNumber, keepaliveDeadline(state));
    const peer = running.sa.path.to.address;
    return this.debugLines(running.sa, [counted ? ikeLog.keepaliveAnswered(peer, answer.kind, answer.sequence) : ikeLog.keepaliveAnswerIgnored(peer, answer.kind, answer.sequence)]);
  }

  /** ICMP-echo keepalives running on this tunnel (their answers come through the data plane). */
  icmpEchoSasOnTunnel(tunnelId: number): number[] {
    // The index holds running ICMP-echo keepalives only (start files them, stop unfiles them); in
    // the order they started, as a read of every keepalive would give them.
    return this.icmpEchoByTunnel.get(tunnelId).sort((a, b) => this.running.get(a)!.order - this.running.get(b)!.order);
  }

  /** Probes that fall due by `now`, and the SAs whose peer is given up. */
  due(now: number): { effects: ResponderEffect[]; dead: DeadPeer[] } {
    const effects: ResponderEffect[] = [];
    const dead: DeadPeer[] = [];
    const dueNow = this.dueTimes.takeDue(now).flatMap((saNumber) => {
      const running = this.running.get(saNumber);
      return running ? [{ saNumber, running }] : [];
    });
    for (const { saNumber, running } of dueNow.sort((a, b) => a.running.order - b.running.order)) {
      const step = keepaliveDue(running.state, now);
      running.state = step.state;
      this.dueTimes.set(saNumber, keepaliveDeadline(step.state));
      const { action } = step;
      if (action.kind === 'send') effects.push(...this.probe(running, action.sequence));
      if (action.kind === 'peer-dead') {
        const { plan } = running.state;
        this.stop(saNumber);
        dead.push({ saNumber, reason: `keepalive ${plan.kind}: no answer for ${action.missed} x ${plan.intervalMs / 1000} s` });
      }
    }
    return { effects, dead };
  }

  nextDeadline(): number | undefined {
    return this.dueTimes.earliest();
  }

  get size(): number {
    return this.running.size;
  }

  private probe(running: Running, sequence: number): ResponderEffect[] {
    const { sa } = running;
    const { plan } = running.state;
    const line = ikeLog.keepaliveSent(sa.path.to.address, PROBE_NAME[plan.kind], sequence);
    if (plan.kind === 'icmp-echo') {
      const echo: ResponderEffect = { kind: 'keepalive-icmp-echo', tunnelId: sa.gateway.tunnelId, target: plan.target, sequence: sequence & 0xffff, dataLength: plan.length };
      return [...this.debugLines(sa, [line]), echo];
    }
    const { cookies, protection } = sa.keys;
    const notify = plan.kind === 'dpd' ? dpdNotify('r-u-there', cookies, sequence) : heartbeatNotify(cookies, sequence);
    // RFC 3706 §5: each R-U-THERE is an Informational exchange of its own M-ID (so are heartbeats).
    const message = protectedInformationalMessage(protection, sa.ivChains, cookies, newMessageId(this.host.randomBytes), [notify]);
    const debug = { syslogDebug: this.host.syslogDebug(), log: sa.gateway.log };
    return [...this.debugLines(sa, [line]), ...sendEffects(debug, message.bytes, message.payloads, sa.path)];
  }

  private debugLines(sa: EstablishedIsakmpSa, lines: ResponderEffect[]): ResponderEffect[] {
    return this.host.syslogDebug() && sa.gateway.keepalive.log ? lines : [];
  }
}
