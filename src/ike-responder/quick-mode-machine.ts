/**
 * One Quick Mode exchange (one M-ID) answered by the RTX (RFC 2409 §5.5):
 *
 *   awaitingMessage1 --acceptable message 1 / message 2, `[IKE] respond IPsec phase to <ip>`--> awaitingHash3
 *   awaitingMessage1 --refused / log, notify per `send info`--> refused (final)
 *   awaitingHash3    --same message 1 again / the same message 2 again
 *   awaitingHash3    --no HASH(3) within the resend interval / the same message 2 again
 *   awaitingHash3    --HASH(3) verified--> established (final): the IPsec SA pair exists
 *   awaitingHash3    --no HASH(3) in time--> abandoned (final)
 *
 * The initiator retransmits message 1 until it sees message 2; message 2 is then the last
 * message the responder sent, so it goes again (the stored bytes) on the retransmission schedule
 * until HASH(3) comes (RFC 2408 §5; strongSwan does the same): a lost message 3 otherwise leaves
 * the initiator with SAs the router never installed. How long the RTX waits for HASH(3) was NOT
 * FOUND: rtxlab waits as long as for a half-open Phase 1 (ASSUMED).
 * An unauthenticated message 1 (bad HASH(1)) is dropped without an answer.
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import { NotifyType } from '../ike/constants.js';
import { isakmpSpi, notifyPayload, type DecodedMessage } from '../ike/codec/index.js';
import type { IvChains } from '../ike/crypto/index.js';
import type { ChosenEspProposal, EspRules } from './esp-proposal.js';
import {
  emitEffects,
  memoByEvent,
  nextResend,
  receivedLines,
  replyPath,
  sendEffects,
  type Arrival,
  type DebugSettings,
  type EffectEmitted,
  type RetransmitSchedule,
  type SendPath,
} from './exchange-effects.js';
import { newMessageId, protectedInformationalMessage } from './informational.js';
import { ikeLog } from './log-lines.js';
import type { EstablishedKeys } from './protected-exchange.js';
import { readQuickMode1, readQuickMode3, respondToQuickMode1, type QuickMode1Reading, type QuickModeAnswer } from './quick-mode.js';

export type QuickModeEvent =
  | ({ readonly type: 'QUICK_MODE'; readonly message: DecodedMessage; readonly datagram: Buffer } & Arrival)
  | { readonly type: 'TICK'; readonly now: number };

export interface QuickModeInput {
  readonly keys: EstablishedKeys;
  readonly ivChains: IvChains;
  readonly messageId: number;
  readonly rules: EspRules;
  readonly debug: DebugSettings;
  /** `ipsec ike send info GW`: refusals are reported with a protected notify. */
  readonly sendInfo: boolean;
  readonly randomBytes: (length: number) => Buffer;
  /** Whether one of the router's inbound SPIs is already this value. */
  readonly spiInUse: (spi: Buffer) => boolean;
  readonly now: number;
  readonly timeoutMs: number;
  /** Message 2 is sent again on this schedule while HASH(3) does not come. */
  readonly schedule: RetransmitSchedule;
}

/** What an established Quick Mode produced: the pair the tunnel installs. */
export interface QuickModeOutcome {
  readonly chosen: ChosenEspProposal;
  readonly answer: QuickModeAnswer;
  readonly establishedAt: number;
  readonly commitBit: boolean;
}

export interface QuickModeContext {
  readonly keys: EstablishedKeys;
  readonly phase1Chains: IvChains;
  readonly messageId: number;
  readonly rules: EspRules;
  readonly debug: DebugSettings;
  readonly sendInfo: boolean;
  readonly randomBytes: (length: number) => Buffer;
  readonly spiInUse: (spi: Buffer) => boolean;
  readonly deadline: number;
  readonly schedule: RetransmitSchedule;
  /** Where message 2 went: back the way message 1 came. */
  readonly message2Path?: SendPath;
  /** Times message 2 went out again on the clock. */
  readonly message2Resent: number;
  /** When message 2 goes out again if HASH(3) has not come; none once the schedule is spent. */
  readonly message2ResendAt?: number;
  /** Message 1 as received: the same bytes again are a retransmission. */
  readonly message1?: Buffer;
  readonly peerAddress?: string;
  readonly chosen?: ChosenEspProposal;
  readonly commitBit?: boolean;
  readonly answer?: QuickModeAnswer;
  readonly outcome?: QuickModeOutcome;
}

export type QuickModeState = 'awaitingMessage1' | 'awaitingHash3' | 'established' | 'refused' | 'abandoned';

