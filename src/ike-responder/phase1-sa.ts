/**
 * What the responder's two Phase 1 machines share (aggressive-machine.ts, main-mode-machine.ts):
 * an ISAKMP SA's life once it is keyed, whichever exchange made it. Informationals under its keys
 * (answered, or logged when they cannot be verified or come before it is authenticated), the
 * half-open time and the lifetime, supersession by the peer's INITIAL-CONTACT, the router's DELETE
 * and EXTEND_LIFETIME, and the Delete it sends. Each machine spreads these guards and actions
 * into its `setup` and these transitions into its `established` state, and says how it logs a
 * received message (`Phase1SaMachine`).
 */
import { assign, enqueueActions, type EventObject } from 'xstate';
import type { DecodedMessage, DecodedPayload } from '../ike/codec/index.js';
import type { IvChains } from '../ike/crypto/index.js';
import { emitEffects, memoByEvent, replyPath, sendEffects, type Arrival, type DebugSettings, type SendPath } from './exchange-effects.js';
import { informationalRequests, readProtectedInformational, type InformationalReading, type IsakmpCookies } from './informational.js';
import {
  answerInformational,
  isakmpSaDeletionMessage,
  negotiatedProtection,
  unauthenticatedInformational,
  unverifiedInformationalLine,
  type InformationalSignal,
} from './informational-answer.js';
import { ikeLog } from './log-lines.js';
import type { NatDetection } from './nat-traversal.js';
import type { Endpoint, ResponderEffect } from './port.js';
import { NO_IKE_LOG, type GatewayPolicy, type IkeLogOptions, type ResponderPolicy } from './policy.js';

/** The events an ISAKMP SA takes whichever exchange made it. */
export type Phase1SaEvent =
  /** An Informational exchange under the SA's cookies. */
  | ({ readonly type: 'INFORMATIONAL'; readonly message: DecodedMessage } & Arrival)
  /** The responder's clock tick: half-open expiry, resends and the ISAKMP SA lifetime. */
  | { readonly type: 'TICK'; readonly now: number }
  /** A newer ISAKMP SA of the same peer received INITIAL-CONTACT: this one is stale. */
  | { readonly type: 'SUPERSEDED'; readonly now: number }
  /** The router ends the SA itself (XAUTH failed, another peer took the tunnel): Delete per `send info`. */
  | { readonly type: 'DELETE'; readonly now: number; readonly reason: string }
  /**
   * An IPsec SA made under this ISAKMP SA lives until `until`: "if the ISAKMP SA would expire
   * before the IPsec SA, its lifetime is extended to match" (§15.48.1).
   */
  | { readonly type: 'EXTEND_LIFETIME'; readonly until: number };

export type InformationalEvent = Extract<Phase1SaEvent, { type: 'INFORMATIONAL' }>;

/** What both machines emit: effects for the router, and the signals only the responder can act on. */
export type Phase1SaEmitted = { readonly type: 'effect'; readonly effect: ResponderEffect } | InformationalSignal;

/** The key exchange as the SA's later messages need it: the gateway, the chosen suite and its keys. */
type KeyedNegotiation = { readonly gateway: GatewayPolicy } & Parameters<typeof negotiatedProtection>[0];

/** The context fields both machines keep, under the same names. */
export interface Phase1SaContext {
  readonly policy: ResponderPolicy;
  readonly cookies: IsakmpCookies;
  /** The peer's current address and port: the last message of Phase 1 may come from the NAT-T port (RFC 3947 §4). */
  readonly peer: Endpoint;
  readonly local: Endpoint;
  readonly natTraversal: boolean;
  readonly createdAt: number;
  readonly randomBytes: (length: number) => Buffer;
  /** Each machine narrows it to its own negotiation: all of it while negotiating, what lasts once established. */
  readonly negotiation?: KeyedNegotiation;
  /** The IV chains in force (RFC 2409 Appendix B); they move on with every encrypted message. */
  readonly ivChains?: IvChains;
  /** Until the SA is established: when it is given up. */
  readonly halfOpenDeadline?: number;
  readonly establishedAt?: number;
  readonly expiresAt?: number;
  readonly natDetection?: NatDetection;
}

/** What a machine tells the shared parts about itself. */
export interface Phase1SaMachine<C extends Phase1SaContext> {
  /** `syslog debug` and the `ipsec ike log` types its lines follow now. */
  readonly debugSettings: (context: C) => DebugSettings;
  /** The `ike-message` event and debug lines of a message received under the SA. */
  readonly received: (context: C, event: InformationalEvent, payloads?: readonly DecodedPayload[]) => ResponderEffect[];
}

