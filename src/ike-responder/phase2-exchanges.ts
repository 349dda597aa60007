/**
 * Everything that runs under one established ISAKMP SA, in the order the RTX does it:
 *
 *   1. XAUTH (xauth-machine.ts), when the gateway has `ipsec ike xauth request GW on` and the
 *      initiator proposed XAUTHInitPreShared (65001). Failure: the ISAKMP SA is deleted.
 *   2. mode-cfg (mode-cfg-machine.ts): after XAUTH succeeded, the inner address is pushed with
 *      SET; client REQUESTs are logged as unanswered. No XAUTH, no address (§15.38).
 *   3. Quick Mode (quick-mode-machine.ts), one machine per M-ID: accepted once XAUTH succeeded,
 *      or at once when no XAUTH is done (ASSUMED: the seed's racoon connected without mode-cfg).
 *
 * This class only routes: Transaction messages to XAUTH when they carry its current M-ID and to
 * mode-cfg otherwise, Quick Mode messages to the machine of their M-ID (a new one for a new M-ID),
 * and reports outcomes to its host (the responder), which owns what is shared between ISAKMP SAs:
 * address leases, IPsec SAs, tunnels.
 */
import { createActor, type Actor, type EventFromLogic, type InputFrom } from 'xstate';
import { ExchangeType } from '../ike/constants.js';
import type { DecodedMessage } from '../ike/codec/index.js';
import type { CipherId, IvChains } from '../ike/crypto/index.js';
import type { AddressLeases } from './address-leases.js';
import { replyPath, type Arrival, type DebugSettings, type EffectEmitted, type RetransmitSchedule, type SendPath } from './exchange-effects.js';
import { ikeLog } from './log-lines.js';
import { chooseAddressSource, type ModeCfgAssignment } from './mode-cfg-attributes.js';
import { malformedAckRefusal, modeCfgDeadline, modeCfgMachine, type ModeCfgContext, type ModeCfgState } from './mode-cfg-machine.js';
import type { ResponderEffect } from './port.js';
import { NO_XAUTH_USERS, type GatewayPolicy, type ResponderPolicy, type XauthAccount, type XauthAttributesInForce } from './policy.js';
import { openHashedMessage, type EstablishedKeys } from './protected-exchange.js';
import { configuredGroup } from './proposal.js';
import { quickModeDeadline, quickModeMachine, type QuickModeOutcome, type QuickModeState } from './quick-mode-machine.js';
import { xauthDeadline, xauthMachine, xauthMessageId, type XauthState } from './xauth-machine.js';

/** An ISAKMP SA as its Phase 2 exchanges need it. */
export interface EstablishedIsakmpSa {
  /** Its `show ipsec sa` number, also the holder id of the addresses it leases. */
  readonly saNumber: number;
  readonly keys: EstablishedKeys;
  /** The chains after Phase 1: each exchange starts at their Phase 1 block. */
  readonly ivChains: IvChains;
  readonly gateway: GatewayPolicy;
  /** The initiator proposed XAUTHInitPreShared (65001). */
  readonly xauthProposed: boolean;
  /** NAT-T was negotiated in Phase 1 (UDP-encapsulated modes allowed). */
  readonly natTraversal: boolean;
  /** Where messages to the peer go (the NAT-T port once it floated). */
  readonly path: SendPath;
}

/** What the exchanges need from the responder that owns them. */
export interface Phase2Host {
  readonly policy: ResponderPolicy;
  readonly schedule: RetransmitSchedule;
  readonly quickModeTimeoutMs: number;
  readonly randomBytes: (length: number) => Buffer;
  readonly cipherAvailable?: (cipher: CipherId) => boolean;
  readonly leases: AddressLeases;
  /** rtxlab `--impair withhold-mode-cfg-set`: the address is assigned but the SET never goes. */
  readonly withholdModeCfgSet?: boolean;
  spiInUse(spi: Buffer): boolean;
  emit(effect: ResponderEffect): void;
  quickModeEstablished(from: Phase2Exchanges, outcome: QuickModeOutcome, now: number): void;
  xauthFailed(from: Phase2Exchanges, now: number): void;
}

