import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { createActor, type Actor } from 'xstate';
import { ExchangeType, exchangeTypeName } from '../ike/constants.js';
import { decodeHeader, decodeMessage, type IsakmpHeader } from '../ike/codec/index.js';
import type { CipherId } from '../ike/crypto/index.js';
import { aggressiveModeMachine, type AggressiveModeEvent, type AggressiveModeState } from './aggressive-machine.js';
import { ikeLog } from './log-lines.js';
import type { Endpoint, IkeResponder, InboundDatagram, ResponderEffect } from './port.js';
import type { ResponderPolicy } from './policy.js';
import { IsakmpSaTable } from './isakmp-sa-table.js';

/**
 * Bounds on what peers can make the responder keep. The RTX's own values were NOT FOUND
 * (`ipsec ike queue length` is not listed for the RTX1500); these are ASSUMED.
 */
export interface ResponderLimits {
  /** How long a half-open SA (message 2 sent, no message 3) is kept: 30 s, like strongSwan's half_open_timeout. */
  readonly halfOpenTimeoutMs: number;
  /** At most this many half-open SAs; further message 1s are dropped until some expire. */
  readonly maxHalfOpenSas: number;
  /** At most this many ISAKMP SAs in all. */
  readonly maxIsakmpSas: number;
}

export const DEFAULT_RESPONDER_LIMITS: ResponderLimits = { halfOpenTimeoutMs: 30_000, maxHalfOpenSas: 100, maxIsakmpSas: 1_000 };

export interface RtxIkeResponderOptions {
  readonly limits?: Partial<ResponderLimits>;
  /** Cookies, nonces, DH exponents, message IDs; deterministic in tests. */
  readonly randomBytes?: (length: number) => Buffer;
  readonly cipherAvailable?: (cipher: CipherId) => boolean;
}

/** What `show ipsec sa` (next issues) and tests may know about an ISAKMP SA. */
export interface IsakmpSaSummary {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  readonly peer: Endpoint;
  readonly state: AggressiveModeState;
  readonly gatewayId?: number;
  readonly establishedAt?: number;
  readonly expiresAt?: number;
  /** Whether message 3 came encrypted (payload type 3) or in clear. */
  readonly message3Encrypted?: boolean;
}

interface SaEntry {
  readonly actor: Actor<typeof aggressiveModeMachine>;
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  /** The endpoint message 1 came from: the key of the half-open index. */
  readonly message1Peer: Endpoint;
  halfOpen: boolean;
}

const ZERO_COOKIE = Buffer.alloc(8);

/**
 * The RTX1500's IKEv1 responder behind the router's port: decodes headers, keeps the ISAKMP SAs
 * (one xstate actor each, see aggressive-machine.ts) and returns what the router must do.
 * Time enters only as `now`; nothing here throws past `receive`/`tick` (an internal error
 * removes the SA concerned and logs a line).
 */
export class RtxIkeResponder implements IkeResponder {
  private readonly limits: ResponderLimits;
  private readonly randomBytes: (length: number) => Buffer;
  private readonly table = new IsakmpSaTable<SaEntry>();
  /** Where the actors' emitted effects go during one receive/tick call. */
  private collected: ResponderEffect[] = [];
  private initialContacts: { from: SaEntry; peerAddress: string }[] = [];

  constructor(
    private readonly policy: ResponderPolicy,
    private readonly options: RtxIkeResponderOptions = {},
  ) {
    this.limits = { ...DEFAULT_RESPONDER_LIMITS, ...options.limits };
    this.randomBytes = options.randomBytes ?? cryptoRandomBytes;
  }

  receive(datagram: InboundDatagram, now: number): ResponderEffect[] {
    return this.collecting(() => this.dispatch(datagram, now), datagram.from.address);
  }

