/**
 * One ISAKMP SA on the responder side, from Aggressive Mode message 1 to its end, as an xstate
 * machine (RFC 2409 §5.4 with pre-shared keys; state names follow the exchange diagram).
 *
 *   awaitingAggressive1 --message 1 ok / send message 2--> awaitingAggressive3
 *   awaitingAggressive3 --no message 3 within the resend interval / message 2 again (stored bytes)
 *   awaitingAggressive3 --message 3 ok--> established --Delete, lifetime, initial contact--> deleted | expired
 *   any refusal --> failed (final: the responder forgets the SA)
 *
 * The machine does no I/O and reads no clock: time comes in the events (`now`), randomness
 * through the `randomBytes` of its input. What it wants done leaves as emitted events
 * (`actor.on('*', ...)`): `{type: 'effect', effect}` for the router (send, log, ike-keys) and
 * `{type: 'initial-contact'}` for the responder, which owns the other SAs of that peer. Emitted
 * events are delivered synchronously and in order during `actor.send`, so the responder collects
 * a datagram's effects in one call without an outbox in the context.
 *
 * Established is where the XAUTH, mode-cfg and Quick Mode machines hang (phase2-exchanges.ts):
 * the context keeps the keys, the IV chains and the negotiated suite. The responder may end an
 * established SA (DELETE: XAUTH failed, the tunnel went to another peer) and stretch its lifetime
 * to cover an IPsec SA made under it (EXTEND_LIFETIME).
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import type { DecodedMessage, IsakmpHeader, Payload } from '../ike/codec/index.js';
import { NotifyType } from '../ike/constants.js';
import { isCipherAvailable, type CipherId } from '../ike/crypto/index.js';
import {
  assessAggressive1,
  refusalNotifyType,
  respondToAggressive1,
  type Aggressive1Assessment,
  type KeptNegotiation,
  type NegotiatingPhase1,
} from './aggressive1.js';
import { readAggressive3, type Aggressive3Reading } from './aggressive3.js';
import { keyInfo } from './debug-log.js';
import { establishedPhase1 } from './established-phase1.js';
import {
  emitEffects,
  memoByEvent,
  nextResend,
  receivedLines,
  replyPath,
  sendEffects,
  type Arrival,
  type DebugSettings,
  type RetransmitSchedule,
  type SendPath,
} from './exchange-effects.js';
import { clearNotifyMessage, informationalRequests, newMessageId, type IsakmpCookies } from './informational.js';
import { negotiatedProtection } from './informational-answer.js';
import { ikeLog } from './log-lines.js';
import { detectNat } from './nat-traversal.js';
import type { GatewayInUse } from './peer-selection.js';
import {
  ESTABLISHED_SA_TRANSITIONS,
  phase1DebugSettings,
  phase1SaActions,
  phase1SaGuards,
  requireIvChains,
  requireNegotiation,
  saPath,
  type Phase1SaContext,
  type Phase1SaEmitted,
  type Phase1SaEvent,
  type Phase1SaMachine,
} from './phase1-sa.js';
import type { Endpoint, ResponderEffect } from './port.js';
import type { GatewayPolicy, ResponderPolicy } from './policy.js';

export type { Arrival } from './exchange-effects.js';

export type ClearMessage = Extract<DecodedMessage, { kind: 'cleartext' }>;

export type AggressiveModeEvent =
  /** Message 1 (R-cookie zero), decoded in clear; `datagram` tells a retransmission from a new offer. */
  | ({ readonly type: 'AGGRESSIVE_1'; readonly message: ClearMessage; readonly datagram: Buffer } & Arrival)
  /** An Aggressive Mode message carrying our R-cookie: message 3. */
  | ({ readonly type: 'AGGRESSIVE_3'; readonly message: DecodedMessage } & Arrival)
  /** Informationals, the clock, INITIAL-CONTACT elsewhere, the router's DELETE and EXTEND_LIFETIME (phase1-sa.ts). */
  | Phase1SaEvent;

