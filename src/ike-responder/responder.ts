import { createActor, type Actor } from 'xstate';
import { ExchangeType, exchangeTypeName } from '../ike/constants.js';
import { decodeHeader, decodeMessage, isEncrypted, type DecodedMessage, type IsakmpHeader } from '../ike/codec/index.js';
import { createRandomPool, withoutExchanges, type CipherId } from '../ike/crypto/index.js';
import { AddressLeases, type LeaseView } from './address-leases.js';
import { aggressiveModeMachine, type AggressiveModeEmitted, type AggressiveModeEvent, type AggressiveModeState } from './aggressive-machine.js';
import { mainModeMachine, type MainModeEvent, type MainModeState } from './main-mode-machine.js';
import { sendEffects, type Arrival, type RetransmitSchedule } from './exchange-effects.js';
import { espSaDeletion, newMessageId, protectedInformationalMessage } from './informational.js';
import { negotiatedProtection } from './informational-answer.js';
import { IpsecSaTable, type IpsecSaPair } from './ipsec-sa-table.js';
import { ipsecSaRow, secondsBetween, type IpsecSaRow, type IpsecState, type IsakmpSaRow, type TunnelRow } from './ipsec-state.js';
import { DropLogLimiter } from './drop-log-limiter.js';
import { ikeLog, isDropLine } from './log-lines.js';
import { Keepalives, type DeadPeer } from './keepalives.js';
import type { KeepaliveOptions } from './keepalive-schedule.js';
import { Phase2Exchanges, type Phase2Host } from './phase2-exchanges.js';
import { gatewayWithId } from './peer-selection.js';
import { saPath } from './phase1-sa.js';
import type { Endpoint, IkeResponder, InboundDatagram, IpsecSaRemoval, IsakmpCookies, ResponderEffect, ResponderEvent } from './port.js';
import type { ResponderPolicy } from './policy.js';
import { DeadlineQueue } from './deadline-queue.js';
import { IsakmpSaTable } from './isakmp-sa-table.js';
import { SaEntryIndex } from './sa-entry-index.js';
import { admitFirstMessage, type HalfOpenPeerKey } from './half-open-admission.js';
import type { QuickModeOutcome } from './quick-mode-machine.js';
import { SaNumbers } from './sa-numbers.js';

/**
 * Bounds and timings of what peers can make the responder keep or wait for. The RTX's own
 * values were NOT FOUND (`ipsec ike queue length` is not listed for the RTX1500); these are
 * ASSUMED.
 */
export interface ResponderLimits {
  /** How long a half-open SA (message 2 sent, no message 3) is kept: 30 s, like strongSwan's half_open_timeout. */
  readonly halfOpenTimeoutMs: number;
  /**
   * At most this many half-open SAs; when full, a new message 1 takes the slot of the oldest
   * (half-open-admission.ts).
   */
  readonly maxHalfOpenSas: number;
  /** At most this many half-open SAs per peer; a peer at its limit gives up its own oldest. */
  readonly maxHalfOpenSasPerPeer: number;
  /** While the half-open table is full, a half-open SA lives only this long. */
  readonly halfOpenTimeoutWhenFullMs: number;
  /** What a "peer" is for `maxHalfOpenSasPerPeer`: its address and port (default), or its address. */
  readonly halfOpenPeer: HalfOpenPeerKey;
  /** At most this many ISAKMP SAs in all. */
  readonly maxIsakmpSas: number;
  /**
   * The last message the responder sent in an exchange (Aggressive Mode message 2 until message
   * 3, Quick Mode message 2 until HASH(3), each XAUTH and mode-cfg message we start) is sent
   * again after this long. Default: the current reference's `ipsec ike retry` default, 5 s
   * (RTX1500 value not confirmed: rtx-behaviour.md §15.13 row)...
   */
  readonly retransmitIntervalMs: number;
  /** ...this many times (default 10), then the exchange is given up. */
  readonly retransmissions: number;
  /**
   * Lines about dropped datagrams (malformed, unknown SA, no room...) written per peer address
   * per `dropLogWindowMs`; the rest are counted in one line (drop-log-limiter.ts).
   */
  readonly dropLinesPerPeer: number;
  readonly dropLogWindowMs: number;
  /** How long a Quick Mode waits for HASH(3) after message 2 (as long as a half-open Phase 1). */
  readonly quickModeTimeoutMs: number;
  /** At most this many IPsec SA pairs; further Quick Modes are refused. */
  readonly maxIpsecSaPairs: number;
  /**
   * rtxlab option (0 = off, the default: the RTX keeps an SA for its lifetime unless DPD says
   * otherwise): an established ISAKMP SA that hears nothing from its peer (no authenticated IKE message under
   * it, no ESP on an IPsec SA made under it: `espReceived`) for this long is removed with its
   * IPsec SAs, so vanished peers do not hold the SA table for hours.
   */
  readonly idleLimitMs: number;
}

export const DEFAULT_RESPONDER_LIMITS: ResponderLimits = {
  halfOpenTimeoutMs: 30_000,
  maxHalfOpenSas: 100,
  maxHalfOpenSasPerPeer: 10,
  // Two of the `ipsec ike retry` intervals: a client whose message 3 was lost once still gets in.
  halfOpenTimeoutWhenFullMs: 10_000,
  halfOpenPeer: 'address-port',
  maxIsakmpSas: 1_000,
  retransmitIntervalMs: 5_000,
  retransmissions: 10,
  dropLinesPerPeer: 10,
  dropLogWindowMs: 60_000,
  quickModeTimeoutMs: 30_000,
  maxIpsecSaPairs: 1_000,
  idleLimitMs: 0,
};

/** After a client's rekey the old IPsec SA lives 30 s more (§15.48.1: "切断される ... 30 秒"). */
export const REPLACED_IPSEC_SA_GRACE_MS = 30_000;

export interface RtxIkeResponderOptions {
  readonly limits?: Partial<ResponderLimits>;
  /** Cookies, nonces, DH exponents, message IDs, SPIs; deterministic in tests. */
  readonly randomBytes?: (length: number) => Buffer;
  readonly cipherAvailable?: (cipher: CipherId) => boolean;
  /** rtxlab fault injection (`--impair withhold-mode-cfg-set`): never send the mode-cfg SET. */
  readonly withholdModeCfgSet?: boolean;
  /** Choices about the router's own keepalives where the RTX's behaviour is not known (keepalive-schedule.ts). */
  readonly keepalive?: Partial<KeepaliveOptions>;
  /** The SA numbers `show ipsec sa` lists, shared with the router's initiating side (one sequence on the RTX). */
  readonly saNumbers?: SaNumbers;
}

