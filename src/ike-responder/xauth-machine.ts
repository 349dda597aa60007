/**
 * The XAUTH server of one ISAKMP SA (draft-beaulieu-ike-xauth-02 §4), as the RTX runs it after
 * Phase 1 for `ipsec ike xauth request GW on [GROUP]` and an initiator that proposed
 * XAUTHInitPreShared (65001). Two exchanges, each with a fresh M-ID whose IV starts at
 * hash(last Phase 1 block | M-ID):
 *
 *   awaitingReply      REQUEST(XAUTH-TYPE generic, USER-NAME, USER-PASSWORD) sent
 *        | REPLY accepted              | REPLY refused
 *        v                             v
 *   reportingSuccess   SET(STATUS=1)   reportingFailure   SET(STATUS=0)
 *        | ACK                         | ACK, or no ACK after the retransmissions
 *        v                             v
 *   authenticated (final)          rejected (final): the ISAKMP SA is then deleted (ASSUMED)
 *
 * Every message we start an exchange with is retransmitted on TICK (RetransmitSchedule); when
 * the retransmissions are spent the machine ends in `timedOut`. Which XAUTH type the RTX asks for
 * and whether it sends XAUTH-TYPE at all were NOT FOUND (rtx-behaviour.md §2.2): rtxlab sends
 * XAUTH-TYPE=generic (0) first, which strongSwan ignores, vpnc checks for 0 and racoon echoes.
 * One REPLY is judged (no second REQUEST after a wrong password: ASSUMED).
 *
 * The machine reads no clock and does no I/O: time comes in the events, effects leave as
 * emitted `{type: 'effect'}` events. It only sees Transaction messages of its current M-ID (the
 * ISAKMP SA's router of exchanges picks them out).
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import { CfgType, ExchangeType, ModeCfgAttribute, XauthStatus, XauthType, cfgTypeName } from '../ike/constants.js';
import { attributePayload, emptyAttribute, tvAttribute, type AttributePayload, type DecodedMessage, type DecodedPayload } from '../ike/codec/index.js';
import type { IvChains } from '../ike/crypto/index.js';
import {
  emitEffects,
  memoByEvent,
  outstandingDeadline,
  receivedLines,
  retransmissionsExhausted,
  sendEffects,
  type Arrival,
  type DebugSettings,
  type EffectEmitted,
  type Outstanding,
  type RetransmitSchedule,
  type SendPath,
} from './exchange-effects.js';
import { newMessageId } from './informational.js';
import { ikeLog } from './log-lines.js';
import type { XauthDirectory } from './policy.js';
import { openHashedMessage, sealHashedMessage, type EstablishedKeys } from './protected-exchange.js';
import { judgeXauthReply, type XauthVerdict } from './xauth-users.js';

export type XauthEvent =
  /** A Transaction message with the machine's current M-ID. */
  | ({ readonly type: 'TRANSACTION'; readonly message: DecodedMessage } & Arrival)
  | { readonly type: 'TICK'; readonly now: number };

export interface XauthInput {
  readonly keys: EstablishedKeys;
  /** The ISAKMP SA's chains after Phase 1: every exchange starts from their Phase 1 block. */
  readonly ivChains: IvChains;
  readonly path: SendPath;
  /** `ipsec ike xauth request GW on GROUP`: only that group's users. */
  readonly userGroupId?: number;
  readonly directory: XauthDirectory;
  readonly debug: DebugSettings;
  readonly schedule: RetransmitSchedule;
  readonly randomBytes: (length: number) => Buffer;
  readonly now: number;
}

/** One exchange we started: its M-ID, its IV chain, the message awaiting an answer. */
interface Exchange {
  readonly messageId: number;
  readonly chains: IvChains;
  readonly outstanding: Outstanding;
  /** What answers it: REPLY to the REQUEST, ACK to the SET. */
  readonly awaiting: 'REPLY' | 'ACK';
}

export interface XauthContext {
  readonly keys: EstablishedKeys;
  readonly phase1Chains: IvChains;
  readonly path: SendPath;
  readonly userGroupId?: number;
  readonly directory: XauthDirectory;
  readonly debug: DebugSettings;
  readonly schedule: RetransmitSchedule;
  readonly randomBytes: (length: number) => Buffer;
  readonly startedAt: number;
  readonly exchange?: Exchange;
  readonly verdict?: XauthVerdict;
}

export type XauthState = 'awaitingReply' | 'reportingSuccess' | 'reportingFailure' | 'authenticated' | 'rejected' | 'timedOut';

/** The REQUEST: XAUTH-TYPE generic as a TV, name and password as empty TLVs; identifier 0 (as strongSwan's). */
export function xauthRequest(): AttributePayload {
  return attributePayload(CfgType.REQUEST, [
    tvAttribute(ModeCfgAttribute.XAUTH_TYPE, XauthType.GENERIC),
    emptyAttribute(ModeCfgAttribute.XAUTH_USER_NAME),
    emptyAttribute(ModeCfgAttribute.XAUTH_USER_PASSWORD),
  ]);
}

