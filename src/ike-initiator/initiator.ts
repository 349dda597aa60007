/**
 * The RTX's initiating behaviour, I/O-free like the responder: datagrams and `now` in, the
 * responder's effect vocabulary out (port.ts: send, log, ike-keys, ipsec-sa-installed/removed).
 *
 * Per gateway it decides when to start a key exchange (`ipsec auto refresh`, traffic for a
 * tunnel without SAs, `ipsec refresh sa`, rekey at the `rekey` percentage of a lifetime),
 * retransmits per `ipsec ike retry`, pauses after a failure unless `ipsec ike always-on`, and
 * removes SAs at the end of their lives (`IP Tunnel[N] Down` with the tunnel's last pair).
 * Datagrams reach it by cookie: the router gives it every ISAKMP message whose initiator cookie
 * it chose (`owns`). Under its own ISAKMP SA it answers DPD, hears the peer's Deletes, and runs
 * the gateway's keepalive (the responder's `Keepalives`, on a view of the initiator's SA).
 */
import { randomBytes } from 'node:crypto';
import { decodeHeader } from '../ike/codec/index.js';
import { ExchangeType, ProtocolId, vendorIdName } from '../ike/constants.js';
import { buildInformational, parseInformational, type ReceivedInformational } from '../ike/initiator/informational.js';
import { protectionOf, type IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import { readHeartbeatNotify } from '../ike/rtxlab-heartbeat.js';
import { newMessageId } from '../ike-responder/informational.js';
import { Keepalives } from '../ike-responder/keepalives.js';
import { ikeLog } from '../ike-responder/log-lines.js';
import type { EstablishedIsakmpSa } from '../ike-responder/phase2-exchanges.js';
import type { QuickMode1State } from '../ike/initiator/quick-mode.js';
import type { Endpoint, InboundDatagram, InstalledIpsecSa, ResponderEffect } from '../ike-responder/port.js';
import { SaNumbers } from '../ike-responder/sa-numbers.js';
import type { InitiatingGateway, InitiatingPolicy } from './initiating-policy.js';
import { initiatorLog } from './log-lines.js';
import {
  beginPhase1,
  drawPhase1Randomness,
  phase1InitiatorCookie,
  peerEndpoint,
  receivePhase1,
  type OutgoingMessage,
  type Phase1Paths,
  type Phase1Progress,
} from './phase1-initiation.js';
import { beginQuickMode, receiveQuickMode2 } from './quick-mode-initiation.js';
import { initiatorStateRows, type InitiatorStateRows } from './state-rows.js';

/** Where the router listens, and the ports it sends to (the RTX: 500 and 4500). */
export interface InitiatorSockets {
  readonly ike: Endpoint;
  readonly natt: Endpoint;
  readonly peerIkePort: number;
  readonly peerNattPort: number;
}

/** Whether the router may originate traffic to an address (router/outbound-policy.ts). */
export interface OriginationCheck {
  check(address: string, purpose: string): { readonly permitted: true } | { readonly permitted: false; readonly firstRefusal: boolean; readonly notice: string };
}

export interface RtxIkeInitiatorOptions {
  readonly random?: (length: number) => Buffer;
  readonly outbound?: OriginationCheck;
  /** The numbers `show ipsec sa` lists SAs by, shared with the responder (one sequence on the RTX). */
  readonly saNumbers?: SaNumbers;
  /**
   * Whether the peer's own exchange already gave this tunnel SAs (the responder holds them). A
   * gateway with none of its own then starts nothing, and drops a Phase 1 still unanswered:
   * with `auto refresh` on both sides the tunnel gets one set of SAs, the first made (ASSUMED:
   * what an RTX does when both ends initiate was NOT FOUND).
   */
  readonly peerMadeSas?: (tunnelId: number) => boolean;
}

/**
 * After a failed exchange without `ipsec ike always-on`, the router waits this many retry
 * intervals before trying again by itself (the length of the pause: NOT FOUND, assumed).
 */
export const PAUSE_INTERVALS_AFTER_FAILURE = 10;

/** After a rekey the old IPsec SA lives at most 30 s more (§15.48, rtx-behaviour.md §4). */
export const OLD_SA_GRACE_MS = 30_000;

/** The exchange in flight for a gateway, with its retransmission state. */
type Negotiation =
  | { readonly kind: 'phase1'; readonly progress: Phase1Progress; readonly initiatorCookie: Buffer; readonly last: OutgoingMessage; readonly sends: number; readonly resendAt: number }
  | { readonly kind: 'quick-mode'; readonly state: QuickMode1State; readonly last: OutgoingMessage; readonly sends: number; readonly resendAt: number };

export interface OwnIsakmpSa {
  readonly sa: IsakmpSa;
  /** Its number in `show ipsec sa`. */
  readonly number: number;
  readonly establishedAt: number;
  readonly expiresAt: number;
  /** Undefined with `rekey off`. */
  readonly rekeyAt: number | undefined;
  /** Later messages go on the NAT-T path. */
  readonly floated: boolean;
}

export interface OwnIpsecSa {
  readonly installed: InstalledIpsecSa;
  /** Its two numbers in `show ipsec sa` (recv, send), and the ISAKMP SA's it was made under. */
  readonly inboundNumber: number;
  readonly outboundNumber: number;
  readonly isakmpNumber: number;
  readonly expiresAt: number;
  readonly rekeyAt: number;
  /** A newer pair replaced it: it only waits for its (shortened) end. */
  readonly superseded: boolean;
}

export interface GatewayRun {
  /** The gateway this run is for (its key in the runs map). */
  readonly gatewayId: number;
  negotiation?: Negotiation;
  /** When the tunnel's first pair came up (for `show status tunnel`). */
  upSince?: number;
  isakmp?: OwnIsakmpSa;
  ipsec: OwnIpsecSa[];
  /** Traffic or the operator asked for SAs (without `auto refresh`, only that starts an exchange). */
  demanded: boolean;
  /** No exchange starts by itself before this time (after a failure). */
  pausedUntil: number;
  /** `cannotInitiate` said already. */
  complained: boolean;
  /**
   * The last message of the latest finished exchange (Aggressive message 3, Quick Mode message 3):
   * a peer that resends its message 2 did not get it, so it goes again (RFC 2408 §5).
   */
  lastFinal?: { readonly messageId: number; readonly message: OutgoingMessage };
}

export class RtxIkeInitiator {
  private readonly runs = new Map<number, GatewayRun>();
  private readonly random: (length: number) => Buffer;
  private readonly numbers: SaNumbers;
  private sockets: InitiatorSockets | undefined;
  private collected: ResponderEffect[] = [];
  /** The latest `now` seen. */
  private lastNow = 0;
  /** One keepalive per gateway with an ISAKMP SA, keyed by gateway id. */
  private readonly keepalives: Keepalives;

  constructor(
    private policy: InitiatingPolicy,
    private readonly options: RtxIkeInitiatorOptions = {},
  ) {
    this.random = options.random ?? randomBytes;
    this.keepalives = new Keepalives({ randomBytes: this.random, syslogDebug: () => this.syslogDebug() });
    this.numbers = options.saNumbers ?? new SaNumbers();
  }

  /** The sockets are open: gateways with `auto refresh` start their exchanges now. */
  start(sockets: InitiatorSockets, now: number): ResponderEffect[] {
    this.sockets = sockets;
    return this.drain(now);
  }

  /** A changed config: new exchanges use it; running SAs keep the settings they were made with. */
  setPolicy(policy: InitiatingPolicy, now: number): ResponderEffect[] {
    this.policy = policy;
    return this.drain(now);
  }

  /** Whether an ISAKMP message belongs to an exchange this side started (by its initiator cookie). */
  owns(bytes: Buffer): boolean {
    const header = decodeHeader(bytes);
    if (!header.ok) return false;
    const cookie = header.value.initiatorCookie;
    for (const run of this.runs.values()) {
      if (run.negotiation?.kind === 'phase1' && run.negotiation.initiatorCookie.equals(cookie)) return true;
      if (run.isakmp?.sa.initiatorCookie.equals(cookie)) return true;
    }
    return false;
  }

  receive(datagram: InboundDatagram, now: number): ResponderEffect[] {
    const header = decodeHeader(datagram.bytes);
    if (!header.ok) return [];
    const cookie = header.value.initiatorCookie;
    for (const [gatewayId, run] of this.runs) {
      const gateway = this.gatewayOf(gatewayId);
      const negotiation = run.negotiation;
      if (gateway === undefined) continue;
      if (negotiation?.kind === 'phase1' && negotiation.initiatorCookie.equals(cookie)) {
        this.receivePhase1(gateway, run, negotiation, datagram, now);
        break;
      }
      if (run.isakmp?.sa.initiatorCookie.equals(cookie)) {
        if (negotiation?.kind === 'quick-mode' && header.value.messageId === negotiation.state.messageId) {
          this.receiveQuickMode(gateway, run, negotiation, datagram, now);
        } else if (run.lastFinal !== undefined && header.value.messageId === run.lastFinal.messageId) {
          this.send(gateway, run.lastFinal.message);
        } else if (header.value.exchangeType === ExchangeType.INFORMATIONAL) {
          this.receiveInformational(gateway, run, datagram, now);
        } else {
          this.collected.push(initiatorLog.ignoredMessage(datagram.from.address, `exchange ${header.value.exchangeType} under the router's own ISAKMP SA`));
        }
        break;
      }
    }
    return this.drain(now);
  }

  /** An ICMP echo reply came back through a tunnel: the answer an `icmp-echo` keepalive waits for. */
  keepaliveIcmpEchoReply(tunnelId: number, sequence: number, now: number): ResponderEffect[] {
    for (const gatewayId of this.keepalives.icmpEchoSasOnTunnel(tunnelId)) this.collected.push(...this.keepalives.heard(gatewayId, { kind: 'icmp-echo-reply', sequence }, now));
    return this.drain(now);
  }

  /** An inner packet wants to leave by a tunnel that has no SA: start a key exchange for it. */
  trafficWithoutSa(tunnelId: number, now: number): ResponderEffect[] {
    for (const entry of this.policy.gateways) {
      if (entry.gateway.tunnelId === tunnelId) this.runOf(entry.gateway.gatewayId).demanded = true;
    }
    return this.drain(now);
  }

  /**
   * `ipsec refresh sa`: every SA this side made goes *without notifying the peer* (§15.48.3,
   * rtx-behaviour.md §4), then the gateways with `auto refresh` start again.
   */
  refresh(now: number): { removed: number; effects: ResponderEffect[] } {
    let removed = 0;
    for (const run of this.runs.values()) {
      removed += run.ipsec.length;
      this.removeIpsecSas(run, run.ipsec, 'deleted-by-operator');
      this.dropIsakmpSa(run);
      delete run.negotiation;
      run.pausedUntil = 0;
    }
    return { removed, effects: this.drain(now) };
  }

  /** Retransmissions, rekeys and lifetimes due by `now`. */
  tick(now: number): ResponderEffect[] {
    const keepalive = this.keepalives.due(now);
    this.collected.push(...keepalive.effects);
    for (const dead of keepalive.dead) this.takeDownDeadPeer(dead.saNumber, dead.reason, now);
    for (const [gatewayId, run] of this.runs) {
      const gateway = this.gatewayOf(gatewayId);
      this.expire(run, gateway, now);
      if (run.negotiation?.kind === 'phase1' && gateway && this.peerServesTunnel(gateway, run)) delete run.negotiation;
      if (run.negotiation && run.negotiation.resendAt <= now && gateway) this.resendOrGiveUp(gateway, run, run.negotiation, now);
    }
    return this.drain(now);
  }

  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    const consider = (at: number | undefined): void => {
      if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
    };
    consider(this.keepalives.nextDeadline());
    for (const [gatewayId, run] of this.runs) {
      consider(run.negotiation?.resendAt);
      consider(run.isakmp?.expiresAt);
      for (const sa of run.ipsec) consider(sa.expiresAt);
      if (run.negotiation !== undefined || !this.wants(gatewayId, run)) continue;
      // A rekey that is due but could not start (a pause, too many Phase 1s) waits for the
      // pause to end or for the next event, never for a time already past (no busy loop).
      const startable = (at: number | undefined): number | undefined => {
        if (at === undefined) return undefined;
        const when = Math.max(at, run.pausedUntil);
        return when > this.lastNow ? when : undefined;
      };
      consider(startable(run.isakmp?.rekeyAt));
      consider(startable(newestPair(run)?.rekeyAt));
      consider(startable(run.pausedUntil > 0 ? run.pausedUntil : undefined));
    }
    return earliest;
  }

  /** The router's own SA pairs per tunnel, for views and tests. */
  ipsecSas(): readonly InstalledIpsecSa[] {
    return [...this.runs.values()].flatMap((run) => run.ipsec.map((sa) => sa.installed));
  }

  /** The SAs this side made, as `show ipsec sa` and `show status tunnel` list them, at `now`. */
  stateRows(now: number): InitiatorStateRows {
    const sockets = this.sockets;
    return initiatorStateRows(
      [...this.runs].flatMap(([gatewayId, run]) => {
        const entry = this.gatewayOf(gatewayId);
        return entry === undefined ? [] : [{ entry, run }];
      }),
      { localAddress: sockets?.ike.address ?? '-', peerIkePort: sockets?.peerIkePort ?? 500, peerNattPort: sockets?.peerNattPort ?? 4500 },
      now,
    );
  }

  // --- deciding ------------------------------------------------------------------------------------

  /** Starts what every gateway needs now, then hands out the effects collected. */
  private drain(now: number): ResponderEffect[] {
    this.lastNow = Math.max(this.lastNow, now);
    if (this.sockets !== undefined) {
      for (const entry of this.policy.gateways) this.advance(entry, this.runOf(entry.gateway.gatewayId), now);
    }
    const effects = this.collected;
    this.collected = [];
    return effects;
  }

  private wants(gatewayId: number, run: GatewayRun): boolean {
    const entry = this.policy.gateways.find((candidate) => candidate.gateway.gatewayId === gatewayId);
    return entry !== undefined && (entry.autoRefresh || run.demanded || run.ipsec.length > 0);
  }

  private advance(entry: InitiatingGateway, run: GatewayRun, now: number): void {
    if (run.negotiation !== undefined || now < run.pausedUntil) return;
    if (!this.wants(entry.gateway.gatewayId, run)) return;
    if (this.peerServesTunnel(entry, run)) return;
    const newest = newestPair(run);
    const needsIpsec = newest === undefined || now >= newest.rekeyAt;
    const isakmpUsable = run.isakmp !== undefined && (run.isakmp.rekeyAt === undefined || now < run.isakmp.rekeyAt);
    if (!isakmpUsable) {
      if (!needsIpsec && run.isakmp === undefined && !entry.autoRefresh) return;
      this.startPhase1(entry, run, now);
      return;
    }
    if (needsIpsec) this.startQuickMode(entry, run, now);
  }

  private startPhase1(entry: InitiatingGateway, run: GatewayRun, now: number): void {
    const sockets = this.sockets!;
    const { gateway } = entry;
    if (this.activePhase1Count() >= this.policy.retry.maxSessions) return;
    const decision = this.options.outbound?.check(entry.peerAddress, 'IKE') ?? { permitted: true };
    if (!decision.permitted) {
      if (decision.firstRefusal) this.collected.push(initiatorLog.refusedByPolicy(decision.notice));
      run.pausedUntil = now + this.pauseMs();
      run.demanded = false;
      return;
    }
    const begun = beginPhase1(entry.exchange, gateway, drawPhase1Randomness(gateway, this.random), sockets.ike.address);
    this.collected.push(initiatorLog.initiateIsakmpPhase(entry.peerAddress, sockets.ike.address));
    run.negotiation = {
      kind: 'phase1',
      progress: begun.progress,
      initiatorCookie: phase1InitiatorCookie(begun.progress),
      last: begun.send,
      sends: 1,
      resendAt: now + this.policy.retry.intervalSeconds * 1000,
    };
    this.send(entry, begun.send);
  }

  private startQuickMode(entry: InitiatingGateway, run: GatewayRun, now: number): void {
    const isakmp = run.isakmp!;
    const begun = beginQuickMode(isakmp.sa, entry.gateway, entry.pfs, this.random, { local: entry.gateway.localAddress ?? this.sockets!.ike.address, peer: entry.peerAddress });
    if (!begun.ok) return this.complainOnce(run, entry.gateway.gatewayId, begun.text);
    this.collected.push(initiatorLog.initiateIpsecPhase(entry.peerAddress));
    const last: OutgoingMessage = { bytes: begun.bytes, path: isakmp.floated ? 'nat-t' : 'isakmp' };
    run.negotiation = { kind: 'quick-mode', state: begun.state, last, sends: 1, resendAt: now + this.policy.retry.intervalSeconds * 1000 };
    this.send(entry, last);
  }

  // --- answers -------------------------------------------------------------------------------------

  private receivePhase1(entry: InitiatingGateway, run: GatewayRun, negotiation: Extract<Negotiation, { kind: 'phase1' }>, datagram: InboundDatagram, now: number): void {
    const step = receivePhase1(negotiation.progress, datagram.bytes, this.paths(entry));
    switch (step.kind) {
      case 'ignored':
        this.collected.push(initiatorLog.ignoredMessage(datagram.from.address, step.text));
        return;
      case 'continue':
        run.negotiation = { ...negotiation, progress: step.progress, last: step.send, sends: 1, resendAt: now + this.policy.retry.intervalSeconds * 1000 };
        this.send(entry, step.send);
        return;
      case 'failed':
        this.collected.push(initiatorLog.phaseFailed('ISAKMP', entry.peerAddress, step.text));
        this.fail(entry, run, now);
        return;
      case 'established': {
        if (step.send) {
          this.send(entry, step.send);
          run.lastFinal = { messageId: 0, message: step.send };
        }
        const lifeSeconds = step.sa.negotiated.proposal.lifeSeconds ?? entry.gateway.isakmpLifetimeSeconds;
        const rekeyAt = entry.isakmpRekeyPercent === 'off' ? undefined : now + (lifeSeconds * 1000 * entry.isakmpRekeyPercent) / 100;
        // A Phase 1 rekey: the old ISAKMP SA is replaced (its number freed); its IPsec SAs live on.
        this.dropIsakmpSa(run);
        run.isakmp = { sa: step.sa, number: this.numbers.take(), establishedAt: now, expiresAt: now + lifeSeconds * 1000, rekeyAt, floated: step.sa.natTraversal.floated };
        delete run.negotiation;
        this.startKeepalive(entry, run.isakmp, now);
        this.collected.push({ kind: 'ike-keys', initiatorCookie: step.sa.initiatorCookie, encryptionKey: step.sa.saCipher.encryptionKey });
        this.collected.push(initiatorLog.isakmpSaEstablished(entry.peerAddress, entry.gateway.gatewayId));
        return;
      }
    }
  }

  private receiveQuickMode(entry: InitiatingGateway, run: GatewayRun, negotiation: Extract<Negotiation, { kind: 'quick-mode' }>, datagram: InboundDatagram, now: number): void {
    const sockets = this.sockets!;
    const step = receiveQuickMode2(negotiation.state, datagram.bytes, {
      gateway: entry.gateway,
      now,
      esp: (udpEncapsulated) =>
        udpEncapsulated
          ? { peer: { address: entry.peerAddress, port: sockets.peerNattPort }, local: sockets.natt }
          : { peer: { address: entry.peerAddress, port: sockets.peerIkePort }, local: sockets.ike },
    });
    switch (step.kind) {
      case 'ignored':
        this.collected.push(initiatorLog.ignoredMessage(datagram.from.address, step.text));
        return;
      case 'failed':
        this.collected.push(initiatorLog.phaseFailed('IPsec', entry.peerAddress, step.text));
        this.fail(entry, run, now);
        return;
      case 'done': {
        const final: OutgoingMessage = { bytes: step.bytes, path: negotiation.last.path };
        this.send(entry, final);
        run.lastFinal = { messageId: negotiation.state.messageId, message: final };
        delete run.negotiation;
        run.isakmp = { ...run.isakmp!, sa: step.sa };
        this.install(entry, run, step.installed, now);
        return;
      }
    }
  }

  private install(entry: InitiatingGateway, run: GatewayRun, installed: InstalledIpsecSa, now: number): void {
    const tunnelCameUp = run.ipsec.length === 0;
    // The pair it replaces lives at most 30 s more (rtx-behaviour.md §4, "After a rekey the old IPsec SA is cut to 30 s").
    run.ipsec = run.ipsec.map((old) => (old.superseded ? old : { ...old, superseded: true, expiresAt: Math.min(old.expiresAt, now + OLD_SA_GRACE_MS) }));
    const lifeMs = installed.lifeSeconds * 1000;
    if (tunnelCameUp) run.upSince = now;
    run.ipsec.push({
      installed,
      inboundNumber: this.numbers.take(),
      outboundNumber: this.numbers.take(),
      isakmpNumber: run.isakmp!.number,
      expiresAt: now + lifeMs, rekeyAt: now + (lifeMs * entry.ipsecRekeyPercent) / 100, superseded: false });
    run.demanded = false;
    if (tunnelCameUp) this.collected.push({ kind: 'log', level: 'info', message: `IP Tunnel[${installed.tunnelId}] Up` });
    this.collected.push({ kind: 'ipsec-sa-installed', sa: installed, tunnelCameUp });
  }

  // --- time ----------------------------------------------------------------------------------------

  private resendOrGiveUp(entry: InitiatingGateway, run: GatewayRun, negotiation: Negotiation, now: number): void {
    // `ipsec ike retry COUNT INTERVAL`: COUNT retransmissions INTERVAL seconds apart, then give up.
    if (negotiation.sends <= this.policy.retry.count) {
      run.negotiation = { ...negotiation, sends: negotiation.sends + 1, resendAt: now + this.policy.retry.intervalSeconds * 1000 };
      this.send(entry, negotiation.last);
      return;
    }
    this.collected.push(initiatorLog.phaseTimedOut(negotiation.kind === 'phase1' ? 'ISAKMP' : 'IPsec', entry.peerAddress));
    this.fail(entry, run, now);
  }

  private expire(run: GatewayRun, entry: InitiatingGateway | undefined, now: number): void {
    const expired = run.ipsec.filter((sa) => sa.expiresAt <= now);
    if (expired.length > 0) this.removeIpsecSas(run, expired, 'expired');
    if (run.isakmp !== undefined && run.isakmp.expiresAt <= now) {
      const peer = entry?.peerAddress ?? '?';
      this.collected.push(initiatorLog.isakmpSaExpired(peer));
      this.dropIsakmpSa(run);
      // restrict-dangling-sa auto: an Aggressive Mode initiator deletes the IPsec SAs with their ISAKMP SA (§15.48.4).
      if (entry?.restrictDanglingSa === 'auto' && entry.exchange.mode === 'aggressive') this.removeIpsecSas(run, run.ipsec, 'expired');
    }
  }

  // --- under the router's own ISAKMP SA ------------------------------------------------------------

  /**
   * The peer's Informational: R-U-THERE answered (RFC 3706 §5), R-U-THERE-ACKs and heartbeats
   * handed to the keepalive, Deletes acted upon. Only protected ones count: a notify in clear
   * could come from anyone who saw the cookies (RFC 2408 §5).
   */
  private receiveInformational(entry: InitiatingGateway, run: GatewayRun, datagram: InboundDatagram, now: number): void {
    const own = run.isakmp!;
    const parsed = parseInformational(own.sa, datagram.bytes);
    const peer = datagram.from.address;
    if (!parsed.ok || !parsed.value.protected) {
      this.collected.push(initiatorLog.ignoredMessage(peer, parsed.ok ? 'an Informational in clear under an established ISAKMP SA' : `Informational: ${parsed.failure.text}`));
      return;
    }
    const informational: ReceivedInformational = parsed.value;
    run.isakmp = { ...own, sa: informational.sa };
    const gatewayId = entry.gateway.gatewayId;
    for (const item of informational.items) {
      switch (item.kind) {
        case 'r-u-there': {
          const answer = buildInformational(run.isakmp.sa, [{ kind: 'r-u-there-ack', sequence: item.sequence }], newMessageId(this.random));
          run.isakmp = { ...run.isakmp, sa: answer.sa };
          this.send(entry, { bytes: answer.bytes, path: run.isakmp.floated ? 'nat-t' : 'isakmp' });
          if (this.keepaliveLines(entry)) this.collected.push(ikeLog.dpdAnswered(peer, item.sequence));
          break;
        }
        case 'r-u-there-ack':
          this.collected.push(...this.keepalives.heard(gatewayId, { kind: 'dpd-ack', sequence: item.sequence }, now));
          break;
        case 'notify': {
          const heartbeat = readHeartbeatNotify({ notifyType: item.notifyType, data: item.data ?? Buffer.alloc(0) });
          if (heartbeat !== undefined) {
            this.collected.push(...this.keepalives.heard(gatewayId, { kind: 'heartbeat', sequence: heartbeat }, now));
            break;
          }
          this.collected.push(ikeLog.notifyReceived(peer, item.name));
          // An error notify (RFC 2408 §3.14.1: types below 8192) while our Quick Mode waits is its
          // answer: resending the same message 1 would not change the peer's mind.
          if (item.notifyType < 8192 && run.negotiation?.kind === 'quick-mode') {
            this.collected.push(initiatorLog.phaseFailed('IPsec', entry.peerAddress, `the responder sent ${item.name}`));
            this.fail(entry, run, now);
          }
          break;
        }
        case 'delete': {
          // The peer names the SPIs it receives on: our outbound SPIs (RFC 2407 §4.6.3).
          if (item.protocolId !== ProtocolId.IPSEC_ESP) break;
          const going = run.ipsec.filter((sa) => item.spis.some((spi) => spi.equals(sa.installed.outbound.spi)));
          this.removeIpsecSas(run, going, 'deleted-by-peer');
          // A peer that deletes each new pair at once (it cannot install it) must not get a new
          // Quick Mode per round trip: the next waits one retry interval (assumed).
          if (going.length > 0 && run.ipsec.length === 0) run.pausedUntil = Math.max(run.pausedUntil, now + this.policy.retry.intervalSeconds * 1000);
          break;
        }
        case 'delete-isakmp-sa':
          this.collected.push(initiatorLog.isakmpSaDeletedByPeer(peer));
          this.dropIsakmpSa(run);
          return;
        default:
          break;
      }
    }
  }

  private startKeepalive(entry: InitiatingGateway, own: OwnIsakmpSa, now: number): void {
    const gatewayId = entry.gateway.gatewayId;
    this.keepalives.stop(gatewayId);
    const announcedDpd = own.sa.responderVendorIds.some((vendorId) => vendorIdName(vendorId) === 'DPD');
    this.collected.push(...this.keepalives.start(this.keepaliveView(entry, own), { announcedDpd }, now));
  }

  /** The initiator's SA as the keepalive reads an SA: its keys, chains, gateway and path. */
  private keepaliveView(entry: InitiatingGateway, own: OwnIsakmpSa): EstablishedIsakmpSa {
    const { sa } = own;
    const paths = this.paths(entry);
    const pair = own.floated ? paths.natTraversal : paths.isakmp;
    return {
      saNumber: entry.gateway.gatewayId,
      keys: { cookies: { initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie }, protection: protectionOf(sa), skeyidD: sa.keys.skeyidD },
      ivChains: sa.ivChains,
      gateway: entry.gateway,
      xauthProposed: false,
      natTraversal: sa.natTraversal.method !== undefined,
      path: { to: pair.remote, from: pair.local, natTraversal: own.floated },
    };
  }

  /**
   * The keepalive gave the peer up: every SA of the gateway goes (`IP Tunnel[N] Down` with the
   * last pair), and auto refresh starts again after the usual pause.
   */
  private takeDownDeadPeer(gatewayId: number, reason: string, now: number): void {
    const run = this.runs.get(gatewayId);
    const entry = this.gatewayOf(gatewayId);
    if (run === undefined || entry === undefined) return;
    this.collected.push(ikeLog.keepalivePeerDown(entry.peerAddress, reason));
    this.removeIpsecSas(run, run.ipsec, 'dead-peer');
    this.dropIsakmpSa(run);
    delete run.negotiation;
    run.pausedUntil = entry.alwaysOn ? now : now + this.pauseMs();
  }

  /** The ISAKMP SA is gone: its keepalive and a Quick Mode running under it go with it. */
  private dropIsakmpSa(run: GatewayRun): void {
    this.keepalives.stop(run.gatewayId);
    if (run.negotiation?.kind === 'quick-mode') delete run.negotiation;
    if (run.isakmp === undefined) return;
    // Its number in `show ipsec sa` is free again.
    this.numbers.release(run.isakmp.number);
    delete run.isakmp;
  }

  private keepaliveLines(entry: InitiatingGateway): boolean {
    return this.syslogDebug() && entry.gateway.keepalive.log;
  }

  private syslogDebug(): boolean {
    return this.policy.syslogDebug;
  }

  private fail(entry: InitiatingGateway, run: GatewayRun, now: number): void {
    delete run.negotiation;
    run.demanded = false;
    run.pausedUntil = entry.alwaysOn ? now : now + this.pauseMs();
  }

  private pauseMs(): number {
    return PAUSE_INTERVALS_AFTER_FAILURE * this.policy.retry.intervalSeconds * 1000;
  }

  private removeIpsecSas(run: GatewayRun, going: readonly OwnIpsecSa[], reason: Extract<ResponderEffect, { kind: 'ipsec-sa-removed' }>['reason']): void {
    for (const sa of going) {
      run.ipsec = run.ipsec.filter((candidate) => candidate !== sa);
      this.numbers.release(sa.inboundNumber);
      this.numbers.release(sa.outboundNumber);
      const tunnelWentDown = run.ipsec.length === 0;
      if (tunnelWentDown) delete run.upSince;
      const { installed } = sa;
      this.collected.push({
        kind: 'ipsec-sa-removed',
        tunnelId: installed.tunnelId,
        inboundSpi: installed.inbound.spi,
        outboundSpi: installed.outbound.spi,
        reason,
        tunnelWentDown,
      });
      if (tunnelWentDown) this.collected.push({ kind: 'log', level: 'info', message: `IP Tunnel[${installed.tunnelId}] Down` });
    }
  }

  // --- plumbing ------------------------------------------------------------------------------------

  /** This side has no SAs of its own for the gateway, and the peer's exchange gave its tunnel some. */
  private peerServesTunnel(entry: InitiatingGateway, run: GatewayRun): boolean {
    return run.isakmp === undefined && run.ipsec.length === 0 && this.options.peerMadeSas?.(entry.gateway.tunnelId) === true;
  }

  private send(entry: InitiatingGateway, message: OutgoingMessage): void {
    const paths = this.paths(entry);
    const pair = message.path === 'nat-t' ? paths.natTraversal : paths.isakmp;
    this.collected.push({ kind: 'send', bytes: message.bytes, to: peerEndpoint(paths, message.path), from: pair.local, natTraversal: message.path === 'nat-t' });
  }

  private paths(entry: InitiatingGateway): Phase1Paths {
    const sockets = this.sockets!;
    return {
      isakmp: { local: sockets.ike, remote: { address: entry.peerAddress, port: sockets.peerIkePort } },
      natTraversal: { local: sockets.natt, remote: { address: entry.peerAddress, port: sockets.peerNattPort } },
    };
  }

  private complainOnce(run: GatewayRun, gatewayId: number, detail: string): void {
    if (run.complained) return;
    run.complained = true;
    this.collected.push(initiatorLog.cannotInitiate(gatewayId, detail));
  }

  private activePhase1Count(): number {
    return [...this.runs.values()].filter((run) => run.negotiation?.kind === 'phase1').length;
  }

  private gatewayOf(gatewayId: number): InitiatingGateway | undefined {
    return this.policy.gateways.find((entry) => entry.gateway.gatewayId === gatewayId);
  }

  private runOf(gatewayId: number): GatewayRun {
    let run = this.runs.get(gatewayId);
    if (run === undefined) {
      run = { gatewayId, ipsec: [], demanded: false, pausedUntil: 0, complained: false };
      this.runs.set(gatewayId, run);
    }
    return run;
  }
}

/** The pair the tunnel sends with: the newest that no rekey replaced. */
function newestPair(run: GatewayRun): OwnIpsecSa | undefined {
  return run.ipsec.filter((sa) => !sa.superseded).at(-1);
}