/** A machine's events: its own, and the shared ones under their shared shapes. */
type WithPhase1SaEvents<E extends EventObject> = [Extract<E, { type: Phase1SaEvent['type'] }>] extends [Phase1SaEvent] ? E : never;

/** A gateway's `ipsec ike log` options; before one is known, those of any gateway (ASSUMED). */
export function phase1DebugSettings(policy: ResponderPolicy, gateway: GatewayPolicy | undefined): DebugSettings {
  const log = gateway
    ? gateway.log
    : policy.gateways.reduce<IkeLogOptions>(
        (all, g) => ({ messageInfo: all.messageInfo || g.log.messageInfo, payloadInfo: all.payloadInfo || g.log.payloadInfo, keyInfo: all.keyInfo || g.log.keyInfo }),
        NO_IKE_LOG,
      );
  return { syslogDebug: policy.syslogDebug, log };
}

/** The SA's current path to the peer (moved to the NAT-T port when the initiator floated). */
export const saPath = (context: Phase1SaContext): SendPath => ({ to: context.peer, from: context.local, natTraversal: context.natTraversal });

export function requireNegotiation<C extends Phase1SaContext>(context: C): NonNullable<C['negotiation']> {
  if (!context.negotiation) throw new Error('no key exchange yet');
  return context.negotiation as NonNullable<C['negotiation']>;
}

export function requireIvChains(context: Phase1SaContext): IvChains {
  if (!context.ivChains) throw new Error('no IV chains yet');
  return context.ivChains;
}

function keyed(context: Phase1SaContext): { negotiation: KeyedNegotiation; ivChains: IvChains } {
  return { negotiation: requireNegotiation(context), ivChains: requireIvChains(context) };
}

/**
 * An Informational read once under the SA's keys, shared by the guards and actions of its
 * transition (memoised by event and SA, exchange-effects.ts).
 */
const informationalReadingOf = memoByEvent<Phase1SaContext, InformationalEvent, InformationalReading>(
  (context) => context.cookies,
  (context, event) => readProtectedInformational(negotiatedProtection(requireNegotiation(context)), requireIvChains(context), event.message),
);

/** The Delete(ISAKMP) an RTX sends when it ends an established SA, per `send info` (ASSUMED: the reference does not say). */
export function phase1SaDeletion(context: Phase1SaContext, debug: DebugSettings): ResponderEffect[] {
  const { negotiation, ivChains } = keyed(context);
  const message = isakmpSaDeletionMessage({ protection: negotiatedProtection(negotiation), ivChains, cookies: context.cookies, randomBytes: context.randomBytes }, negotiation.gateway);
  return message ? sendEffects(debug, message.bytes, message.payloads, saPath(context)) : [];
}

/** The event as one of the shared ones, when it is (the machine's event type guarantees their shapes). */
function sharedEvent<T extends Phase1SaEvent['type']>(event: EventObject, type: T): Extract<Phase1SaEvent, { type: T }> | undefined {
  return event.type === type ? (event as Extract<Phase1SaEvent, { type: T }>) : undefined;
}

function requireShared<T extends Phase1SaEvent['type']>(event: EventObject, type: T): Extract<Phase1SaEvent, { type: T }> {
  const shared = sharedEvent(event, type);
  if (!shared) throw new Error(`expected a ${type} event, got ${event.type}`);
  return shared;
}

/** The guards of an ISAKMP SA's shared life. */
export function phase1SaGuards<C extends Phase1SaContext, E extends EventObject>() {
  type Args = { context: C; event: WithPhase1SaEvents<E> };
  const tickAtOrAfter = (event: EventObject, deadline: number | undefined) => {
    const tick = sharedEvent(event, 'TICK');
    return tick !== undefined && deadline !== undefined && tick.now >= deadline;
  };
  return {
    halfOpenTimeHasPassed: ({ context, event }: Args) => tickAtOrAfter(event, context.halfOpenDeadline),
    lifetimeHasPassed: ({ context, event }: Args) => tickAtOrAfter(event, context.expiresAt),
    isUnverifiedInformational: ({ context, event }: Args) => {
      const informational = sharedEvent(event, 'INFORMATIONAL');
      return informational !== undefined && !informationalReadingOf(context, informational).ok;
    },
    deletesThisIsakmpSa: ({ context, event }: Args) => {
      const informational = sharedEvent(event, 'INFORMATIONAL');
      if (!informational) return false;
      const reading = informationalReadingOf(context, informational);
      return reading.ok && informationalRequests(context.cookies, reading.payloads).deletesThisIsakmpSa;
    },
  };
}