/** The verdict SET: XAUTH-STATUS alone, as a TV (vpnc refuses a status SET holding anything else). */
export function xauthStatusSet(status: (typeof XauthStatus)[keyof typeof XauthStatus]): AttributePayload {
  return attributePayload(CfgType.SET, [tvAttribute(ModeCfgAttribute.XAUTH_STATUS, status)]);
}

function startExchange(context: XauthContext, payload: AttributePayload, awaiting: Exchange['awaiting'], now: number): Exchange {
  const messageId = newMessageId(context.randomBytes);
  const sealed = sealHashedMessage(context.keys, context.phase1Chains, { exchangeType: ExchangeType.TRANSACTION, messageId }, [payload]);
  return { messageId, chains: sealed.ivChains, awaiting, outstanding: { bytes: sealed.bytes, payloads: sealed.payloads, path: context.path, sentAt: now, retransmitted: 0 } };
}

function requireExchange(context: XauthContext): Exchange {
  if (!context.exchange) throw new Error('no XAUTH exchange in progress');
  return context.exchange;
}

type TransactionEvent = Extract<XauthEvent, { type: 'TRANSACTION' }>;

type Reading =
  | { readonly kind: 'unverified'; readonly detail: string }
  /** `payloads`: every payload of the message, HASH first (for the debug log). */
  | { readonly kind: 'unexpected'; readonly payloads: readonly DecodedPayload[]; readonly detail: string }
  | { readonly kind: 'answer'; readonly payloads: readonly DecodedPayload[]; readonly attributes: AttributePayload };

/** Decrypts and authenticates a message of the current exchange, and says whether it answers it. */
const readingOf = memoByEvent(
  (context: XauthContext) => requireExchange(context),
  (context: XauthContext, event: TransactionEvent): Reading => {
    const exchange = requireExchange(context);
    const opened = openHashedMessage(context.keys, exchange.chains, event.message);
    if (!opened.ok) return { kind: 'unverified', detail: opened.detail };
    const attributes = opened.payloads.find((payload): payload is Extract<DecodedPayload, { type: 'attributes' }> => payload.type === 'attributes');
    if (attributes === undefined) return { kind: 'unexpected', payloads: opened.allPayloads, detail: 'no ATTR payload' };
    if (cfgTypeName(attributes.cfgType) !== exchange.awaiting) {
      return { kind: 'unexpected', payloads: opened.allPayloads, detail: `${cfgTypeName(attributes.cfgType)} where a ${exchange.awaiting} was expected` };
    }
    return { kind: 'answer', payloads: opened.allPayloads, attributes };
  },
);

const verdictOf = memoByEvent(
  (context: XauthContext) => requireExchange(context),
  (context: XauthContext, event: TransactionEvent): XauthVerdict | undefined => {
    const reading = readingOf(context, event);
    return reading.kind === 'answer' ? judgeXauthReply(reading.attributes, context.directory, context.userGroupId) : undefined;
  },
);

const peerOf = (context: XauthContext): string => context.path.to.address;

