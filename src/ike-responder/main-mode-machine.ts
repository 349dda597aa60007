/**
 * One ISAKMP SA on the responder side negotiated in Main Mode (RFC 2409 §5, pre-shared key), as
 * an xstate machine beside the Aggressive Mode one (aggressive-machine.ts), with the same events
 * after Phase 1, the same emitted effects and the same log vocabulary:
 *
 *   awaitingMainMode1 --message 1 ok / send message 2--> awaitingMainMode3
 *   awaitingMainMode3 --message 3 ok / key, send message 4--> awaitingMainMode5
 *   awaitingMainMode5 --message 5 ok / send message 6--> established --Delete, lifetime, initial contact--> deleted | expired
 *   awaiting 3 or 5: no answer within the resend interval / our last message again (stored bytes);
 *                    the initiator's previous message again / our answer to it again
 *   established: message 5 again / message 6 again (the initiator did not get it)
 *   any refusal --> failed (final: the responder forgets the SA)
 *
 * The peer is chosen by source address at message 1 (the ID comes encrypted in message 5, after
 * the pre-shared key has keyed the SA). No I/O, no clock: as for Aggressive Mode, time comes in
 * the events and effects leave as emitted events.
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import type { DecodedMessage, DecodedPayload } from '../ike/codec/index.js';
import { NotifyType } from '../ike/constants.js';
import { isCipherAvailable, type CipherId } from '../ike/crypto/index.js';
import type { ClearMessage } from './aggressive-machine.js';
import { keyInfo } from './debug-log.js';
import { establishedPhase1, type EstablishedPhase1 } from './established-phase1.js';
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
} from './exchange-effects.js';
import { clearNotifyMessage, informationalRequests, newMessageId, type IsakmpCookies } from './informational.js';
import { ikeLog } from './log-lines.js';
import {
  answerMainMode1,
  answerMainMode3,
  answerMainMode5,
  assessMainMode1,
  assessMainMode3,
  mainMode1RefusalNotifyType,
  readMainMode5,
  type AnsweredMessage,
  type MainMode1Assessment,
  type MainMode3Assessment,
  type MainMode5Reading,
  type MainModeNegotiation,
  type MainModeOffer,
} from './main-mode-steps.js';
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

export type MainModeEvent =
  /** Message 1 (R-cookie zero), decoded in clear; `datagram` tells a retransmission from a new offer. */
  | ({ readonly type: 'MAIN_MODE_1'; readonly message: ClearMessage; readonly datagram: Buffer } & Arrival)
  /** A Main Mode message carrying our R-cookie: message 3 or 5, as the state says. */
  | ({ readonly type: 'MAIN_MODE'; readonly message: DecodedMessage; readonly datagram: Buffer } & Arrival)
  /** The same as Aggressive Mode's once keyed (phase1-sa.ts). */
  | Phase1SaEvent;

/** The same as Aggressive Mode's: effects, INITIAL-CONTACT and ESP deletes for the responder. */
export type MainModeEmitted = Phase1SaEmitted;

export interface MainModeInput {
  readonly policy: ResponderPolicy;
  readonly cookies: IsakmpCookies;
  readonly peer: Endpoint;
  readonly local: Endpoint;
  readonly natTraversal: boolean;
  readonly now: number;
  /** How long the SA may take from message 1 to message 5 (the half-open time of Aggressive Mode). */
  readonly halfOpenTimeoutMs: number;
  /** Messages 2 and 4 go again while the initiator's next message does not come (RFC 2408 §5). */
  readonly replyResends: RetransmitSchedule;
  readonly randomBytes: (length: number) => Buffer;
  readonly cipherAvailable?: (cipher: CipherId) => boolean;
}

/** The settings only the handshake reads (message 1 to message 5). */
export interface MainModeHandshakeRules {
  readonly halfOpenTimeoutMs: number;
  readonly replyResends: RetransmitSchedule;
  readonly cipherAvailable: (cipher: CipherId) => boolean;
}

/** The whole negotiation from message 4 to message 6, then what lasts of it (established-phase1.ts). */
export type KeptMainModeNegotiation = (MainModeNegotiation & { readonly stage: 'negotiating' }) | EstablishedPhase1;

/**
 * Few enough properties for V8 to keep the context an object of fast properties (as Aggressive
 * Mode's, aggressive-machine.ts): hence the handshake's settings grouped in `handshake`.
 */