/** The actions of an ISAKMP SA's shared life. */
export function phase1SaActions<C extends Phase1SaContext, E extends EventObject>(machine: Phase1SaMachine<C>) {
  type Event = WithPhase1SaEvents<E>;
  // No child actors, named actions, guards or delays (the `never`s): these actions only emit.
  const withEffects = (body: (context: C, event: EventObject, emit: (event: Phase1SaEmitted) => void) => void) =>
    enqueueActions<C, Event, undefined, Event, never, never, never, never, Phase1SaEmitted>(({ context, event, enqueue }) => body(context, event, enqueue.emit));
  const effectsAction = (effectsOf: (context: C, event: EventObject) => readonly ResponderEffect[]) =>
    withEffects((context, event, emit) => emitEffects({ emit }, machine.debugSettings(context), effectsOf(context, event)));
  return {
    answerInformational: withEffects((context, event, emit) => {
      const informational = requireShared(event, 'INFORMATIONAL');
      const reading = informationalReadingOf(context, informational);
      if (!reading.ok) return;
      const { negotiation, ivChains } = keyed(context);
      const debug = machine.debugSettings(context);
      const steps = answerInformational(
        { cookies: context.cookies, protection: negotiatedProtection(negotiation), ivChains, peerAddress: context.peer.address, gateway: negotiation.gateway, syslogDebug: context.policy.syslogDebug, randomBytes: context.randomBytes },
        reading.payloads,
        machine.received(context, informational, reading.payloads),
        informational.now,
        (bytes, payloads) => sendEffects(debug, bytes, payloads, replyPath(informational)),
      );
      for (const step of steps) {
        if (step.type === 'effects') emitEffects({ emit }, debug, step.effects);
        else emit(step);
      }
    }),
    ignoreUnverifiedInformational: effectsAction((context, event) => {
      const informational = requireShared(event, 'INFORMATIONAL');
      const reading = informationalReadingOf(context, informational);
      return reading.ok ? [] : [...machine.received(context, informational), unverifiedInformationalLine(reading, informational.from.address)];
    }),
    /** Before the SA is authenticated nothing can be verified: a notify is only noted. */
    noteUnauthenticatedInformational: effectsAction((context, event) => {
      const informational = requireShared(event, 'INFORMATIONAL');
      const { payloads, line } = unauthenticatedInformational(informational.message, informational.from.address);
      return [...machine.received(context, informational, payloads), line];
    }),
    logHalfOpenTimedOut: effectsAction((context) => [ikeLog.halfOpenTimedOut(context.peer.address)]),
    // ASSUMED: the RTX tells the peer (Delete, per `send info`) when the ISAKMP SA's lifetime ends.
    deleteExpiredIsakmpSa: effectsAction((context) => [ikeLog.isakmpSaExpired(context.peer.address), ...phase1SaDeletion(context, machine.debugSettings(context))]),
    logSuperseded: effectsAction((context) => [ikeLog.supersededByInitialContact(context.peer.address)]),
    deleteOnRequest: effectsAction((context, event) => [
      ikeLog.isakmpSaDeletedByRouter(context.peer.address, requireShared(event, 'DELETE').reason),
      ...phase1SaDeletion(context, machine.debugSettings(context)),
    ]),
    extendLifetime: assign<C, Event, undefined, Event, never>(({ context, event }) => {
      const { until } = requireShared(event, 'EXTEND_LIFETIME');
      return context.expiresAt === undefined || until > context.expiresAt ? ({ expiresAt: until } as Partial<C>) : {};
    }),
  };
}

/** The transitions of an established SA that both machines take alike (each adds its own messages). */
export const ESTABLISHED_SA_TRANSITIONS = {
  INFORMATIONAL: [
    { guard: 'isUnverifiedInformational', actions: 'ignoreUnverifiedInformational' },
    { guard: 'deletesThisIsakmpSa', target: 'deleted', actions: 'answerInformational' },
    { actions: 'answerInformational' },
  ],
  TICK: { guard: 'lifetimeHasPassed', target: 'expired', actions: 'deleteExpiredIsakmpSa' },
  SUPERSEDED: { target: 'deleted', actions: 'logSuperseded' },
  DELETE: { target: 'deleted', actions: 'deleteOnRequest' },
  EXTEND_LIFETIME: { actions: 'extendLifetime' },
} as const;