export type AggressiveModeEmitted = Phase1SaEmitted;

export interface AggressiveModeInput {
  readonly policy: ResponderPolicy;
  readonly cookies: IsakmpCookies;
  readonly peer: Endpoint;
  readonly local: Endpoint;
  readonly natTraversal: boolean;
  readonly now: number;
  /** How long an SA may wait for message 3 (ASSUMED; the RTX's value was not found). */
  readonly halfOpenTimeoutMs: number;
  /**
   * Message 2 is sent again when message 3 does not come (RFC 2408 §5: the last message of an
   * exchange is retransmitted until the next arrives), within the half-open time.
   */
  readonly message2Resends: RetransmitSchedule;
  readonly randomBytes: (length: number) => Buffer;
  /** For tests of the DES rule; defaults to probing OpenSSL. */
  readonly cipherAvailable?: (cipher: CipherId) => boolean;
  /** Whose tunnels are taken (one peer per tunnel); none when absent. */
  readonly gatewayInUse?: GatewayInUse;
}

/** The settings only the handshake reads (message 1 to message 3). */
export interface AggressiveHandshakeRules {
  readonly halfOpenTimeoutMs: number;
  readonly message2Resends: RetransmitSchedule;
  readonly cipherAvailable: (cipher: CipherId) => boolean;
  readonly gatewayInUse: GatewayInUse;
}

/**
 * Few enough properties for V8 to keep the context an object of fast properties with a shape
 * shared by every SA: xstate's `assign` builds each new context with `Object.assign({}, ...)`, and
 * past 19 properties V8 makes such an object a dictionary (about 830 bytes of heap against
 * about 200 here, per SA). Hence the handshake's settings grouped in `handshake`, and message 1
 * kept in the negotiation.
 */
export interface AggressiveModeContext extends Phase1SaContext {
  readonly handshake: AggressiveHandshakeRules;
  /** Times message 2 went out again on the clock (not counting answers to a repeated message 1). */
  readonly message2Resent: number;
  /** When message 2 goes out again if message 3 has not come; none once the schedule is spent. */
  readonly message2ResendAt?: number;
  /** The key exchange: all of it while negotiating, what lasts once established (KeptNegotiation). */
  readonly negotiation?: KeptNegotiation;
  /** Whether message 3 came encrypted: it decides where the Phase 2 IVs start. */
  readonly message3Encrypted?: boolean;
}

// --- memoised readings: guards and actions of one transition share one computation ------------

/**
 * A reading of an event, computed once from the context the event arrived in and shared by the
 * guards and actions of its transition (actions that run after an `assign` see a newer context,
 * but must still act on what the guards saw). Keyed by event and by the SA (its cookies object).
 */
const memo = <E extends object, R>(compute: (context: AggressiveModeContext, event: E) => R) =>
  memoByEvent<AggressiveModeContext, E, R>((context) => context.cookies, compute);

type Aggressive1Event = Extract<AggressiveModeEvent, { type: 'AGGRESSIVE_1' }>;
type Aggressive3Event = Extract<AggressiveModeEvent, { type: 'AGGRESSIVE_3' }>;

const assessmentOf = memo((context, event: Aggressive1Event): Aggressive1Assessment =>
  assessAggressive1(context.policy.gateways, event.message.payloads, event.from.address, context.handshake.cipherAvailable, context.handshake.gatewayInUse),
);

const message3ReadingOf = memo((context, event: Aggressive3Event): Aggressive3Reading => {
  const negotiation = requireNegotiating(context);
  return readAggressive3(
    {
      payloadType: negotiation.gateway.payloadType,
      cipher: negotiatedProtection(negotiation),
      ivChains: requireIvChains(context),
      authContext: negotiation.authContext,
      initiatorIdBody: negotiation.initiatorIdBody,
    },
    event.message,
  );
});