export interface MainModeContext extends Phase1SaContext {
  readonly handshake: MainModeHandshakeRules;
  /** Times the last answer went out again on the clock. */
  readonly replyResent: number;
  readonly replyResendAt?: number;
  /** The initiator's last message as received and our answer: the same bytes again get the same answer. */
  readonly lastExchange?: { readonly received: Buffer; readonly answer: AnsweredMessage };
  /** From message 2 until the SA is established; then what lasts of it is in `negotiation`. */
  readonly offer?: MainModeOffer;
  /** Set once keyed (message 4 sent). */
  readonly negotiation?: KeptMainModeNegotiation;
}

export type MainModeState = 'awaitingMainMode1' | 'awaitingMainMode3' | 'awaitingMainMode5' | 'established' | 'failed' | 'deleted' | 'expired';

// --- memoised readings ---------------------------------------------------------------------------

const memo = <E extends object, R>(compute: (context: MainModeContext, event: E) => R) =>
  memoByEvent<MainModeContext, E, R>((context) => context.cookies, compute);

type MainMode1Event = Extract<MainModeEvent, { type: 'MAIN_MODE_1' }>;
type MainModeLaterEvent = Extract<MainModeEvent, { type: 'MAIN_MODE' }>;

const assessment1Of = memo(
  (context, event: MainMode1Event): MainMode1Assessment => assessMainMode1(context.policy.gateways, event.message.payloads, event.from.address, context.handshake.cipherAvailable),
);
const assessment3Of = memo((context, event: MainModeLaterEvent): MainMode3Assessment => assessMainMode3(requireOffer(context), event.message));
const reading5Of = memo((context, event: MainModeLaterEvent): MainMode5Reading => readMainMode5(requireNegotiating(context), requireIvChains(context), event.message));

function requireOffer(context: MainModeContext): MainModeOffer {
  if (!context.offer) throw new Error('no Main Mode offer yet');
  return context.offer;
}

/** The whole negotiation, which only the handshake (message 4 to message 6) has. */
function requireNegotiating(context: MainModeContext): MainModeNegotiation {
  const negotiation = requireNegotiation(context);
  if (negotiation.stage !== 'negotiating') throw new Error('the handshake is over');
  return negotiation;
}

// --- effects ----------------------------------------------------------------------------------

/** The log settings of the SA's gateway (or the one a refusal names); before one is known, any gateway's. */
const debugSettings = (context: MainModeContext, gateway: GatewayPolicy | undefined = context.negotiation?.gateway ?? context.offer?.gateway): DebugSettings =>
  phase1DebugSettings(context.policy, gateway);

function received(context: MainModeContext, event: Arrival & { readonly message: DecodedMessage }, payloads?: readonly DecodedPayload[], gateway?: GatewayPolicy): ResponderEffect[] {
  const readable = payloads ?? (event.message.kind === 'cleartext' ? event.message.payloads : undefined);
  return receivedLines(debugSettings(context, gateway), event.from, event.message.header, readable);
}

/** A clear ISAKMP notify for a refusal when `send info` is on (before a gateway is known: on, ASSUMED). */
function refusalNotify(context: MainModeContext, notifyType: number | undefined, gateway: GatewayPolicy | undefined, arrival: Arrival): ResponderEffect[] {
  if (notifyType === undefined || gateway?.sendInfo === false) return [];
  const { bytes, payloads } = clearNotifyMessage(context.cookies, newMessageId(context.randomBytes), notifyType);
  return sendEffects(debugSettings(context, gateway), bytes, payloads, replyPath(arrival));
}

type Enqueue = { emit: (event: MainModeEmitted) => void };

function emit(enqueue: Enqueue, context: MainModeContext, effects: readonly ResponderEffect[]): void {
  emitEffects(enqueue, debugSettings(context), effects);
}

/** How this machine logs and reads what the shared life of its SA takes (phase1-sa.ts). */
const phase1Sa: Phase1SaMachine<MainModeContext> = {
  debugSettings: (context) => debugSettings(context),
  received: (context, event, payloads) => receivedLines(debugSettings(context), event.from, event.message.header, payloads),
};

// --- the machine ------------------------------------------------------------------------------