/** What tests and the state API may know about an ISAKMP SA. */
export interface IsakmpSaSummary {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  readonly peer: Endpoint;
  readonly state: AggressiveModeState | MainModeState;
  /** The Phase 1 exchange that made it. */
  readonly exchange: Phase1Exchange;
  readonly gatewayId?: number;
  /** Its `show ipsec sa` number, once established. */
  readonly number?: number;
  readonly establishedAt?: number;
  readonly expiresAt?: number;
  /** Whether message 3 came encrypted (payload type 3) or in clear. */
  readonly message3Encrypted?: boolean;
  readonly xauth?: Phase2Exchanges['xauthProgress'];
  readonly xauthUser?: string;
  readonly internalAddress?: string;
}

/** One ISAKMP SA: its machine (Aggressive or Main Mode) and what the responder keeps beside it. */
type SaEntry = SaEntryState &
  ({ readonly exchange: 'aggressive'; readonly actor: Actor<typeof aggressiveModeMachine> } | { readonly exchange: 'main'; readonly actor: Actor<typeof mainModeMachine> });

interface SaEntryState {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  /** The endpoint message 1 came from: the key of the half-open index. */
  readonly message1Peer: Endpoint;
  /** When it was made (a counter): SAs due at one tick are handled in this order, as in the table's. */
  readonly order: number;
  halfOpen: boolean;
  /** Set once the SA is gone from the table: a second settle does nothing. */
  removed?: boolean;
  /** Set when Phase 1 is established: its number and everything that runs under it. */
  number?: number;
  /** When the peer was last heard under this SA (IKE, or ESP on its IPsec SAs): the idle limit's clock. */
  lastHeardAt?: number;
  /** Set when the router's keepalive gave the peer up: the reason its `isakmp-sa-down` carries. */
  peerDead?: boolean;
  exchanges?: Phase2Exchanges;
}

const ZERO_COOKIE = Buffer.alloc(8);

/** Which Phase 1 exchange an ISAKMP SA was made with. */
export type Phase1Exchange = 'aggressive' | 'main';

/** Both machines take the same events once Phase 1 is done. */
type Phase1Event = AggressiveModeEvent | MainModeEvent;

/**
 * The RTX1500's IKEv1 responder behind the router's port: decodes headers, keeps the ISAKMP SAs
 * (one actor each: Aggressive Mode, aggressive-machine.ts, or Main Mode, main-mode-machine.ts; with XAUTH, mode-cfg and Quick Mode
 * under it, phase2-exchanges.ts), the IPsec SAs and the tunnels they bring up, and returns what
 * the router must do. Time enters only as `now`; nothing here throws past `receive`/`tick` (an
 * internal error removes the SA concerned and logs a line).
 *
 * SA lifecycle (rtx-behaviour.md §4, ASSUMED where marked):
 * - an IPsec SA pair lives for its negotiated lifetime; at the end it is removed, a Delete goes to
 *   the peer under a live ISAKMP SA when `send info` is on (ASSUMED), and the tunnel goes
 *   `IP Tunnel[N] Down` with its last pair;
 * - the ISAKMP SA is stretched to outlive the IPsec SAs made under it (§15.48.1);
 * - IPsec SAs outlive their ISAKMP SA (`restrict-dangling-sa auto`: only an Aggressive Mode
 *   initiator deletes them together, §15.44);
 * - a client's new Quick Mode for the same tunnel (rekey) cuts the older pairs to 30 s (§15.48.1);
 * - one tunnel carries one peer: a Quick Mode from another peer for a tunnel in use replaces
 *   the old peer's SAs on it, with Deletes (ASSUMED: "last one wins");
 * - a peer's Delete removes what it names; INITIAL-CONTACT removes the peer's older SAs.
 */
export class RtxIkeResponder implements IkeResponder {
  private readonly limits: ResponderLimits;
  private readonly randomBytes: (length: number) => Buffer;
  private readonly table = new IsakmpSaTable<SaEntry>();
  /** Each SA's next deadline (never later than its real one) and the SAs by number, gateway, tunnel and peer: no walk per datagram. */
  private readonly deadlines = new DeadlineQueue<SaEntry>();
  private readonly index = new SaEntryIndex<SaEntry>((entry) => entry.order);
  /** The one-peer-per-tunnel check every Aggressive Mode SA's machine asks, made once (not a closure per SA). */
  private readonly gatewayInUseOfAnySa = (gatewayId: number, peerAddress: string): boolean => this.gatewayInUse(gatewayId, peerAddress);
  private created = 0;
  private readonly ipsecSas = new IpsecSaTable();
  private readonly numbers: SaNumbers;
  private readonly leases = new AddressLeases();
  private readonly phase2Host: Phase2Host;
  private readonly dropLog: DropLogLimiter;
  private readonly keepalives: Keepalives;
  /** Where the actors' emitted effects go during one receive/tick call. */
  private collected: ResponderEffect[] = [];
  private initialContacts: { from: SaEntry; peerAddress: string }[] = [];
  private espDeletes: { from: SaEntry; spis: readonly Buffer[] }[] = [];

  constructor(
    private policy: ResponderPolicy,
    private readonly options: RtxIkeResponderOptions = {},
  ) {
    this.limits = { ...DEFAULT_RESPONDER_LIMITS, ...options.limits };
    this.numbers = options.saNumbers ?? new SaNumbers();
    // Drawn a pool at a time: a dozen small values per handshake, each a costly CSPRNG call on its own.
    this.randomBytes = options.randomBytes ?? createRandomPool();
    // As many peers as there may be half-open negotiations and SAs: a flood of new addresses forgets the oldest.
    this.dropLog = new DropLogLimiter({ linesPerWindow: this.limits.dropLinesPerPeer, windowMs: this.limits.dropLogWindowMs, maxPeers: this.limits.maxIsakmpSas + this.limits.maxHalfOpenSas });
    this.keepalives = new Keepalives({
      randomBytes: this.randomBytes,
      syslogDebug: () => this.policy.syslogDebug,
      ...(options.keepalive ? { options: options.keepalive } : {}),
    });
    const schedule: RetransmitSchedule = { intervalMs: this.limits.retransmitIntervalMs, retransmissions: this.limits.retransmissions };
    const responder = this;
    this.phase2Host = {
      // Read at each use: a changed config (a new pool, user) applies to the next negotiation.
      get policy() {
        return responder.policy;
      },
      schedule,
      quickModeTimeoutMs: this.limits.quickModeTimeoutMs,
      randomBytes: this.randomBytes,
      ...(options.cipherAvailable ? { cipherAvailable: options.cipherAvailable } : {}),
      leases: this.leases,
      ...(options.withholdModeCfgSet === true ? { withholdModeCfgSet: true } : {}),
      spiInUse: (spi) => this.ipsecSas.hasInboundSpi(spi),
      emit: (effect) => this.collect(effect),
      quickModeEstablished: (from, outcome, now) => this.installIpsecSas(from, outcome, now),
      xauthFailed: (from, now) => {
        const entry = this.entryOf(from);
        if (entry) entry.actor.send({ type: 'DELETE', now, reason: 'XAUTH failed' });
      },
    };
  }