  tick(now: number): ResponderEffect[] {
    return this.collecting(() => {
      for (const entry of [...this.table.values()]) {
        const deadline = deadlineOf(entry);
        if (deadline !== undefined && deadline <= now) this.deliver(entry, { type: 'TICK', now });
      }
    }, 'tick');
  }

  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const entry of this.table.values()) {
      const deadline = deadlineOf(entry);
      if (deadline !== undefined && (earliest === undefined || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** The ISAKMP SAs currently kept. */
  isakmpSas(): IsakmpSaSummary[] {
    return [...this.table.values()].map((entry) => {
      const snapshot = entry.actor.getSnapshot();
      const { context } = snapshot;
      return {
        initiatorCookie: entry.initiatorCookie,
        responderCookie: entry.responderCookie,
        peer: context.peer,
        state: snapshot.value as AggressiveModeState,
        ...(context.negotiation ? { gatewayId: context.negotiation.gateway.gatewayId } : {}),
        ...(context.establishedAt === undefined ? {} : { establishedAt: context.establishedAt }),
        ...(context.expiresAt === undefined ? {} : { expiresAt: context.expiresAt }),
        ...(context.message3Encrypted === undefined ? {} : { message3Encrypted: context.message3Encrypted }),
      };
    });
  }

  /** Sizes of everything kept per peer, for the bounded-state checks. */
  tableSizes(): { isakmpSas: number; halfOpen: number } {
    return { isakmpSas: this.table.size, halfOpen: this.table.halfOpenCount };
  }

  private collecting(work: () => void, context: string): ResponderEffect[] {
    this.collected = [];
    this.initialContacts = [];
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
    if (!message.ok) return void this.collected.push(ikeLog.payloadMalformed(peer, message.error.text));
    const arrival = { from: datagram.from, local: datagram.local, natTraversal: datagram.natTraversal, now };
    switch (exchangeType) {
      case ExchangeType.AGGRESSIVE:
        return this.deliver(entry, { type: 'AGGRESSIVE_3', message: message.value, ...arrival });
      case ExchangeType.INFORMATIONAL:
        return this.deliver(entry, { type: 'INFORMATIONAL', message: message.value, ...arrival });
      case ExchangeType.TRANSACTION:
      case ExchangeType.QUICK_MODE:
        // XAUTH, mode-cfg and Quick Mode are the next issue's machines.
        return void this.collected.push(ikeLog.unsupportedExchange(peer, exchangeTypeName(exchangeType)));
      default:
        return this.debug(ikeLog.unsupportedExchange(peer, exchangeTypeName(exchangeType)));
    }
  }

  /** R-cookie zero: a new Aggressive Mode, or a repeated message 1 of a half-open one. */
  private receiveFirstMessage(datagram: InboundDatagram, header: IsakmpHeader, now: number): void {
    const peer = datagram.from.address;
    if (header.exchangeType === ExchangeType.IDENTITY_PROTECTION) {
      // Main Mode cannot identify a `remote address any` peer by name (§15, chapter intro).
      return void this.collected.push(ikeLog.unsupportedExchange(peer, exchangeTypeName(header.exchangeType)));
    }
    if (header.exchangeType !== ExchangeType.AGGRESSIVE) {
      return this.debug(ikeLog.ignoredMessage(peer, `${exchangeTypeName(header.exchangeType)} message without a responder cookie`));
    }
    const message = decodeMessage(datagram.bytes);
    if (!message.ok) return void this.collected.push(ikeLog.payloadMalformed(peer, message.error.text));
    if (message.value.kind !== 'cleartext') return void this.collected.push(ikeLog.payloadMalformed(peer, 'message 1 has the encryption flag set'));
    const event: AggressiveModeEvent = {
      type: 'AGGRESSIVE_1',
      message: message.value,
      datagram: datagram.bytes,
      from: datagram.from,
      local: datagram.local,
      natTraversal: datagram.natTraversal,
      now,
    };
    const existing = this.table.findHalfOpen(header.initiatorCookie, datagram.from);
    if (existing) return this.deliver(existing, event);

    if (this.table.halfOpenCount >= this.limits.maxHalfOpenSas) {
      return void this.collected.push(ikeLog.tooManyNegotiations(peer, this.limits.maxHalfOpenSas));
    }
    if (this.table.size >= this.limits.maxIsakmpSas) return void this.collected.push(ikeLog.tooManyNegotiations(peer, this.limits.maxIsakmpSas));
    const entry = this.createSa(header.initiatorCookie, datagram, now);
    this.deliver(entry, event);
    // Kept only if message 2 went out; a refused message 1 leaves nothing behind.
    if (entry.actor.getSnapshot().status === 'active') this.table.addHalfOpen(entry.initiatorCookie, entry.responderCookie, datagram.from, entry);
  }

  private createSa(initiatorCookie: Buffer, datagram: InboundDatagram, now: number): SaEntry {
    const responderCookie = this.newResponderCookie(initiatorCookie);
    const actor = createActor(aggressiveModeMachine, {
      input: {
        policy: this.policy,
        cookies: { initiatorCookie: Buffer.from(initiatorCookie), responderCookie },
        peer: datagram.from,
        local: datagram.local,
        natTraversal: datagram.natTraversal,
        now,
        halfOpenTimeoutMs: this.limits.halfOpenTimeoutMs,
        randomBytes: this.randomBytes,
        ...(this.options.cipherAvailable ? { cipherAvailable: this.options.cipherAvailable } : {}),
      },
    });
    const entry: SaEntry = { actor, initiatorCookie: Buffer.from(initiatorCookie), responderCookie, message1Peer: datagram.from, halfOpen: true };
    actor.on('*', (emitted) => {
      if (emitted.type === 'effect') this.collected.push(emitted.effect);
      else this.initialContacts.push({ from: entry, peerAddress: emitted.peerAddress });
    });
    // Errors thrown by actions stop the actor; with an observer xstate reports them here instead
    // of rethrowing them later from a timer. deliver() reads the status and cleans up.
    actor.subscribe({ error: () => {} });
    actor.start();
    return entry;
  }

  private newResponderCookie(initiatorCookie: Buffer): Buffer {
    for (;;) {
      const cookie = Buffer.from(this.randomBytes(8));
      if (!cookie.equals(ZERO_COOKIE) && !this.table.findByCookies(initiatorCookie, cookie)) return cookie;
    }
  }

  private deliver(entry: SaEntry, event: AggressiveModeEvent): void {
    entry.actor.send(event);
    this.settle(entry);
    const contacts = this.initialContacts;
    this.initialContacts = [];
    for (const contact of contacts) this.supersedeOlderSas(contact.from, contact.peerAddress, 'now' in event ? event.now : 0);
  }

  /** After an event: forget finished SAs, move established ones out of the half-open index. */
  private settle(entry: SaEntry): void {
    const snapshot = entry.actor.getSnapshot();
    if (snapshot.status === 'error') {
      const error = snapshot.error;
      this.collected.push(ikeLog.internalError(entry.message1Peer.address, error instanceof Error ? error.message : String(error)));
    }
    if (snapshot.status !== 'active') {
      this.table.remove(entry.initiatorCookie, entry.responderCookie, entry.message1Peer);
      entry.actor.stop();
      return;
    }
    if (entry.halfOpen && snapshot.value === 'established') {
      entry.halfOpen = false;
      this.table.markEstablished(entry.initiatorCookie, entry.message1Peer);
    }
  }

  /**
   * INITIAL-CONTACT (RFC 2407 §4.6.3.3): the peer has rebooted and holds no other SA with us, so
   * every other ISAKMP SA of that address is stale and goes (without a Delete: the peer would
   * not know it; ASSUMED).
   */
  private supersedeOlderSas(newest: SaEntry, peerAddress: string, now: number): void {
    for (const entry of [...this.table.values()]) {
      if (entry === newest || entry.actor.getSnapshot().context.peer.address !== peerAddress) continue;
      entry.actor.send({ type: 'SUPERSEDED', now });
      this.settle(entry);
    }
  }
}

function deadlineOf(entry: SaEntry): number | undefined {
  const snapshot = entry.actor.getSnapshot();
  if (snapshot.status !== 'active') return undefined;
  if (snapshot.value === 'awaitingAggressive3') return snapshot.context.halfOpenDeadline;
  if (snapshot.value === 'established') return snapshot.context.expiresAt;
  return undefined;
}