export type XauthProgress = 'not-requested' | 'in-progress' | 'authenticated' | 'failed';

/** Concurrent Quick Modes per ISAKMP SA, and finished M-IDs remembered against replays (rtxlab bounds). */
const MAX_QUICK_MODES = 8;
const REMEMBERED_QUICK_MODES = 32;

export class Phase2Exchanges {
  private xauth: Actor<typeof xauthMachine> | undefined;
  /**
   * The mode-cfg machine lives as long as the SA (a REQUEST may come at any time), but has work of
   * its own only while a SET is outstanding (`pushing`). Otherwise it rests as its state and
   * context, and an actor is made from them (`resolveState`) for the next event: an idle actor
   * (its system, mailbox, maps and bound methods) costs about 3 KB of heap per established SA, and
   * its whole snapshot (tags, state nodes, children, history) about 0.4 KB more than the two
   * (bench/tunnel-memory.ts). The machine, which has neither children nor history states, sees the
   * same events in the same states either way.
   */
  private modeCfg: Actor<typeof modeCfgMachine> | undefined;
  private modeCfgAtRest: ModeCfgAtRest | undefined;
  private readonly modeCfgInput: InputFrom<typeof modeCfgMachine>;
  /**
   * Quick Modes under way, by M-ID. None for most of an SA's life, and then no Map at all: an
   * empty one is about 180 bytes of heap per established SA (bench/tunnel-memory.ts).
   */
  private quickModes: Map<number, Actor<typeof quickModeMachine>> | undefined;
  /** Replaced, never pushed to: an array of the exact length (a pushed-to one keeps room for 16, about 130 bytes more). */
  private finishedQuickModes: readonly number[] = [];
  private progress: XauthProgress = 'not-requested';
  private account: XauthAccount | undefined;
  private assignment: ModeCfgAssignment | undefined;
  private readonly debug: DebugSettings;

  constructor(
    readonly sa: EstablishedIsakmpSa,
    private readonly host: Phase2Host,
  ) {
    this.debug = { syslogDebug: host.policy.syslogDebug, log: sa.gateway.log };
    this.modeCfgInput = {
      keys: sa.keys,
      ivChains: sa.ivChains,
      path: sa.path,
      debug: this.debug,
      schedule: host.schedule,
      randomBytes: host.randomBytes,
      answerRequests: host.policy.answerModeCfgRequests ?? false,
      openswan: sa.gateway.modeCfgOpenswan,
      sendInfo: sa.gateway.sendInfo,
    };
    this.modeCfg = this.listen(createActor(modeCfgMachine, { input: this.modeCfgInput }));
    this.restModeCfg();
  }

  /** Starts XAUTH if the gateway asks for it and the initiator offered it. */
  start(now: number): void {
    const { gateway } = this.sa;
    if (!gateway.xauth.request) return;
    if (!this.sa.xauthProposed) {
      if (this.host.policy.syslogDebug) this.host.emit(ikeLog.xauthNotProposed(this.peerAddress, gateway.gatewayId));
      return;
    }
    this.progress = 'in-progress';
    this.xauth = this.listen(
      createActor(xauthMachine, {
        input: {
          keys: this.sa.keys,
          ivChains: this.sa.ivChains,
          path: this.sa.path,
          ...(gateway.xauth.userGroupId === undefined ? {} : { userGroupId: gateway.xauth.userGroupId }),
          directory: this.host.policy.xauthUsers ?? NO_XAUTH_USERS,
          debug: this.debug,
          schedule: this.host.schedule,
          randomBytes: this.host.randomBytes,
          now,
        },
      }),
    );
    this.afterXauthEvent(now);
  }

  /** A Transaction or Quick Mode message of this ISAKMP SA. */
  receive(message: DecodedMessage, datagram: Buffer, arrival: Arrival): void {
    if (message.header.exchangeType === ExchangeType.QUICK_MODE) return this.receiveQuickMode(message, datagram, arrival);
    const xauth = this.xauth;
    if (xauth && xauthMessageId(xauth.getSnapshot().context) === message.header.messageId) {
      xauth.send({ type: 'TRANSACTION', message, ...arrival });
      return this.afterXauthEvent(arrival.now);
    }
    this.sendModeCfg({ type: 'TRANSACTION', message, ...arrival });
  }