  /**
   * A changed config (the console's live `apply`): new negotiations follow it; SAs already made,
   * and negotiations already under way, keep the settings they started with (as on the RTX, where
   * a changed gateway setting applies from the next negotiation).
   */
  setPolicy(policy: ResponderPolicy): void {
    this.policy = policy;
  }

  /**
   * `ipsec sa delete ID|all` (command reference §15.48.6): the SAs of that `show ipsec sa` number
   * go, IPsec SA pairs by either of their numbers, ISAKMP SAs by theirs. Delete notifications go
   * to the peer per `ipsec ike send info` (ASSUMED: the reference does not say). Returns the
   * effects and how many SAs (pairs count as two, as `show ipsec sa` lists them) were removed.
   */
  deleteSas(target: number | 'all', now: number): { effects: ResponderEffect[]; removed: number } {
    let removed = 0;
    const effects = this.collecting(() => {
      for (const pair of [...this.ipsecSas.all()]) {
        if (target !== 'all' && pair.inboundNumber !== target && pair.outboundNumber !== target) continue;
        this.removeIpsecSas(pair, 'deleted-by-operator');
        removed += 2;
      }
      for (const entry of [...this.table.values()]) {
        if (entry.number === undefined || (target !== 'all' && entry.number !== target)) continue;
        entry.actor.send({ type: 'DELETE', now, reason: 'deleted by the operator' });
        this.settle(entry);
        removed += 1;
      }
    }, 'ipsec sa delete');
    return { effects, removed };
  }

  receive(datagram: InboundDatagram, now: number): ResponderEffect[] {
    const effects = this.collecting(() => this.dispatch(datagram, now), datagram.from.address);
    // Lines about what this datagram made us drop count against its sender's quota (most
    // datagrams make none: the effects are then returned as they are).
    if (!effects.some((effect) => effect.kind === 'log' && isDropLine(effect))) return effects;
    return effects.flatMap((effect) => (effect.kind === 'log' && isDropLine(effect) ? this.dropLog.admit(datagram.from.address, effect, now) : [effect]));
  }

  tick(now: number): ResponderEffect[] {
    return this.collecting(() => {
      // Only the SAs whose deadline came: each one's scheduled time is at or before its real one.
      const due = this.deadlines.takeDue(now).sort((a, b) => a.order - b.order);
      for (const entry of due) {
        if (entry.removed) continue;
        const deadline = phase1DeadlineOf(entry);
        if (deadline !== undefined && deadline <= now) this.deliver(entry, { type: 'TICK', now });
        const exchanges = entry.exchanges;
        const exchangeDeadline = exchanges?.nextDeadline();
        if (exchanges && exchangeDeadline !== undefined && exchangeDeadline <= now && this.table.findByCookies(entry.initiatorCookie, entry.responderCookie)) {
          exchanges.tick(now);
          this.settle(entry);
        }
      }
      for (const pair of this.ipsecSas.expired(now)) this.removeIpsecSas(pair, 'expired');
      const keepalive = this.keepalives.due(now);
      this.collected.push(...keepalive.effects);
      for (const dead of keepalive.dead) this.takeDownDeadPeer(dead, now);
      for (const entry of due) {
        const idleUntil = this.idleDeadlineOf(entry);
        if (idleUntil !== undefined && idleUntil <= now) this.reclaimIdle(entry, now);
      }
      for (const entry of due) if (!entry.removed) this.file(entry);
    }, 'tick');
  }

  /**
   * ESP arrived on the IPsec SA with this inbound SPI: its peer is alive (for the idle limit).
   * The router calls it for each ESP packet it opens.
   */
  espReceived(inboundSpi: Buffer, now: number): void {
    const pair = this.ipsecSas.findByInboundSpi(inboundSpi);
    if (!pair) return;
    const entry = this.index.withNumber(pair.isakmpSaNumber);
    if (entry) this.heardFrom(entry, now);
  }

  /** An ICMP echo reply came back through the tunnel: the answer an `icmp-echo` keepalive waits for. */
  keepaliveIcmpEchoReply(tunnelId: number, sequence: number, now: number): ResponderEffect[] {
    return this.collecting(() => {
      for (const saNumber of this.keepalives.icmpEchoSasOnTunnel(tunnelId)) this.collected.push(...this.keepalives.heard(saNumber, { kind: 'icmp-echo-reply', sequence }, now));
    }, `tunnel ${tunnelId}`);
  }

  nextDeadline(): number | undefined {
    // Asked after every datagram: read from the queues, never from every SA.
    return earlierOf(earlierOf(this.ipsecSas.earliestExpiry(), this.keepalives.nextDeadline()), this.deadlines.earliest());
  }

  /** The ISAKMP SAs currently kept. */
  isakmpSas(): IsakmpSaSummary[] {
    return [...this.table.values()].map((entry) => {
      const snapshot = entry.actor.getSnapshot();
      const { context } = snapshot;
      const exchanges = entry.exchanges;
      return {
        initiatorCookie: entry.initiatorCookie,
        responderCookie: entry.responderCookie,
        peer: context.peer,
        state: snapshot.value as AggressiveModeState | MainModeState,
        exchange: entry.exchange,
        ...(context.negotiation ? { gatewayId: context.negotiation.gateway.gatewayId } : {}),
        ...(entry.number === undefined ? {} : { number: entry.number }),
        ...(context.establishedAt === undefined ? {} : { establishedAt: context.establishedAt }),
        ...(context.expiresAt === undefined ? {} : { expiresAt: context.expiresAt }),
        ...('message3Encrypted' in context && context.message3Encrypted !== undefined ? { message3Encrypted: context.message3Encrypted } : {}),
        ...(exchanges ? { xauth: exchanges.xauthProgress } : {}),
        ...(exchanges?.xauthUser === undefined ? {} : { xauthUser: exchanges.xauthUser }),
        ...(exchanges?.internalAddress === undefined ? {} : { internalAddress: exchanges.internalAddress }),
      };
    });
  }

  /** Whether a peer's exchange gave this tunnel SAs (the initiating side then leaves it alone). */
  hasIpsecSasOnTunnel(tunnelId: number): boolean {
    return this.ipsecSas.hasPairsOnTunnel(tunnelId);
  }

  /** The IPsec SA pairs currently installed. */
  ipsecSaPairs(): readonly IpsecSaPair[] {
    return this.ipsecSas.all();
  }

  /** Addresses mode-cfg has handed out and who holds them. */
  addressLeases(): LeaseView[] {
    return this.leases.leases();
  }