export const xauthMachine = setup({
  types: {
    context: {} as XauthContext,
    events: {} as XauthEvent,
    input: {} as XauthInput,
    emitted: {} as EffectEmitted,
  },
  guards: {
    isUnverified: ({ context, event }) => event.type === 'TRANSACTION' && readingOf(context, event).kind === 'unverified',
    isNotTheAnswer: ({ context, event }) => event.type === 'TRANSACTION' && readingOf(context, event).kind === 'unexpected',
    credentialsAccepted: ({ context, event }) => event.type === 'TRANSACTION' && verdictOf(context, event)?.kind === 'accepted',
    retransmissionDue: ({ context, event }) =>
      event.type === 'TICK' && context.exchange !== undefined && event.now >= outstandingDeadline(context.exchange.outstanding, context.schedule),
    retransmissionsSpent: ({ context, event }) =>
      event.type === 'TICK' &&
      context.exchange !== undefined &&
      event.now >= outstandingDeadline(context.exchange.outstanding, context.schedule) &&
      retransmissionsExhausted(context.exchange.outstanding, context.schedule),
  },
  actions: {
    startRequest: assign(({ context }) => ({ exchange: startExchange(context, xauthRequest(), 'REPLY', context.startedAt) })),
    startStatus: assign(({ context, event }, params: { status: (typeof XauthStatus)[keyof typeof XauthStatus] }) => {
      assertEvent(event, 'TRANSACTION');
      return { exchange: startExchange(context, xauthStatusSet(params.status), 'ACK', event.now) };
    }),
    sendOutstanding: enqueueActions(({ context, enqueue }) => {
      const { outstanding } = requireExchange(context);
      emitEffects(enqueue, context.debug, sendEffects(context.debug, outstanding.bytes, outstanding.payloads, outstanding.path));
    }),
    retransmit: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TICK');
      const exchange = requireExchange(context);
      const { outstanding } = exchange;
      // The same bytes: the answer's IV is the last block of what the peer decrypted.
      enqueue.assign({ exchange: { ...exchange, outstanding: { ...outstanding, sentAt: event.now, retransmitted: outstanding.retransmitted + 1 } } });
      emitEffects(enqueue, context.debug, sendEffects(context.debug, outstanding.bytes, outstanding.payloads, outstanding.path));
    }),
    recordVerdict: assign(({ context, event }) => {
      assertEvent(event, 'TRANSACTION');
      const verdict = verdictOf(context, event);
      return verdict === undefined ? {} : { verdict };
    }),
    reportVerdict: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      const verdict = verdictOf(context, event);
      const received = receivedLines(context.debug, event.from, event.message.header, reading.kind === 'unverified' ? undefined : reading.payloads);
      const line =
        verdict?.kind === 'accepted'
          ? ikeLog.xauthAuthenticated(peerOf(context), verdict.account.username)
          : ikeLog.xauthRefused(peerOf(context), verdict?.username, verdict?.reason ?? 'no REPLY');
      emitEffects(enqueue, context.debug, [...received, line]);
    }),
    noteAnswer: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      emitEffects(enqueue, context.debug, receivedLines(context.debug, event.from, event.message.header, reading.kind === 'unverified' ? undefined : reading.payloads));
    }),
    noteIgnored: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      if (reading.kind === 'answer') return;
      emitEffects(enqueue, context.debug, [
        ...receivedLines(context.debug, event.from, event.message.header, reading.kind === 'unexpected' ? reading.payloads : undefined),
        ikeLog.unexpectedTransaction(event.from.address, `XAUTH: ${reading.detail}`),
      ]);
    }),
    logTimedOut: enqueueActions(({ context, enqueue }) => {
      emitEffects(enqueue, context.debug, [ikeLog.xauthTimedOut(peerOf(context), requireExchange(context).awaiting)]);
    }),
  },
}).createMachine({
  id: 'xauthServer',
  context: ({ input }) => ({
    keys: input.keys,
    phase1Chains: input.ivChains,
    path: input.path,
    ...(input.userGroupId === undefined ? {} : { userGroupId: input.userGroupId }),
    directory: input.directory,
    debug: input.debug,
    schedule: input.schedule,
    randomBytes: input.randomBytes,
    startedAt: input.now,
  }),
  initial: 'awaitingReply',
  states: {
    awaitingReply: {
      entry: ['startRequest', 'sendOutstanding'],
      on: {
        TRANSACTION: [
          { guard: 'isUnverified', actions: 'noteIgnored' },
          { guard: 'isNotTheAnswer', actions: 'noteIgnored' },
          { guard: 'credentialsAccepted', target: 'reportingSuccess', actions: ['recordVerdict', 'reportVerdict'] },
          { target: 'reportingFailure', actions: ['recordVerdict', 'reportVerdict'] },
        ],
        TICK: [
          { guard: 'retransmissionsSpent', target: 'timedOut', actions: 'logTimedOut' },
          { guard: 'retransmissionDue', actions: 'retransmit' },
        ],
      },
    },
    reportingSuccess: {
      entry: [{ type: 'startStatus', params: { status: XauthStatus.OK } }, 'sendOutstanding'],
      on: {
        TRANSACTION: [
          { guard: 'isUnverified', actions: 'noteIgnored' },
          { guard: 'isNotTheAnswer', actions: 'noteIgnored' },
          { target: 'authenticated', actions: 'noteAnswer' },
        ],
        TICK: [
          { guard: 'retransmissionsSpent', target: 'timedOut', actions: 'logTimedOut' },
          { guard: 'retransmissionDue', actions: 'retransmit' },
        ],
      },
    },
    reportingFailure: {
      entry: [{ type: 'startStatus', params: { status: XauthStatus.FAIL } }, 'sendOutstanding'],
      on: {
        TRANSACTION: [
          { guard: 'isUnverified', actions: 'noteIgnored' },
          { guard: 'isNotTheAnswer', actions: 'noteIgnored' },
          { target: 'rejected', actions: 'noteAnswer' },
        ],
        TICK: [
          // The SA goes whether or not the client acknowledged its failure.
          { guard: 'retransmissionsSpent', target: 'rejected' },
          { guard: 'retransmissionDue', actions: 'retransmit' },
        ],
      },
    },
    authenticated: { type: 'final' },
    rejected: { type: 'final' },
    timedOut: { type: 'final' },
  },
});

/** The M-ID the machine currently listens on, if it is still running. */
export function xauthMessageId(context: XauthContext): number | undefined {
  return context.exchange?.messageId;
}

/** When the machine next needs a TICK. */
export function xauthDeadline(context: XauthContext): number | undefined {
  return context.exchange === undefined ? undefined : outstandingDeadline(context.exchange.outstanding, context.schedule);
}