  tick(now: number): void {
    if (this.xauth) {
      this.xauth.send({ type: 'TICK', now });
      this.afterXauthEvent(now);
    }
    // At rest the machine takes no TICK (only `pushing` has a schedule).
    if (this.modeCfg) this.sendModeCfg({ type: 'TICK', now });
    for (const [messageId, actor] of [...(this.quickModes ?? [])]) {
      actor.send({ type: 'TICK', now });
      this.afterQuickModeEvent(messageId, actor, now);
    }
  }

  nextDeadline(): number | undefined {
    const deadlines: (number | undefined)[] = [];
    if (this.xauth) deadlines.push(xauthDeadline(this.xauth.getSnapshot().context));
    const modeCfg = this.modeCfgNow();
    deadlines.push(modeCfgDeadline(modeCfg.state, modeCfg.context));
    for (const actor of this.quickModes?.values() ?? []) deadlines.push(quickModeDeadline(actor.getSnapshot().context));
    return deadlines.reduce<number | undefined>((earliest, deadline) => (deadline !== undefined && (earliest === undefined || deadline < earliest) ? deadline : earliest), undefined);
  }

  stop(): void {
    this.xauth?.stop();
    this.modeCfg?.stop();
    for (const actor of this.quickModes?.values() ?? []) actor.stop();
    this.quickModes = undefined;
  }

  // --- read-only, for the state API --------------------------------------------------------------

  get xauthProgress(): XauthProgress {
    return this.progress;
  }

  get xauthUser(): string | undefined {
    return this.account?.username;
  }

  get internalAddress(): string | undefined {
    return this.assignment?.address;
  }

  get modeCfgState(): ModeCfgState {
    return this.modeCfgNow().state;
  }

  get pendingQuickModes(): number {
    return this.quickModes?.size ?? 0;
  }

  private get peerAddress(): string {
    return this.sa.path.to.address;
  }

  // --- XAUTH, then mode-cfg ----------------------------------------------------------------------

  private afterXauthEvent(now: number): void {
    const xauth = this.xauth;
    if (!xauth) return;
    const snapshot = xauth.getSnapshot();
    if (snapshot.status === 'active') return;
    this.xauth = undefined;
    xauth.stop();
    const verdict = snapshot.context.verdict;
    const { cookies } = this.sa.keys;
    if (snapshot.status === 'done' && (snapshot.value as XauthState) === 'authenticated' && verdict?.kind === 'accepted') {
      this.progress = 'authenticated';
      this.account = verdict.account;
      this.host.emit({ kind: 'event', event: { type: 'xauth', cookies, peer: this.sa.path.to, user: verdict.account.username, ok: true } });
      return this.pushAddress(verdict.account, verdict.attributes, now);
    }
    if (snapshot.status === 'error') this.host.emit(ikeLog.internalError(this.peerAddress, String(snapshot.error)));
    const refused = verdict?.kind === 'refused' ? verdict : undefined;
    this.host.emit({
      kind: 'event',
      event: {
        type: 'xauth',
        cookies,
        peer: this.sa.path.to,
        ...(refused?.username === undefined ? {} : { user: refused.username }),
        ok: false,
        reason: refused?.reason ?? 'no REPLY',
      },
    });
    this.progress = 'failed';
    this.host.xauthFailed(this, now);
  }