  /** What `show ipsec sa` and `show status tunnel` print, at `now`. */
  ipsecState(now: number): IpsecState {
    const isakmpSas: IsakmpSaRow[] = [];
    for (const entry of this.table.values()) {
      const { context } = entry.actor.getSnapshot();
      const negotiation = context.negotiation;
      if (entry.number === undefined || !negotiation || context.establishedAt === undefined || context.expiresAt === undefined) continue;
      const exchanges = entry.exchanges;
      isakmpSas.push({
        number: entry.number,
        gatewayId: negotiation.gateway.gatewayId,
        peer: context.peer,
        localAddress: negotiation.gateway.localAddress ?? context.local.address,
        establishedAt: context.establishedAt,
        durationSeconds: secondsBetween(context.establishedAt, now),
        expiresAt: context.expiresAt,
        lifeRemainingSeconds: secondsBetween(now, context.expiresAt),
        cipher: negotiation.chosen.cipher,
        hash: negotiation.chosen.hash,
        group: negotiation.chosen.group,
        spi: Buffer.concat([entry.initiatorCookie, entry.responderCookie]),
        xauth: exchanges?.xauthProgress ?? 'not-requested',
        ...(exchanges?.xauthUser === undefined ? {} : { xauthUser: exchanges.xauthUser }),
        ...(exchanges?.internalAddress === undefined ? {} : { internalAddress: exchanges.internalAddress }),
      });
    }
    isakmpSas.sort((a, b) => a.number - b.number);
    const liveIsakmp = new Set(isakmpSas.map((row) => row.number));
    const ipsecSas: IpsecSaRow[] = this.ipsecSas.all().flatMap((pair) => {
      const facts = { ...pair, liveIsakmpSaNumber: liveIsakmp.has(pair.isakmpSaNumber) ? pair.isakmpSaNumber : undefined };
      return [ipsecSaRow(facts, 'send', now), ipsecSaRow(facts, 'recv', now)];
    });
    ipsecSas.sort((a, b) => a.number - b.number);
    const tunnels: TunnelRow[] = this.policy.gateways
      .filter((gateway) => gateway.enabled)
      .map((gateway) => {
        const state = this.ipsecSas.tunnel(gateway.tunnelId);
        return state
          ? { tunnelId: gateway.tunnelId, gatewayId: gateway.gatewayId, up: true, upSince: state.upSince, durationSeconds: secondsBetween(state.upSince, now), peerAddress: state.peerAddress }
          : { tunnelId: gateway.tunnelId, gatewayId: gateway.gatewayId, up: false };
      });
    return {
      totals: { isakmp: isakmpSas.length, send: this.ipsecSas.size, recv: this.ipsecSas.size },
      isakmpSas,
      ipsecSas,
      tunnels,
    };
  }

  /** Sizes of everything kept, for the bounded-state checks. */
  tableSizes(): { isakmpSas: number; halfOpen: number; ipsecSaPairs: number; leases: number; saNumbers: number; keepalives: number } {
    return {
      keepalives: this.keepalives.size,
      isakmpSas: this.table.size,
      halfOpen: this.table.halfOpenCount,
      ipsecSaPairs: this.ipsecSas.size,
      leases: this.leases.size,
      saNumbers: this.numbers.size,
    };
  }

  private event(event: ResponderEvent): void {
    this.collected.push({ kind: 'event', event });
  }

  /** An SA that held leases is gone: the addresses that went back to their pool are reported. */
  private releaseLeases(holder: number): void {
    for (const address of this.leases.releaseHolder(holder)) this.event({ type: 'lease-released', address });
  }

  private collect(effect: ResponderEffect): void {
    this.collected.push(effect);
  }

  private collecting(work: () => void, context: string): ResponderEffect[] {
    this.collected = [];
    this.initialContacts = [];
    this.espDeletes = [];
    try {
      work();
    } catch (error) {
      // A bug, not a peer's doing: keep running, say so once.
      this.collected.push(ikeLog.internalError(context, error instanceof Error ? error.message : String(error)));
    }
    const effects = this.collected;
    this.collected = [];
    return effects;
  }

  private debug(effect: ResponderEffect): void {
    if (this.policy.syslogDebug) this.collected.push(effect);
  }

  private dispatch(datagram: InboundDatagram, now: number): void {
    const peer = datagram.from.address;
    const header = decodeHeader(datagram.bytes);
    if (!header.ok) return this.debug(ikeLog.notIsakmp(peer, header.error.text));
    const { initiatorCookie, responderCookie, exchangeType } = header.value;
    if (responderCookie.equals(ZERO_COOKIE)) return this.receiveFirstMessage(datagram, header.value, now);

    const entry = this.table.findByCookies(initiatorCookie, responderCookie);
    if (!entry) return this.debug(ikeLog.unknownIsakmpSa(peer, `${initiatorCookie.toString('hex')}/${responderCookie.toString('hex')}`));
    const message = decodeMessage(datagram.bytes);
    // Undecodable bytes cannot be authenticated: they must not end an SA (anyone can see cookies).
    // Named by exchange: under one ISAKMP SA it may be Phase 1's message 3, XAUTH/mode-cfg or Quick Mode.
    if (!message.ok) return void this.collected.push(ikeLog.payloadMalformed(peer, `${exchangeTypeName(exchangeType)} message: ${message.error.text}`));
    const arrival: Arrival = { from: datagram.from, local: datagram.local, natTraversal: datagram.natTraversal, now };
    const effectsBefore = this.collected.length;
    this.route(entry, message.value, datagram.bytes, arrival);
    // The idle limit's clock: only a message that authenticated proves the peer alive (anyone who
    // saw the cookies could send the rest, from anywhere; found while writing the exchange-state
    // fuzzer). The exchange machines show an encrypted message's payloads in its `ike-message`
    // event only once it decrypted and its HASH verified.
    if (this.collected.slice(effectsBefore).some((effect) => isAuthenticatedArrival(effect, header.value))) this.heardFrom(entry, now);
  }

  /** A decoded message under an existing SA, to the machine of its exchange. */
  private route(entry: SaEntry, message: DecodedMessage, datagram: Buffer, arrival: Arrival): void {
    const peer = arrival.from.address;
    const { exchangeType } = message.header;
    switch (exchangeType) {
      case ExchangeType.AGGRESSIVE:
        return this.deliver(entry, { type: 'AGGRESSIVE_3', message, ...arrival });
      case ExchangeType.IDENTITY_PROTECTION:
        return this.deliver(entry, { type: 'MAIN_MODE', message, datagram, ...arrival });
      case ExchangeType.INFORMATIONAL:
        return this.deliver(entry, { type: 'INFORMATIONAL', message, ...arrival });
      case ExchangeType.TRANSACTION:
      case ExchangeType.QUICK_MODE: {
        const exchanges = entry.exchanges;
        if (!exchanges) return this.debug(ikeLog.ignoredMessage(peer, `${exchangeTypeName(exchangeType)} before the ISAKMP SA was established`));
        if (exchangeType === ExchangeType.QUICK_MODE && this.ipsecSas.size >= this.limits.maxIpsecSaPairs) {
          // Decided before anything is authenticated: a dropped datagram, its line rate-limited.
          return void this.collected.push(ikeLog.ipsecSaTableFull(peer, this.limits.maxIpsecSaPairs));
        }
        exchanges.receive(message, datagram, arrival);
        return this.settle(entry);
      }
      default:
        return this.debug(ikeLog.unsupportedExchange(peer, exchangeTypeName(exchangeType)));
    }
  }