type QuickModeMessageEvent = Extract<QuickModeEvent, { type: 'QUICK_MODE' }>;

const message1ReadingOf = memoByEvent(
  (context: QuickModeContext) => context.phase1Chains,
  (context: QuickModeContext, event: QuickModeMessageEvent): QuickMode1Reading => readQuickMode1(context.keys, context.phase1Chains, event.message, context.rules),
);

const message3ReadingOf = memoByEvent(
  (context: QuickModeContext) => context.answer ?? context.phase1Chains,
  (context: QuickModeContext, event: QuickModeMessageEvent) => {
    if (!context.answer) return { ok: false as const, detail: 'no message 2 yet' };
    return readQuickMode3(context.keys, context.answer.message2.ivChains, event.message, context.answer);
  },
);

const REFUSAL_NOTIFY: Record<Exclude<QuickMode1Reading['kind'], 'acceptable' | 'unverified'>, number> = {
  malformed: NotifyType.PAYLOAD_MALFORMED,
  'no-proposal-chosen': NotifyType.NO_PROPOSAL_CHOSEN,
  'invalid-key-information': NotifyType.INVALID_KEY_INFORMATION,
  'invalid-id-information': NotifyType.INVALID_ID_INFORMATION,
};

const REFUSAL_WORDS: Record<Exclude<QuickMode1Reading['kind'], 'acceptable'>, string> = {
  unverified: 'unauthenticated message',
  malformed: 'payload malformed',
  'no-proposal-chosen': 'no proposal chosen',
  'invalid-key-information': 'invalid key information',
  'invalid-id-information': 'invalid ID information',
};

/** When `tick` must next look at this Quick Mode: a resend of message 2 or its time-out. */
export function quickModeDeadline(context: QuickModeContext): number {
  return context.message2ResendAt === undefined ? context.deadline : Math.min(context.deadline, context.message2ResendAt);
}