  private pushAddress(account: XauthAccount, attributes: XauthAttributesInForce, now: number): void {
    const choice = chooseAddressSource(attributes, this.sa.gateway, this.host.policy.addressPools ?? new Map());
    if (!choice.ok) {
      // Plain XAUTH setups (no address configured at all) are normal: say so only at debug level.
      const line = ikeLog.modeCfgNoAddress(this.peerAddress, account.username, choice.reason);
      if (this.sa.gateway.modeCfgPoolId !== undefined) this.host.emit(line);
      else if (this.host.policy.syslogDebug) this.host.emit({ ...line, level: 'debug' });
      return;
    }
    const { source } = choice;
    const owner = `${this.sa.gateway.gatewayId}|${this.peerAddress}|${account.username}`;
    const address = source.kind === 'user-address' ? source.address : this.host.leases.lease(source.range, owner, this.sa.saNumber);
    if (address === undefined) {
      const pool = source.kind === 'gateway-pool' ? `address pool ${source.poolId}` : `xauth-address-pool ${source.kind === 'group-pool' ? `${source.range.first}-${source.range.last}` : ''}`;
      this.host.emit(ikeLog.modeCfgNoAddress(this.peerAddress, account.username, `${pool} exhausted`));
      return;
    }
    this.assignment = {
      address,
      ...(source.netmask === undefined ? {} : { netmask: source.netmask }),
      ...(attributes.dns === undefined ? {} : { dns: attributes.dns }),
      ...(attributes.wins === undefined ? {} : { wins: attributes.wins }),
    };
    this.host.emit(ikeLog.modeCfgAddressAssigned(this.peerAddress, account.username, address));
    this.host.emit({
      kind: 'event',
      event: { type: 'lease', cookies: this.sa.keys.cookies, peer: this.sa.path.to, address, user: account.username },
    });
    // Fault injection for client teams: the client sees XAUTH succeed and then nothing (its wait for the SET runs out).
    if (this.host.withholdModeCfgSet === true) return;
    this.sendModeCfg({ type: 'PUSH', assignment: this.assignment, now });
  }

  // --- Quick Mode --------------------------------------------------------------------------------

  private receiveQuickMode(message: DecodedMessage, datagram: Buffer, arrival: Arrival): void {
    const { messageId } = message.header;
    const existing = this.quickModes?.get(messageId);
    if (existing) {
      existing.send({ type: 'QUICK_MODE', message, datagram, ...arrival });
      return this.afterQuickModeEvent(messageId, existing, arrival.now);
    }
    const peer = arrival.from.address;
    const ignore = (detail: string) => {
      if (this.host.policy.syslogDebug) this.host.emit(ikeLog.ipsecPhaseIgnored(peer, detail));
    };
    if (messageId === 0) return ignore('Quick Mode with message ID 0');
    if (this.finishedQuickModes.includes(messageId)) return ignore(`Quick Mode 0x${messageId.toString(16)} is over`);
    // HASH(1) first: a message that does not authenticate could come from anyone who saw the
    // cookies, so it is dropped with a rate-limited line (drop-log-limiter.ts) and keeps nothing
    // (no machine, no remembered M-ID); the refusals below (a line each, a notify under H3) are
    // only for the peer itself. Found by the exchange-state fuzzer (test/fuzz/exchange-states.test.ts).
    const authenticated = openHashedMessage(this.sa.keys, this.sa.ivChains, message);
    if (!authenticated.ok) return ignore(`Quick Mode message 1: ${authenticated.detail}`);
    if (this.progress === 'in-progress') return void this.host.emit(ikeLog.ipsecPhaseRefused(peer, 'XAUTH is not finished'));
    if (this.progress === 'failed') return ignore('Quick Mode after XAUTH failed');
    // H3 (HYPOTHESIS, docs/matrix.md): an SA whose mode-cfg ACK was refused as malformed gets its
    // Quick Mode refused the same way while the SET stays unacknowledged.
    const modeCfg = this.modeCfgNow();
    if (modeCfg.state !== 'acknowledged' && modeCfg.context.refusedAck !== undefined) {
      for (const effect of malformedAckRefusal(modeCfg.context, replyPath(arrival))) this.host.emit(effect);
      return;
    }
    const { gateway } = this.sa;
    if (gateway.saPolicy === undefined) return void this.host.emit(ikeLog.ipsecPhaseRefused(peer, `tunnel ${gateway.tunnelId} has no \`ipsec tunnel\` SA policy`));
    if (this.pendingQuickModes >= MAX_QUICK_MODES) return ignore(`more than ${MAX_QUICK_MODES} Quick Modes at once`);
    const actor = this.listen(
      createActor(quickModeMachine, {
        input: {
          keys: this.sa.keys,
          ivChains: this.sa.ivChains,
          messageId,
          rules: {
            saPolicy: gateway.saPolicy,
            negotiateStrictly: gateway.negotiateStrictly,
            natTraversal: this.sa.natTraversal,
            phase2Group: configuredGroup(gateway.phase2Group),
            defaultLifeSeconds: gateway.ipsecLifetimeSeconds,
            ...(gateway.phase2Ids === undefined ? {} : { phase2Ids: gateway.phase2Ids }),
            ...(this.host.cipherAvailable ? { cipherAvailable: this.host.cipherAvailable } : {}),
          },
          debug: this.debug,
          sendInfo: gateway.sendInfo,
          randomBytes: this.host.randomBytes,
          spiInUse: (spi) => this.host.spiInUse(spi) || [...(this.quickModes?.values() ?? [])].some((other) => other.getSnapshot().context.answer?.responderSpi.equals(spi) ?? false),
          now: arrival.now,
          timeoutMs: this.host.quickModeTimeoutMs,
          schedule: this.host.schedule,
        },
      }),
    );
    (this.quickModes ??= new Map()).set(messageId, actor);
    actor.send({ type: 'QUICK_MODE', message, datagram, ...arrival });
    this.afterQuickModeEvent(messageId, actor, arrival.now);
  }