  /** R-cookie zero: a new Aggressive or Main Mode, or a repeated message 1 of a half-open one. */
  private receiveFirstMessage(datagram: InboundDatagram, header: IsakmpHeader, now: number): void {
    const peer = datagram.from.address;
    const exchange: Phase1Exchange | undefined =
      header.exchangeType === ExchangeType.AGGRESSIVE ? 'aggressive' : header.exchangeType === ExchangeType.IDENTITY_PROTECTION ? 'main' : undefined;
    if (exchange === undefined) {
      return this.debug(ikeLog.ignoredMessage(peer, `${exchangeTypeName(header.exchangeType)} message without a responder cookie`));
    }
    const message = decodeMessage(datagram.bytes);
    if (!message.ok) return void this.collected.push(ikeLog.payloadMalformed(peer, message.error.text));
    if (message.value.kind !== 'cleartext') return void this.collected.push(ikeLog.payloadMalformed(peer, 'message 1 has the encryption flag set'));
    const event: Phase1Event = {
      type: exchange === 'main' ? 'MAIN_MODE_1' : 'AGGRESSIVE_1',
      message: message.value,
      datagram: datagram.bytes,
      from: datagram.from,
      local: datagram.local,
      natTraversal: datagram.natTraversal,
      now,
    };
    const existing = this.table.findHalfOpen(header.initiatorCookie, datagram.from);
    if (existing) return this.deliver(existing, event);

    if (!this.admit(datagram.from, now)) return void this.collected.push(ikeLog.tooManyNegotiations(peer, this.limits.maxIsakmpSas));
    const entry = this.createSa(exchange, header.initiatorCookie, datagram, now);
    this.deliver(entry, event);
    // Kept only if message 2 went out; a refused message 1 leaves nothing behind.
    if (entry.actor.getSnapshot().status === 'active') this.table.addHalfOpen(entry.initiatorCookie, entry.responderCookie, datagram.from, entry);
  }

  /** Makes room for a new half-open SA (half-open-admission.ts); false when established SAs fill the table. */
  private admit(newcomer: Endpoint, now: number): boolean {
    // Room for one more, whoever sends it: nothing can expire or give way (the rule below would
    // admit and drop nothing), so the half-open list need not be read. Bounds taken on the safe
    // side: every SA counted as established for the capacity, every half-open one as the peer's.
    const { maxHalfOpenSas, maxHalfOpenSasPerPeer, maxIsakmpSas } = this.limits;
    const halfOpenCount = this.table.halfOpenCount;
    if (this.table.size < maxIsakmpSas && halfOpenCount < Math.max(1, Math.min(maxHalfOpenSas, maxIsakmpSas - this.table.size)) && halfOpenCount < Math.max(1, maxHalfOpenSasPerPeer)) {
      return true;
    }
    const halfOpen = this.table.halfOpenEntries().map(({ entry, peer }) => ({ entry, peer, openedAt: entry.actor.getSnapshot().context.createdAt }));
    const admission = admitFirstMessage(halfOpen, this.table.size - halfOpen.length, newcomer, now, this.limits);
    if (!admission.admit) return false;
    for (const entry of admission.expired) this.dropHalfOpen(entry, ikeLog.halfOpenTimedOut(entry.message1Peer.address));
    for (const { entry, reason } of admission.evicted) {
      const why = reason === 'peer-limit' ? `${this.limits.maxHalfOpenSasPerPeer} negotiations from the peer at once` : `${this.limits.maxHalfOpenSas} negotiations at once`;
      this.dropHalfOpen(entry, ikeLog.halfOpenEvicted(entry.message1Peer.address, why));
    }
    return true;
  }

  private dropHalfOpen(entry: SaEntry, line: ResponderEffect): void {
    this.collected.push(line);
    entry.actor.stop();
    this.settle(entry);
  }

  private createSa(exchange: Phase1Exchange, initiatorCookie: Buffer, datagram: InboundDatagram, now: number): SaEntry {
    const responderCookie = this.newResponderCookie(initiatorCookie);
    // One copy of the cookie (never written) for the entry and the machine. xstate keeps an
    // actor's input for the SA's life: fixed-shape literals (cipherAvailable present even when
    // undefined) keep it one small object, not one with a hidden class of its own per SA.
    const ownInitiatorCookie = Buffer.from(initiatorCookie);
    const cookies = { initiatorCookie: ownInitiatorCookie, responderCookie };
    const { policy, randomBytes } = this;
    const { halfOpenTimeoutMs } = this.limits;
    const { cipherAvailable } = this.options;
    const { from: peer, local, natTraversal } = datagram;
    const resends = this.phase2Host.schedule;
    const state: SaEntryState = { initiatorCookie: ownInitiatorCookie, responderCookie, message1Peer: datagram.from, order: this.created++, halfOpen: true };
    const entry: SaEntry =
      exchange === 'main'
        ? Object.assign(state, {
            exchange,
            actor: createActor(mainModeMachine, { input: { policy, cookies, peer, local, natTraversal, now, halfOpenTimeoutMs, randomBytes, cipherAvailable, replyResends: resends } }),
          })
        : Object.assign(state, {
            exchange,
            actor: createActor(aggressiveModeMachine, {
              input: { policy, cookies, peer, local, natTraversal, now, halfOpenTimeoutMs, randomBytes, cipherAvailable, message2Resends: resends, gatewayInUse: this.gatewayInUseOfAnySa },
            }),
          });
    const collect = (emitted: AggressiveModeEmitted) => {
      if (emitted.type === 'effect') this.collected.push(emitted.effect);
      else if (emitted.type === 'initial-contact') this.initialContacts.push({ from: entry, peerAddress: emitted.peerAddress });
      else if (emitted.type === 'esp-deletes') this.espDeletes.push({ from: entry, spis: emitted.spis });
      else if (entry.number !== undefined) for (const answer of emitted.answers) this.collected.push(...this.keepalives.heard(entry.number, answer, emitted.now));
    };
    // Errors thrown by actions stop the actor; with an observer xstate reports them here instead
    // of rethrowing them later from a timer. deliver() reads the status and cleans up.
    if (entry.exchange === 'main') {
      entry.actor.on('*', collect);
      entry.actor.subscribe({ error: () => {} });
      entry.actor.start();
    } else {
      entry.actor.on('*', collect);
      entry.actor.subscribe({ error: () => {} });
      entry.actor.start();
    }
    return entry;
  }