export const quickModeMachine = setup({
  types: {
    context: {} as QuickModeContext,
    events: {} as QuickModeEvent,
    input: {} as QuickModeInput,
    emitted: {} as EffectEmitted,
  },
  guards: {
    isAcceptableMessage1: ({ context, event }) => event.type === 'QUICK_MODE' && message1ReadingOf(context, event).kind === 'acceptable',
    isRepeatedMessage1: ({ context, event }) => event.type === 'QUICK_MODE' && context.message1 !== undefined && event.datagram.equals(context.message1),
    carriesValidHash3: ({ context, event }) => event.type === 'QUICK_MODE' && message3ReadingOf(context, event).ok,
    timeHasPassed: ({ context, event }) => event.type === 'TICK' && event.now >= context.deadline,
    message2ResendIsDue: ({ context, event }) => event.type === 'TICK' && context.message2ResendAt !== undefined && event.now >= context.message2ResendAt,
  },
  actions: {
    respond: assign(({ context, event }) => {
      assertEvent(event, 'QUICK_MODE');
      const reading = message1ReadingOf(context, event);
      if (reading.kind !== 'acceptable') throw new Error(`respond on a ${reading.kind} message 1`);
      const answer = respondToQuickMode1(context.keys, reading, context.messageId, context.randomBytes, context.spiInUse);
      return {
        message1: Buffer.from(event.datagram),
        chosen: reading.chosen,
        commitBit: reading.commitBit,
        answer,
        peerAddress: event.from.address,
        message2Path: replyPath(event),
        ...nextResend(context.schedule, event.now, 0),
      };
    }),
    sendMessage2: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'QUICK_MODE');
      const reading = message1ReadingOf(context, event);
      const answer = context.answer;
      if (!answer) return;
      emitEffects(enqueue, context.debug, [
        ...receivedLines(context.debug, event.from, event.message.header, reading.kind === 'acceptable' ? reading.payloads : undefined),
        ...(reading.kind === 'acceptable' && reading.commitBit ? [ikeLog.ignoredMessage(event.from.address, 'commit bit of Quick Mode message 1 not acted on')] : []),
        ikeLog.respondIpsecPhase(event.from.address),
        ...sendEffects(context.debug, answer.message2.bytes, answer.message2.payloads, replyPath(event)),
      ]);
    }),
    resendMessage2: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'QUICK_MODE');
      const answer = context.answer;
      if (!answer) return;
      // The stored bytes: a new message 2 would carry new nonces and SPIs.
      emitEffects(enqueue, context.debug, [...receivedLines(context.debug, event.from, event.message.header), ...sendEffects(context.debug, answer.message2.bytes, answer.message2.payloads, replyPath(event))]);
    }),
    resendMessage2OnTimer: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TICK');
      const { answer, message2Path } = context;
      if (!answer || !message2Path) return;
      enqueue.assign(nextResend(context.schedule, event.now, context.message2Resent + 1));
      emitEffects(enqueue, context.debug, sendEffects(context.debug, answer.message2.bytes, answer.message2.payloads, message2Path));
    }),
    refuse: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'QUICK_MODE');
      const reading = message1ReadingOf(context, event);
      if (reading.kind === 'acceptable') return;
      const payloads = reading.kind === 'unverified' ? undefined : reading.payloads;
      const detail = `${REFUSAL_WORDS[reading.kind]}: ${reading.detail}`;
      const notifyType = reading.kind === 'unverified' ? undefined : REFUSAL_NOTIFY[reading.kind];
      const notify =
        notifyType !== undefined && context.sendInfo
          ? protectedInformationalMessage(context.keys.protection, context.phase1Chains, context.keys.cookies, newMessageId(context.randomBytes), [
              notifyPayload({ notifyType, spi: isakmpSpi(context.keys.cookies.initiatorCookie, context.keys.cookies.responderCookie) }),
            ])
          : undefined;
      emitEffects(enqueue, context.debug, [
        ...receivedLines(context.debug, event.from, event.message.header, payloads),
        reading.kind === 'unverified' ? ikeLog.ipsecPhaseIgnored(event.from.address, `message 1: ${reading.detail}`) : ikeLog.ipsecPhaseRefused(event.from.address, detail),
        ...(notify ? sendEffects(context.debug, notify.bytes, notify.payloads, replyPath(event)) : []),
      ]);
    }),
    complete: assign(({ context, event }) => {
      assertEvent(event, 'QUICK_MODE');
      if (!context.answer || !context.chosen) throw new Error('HASH(3) before message 2');
      return { outcome: { chosen: context.chosen, answer: context.answer, establishedAt: event.now, commitBit: context.commitBit ?? false } };
    }),
    noteMessage3: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'QUICK_MODE');
      const reading = message3ReadingOf(context, event);
      emitEffects(enqueue, context.debug, receivedLines(context.debug, event.from, event.message.header, reading.ok ? reading.payloads : undefined));
    }),
    noteIgnored: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'QUICK_MODE');
      const reading = message3ReadingOf(context, event);
      emitEffects(enqueue, context.debug, [
        ...receivedLines(context.debug, event.from, event.message.header),
        ikeLog.ipsecPhaseIgnored(event.from.address, `message 3: ${reading.ok ? 'unexpected' : reading.detail}`),
      ]);
    }),
    logTimedOut: enqueueActions(({ context, enqueue }) => {
      if (context.peerAddress !== undefined) emitEffects(enqueue, context.debug, [ikeLog.ipsecPhaseTimedOut(context.peerAddress)]);
    }),
  },
}).createMachine({
  id: 'quickModeResponder',
  context: ({ input }) => ({
    keys: input.keys,
    phase1Chains: input.ivChains,
    messageId: input.messageId,
    rules: input.rules,
    debug: input.debug,
    sendInfo: input.sendInfo,
    randomBytes: input.randomBytes,
    spiInUse: input.spiInUse,
    deadline: input.now + input.timeoutMs,
    schedule: input.schedule,
    message2Resent: 0,
  }),
  initial: 'awaitingMessage1',
  states: {
    awaitingMessage1: {
      on: {
        QUICK_MODE: [{ guard: 'isAcceptableMessage1', target: 'awaitingHash3', actions: ['respond', 'sendMessage2'] }, { target: 'refused', actions: 'refuse' }],
        TICK: { guard: 'timeHasPassed', target: 'abandoned' },
      },
    },
    awaitingHash3: {
      on: {
        QUICK_MODE: [
          { guard: 'isRepeatedMessage1', actions: 'resendMessage2' },
          { guard: 'carriesValidHash3', target: 'established', actions: ['complete', 'noteMessage3'] },
          { actions: 'noteIgnored' },
        ],
        TICK: [
          { guard: 'timeHasPassed', target: 'abandoned', actions: 'logTimedOut' },
          { guard: 'message2ResendIsDue', actions: 'resendMessage2OnTimer' },
        ],
      },
    },
    established: { type: 'final' },
    refused: { type: 'final' },
    abandoned: { type: 'final' },
  },
});