  private afterQuickModeEvent(messageId: number, actor: Actor<typeof quickModeMachine>, now: number): void {
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'active') return;
    this.quickModes?.delete(messageId);
    if (this.quickModes?.size === 0) this.quickModes = undefined;
    actor.stop();
    this.finishedQuickModes = [...this.finishedQuickModes, messageId].slice(-REMEMBERED_QUICK_MODES);
    if (snapshot.status === 'error') return void this.host.emit(ikeLog.internalError(this.peerAddress, String(snapshot.error)));
    const outcome = snapshot.context.outcome;
    if ((snapshot.value as QuickModeState) === 'established' && outcome) this.host.quickModeEstablished(this, outcome, now);
  }

  // --- the mode-cfg machine, live or at rest ------------------------------------------------------

  private modeCfgNow(): ModeCfgAtRest {
    if (this.modeCfg === undefined) return this.modeCfgAtRest!;
    const { value, context } = this.modeCfg.getSnapshot();
    return { state: value as ModeCfgState, context };
  }

  private sendModeCfg(event: EventFromLogic<typeof modeCfgMachine>): void {
    let actor = this.modeCfg;
    if (actor === undefined) {
      const { state, context } = this.modeCfgAtRest!;
      this.modeCfgAtRest = undefined;
      const snapshot = modeCfgMachine.resolveState({ value: state, context });
      actor = this.modeCfg = this.listen(createActor(modeCfgMachine, { input: this.modeCfgInput, snapshot }));
    }
    actor.send(event);
    this.restModeCfg();
  }

  /** Outside `pushing` the live actor gives way to its state and context (an actor that failed stays as it is). */
  private restModeCfg(): void {
    const actor = this.modeCfg;
    if (actor === undefined) return;
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'active' || (snapshot.value as ModeCfgState) === 'pushing') return;
    this.modeCfgAtRest = { state: snapshot.value as ModeCfgState, context: snapshot.context };
    this.modeCfg = undefined;
    actor.stop();
  }

  // --- actors ------------------------------------------------------------------------------------

  /** Forwards an actor's effects to the host and starts it. */
  private listen<A extends EffectSource>(actor: A): A {
    actor.on('*', (emitted) => this.host.emit(emitted.effect));
    // Errors thrown by actions stop the actor; observing them keeps xstate from rethrowing later.
    actor.subscribe({ error: () => {} });
    actor.start();
    return actor;
  }
}

/** The mode-cfg machine between events (no actor): all a snapshot of it holds that the SA needs. */
interface ModeCfgAtRest {
  readonly state: ModeCfgState;
  readonly context: ModeCfgContext;
}

interface EffectSource {
  on(type: '*', handler: (emitted: EffectEmitted) => void): unknown;
  subscribe(observer: { error: (error: unknown) => void }): unknown;
  start(): unknown;
}