  private newResponderCookie(initiatorCookie: Buffer): Buffer {
    for (;;) {
      const cookie = Buffer.from(this.randomBytes(8));
      if (!cookie.equals(ZERO_COOKIE) && !this.table.findByCookies(initiatorCookie, cookie)) return cookie;
    }
  }

  private deliver(entry: SaEntry, event: Phase1Event): void {
    if (!sendToMachine(entry, event)) {
      // An Aggressive Mode message under a Main Mode SA's cookies, or the reverse.
      if ('from' in event) this.debug(ikeLog.ignoredMessage(event.from.address, `${event.type} message for an ISAKMP SA made in ${entry.exchange === 'main' ? 'Main' : 'Aggressive'} Mode`));
      return;
    }
    this.settle(entry);
    const now = 'now' in event ? event.now : 0;
    const contacts = this.initialContacts;
    this.initialContacts = [];
    for (const contact of contacts) this.supersedeOlderSas(contact.from, contact.peerAddress, now);
    const deletes = this.espDeletes;
    this.espDeletes = [];
    for (const request of deletes) this.applyPeerEspDeletes(request.from, request.spis);
  }

  /**
   * After an event: forget finished SAs (and what ran under them), move established ones out of
   * the half-open index and start their XAUTH / mode-cfg / Quick Mode exchanges.
   */
  private settle(entry: SaEntry): void {
    if (entry.removed) return;
    const snapshot = entry.actor.getSnapshot();
    if (snapshot.status === 'error') {
      const error = snapshot.error;
      this.collected.push(ikeLog.internalError(entry.message1Peer.address, error instanceof Error ? error.message : String(error)));
    }
    if (snapshot.status !== 'active') {
      entry.removed = true;
      this.table.remove(entry.initiatorCookie, entry.responderCookie, entry.message1Peer);
      this.deadlines.delete(entry);
      this.index.remove(entry);
      entry.actor.stop();
      entry.exchanges?.stop();
      if (entry.number !== undefined) {
        this.keepalives.stop(entry.number);
        this.releaseLeases(entry.number);
        this.numbers.release(entry.number);
        const state = snapshot.value as AggressiveModeState | MainModeState;
        this.event({
          type: 'isakmp-sa-down',
          cookies: cookiesOf(entry),
          number: entry.number,
          peer: snapshot.context.peer,
          reason: entry.peerDead ? 'dead-peer' : state === 'expired' ? 'expired' : state === 'deleted' ? 'deleted' : 'failed',
        });
      }
      return;
    }
    if (entry.halfOpen && snapshot.value === 'established') {
      entry.halfOpen = false;
      this.table.markEstablished(entry.initiatorCookie, entry.message1Peer);
      this.startExchanges(entry);
    }
    if (!entry.removed) this.file(entry);
  }

  /** The idle limit's clock restarts (a later deadline: the SA is filed again only when the limit is on). */
  private heardFrom(entry: SaEntry, now: number): void {
    entry.lastHeardAt = now;
    if (this.limits.idleLimitMs > 0 && !entry.removed) this.file(entry);
  }

  /** Files the SA under its current keys and deadline (after anything that may have changed them). */
  private file(entry: SaEntry): void {
    const { context } = entry.actor.getSnapshot();
    const gateway = context.negotiation?.gateway;
    this.index.index(entry, { number: entry.number, gatewayId: gateway?.gatewayId, tunnelId: gateway?.tunnelId, peerAddress: context.peer.address });
    this.deadlines.set(entry, earlierOf(earlierOf(phase1DeadlineOf(entry), entry.exchanges?.nextDeadline()), this.idleDeadlineOf(entry)));
  }

  private startExchanges(entry: SaEntry): void {
    const { context } = entry.actor.getSnapshot();
    const negotiation = context.negotiation;
    if (!negotiation || !context.ivChains || context.establishedAt === undefined) return;
    entry.number = this.numbers.take();
    this.event({
      type: 'isakmp-sa-up',
      cookies: cookiesOf(entry),
      number: entry.number,
      gatewayId: negotiation.gateway.gatewayId,
      peer: context.peer,
      cipher: negotiation.chosen.cipher,
      hash: negotiation.chosen.hash,
      group: negotiation.chosen.group,
      message3Encrypted: ('message3Encrypted' in context && context.message3Encrypted) === true,
    });
    entry.exchanges = new Phase2Exchanges(
      {
        saNumber: entry.number,
        keys: {
          cookies: context.cookies,
          protection: negotiatedProtection(negotiation),
          skeyidD: negotiation.keys.skeyidD,
        },
        // Each exchange starts at the Phase 1 block; no Phase 1 exchange is left open.
        ivChains: withoutExchanges(context.ivChains),
        gateway: negotiation.gateway,
        xauthProposed: negotiation.chosen.authMethod === 65001,
        natTraversal: negotiation.natTraversal !== undefined,
        path: saPath(context),
      },
      this.phase2Host,
    );
    entry.exchanges.start(context.establishedAt);
    // The keepalive follows the newest ISAKMP SA with the peer (same address and port: clients
    // behind one NAT keep theirs) on this gateway: a peer that rekeyed Phase 1 may no longer answer
    // under the old SA, which lives on only until it expires (ASSUMED: the RTX's keepalive is per
    // tunnel, §15.20; which SA it probes after a rekey was NOT FOUND).
    for (const older of this.index.onGateway(negotiation.gateway.gatewayId)) {
      if (older === entry || older.number === undefined || older.exchanges === undefined) continue;
      const { gateway, path } = older.exchanges.sa;
      const samePeer = path.to.address === context.peer.address && path.to.port === context.peer.port;
      if (gateway.gatewayId === negotiation.gateway.gatewayId && samePeer) this.keepalives.stop(older.number);
    }
    this.collected.push(...this.keepalives.start(entry.exchanges.sa, { announcedDpd: negotiation.peerAnnouncedDpd }, context.establishedAt));
    // XAUTH may fail at once (nothing can, today); settle again to be safe.
    if (entry.actor.getSnapshot().status !== 'active') this.settle(entry);
  }

  private entryOf(exchanges: Phase2Exchanges): SaEntry | undefined {
    const entry = this.index.withNumber(exchanges.sa.saNumber);
    return entry?.exchanges === exchanges ? entry : undefined;
  }