/** The whole negotiation, which only the handshake (message 2 to message 3) has. */
function requireNegotiating(context: AggressiveModeContext): NegotiatingPhase1 {
  const negotiation = requireNegotiation(context);
  if (negotiation.stage !== 'negotiating') throw new Error('the handshake is over');
  return negotiation;
}

// --- effects ----------------------------------------------------------------------------------

const peerText = (context: AggressiveModeContext): string => context.peer.address;

/** The log settings of the SA's gateway (or the one a refusal names); before one is known, any gateway's. */
const debugSettings = (context: AggressiveModeContext, gateway = context.negotiation?.gateway): DebugSettings => phase1DebugSettings(context.policy, gateway);

function received(context: AggressiveModeContext, header: IsakmpHeader, payloads?: readonly Payload[], gateway = context.negotiation?.gateway): ResponderEffect[] {
  return receivedLines(debugSettings(context, gateway), context.peer, header, payloads);
}

/** A send effect, with its message-info/payload-info lines. */
function send(context: AggressiveModeContext, bytes: Buffer, payloads: readonly Payload[], path: SendPath = saPath(context)): ResponderEffect[] {
  return sendEffects(debugSettings(context), bytes, payloads, path);
}

/** A clear ISAKMP notify for a refusal, when `ipsec ike send info` is on for the gateway (default on). */
function refusalNotify(context: AggressiveModeContext, notifyType: number | undefined, gateway: GatewayPolicy | undefined, arrival: Arrival): ResponderEffect[] {
  // Before a gateway is known (unknown ID, malformed), `send info`'s default (on) applies: ASSUMED.
  if (notifyType === undefined || gateway?.sendInfo === false) return [];
  const { bytes, payloads } = clearNotifyMessage(context.cookies, newMessageId(context.randomBytes), notifyType);
  return send(context, bytes, payloads, replyPath(arrival));
}

/** Emits the effects; DEBUG lines only under `syslog debug on` (the RTX produces none without it). */
function emitAll(enqueue: { emit: (event: AggressiveModeEmitted) => void }, context: AggressiveModeContext, effects: readonly ResponderEffect[]): void {
  emitEffects(enqueue, debugSettings(context), effects);
}

/** How this machine logs and reads what the shared life of its SA takes (phase1-sa.ts). */
const phase1Sa: Phase1SaMachine<AggressiveModeContext> = {
  debugSettings: (context) => debugSettings(context),
  received: (context, event, payloads) => received(context, event.message.header, payloads),
};

// --- the machine ------------------------------------------------------------------------------