export const mainModeMachine = setup({
  types: {
    context: {} as MainModeContext,
    events: {} as MainModeEvent,
    input: {} as MainModeInput,
    emitted: {} as MainModeEmitted,
  },
  guards: {
    refusesMainMode1: ({ context, event }) => event.type === 'MAIN_MODE_1' && assessment1Of(context, event).kind !== 'acceptable',
    refusesMainMode3: ({ context, event }) => event.type === 'MAIN_MODE' && assessment3Of(context, event).kind !== 'acceptable',
    isRepeatedMainMode1: ({ context, event }) => event.type === 'MAIN_MODE_1' && context.lastExchange?.received.equals(event.datagram) === true,
    /** The initiator sent its last message again: ours did not reach it. */
    isRepeatedMessage: ({ context, event }) => event.type === 'MAIN_MODE' && context.lastExchange?.received.equals(event.datagram) === true,
    isUndecryptableMainMode5: ({ context, event }) => event.type === 'MAIN_MODE' && reading5Of(context, event).kind === 'undecryptable',
    isUnreadableMainMode5: ({ context, event }) => event.type === 'MAIN_MODE' && reading5Of(context, event).kind === 'unreadable',
    hasWrongHashI: ({ context, event }) => event.type === 'MAIN_MODE' && reading5Of(context, event).kind === 'hash-mismatch',
    replyResendIsDue: ({ context, event }) => event.type === 'TICK' && context.replyResendAt !== undefined && event.now >= context.replyResendAt,
    ...phase1SaGuards<MainModeContext, MainModeEvent>(),
  },
  actions: {
    refuseMainMode1: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MAIN_MODE_1');
      const assessment = assessment1Of(context, event);
      const gateway = 'gateway' in assessment ? assessment.gateway : undefined;
      const peer = event.from.address;
      const line = (() => {
        switch (assessment.kind) {
          case 'malformed':
            return ikeLog.payloadMalformed(peer, assessment.detail);
          case 'unknown-peer':
            return ikeLog.noGatewayForAddress(peer);
          case 'no-pre-shared-key':
            // §15.5: no key, no key exchange; a masked key is rtxlab's case and says so.
            return assessment.key === 'masked' ? ikeLog.maskedPreSharedKey(assessment.gateway.gatewayId) : undefined;
          case 'no-proposal-chosen':
            return ikeLog.noProposalChosen(peer);
          case 'acceptable':
            return undefined;
        }
      })();
      emit(enqueue, context, [...received(context, event, undefined, gateway), ...(line ? [line] : []), ...refusalNotify(context, mainMode1RefusalNotifyType(assessment), gateway, event)]);
    }),
    answerMainMode1: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MAIN_MODE_1');
      const assessment = assessment1Of(context, event);
      if (assessment.kind !== 'acceptable') throw new Error(`answerMainMode1 on a ${assessment.kind} message 1`);
      const { offer, message2 } = answerMainMode1(assessment, context.cookies);
      enqueue.assign({
        offer,
        lastExchange: { received: event.datagram, answer: message2 },
        halfOpenDeadline: event.now + context.handshake.halfOpenTimeoutMs,
        ...resendFields(context, event.now),
        peer: event.from,
        local: event.local,
        natTraversal: event.natTraversal,
      });
      const settings = debugSettings(context, offer.gateway);
      // VERIFIED line (respond ISAKMP phase), logged with the first answer as in Aggressive Mode (ASSUMED for Main Mode).
      emitEffects(enqueue, settings, [
        ...receivedLines(settings, event.from, event.message.header, event.message.payloads),
        ikeLog.respondIsakmpPhase(event.from.address),
        ...sendEffects(settings, message2.bytes, message2.payloads, replyPath(event)),
      ]);
    }),
    refuseMainMode3: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MAIN_MODE');
      const assessment = assessment3Of(context, event);
      const { gateway } = requireOffer(context);
      const peer = event.from.address;
      const [line, notifyType] =
        assessment.kind === 'invalid-key-information'
          ? [ikeLog.invalidKeyInformation(peer), NotifyType.INVALID_KEY_INFORMATION]
          : [ikeLog.payloadMalformed(peer, assessment.kind === 'malformed' ? assessment.detail : assessment.kind), NotifyType.PAYLOAD_MALFORMED];
      emit(enqueue, context, [...received(context, event), line, ...refusalNotify(context, notifyType, gateway, event)]);
    }),
    answerMainMode3: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MAIN_MODE');
      const assessment = assessment3Of(context, event);
      if (assessment.kind !== 'acceptable') throw new Error(`answerMainMode3 on a ${assessment.kind} message 3`);
      const offer = requireOffer(context);
      const { negotiation, message4 } = answerMainMode3(offer, assessment, { ...context.cookies, from: event.from, local: event.local }, context.randomBytes);
      enqueue.assign({
        negotiation: { ...negotiation, stage: 'negotiating' as const },
        ivChains: negotiation.ivChains,
        lastExchange: { received: event.datagram, answer: message4 },
        ...resendFields(context, event.now),
        ...(negotiation.natDetection ? { natDetection: negotiation.natDetection } : {}),
      });
      const debugKeys = context.policy.syslogDebug && offer.gateway.log.keyInfo;
      emit(enqueue, context, [
        ...received(context, event),
        ...(debugKeys ? keyInfo(negotiation.keys, negotiation.ivChains.phase1.block) : []),
        ...sendEffects(debugSettings(context), message4.bytes, message4.payloads, replyPath(event)),
        // One decryption-table line per ISAKMP SA as soon as Ka exists: even a refused message 5 can be read in a capture.
        { kind: 'ike-keys', initiatorCookie: context.cookies.initiatorCookie, encryptionKey: negotiation.keys.encryptionKey },
      ]);
    }),
    /** The stored answer, not a new one: new nonces or keys would break the exchange. */
    repeatLastAnswer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'MAIN_MODE' && event.type !== 'MAIN_MODE_1') return;
      const answer = context.lastExchange?.answer;
      if (!answer) return;
      const payloads = event.message.kind === 'cleartext' ? event.message.payloads : undefined;
      emit(enqueue, context, [...receivedLines(debugSettings(context), event.from, event.message.header, payloads), ...sendEffects(debugSettings(context), answer.bytes, answer.payloads, replyPath(event))]);
    }),
    resendLastAnswer: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TICK');
      const answer = context.lastExchange?.answer;
      if (!answer) return;
      const resent = context.replyResent + 1;
      enqueue.assign(resendFieldsAfter(context.handshake.replyResends, event.now, resent));
      emit(enqueue, context, sendEffects(debugSettings(context), answer.bytes, answer.payloads, saPath(context)));
    }),
    refuseMainMode5: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MAIN_MODE');
      const reading = reading5Of(context, event);
      const { gateway } = requireNegotiation(context);
      const peer = event.from.address;
      const [line, notifyType, payloads] = (() => {
        switch (reading.kind) {
          case 'hash-mismatch':
            return [ikeLog.hashMismatch(peer), NotifyType.INVALID_HASH_INFORMATION, reading.payloads] as const;
          case 'undecryptable':
            return [ikeLog.mainMode5Undecryptable(peer), NotifyType.PAYLOAD_MALFORMED, undefined] as const;
          case 'unreadable':
            return [ikeLog.payloadMalformed(peer, reading.detail), NotifyType.PAYLOAD_MALFORMED, reading.payloads] as const;
          case 'accepted':
            throw new Error('refuseMainMode5 on an accepted message 5');
        }
      })();
      emit(enqueue, context, [...receivedLines(debugSettings(context), event.from, event.message.header, payloads), line, ...refusalNotify(context, notifyType, gateway, event)]);
    }),
    establishAndAnswerMainMode5: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MAIN_MODE');
      const reading = reading5Of(context, event);
      if (reading.kind !== 'accepted') throw new Error(`establishAndAnswerMainMode5 on a ${reading.kind} message 5`);
      const negotiation = requireNegotiating(context);
      const message6 = answerMainMode5(negotiation, reading.ivChains, context.cookies, event.local);
      enqueue.assign({
        ivChains: message6.ivChains,
        lastExchange: { received: event.datagram, answer: message6 },
        // What only the handshake needed goes (EstablishedPhase1); message 6 stays, for a repeated message 5.
        offer: undefined,
        negotiation: establishedPhase1(negotiation),
        establishedAt: event.now,
        expiresAt: event.now + negotiation.lifetimeSeconds * 1000,
        halfOpenDeadline: undefined,
        replyResendAt: undefined,
        // The initiator floats to the NAT-T port for message 5 when NAT-T is in use (RFC 3947 §4).
        peer: event.from,
        local: event.local,
        natTraversal: event.natTraversal,
      });
      const peer = event.from.address;
      emit(enqueue, context, [
        ...receivedLines(debugSettings(context), event.from, event.message.header, reading.payloads),
        ...sendEffects(debugSettings(context), message6.bytes, message6.payloads, replyPath(event)),
        ...(context.policy.syslogDebug ? [ikeLog.mainModeSaEstablished(peer, negotiation.gateway.gatewayId)] : []),
      ]);
      if (informationalRequests(context.cookies, reading.payloads).initialContact) {
        emit(enqueue, context, [ikeLog.initialContact(peer)]);
        enqueue.emit({ type: 'initial-contact', peerAddress: peer });
      }
    }),
    ignoreMessage: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'MAIN_MODE' && event.type !== 'MAIN_MODE_1' && event.type !== 'INFORMATIONAL') return;
      const payloads = event.message.kind === 'cleartext' ? event.message.payloads : undefined;
      emit(enqueue, context, [...receivedLines(debugSettings(context), event.from, event.message.header, payloads), ikeLog.ignoredMessage(event.from.address, `unexpected ${event.type} message in this state`)]);
    }),
    ...phase1SaActions<MainModeContext, MainModeEvent>(phase1Sa),
  },
}).createMachine({
  id: 'mainModeResponder',
  context: ({ input }) => ({
    policy: input.policy,
    cookies: input.cookies,
    peer: input.peer,
    local: input.local,
    natTraversal: input.natTraversal,
    createdAt: input.now,
    handshake: {
      halfOpenTimeoutMs: input.halfOpenTimeoutMs,
      replyResends: input.replyResends,
      cipherAvailable: input.cipherAvailable ?? isCipherAvailable,
    },
    replyResent: 0,
    randomBytes: input.randomBytes,
  }),
  initial: 'awaitingMainMode1',
  states: {
    awaitingMainMode1: {
      on: {
        MAIN_MODE_1: [{ guard: 'refusesMainMode1', target: 'failed', actions: 'refuseMainMode1' }, { target: 'awaitingMainMode3', actions: 'answerMainMode1' }],
      },
    },
    awaitingMainMode3: {
      on: {
        MAIN_MODE_1: [{ guard: 'isRepeatedMainMode1', actions: 'repeatLastAnswer' }, { actions: 'ignoreMessage' }],
        MAIN_MODE: [{ guard: 'refusesMainMode3', target: 'failed', actions: 'refuseMainMode3' }, { target: 'awaitingMainMode5', actions: 'answerMainMode3' }],
        INFORMATIONAL: { actions: 'noteUnauthenticatedInformational' },
        TICK: [
          { guard: 'halfOpenTimeHasPassed', target: 'expired', actions: 'logHalfOpenTimedOut' },
          { guard: 'replyResendIsDue', actions: 'resendLastAnswer' },
        ],
        SUPERSEDED: { target: 'deleted', actions: 'logSuperseded' },
      },
    },
    awaitingMainMode5: {
      on: {
        MAIN_MODE_1: { actions: 'ignoreMessage' },
        MAIN_MODE: [
          { guard: 'isRepeatedMessage', actions: 'repeatLastAnswer' },
          { guard: 'isUndecryptableMainMode5', target: 'failed', actions: 'refuseMainMode5' },
          { guard: 'isUnreadableMainMode5', target: 'failed', actions: 'refuseMainMode5' },
          { guard: 'hasWrongHashI', target: 'failed', actions: 'refuseMainMode5' },
          { target: 'established', actions: 'establishAndAnswerMainMode5' },
        ],
        INFORMATIONAL: { actions: 'noteUnauthenticatedInformational' },
        TICK: [
          { guard: 'halfOpenTimeHasPassed', target: 'expired', actions: 'logHalfOpenTimedOut' },
          { guard: 'replyResendIsDue', actions: 'resendLastAnswer' },
        ],
        SUPERSEDED: { target: 'deleted', actions: 'logSuperseded' },
      },
    },
    established: {
      on: {
        ...ESTABLISHED_SA_TRANSITIONS,
        // Message 5 again: message 6 was lost; the stored message 6 goes again (RFC 2408 §5).
        MAIN_MODE: [{ guard: 'isRepeatedMessage', actions: 'repeatLastAnswer' }, { actions: 'ignoreMessage' }],
        MAIN_MODE_1: { actions: 'ignoreMessage' },
      },
    },
    /** Refused: nothing about the SA is kept. */
    failed: { type: 'final' },
    /** Deleted by the peer, superseded by its INITIAL-CONTACT, or ended by the router. */
    deleted: { type: 'final' },
    /** Not through message 5 within the half-open time, or the ISAKMP SA lifetime ended. */
    expired: { type: 'final' },
  },
});

/** The resend schedule restarted for a new answer. */
function resendFields(context: MainModeContext, now: number): Pick<MainModeContext, 'replyResent' | 'replyResendAt'> {
  return resendFieldsAfter(context.handshake.replyResends, now, 0);
}

function resendFieldsAfter(schedule: RetransmitSchedule, now: number, resent: number): Pick<MainModeContext, 'replyResent' | 'replyResendAt'> {
  const next = nextResend(schedule, now, resent);
  return { replyResent: next.message2Resent, replyResendAt: next.message2ResendAt };
}