  /** One tunnel carries one peer: the gateway's tunnel has SAs of another peer, or its ISAKMP SA. */
  private gatewayInUse(gatewayId: number, peerAddress: string): boolean {
    const gateway = gatewayWithId(this.policy.gateways, gatewayId);
    if (gateway === undefined) return false;
    if (this.ipsecSas.onTunnel(gateway.tunnelId).some((pair) => pair.peer.address !== peerAddress)) return true;
    for (const entry of this.index.onGateway(gatewayId)) {
      const { context } = entry.actor.getSnapshot();
      if (context.negotiation?.gateway.gatewayId === gatewayId && context.peer.address !== peerAddress) return true;
    }
    return false;
  }

  /** When an established SA's peer has been silent for the idle limit; none when the limit is off. */
  private idleDeadlineOf(entry: SaEntry): number | undefined {
    if (this.limits.idleLimitMs <= 0 || entry.exchanges === undefined || entry.removed) return undefined;
    const since = entry.lastHeardAt ?? entry.actor.getSnapshot().context.establishedAt;
    return since === undefined ? undefined : since + this.limits.idleLimitMs;
  }

  /** The idle limit passed: the SA's IPsec SAs go, then the SA (Deletes per `send info`, in case the peer is only quiet). */
  private reclaimIdle(entry: SaEntry, now: number): void {
    const peer = entry.actor.getSnapshot().context.peer.address;
    this.collected.push(ikeLog.idleReclaimed(peer, Math.round(this.limits.idleLimitMs / 1000)));
    if (entry.number !== undefined) for (const pair of this.ipsecSas.madeUnder(entry.number)) this.removeIpsecSas(pair, 'idle');
    entry.actor.send({ type: 'DELETE', now, reason: 'idle limit' });
    this.settle(entry);
  }

  /**
   * The router's keepalive got no answer for `count` intervals: the peer is gone. Its IPsec SAs
   * go (those made under the SA, and any other of that peer on the same tunnel, so the tunnel
   * goes down), then the ISAKMP SA; Deletes per `send info` in case the peer is only deaf
   * (ASSUMED: what the RTX sends then was NOT FOUND).
   */
  private takeDownDeadPeer(dead: DeadPeer, now: number): void {
    const entry = this.index.withNumber(dead.saNumber);
    if (!entry || !entry.exchanges) return;
    const { path, gateway } = entry.exchanges.sa;
    this.collected.push(ikeLog.keepalivePeerDown(path.to.address, dead.reason));
    const madeUnder = this.ipsecSas.madeUnder(dead.saNumber);
    const sameTunnelAndPeer = this.ipsecSas.onTunnel(gateway.tunnelId).filter((pair) => pair.peer.address === path.to.address && !madeUnder.includes(pair));
    const pairs = this.ipsecSas.inAddedOrder([...madeUnder, ...sameTunnelAndPeer]);
    for (const pair of pairs) this.removeIpsecSas(pair, 'dead-peer');
    entry.peerDead = true;
    entry.actor.send({ type: 'DELETE', now, reason: dead.reason });
    this.settle(entry);
  }

  // --- IPsec SAs ---------------------------------------------------------------------------------

  private installIpsecSas(from: Phase2Exchanges, outcome: QuickModeOutcome, now: number): void {
    const entry = this.entryOf(from);
    if (!entry || entry.number === undefined) return;
    const { sa } = from;
    const { gateway } = sa;
    const peer = sa.path.to;
    const { chosen, answer } = outcome;
    // A client's rekey: the older pairs of this peer on the tunnel live 30 s more (§15.48.1).
    for (const older of this.ipsecSas.onTunnel(gateway.tunnelId)) {
      if (older.peer.address === peer.address) this.ipsecSas.cutLifetime(older, now + REPLACED_IPSEC_SA_GRACE_MS);
    }
    // One peer per tunnel: another peer's SAs and ISAKMP SAs on it go (ASSUMED).
    const displaced = this.ipsecSas.onTunnel(gateway.tunnelId).filter((older) => older.peer.address !== peer.address);
    const previousPeers = [...new Set(displaced.map((older) => older.peer.address))];
    for (const previous of previousPeers) this.collected.push(ikeLog.tunnelTakenOver(gateway.tunnelId, peer.address, previous));
    for (const older of displaced) this.removeIpsecSas(older, 'replaced');
    for (const other of this.index.onTunnel(gateway.tunnelId)) {
      const { context } = other.actor.getSnapshot();
      if (other === entry || context.negotiation?.gateway.tunnelId !== gateway.tunnelId || context.peer.address === peer.address || other.exchanges === undefined) continue;
      other.actor.send({ type: 'DELETE', now, reason: `tunnel ${gateway.tunnelId} taken over by ${peer.address}` });
      this.settle(other);
    }

    const pair: IpsecSaPair = {
      inboundNumber: this.numbers.take(),
      outboundNumber: this.numbers.take(),
      gatewayId: gateway.gatewayId,
      tunnelId: gateway.tunnelId,
      isakmpSaNumber: entry.number,
      peer,
      path: sa.path,
      encryption: chosen.encryption,
      integrity: chosen.integrity,
      encapsulationMode: chosen.encapsulationMode,
      udpEncapsulated: chosen.udpEncapsulated,
      ...(chosen.pfsGroup === undefined ? {} : { pfsGroup: chosen.pfsGroup }),
      inbound: answer.keys.initiatorToResponder,
      outbound: answer.keys.responderToInitiator,
      lifeSeconds: chosen.lifeSeconds,
      ...(chosen.lifeKilobytes === undefined ? {} : { lifeKilobytes: chosen.lifeKilobytes }),
      establishedAt: now,
      expiresAt: now + chosen.lifeSeconds * 1000,
      ...(answer.initiatorIdentity ? { initiatorIdentity: answer.initiatorIdentity } : {}),
      ...(answer.responderIdentity ? { responderIdentity: answer.responderIdentity } : {}),
      ...(from.xauthUser === undefined ? {} : { xauthUser: from.xauthUser }),
      ...(from.internalAddress === undefined ? {} : { internalAddress: from.internalAddress }),
    };
    if (pair.internalAddress !== undefined) this.leases.addHolder(pair.internalAddress, pair.inboundNumber);
    const { tunnelCameUp } = this.ipsecSas.add(pair, now);
    if (tunnelCameUp) this.collected.push(ikeLog.tunnelUp(gateway.tunnelId));
    this.collected.push({
      kind: 'ipsec-sa-installed',
      tunnelCameUp,
      sa: {
        tunnelId: pair.tunnelId,
        gatewayId: pair.gatewayId,
        peer: pair.path.to,
        local: pair.path.from,
        udpEncapsulated: pair.udpEncapsulated,
        encryption: pair.encryption,
        integrity: pair.integrity,
        inbound: pair.inbound,
        outbound: pair.outbound,
        lifeSeconds: pair.lifeSeconds,
        ...(pair.lifeKilobytes === undefined ? {} : { lifeKilobytes: pair.lifeKilobytes }),
        establishedAt: now,
        ...(pair.internalAddress === undefined ? {} : { internalAddress: pair.internalAddress }),
        ...(pair.initiatorIdentity ? { initiatorIdentity: pair.initiatorIdentity } : {}),
        ...(pair.responderIdentity ? { responderIdentity: pair.responderIdentity } : {}),
      },
    });
    entry.actor.send({ type: 'EXTEND_LIFETIME', until: pair.expiresAt });
  }