export const aggressiveModeMachine = setup({
  types: {
    context: {} as AggressiveModeContext,
    events: {} as AggressiveModeEvent,
    input: {} as AggressiveModeInput,
    emitted: {} as AggressiveModeEmitted,
  },
  guards: {
    isMalformedAggressive1: ({ context, event }) => event.type === 'AGGRESSIVE_1' && assessmentOf(context, event).kind === 'malformed',
    matchesNoGateway: ({ context, event }) => event.type === 'AGGRESSIVE_1' && assessmentOf(context, event).kind === 'unknown-peer',
    gatewayHasNoPreSharedKey: ({ context, event }) => event.type === 'AGGRESSIVE_1' && assessmentOf(context, event).kind === 'no-pre-shared-key',
    offersNoAcceptableProposal: ({ context, event }) => event.type === 'AGGRESSIVE_1' && assessmentOf(context, event).kind === 'no-proposal-chosen',
    carriesUnusableKeyExchange: ({ context, event }) => event.type === 'AGGRESSIVE_1' && assessmentOf(context, event).kind === 'invalid-key-information',
    isRepeatedAggressive1: ({ context, event }) =>
      event.type === 'AGGRESSIVE_1' && context.negotiation?.stage === 'negotiating' && event.datagram.equals(context.negotiation.message1),
    isEncryptedUnderReleaseFormat: ({ context, event }) =>
      event.type === 'AGGRESSIVE_3' && message3ReadingOf(context, event).kind === 'encrypted-under-release-format',
    isUnreadableAggressive3: ({ context, event }) => event.type === 'AGGRESSIVE_3' && message3ReadingOf(context, event).kind === 'unreadable',
    hasWrongHashI: ({ context, event }) => event.type === 'AGGRESSIVE_3' && message3ReadingOf(context, event).kind === 'hash-mismatch',
    message2ResendIsDue: ({ context, event }) => event.type === 'TICK' && context.message2ResendAt !== undefined && event.now >= context.message2ResendAt,
    ...phase1SaGuards<AggressiveModeContext, AggressiveModeEvent>(),
  },
  actions: {
    refuseAggressive1: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'AGGRESSIVE_1');
      const assessment = assessmentOf(context, event);
      const gateway = 'gateway' in assessment ? assessment.gateway : undefined;
      const peer = event.from.address;
      const line = (() => {
        switch (assessment.kind) {
          case 'malformed':
            return ikeLog.payloadMalformed(peer, assessment.detail);
          case 'unknown-peer':
            return ikeLog.unknownPeerId(peer, assessment.idText);
          case 'no-pre-shared-key':
            // §15.5: no key, no key exchange; a masked key says why (config decision).
            return assessment.key === 'masked' ? ikeLog.maskedPreSharedKey(assessment.gateway.gatewayId) : undefined;
          case 'no-proposal-chosen':
            return ikeLog.noProposalChosen(peer);
          case 'invalid-key-information':
            return ikeLog.invalidKeyInformation(peer);
          case 'acceptable':
            return undefined;
        }
      })();
      emitAll(enqueue, context, [
        ...received(context, event.message.header, event.message.payloads, gateway),
        ...(line ? [line] : []),
        ...refusalNotify(context, refusalNotifyType(assessment), gateway, event),
      ]);
    }),
    negotiatePhase1: assign(({ context, event }) => {
      assertEvent(event, 'AGGRESSIVE_1');
      const assessment = assessmentOf(context, event);
      if (assessment.kind !== 'acceptable') throw new Error(`negotiatePhase1 on a ${assessment.kind} message 1`);
      const negotiation = respondToAggressive1(assessment, { ...context.cookies, from: event.from, local: event.local }, context.randomBytes);
      return {
        negotiation: { stage: 'negotiating' as const, ...negotiation, message1: event.datagram },
        ivChains: negotiation.ivChains,
        halfOpenDeadline: event.now + context.handshake.halfOpenTimeoutMs,
        ...nextResend(context.handshake.message2Resends, event.now, 0),
        peer: event.from,
        local: event.local,
        natTraversal: event.natTraversal,
      };
    }),
    sendAggressive2: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'AGGRESSIVE_1');
      const negotiation = requireNegotiating(context);
      const debug = context.policy.syslogDebug && negotiation.gateway.log.keyInfo;
      emitAll(enqueue, context, [
        ...received(context, event.message.header, event.message.payloads),
        ...(debug ? keyInfo(negotiation.keys, negotiation.ivChains.phase1.block) : []),
        ikeLog.respondIsakmpPhase(peerText(context)),
        ...send(context, ...storedMessage2(negotiation)),
        // One decryption-table line per ISAKMP SA, as soon as Ka exists: even a refused
        // encrypted message 3 can then be read in a capture.
        { kind: 'ike-keys', initiatorCookie: context.cookies.initiatorCookie, encryptionKey: negotiation.keys.encryptionKey },
      ]);
    }),
    retransmitAggressive2: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'AGGRESSIVE_1');
      const negotiation = requireNegotiating(context);
      // The stored bytes, not a new message 2: new nonces or keys would break the exchange.
      emitAll(enqueue, context, [...received(context, event.message.header, event.message.payloads), ...send(context, ...storedMessage2(negotiation), replyPath(event))]);
    }),
    resendAggressive2: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TICK');
      const negotiation = requireNegotiating(context);
      const resent = context.message2Resent + 1;
      enqueue.assign(nextResend(context.handshake.message2Resends, event.now, resent));
      // The stored bytes again, to where message 1 last came from.
      emitAll(enqueue, context, send(context, ...storedMessage2(negotiation)));
    }),
    ignoreMessage: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'TICK' || event.type === 'SUPERSEDED' || event.type === 'DELETE' || event.type === 'EXTEND_LIFETIME') return;
      const payloads = event.message.kind === 'cleartext' ? event.message.payloads : undefined;
      emitAll(enqueue, context, [...received(context, event.message.header, payloads), ikeLog.ignoredMessage(event.from.address, `unexpected ${event.type} message in this state`)]);
    }),
    refuseEncryptedAggressive3: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'AGGRESSIVE_3');
      const gateway = requireNegotiation(context).gateway;
      emitAll(enqueue, context, [
        ...received(context, event.message.header),
        ikeLog.payloadMalformedNoMessage(event.from.address),
        ...refusalNotify(context, NotifyType.PAYLOAD_MALFORMED, gateway, event),
      ]);
    }),
    refuseUnreadableAggressive3: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'AGGRESSIVE_3');
      const reading = message3ReadingOf(context, event);
      const gateway = requireNegotiation(context).gateway;
      emitAll(enqueue, context, [
        ...received(context, event.message.header),
        ikeLog.payloadMalformed(event.from.address, reading.kind === 'unreadable' ? reading.detail : reading.kind),
        ...refusalNotify(context, NotifyType.PAYLOAD_MALFORMED, gateway, event),
      ]);
    }),
    refuseWrongHashI: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'AGGRESSIVE_3');
      const reading = message3ReadingOf(context, event);
      const gateway = requireNegotiation(context).gateway;
      emitAll(enqueue, context, [
        ...received(context, event.message.header, reading.kind === 'hash-mismatch' ? reading.payloads : undefined),
        ikeLog.hashMismatch(event.from.address),
        ...refusalNotify(context, NotifyType.INVALID_HASH_INFORMATION, gateway, event),
      ]);
    }),
    establishIsakmpSa: assign(({ context, event }) => {
      assertEvent(event, 'AGGRESSIVE_3');
      const reading = message3ReadingOf(context, event);
      if (reading.kind !== 'accepted') throw new Error(`establishIsakmpSa on a ${reading.kind} message 3`);
      const negotiation = requireNegotiating(context);
      const natDetection = detectNat(
        negotiation.chosen.hash,
        context.cookies,
        reading.payloads.flatMap((payload) => (payload.type === 'nat-d' ? [payload.hash] : [])),
        event.from,
        event.local,
      );
      return {
        ivChains: reading.ivChains,
        message3Encrypted: reading.encrypted,
        establishedAt: event.now,
        expiresAt: event.now + negotiation.lifetimeSeconds * 1000,
        halfOpenDeadline: undefined,
        message2ResendAt: undefined,
        // What only the handshake needed goes (EstablishedPhase1).
        negotiation: establishedPhase1(negotiation),
        // The initiator may have floated to the NAT-T port for message 3 (RFC 3947 §4).
        peer: event.from,
        local: event.local,
        natTraversal: event.natTraversal,
        ...(natDetection ? { natDetection } : {}),
      };
    }),
    reportEstablishment: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'AGGRESSIVE_3');
      const reading = message3ReadingOf(context, event);
      const payloads = reading.kind === 'accepted' ? reading.payloads : [];
      const negotiation = requireNegotiation(context);
      emitAll(enqueue, context, [
        ...received(context, event.message.header, payloads),
        ...(context.policy.syslogDebug ? [ikeLog.isakmpSaEstablished(peerText(context), negotiation.gateway.gatewayId, context.message3Encrypted === true)] : []),
      ]);
      if (informationalRequests(context.cookies, payloads).initialContact) {
        emitAll(enqueue, context, [ikeLog.initialContact(peerText(context))]);
        enqueue.emit({ type: 'initial-contact', peerAddress: context.peer.address });
      }
    }),
    ...phase1SaActions<AggressiveModeContext, AggressiveModeEvent>(phase1Sa),
  },
}).createMachine({
  id: 'aggressiveModeResponder',
  context: ({ input }) => ({
    policy: input.policy,
    cookies: input.cookies,
    peer: input.peer,
    local: input.local,
    natTraversal: input.natTraversal,
    createdAt: input.now,
    handshake: {
      halfOpenTimeoutMs: input.halfOpenTimeoutMs,
      message2Resends: input.message2Resends,
      cipherAvailable: input.cipherAvailable ?? isCipherAvailable,
      gatewayInUse: input.gatewayInUse ?? (() => false),
    },
    message2Resent: 0,
    randomBytes: input.randomBytes,
  }),
  initial: 'awaitingAggressive1',
  states: {
    awaitingAggressive1: {
      on: {
        AGGRESSIVE_1: [
          { guard: 'isMalformedAggressive1', target: 'failed', actions: 'refuseAggressive1' },
          { guard: 'matchesNoGateway', target: 'failed', actions: 'refuseAggressive1' },
          { guard: 'gatewayHasNoPreSharedKey', target: 'failed', actions: 'refuseAggressive1' },
          { guard: 'offersNoAcceptableProposal', target: 'failed', actions: 'refuseAggressive1' },
          { guard: 'carriesUnusableKeyExchange', target: 'failed', actions: 'refuseAggressive1' },
          { target: 'awaitingAggressive3', actions: ['negotiatePhase1', 'sendAggressive2'] },
        ],
      },
    },
    awaitingAggressive3: {
      on: {
        AGGRESSIVE_1: [{ guard: 'isRepeatedAggressive1', actions: 'retransmitAggressive2' }, { actions: 'ignoreMessage' }],
        AGGRESSIVE_3: [
          { guard: 'isEncryptedUnderReleaseFormat', target: 'failed', actions: 'refuseEncryptedAggressive3' },
          { guard: 'isUnreadableAggressive3', target: 'failed', actions: 'refuseUnreadableAggressive3' },
          { guard: 'hasWrongHashI', target: 'failed', actions: 'refuseWrongHashI' },
          { target: 'established', actions: ['establishIsakmpSa', 'reportEstablishment'] },
        ],
        INFORMATIONAL: { actions: 'noteUnauthenticatedInformational' },
        TICK: [
          { guard: 'halfOpenTimeHasPassed', target: 'expired', actions: 'logHalfOpenTimedOut' },
          { guard: 'message2ResendIsDue', actions: 'resendAggressive2' },
        ],
        SUPERSEDED: { target: 'deleted', actions: 'logSuperseded' },
      },
    },
    established: {
      on: {
        ...ESTABLISHED_SA_TRANSITIONS,
        AGGRESSIVE_1: { actions: 'ignoreMessage' },
        AGGRESSIVE_3: { actions: 'ignoreMessage' },
      },
    },
    /** Refused: nothing about the SA is kept. */
    failed: { type: 'final' },
    /** Deleted by the peer, superseded by its INITIAL-CONTACT, or ended by the router. */
    deleted: { type: 'final' },
    /** Half-open too long, or the ISAKMP SA lifetime ended. */
    expired: { type: 'final' },
  },
});

export type AggressiveModeState = 'awaitingAggressive1' | 'awaitingAggressive3' | 'established' | 'failed' | 'deleted' | 'expired';

/** Message 2 as stored for resending (only until the SA is established). */
function storedMessage2(negotiation: NegotiatingPhase1): [Buffer, readonly Payload[]] {
  return [negotiation.message2, negotiation.message2Payloads];
}