  /** Removes a pair: Delete to the peer when the router ends it, `IP Tunnel[N] Down` with the last one. */
  private removeIpsecSas(pair: IpsecSaPair, reason: IpsecSaRemoval): void {
    const { tunnelWentDown } = this.ipsecSas.remove(pair);
    if (reason === 'expired') this.collected.push(ikeLog.ipsecSaExpired(pair.tunnelId, pair.peer.address));
    if (reason === 'deleted-by-peer') this.collected.push(ikeLog.ipsecSaDeletedByPeer(pair.tunnelId, pair.peer.address));
    if (reason === 'deleted-by-operator') this.collected.push(ikeLog.ipsecSaDeletedByOperator(pair.tunnelId, pair.peer.address));
    if (reason === 'expired' || reason === 'replaced' || reason === 'deleted-by-operator' || reason === 'idle' || reason === 'dead-peer') this.sendEspDelete(pair);
    this.collected.push({ kind: 'ipsec-sa-removed', tunnelId: pair.tunnelId, inboundSpi: pair.inbound.spi, outboundSpi: pair.outbound.spi, reason, tunnelWentDown });
    this.releaseLeases(pair.inboundNumber);
    this.numbers.release(pair.inboundNumber);
    this.numbers.release(pair.outboundNumber);
    if (tunnelWentDown) this.collected.push(ikeLog.tunnelDown(pair.tunnelId));
  }

  /** Delete(ESP, our SPI) under the pair's ISAKMP SA, or another live one of the peer, per `send info`. */
  private sendEspDelete(pair: IpsecSaPair): void {
    const live = (entry: SaEntry | undefined): entry is SaEntry => entry !== undefined && entry.exchanges !== undefined && entry.actor.getSnapshot().status === 'active';
    const own = this.index.withNumber(pair.isakmpSaNumber);
    const carrier = live(own) ? own : this.index.withPeerAddress(pair.peer.address).find((entry) => live(entry) && entry.exchanges?.sa.path.to.address === pair.peer.address);
    const exchanges = carrier?.exchanges;
    if (!exchanges || !exchanges.sa.gateway.sendInfo) return;
    const { keys, ivChains, path, gateway } = exchanges.sa;
    const deletion = protectedInformationalMessage(keys.protection, ivChains, keys.cookies, newMessageId(this.randomBytes), [espSaDeletion([pair.inbound.spi])]);
    this.collected.push(...sendEffects({ syslogDebug: this.policy.syslogDebug, log: gateway.log }, deletion.bytes, deletion.payloads, path));
  }

  private applyPeerEspDeletes(from: SaEntry, spis: readonly Buffer[]): void {
    const peer = from.actor.getSnapshot().context.peer;
    for (const spi of spis) {
      const pair = this.ipsecSas.findBySpi(spi, peer);
      if (pair) this.removeIpsecSas(pair, 'deleted-by-peer');
    }
  }

  /**
   * INITIAL-CONTACT (RFC 2407 §4.6.3.3): the peer has rebooted and holds no other SA with us, so
   * every other ISAKMP SA of that address is stale and goes (without a Delete: the peer would
   * not know it; ASSUMED), and so do its IPsec SAs.
   */
  private supersedeOlderSas(newest: SaEntry, peerAddress: string, now: number): void {
    for (const entry of this.index.withPeerAddress(peerAddress)) {
      if (entry === newest || entry.actor.getSnapshot().context.peer.address !== peerAddress) continue;
      entry.actor.send({ type: 'SUPERSEDED', now });
      this.settle(entry);
    }
    for (const pair of this.ipsecSas.withPeerAddress(peerAddress)) {
      if (pair.isakmpSaNumber !== newest.number) this.removeIpsecSas(pair, 'initial-contact');
    }
  }
}

const isMainModeEvent = (event: Phase1Event): event is MainModeEvent => event.type !== 'AGGRESSIVE_1' && event.type !== 'AGGRESSIVE_3';
const isAggressiveModeEvent = (event: Phase1Event): event is AggressiveModeEvent => event.type !== 'MAIN_MODE_1' && event.type !== 'MAIN_MODE';

/** Gives the event to the SA's machine; false when it belongs to the other Phase 1 exchange. */
function sendToMachine(entry: SaEntry, event: Phase1Event): boolean {
  if (entry.exchange === 'main') {
    if (!isMainModeEvent(event)) return false;
    entry.actor.send(event);
    return true;
  }
  if (!isAggressiveModeEvent(event)) return false;
  entry.actor.send(event);
  return true;
}

/** When the SA's machine must next see a TICK: a resend or the half-open end while negotiating, then its lifetime. */
function phase1DeadlineOf(entry: SaEntry): number | undefined {
  if (entry.exchange === 'main') {
    const snapshot = entry.actor.getSnapshot();
    if (snapshot.status !== 'active') return undefined;
    if (snapshot.value === 'awaitingMainMode3' || snapshot.value === 'awaitingMainMode5') return earlierOf(snapshot.context.halfOpenDeadline, snapshot.context.replyResendAt);
    if (snapshot.value === 'established') return snapshot.context.expiresAt;
    return undefined;
  }
  const snapshot = entry.actor.getSnapshot();
  if (snapshot.status !== 'active') return undefined;
  if (snapshot.value === 'awaitingAggressive3') return earlierOf(snapshot.context.halfOpenDeadline, snapshot.context.message2ResendAt);
  if (snapshot.value === 'established') return snapshot.context.expiresAt;
  return undefined;
}

/** An `ike-message` event for this very message (cookies, M-ID) that arrived encrypted and was read: it authenticated. */
function isAuthenticatedArrival(effect: ResponderEffect, header: IsakmpHeader): boolean {
  if (effect.kind !== 'event' || effect.event.type !== 'ike-message') return false;
  const { direction, payloads, header: read } = effect.event;
  return (
    direction === 'in' &&
    payloads !== undefined &&
    isEncrypted(read) &&
    read.messageId === header.messageId &&
    read.initiatorCookie.equals(header.initiatorCookie) &&
    read.responderCookie.equals(header.responderCookie)
  );
}

function cookiesOf(entry: SaEntry): IsakmpCookies {
  return { initiatorCookie: entry.initiatorCookie, responderCookie: entry.responderCookie };
}

/** The earlier of two deadlines, either of which may be absent. */
function earlierOf(first: number | undefined, second: number | undefined): number | undefined {
  if (first === undefined) return second;
  return second === undefined || first <= second ? first : second;
}
