/**
 * mode-cfg of one ISAKMP SA as the RTX does it (draft-dukes-ike-mode-cfg-02 "set/acknowledge";
 * §15.39: SET is the only method): after XAUTH the router pushes the inner address, and it never
 * answers a client's REQUEST (seed write-up: racoon's REQUEST goes unanswered).
 *
 *   idle --PUSH(assignment)--> pushing: SET(ADDRESS, NETMASK, DNS, NBNS) sent, fresh M-ID
 *   pushing --ACK--> acknowledged
 *   pushing --ACK an attribute of which carries a value, default method--> pushing: HYPOTHESIS H3
 *           (docs/matrix.md): the RTX refuses OpenSWAN's ACK (pluto's `modecfg_resp` writes values
 *           where the draft and the clients the RTX serves send none) as malformed, answers
 *           N(PAYLOAD-MALFORMED) when `send info` is on, and the SET stays unacknowledged;
 *           under `ipsec ike mode-cfg method GW set openswan` the values are ignored and the ACK
 *           taken. The log line's words are ASSUMED.
 *   pushing --REPLY with the SET's M-ID--> answeredWithReply: strongSwan with `pull = yes` answers
 *           a SET with an empty REPLY ("no virtual IP found", ikev1-notes §5); the exchange is
 *           over all the same (the reference's advice: treat it as benign). The address stays
 *           held by the SA: the router cannot tell whether the client uses it (ASSUMED).
 *   pushing --retransmissions spent--> unacknowledged (the SA stays: ASSUMED)
 *
 * In every state a client-initiated exchange (a REQUEST with its own M-ID, its IV fresh from the
 * Phase 1 block) is logged as unanswered, which is why pull clients hang on an RTX; under the
 * rtxlab option `answerModeCfgRequests` (not RTX behaviour) it gets a REPLY with what the SA was
 * assigned. A repeated REQUEST gets the same REPLY again (or is noted at debug level).
 * None of the states is final: a REQUEST may come at any time while the ISAKMP SA lives.
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import { CfgType, ExchangeType, NotifyType, modeCfgAttributeName } from '../ike/constants.js';
import { isakmpSpi, notifyPayload, type AttributePayload, type DataAttribute, type DecodedMessage, type DecodedPayload, type Payload } from '../ike/codec/index.js';
import type { IvChains } from '../ike/crypto/index.js';
import {
  emitEffects,
  memoByEvent,
  outstandingDeadline,
  receivedLines,
  replyPath,
  retransmissionsExhausted,
  sendEffects,
  type Arrival,
  type DebugSettings,
  type EffectEmitted,
  type Outstanding,
  type RetransmitSchedule,
  type SendPath,
} from './exchange-effects.js';
import { newMessageId, protectedInformationalMessage } from './informational.js';
import { ikeLog } from './log-lines.js';
import { attributeNames, modeCfgReply, modeCfgSet, OPENSWAN_MODE_UNCHANGED_WIRE, type ModeCfgAssignment } from './mode-cfg-attributes.js';
import type { ResponderEffect } from './port.js';
import { openHashedMessage, sealHashedMessage, type EstablishedKeys } from './protected-exchange.js';

export type ModeCfgEvent =
  /** After XAUTH: push this assignment. */
  | { readonly type: 'PUSH'; readonly assignment: ModeCfgAssignment; readonly now: number }
  /** A Transaction message that is not XAUTH's. */
  | ({ readonly type: 'TRANSACTION'; readonly message: DecodedMessage } & Arrival)
  | { readonly type: 'TICK'; readonly now: number };

export interface ModeCfgInput {
  readonly keys: EstablishedKeys;
  readonly ivChains: IvChains;
  readonly path: SendPath;
  readonly debug: DebugSettings;
  readonly schedule: RetransmitSchedule;
  readonly randomBytes: (length: number) => Buffer;
  /** rtxlab option, not RTX behaviour: answer REQUESTs with a REPLY. */
  readonly answerRequests: boolean;
  /** `ipsec ike mode-cfg method GW set openswan`. */
  readonly openswan: boolean;
  /** `ipsec ike send info GW`: a refused ACK is reported with a protected notify. */
  readonly sendInfo: boolean;
}

/** Our SET's exchange: its M-ID and chain, with which a repeated ACK is still read once it is over. */
interface PushExchange {
  readonly messageId: number;
  readonly chains: IvChains;
  /**
   * The SET, only while it is outstanding (`pushing`): once the exchange is over (ACK, REPLY,
   * retransmissions spent) nothing sends it again, and the SA keeps it no longer (its bytes and
   * encoded payloads: about 1.5 KB of heap per tunnel, bench/tunnel-memory.ts).
   */
  readonly outstanding?: Outstanding;
}

/** A client REQUEST seen, and our REPLY to it if we sent one (sent again when it is repeated). */
interface SeenRequest {
  readonly messageId: number;
  readonly reply?: { readonly bytes: Buffer; readonly payloads: readonly Payload[] };
}

export interface ModeCfgContext {
  readonly keys: EstablishedKeys;
  readonly phase1Chains: IvChains;
  readonly path: SendPath;
  readonly debug: DebugSettings;
  readonly schedule: RetransmitSchedule;
  readonly randomBytes: (length: number) => Buffer;
  readonly answerRequests: boolean;
  readonly openswan: boolean;
  readonly sendInfo: boolean;
  readonly assignment?: ModeCfgAssignment;
  /** Why the last ACK of our SET was refused (H3); Quick Mode consults it until an ACK is taken. */
  readonly refusedAck?: string;
  readonly push?: PushExchange;
  readonly requests: readonly SeenRequest[];
}

export type ModeCfgState = 'idle' | 'pushing' | 'acknowledged' | 'answeredWithReply' | 'unacknowledged';

/** How many client exchanges are remembered (for repeats); older ones are forgotten. */
const REMEMBERED_REQUESTS = 8;

type TransactionEvent = Extract<ModeCfgEvent, { type: 'TRANSACTION' }>;

type Reading =
  | { readonly kind: 'unverified'; readonly detail: string }
  | {
      readonly kind: 'verified';
      /** Every payload, HASH first (for the debug log). */
      readonly payloads: readonly DecodedPayload[];
      readonly attributes?: AttributePayload;
      /** The chains advanced past the message (to seal a REPLY with). */
      readonly ivChains: IvChains;
    };

/** Our SET's exchange, or a client's: decrypted on the right chain and authenticated. */
const readingOf = memoByEvent(
  (context: ModeCfgContext) => context.push ?? context.phase1Chains,
  (context: ModeCfgContext, event: TransactionEvent): Reading => {
    const chains = isForPush(context, event) && context.push ? context.push.chains : context.phase1Chains;
    const opened = openHashedMessage(context.keys, chains, event.message);
    if (!opened.ok) return { kind: 'unverified', detail: opened.detail };
    const attributes = opened.payloads.find((payload): payload is Extract<DecodedPayload, { type: 'attributes' }> => payload.type === 'attributes');
    return { kind: 'verified', payloads: opened.allPayloads, ...(attributes ? { attributes } : {}), ivChains: opened.ivChains };
  },
);

function isForPush(context: ModeCfgContext, event: TransactionEvent): boolean {
  return context.push !== undefined && event.message.header.messageId === context.push.messageId;
}

function answersPushWith(context: ModeCfgContext, event: TransactionEvent, cfgType: number): boolean {
  if (!isForPush(context, event)) return false;
  const reading = readingOf(context, event);
  return reading.kind === 'verified' && reading.attributes?.cfgType === cfgType;
}

const peerOf = (context: ModeCfgContext): string => context.path.to.address;

/** H3: the first ACK attribute that carries a value, by name; none under the openswan method. */
function valuedAckAttribute(context: ModeCfgContext, event: TransactionEvent): string | undefined {
  if (context.openswan || !answersPushWith(context, event, CfgType.ACK)) return undefined;
  const reading = readingOf(context, event);
  const valued = reading.kind === 'verified' ? reading.attributes?.attributes.find((attribute) => attributeValueLength(attribute) > 0) : undefined;
  return valued === undefined ? undefined : modeCfgAttributeName(valued.type);
}

function attributeValueLength(attribute: DataAttribute): number {
  return attribute.format === 'tv' ? 2 : attribute.value.length;
}

/**
 * The refusal of a malformed ACK (H3), also used for Quick Mode on an SA whose ACK was refused:
 * the log line and, under `send info`, N(PAYLOAD-MALFORMED) in a protected Informational.
 */
export function malformedAckRefusal(context: ModeCfgContext, to: SendPath): ResponderEffect[] {
  if (context.refusedAck === undefined) return [];
  const notify = context.sendInfo
    ? protectedInformationalMessage(context.keys.protection, context.phase1Chains, context.keys.cookies, newMessageId(context.randomBytes), [
        notifyPayload({ notifyType: NotifyType.PAYLOAD_MALFORMED, spi: isakmpSpi(context.keys.cookies.initiatorCookie, context.keys.cookies.responderCookie) }),
      ])
    : undefined;
  return [ikeLog.payloadMalformed(to.to.address, context.refusedAck), ...(notify ? sendEffects(context.debug, notify.bytes, notify.payloads, to) : [])];
}

export const modeCfgMachine = setup({
  types: {
    context: {} as ModeCfgContext,
    events: {} as ModeCfgEvent,
    input: {} as ModeCfgInput,
    emitted: {} as EffectEmitted,
  },
  guards: {
    answersPushWithValuedAck: ({ context, event }) => event.type === 'TRANSACTION' && valuedAckAttribute(context, event) !== undefined,
    answersPushWithAck: ({ context, event }) => event.type === 'TRANSACTION' && answersPushWith(context, event, CfgType.ACK),
    answersPushWithReply: ({ context, event }) => event.type === 'TRANSACTION' && answersPushWith(context, event, CfgType.REPLY),
    isClientRequest: ({ context, event }) => {
      if (event.type !== 'TRANSACTION' || isForPush(context, event)) return false;
      const reading = readingOf(context, event);
      return reading.kind === 'verified' && reading.attributes?.cfgType === CfgType.REQUEST;
    },
    retransmissionDue: ({ context, event }) =>
      event.type === 'TICK' && context.push?.outstanding !== undefined && event.now >= outstandingDeadline(context.push.outstanding, context.schedule),
    retransmissionsSpent: ({ context, event }) =>
      event.type === 'TICK' &&
      context.push?.outstanding !== undefined &&
      event.now >= outstandingDeadline(context.push.outstanding, context.schedule) &&
      retransmissionsExhausted(context.push.outstanding, context.schedule),
  },
  actions: {
    startPush: assign(({ context, event }) => {
      assertEvent(event, 'PUSH');
      const messageId = newMessageId(context.randomBytes);
      const sealed = sealHashedMessage(context.keys, context.phase1Chains, { exchangeType: ExchangeType.TRANSACTION, messageId }, [modeCfgSet(event.assignment)]);
      return {
        assignment: event.assignment,
        push: { messageId, chains: sealed.ivChains, outstanding: { bytes: sealed.bytes, payloads: sealed.payloads, path: context.path, sentAt: event.now, retransmitted: 0 } },
      };
    }),
    sendPush: enqueueActions(({ context, enqueue }) => {
      const outstanding = context.push?.outstanding;
      if (!outstanding) return;
      emitEffects(enqueue, context.debug, [
        ...(context.openswan && context.debug.syslogDebug
          ? [{ kind: 'log' as const, level: 'debug' as const, message: `[IKE] mode-cfg method openswan: SET sent unchanged (${OPENSWAN_MODE_UNCHANGED_WIRE})` }]
          : []),
        ...sendEffects(context.debug, outstanding.bytes, outstanding.payloads, outstanding.path),
      ]);
    }),
    retransmitPush: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TICK');
      const push = context.push;
      const outstanding = push?.outstanding;
      if (!push || !outstanding) return;
      enqueue.assign({ push: { ...push, outstanding: { ...outstanding, sentAt: event.now, retransmitted: outstanding.retransmitted + 1 } } });
      emitEffects(enqueue, context.debug, sendEffects(context.debug, outstanding.bytes, outstanding.payloads, outstanding.path));
    }),
    noteAnswer: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      emitEffects(enqueue, context.debug, receivedLines(context.debug, event.from, event.message.header, reading.kind === 'verified' ? reading.payloads : undefined));
    }),
    noteReplyInsteadOfAck: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      emitEffects(enqueue, context.debug, [
        ...receivedLines(context.debug, event.from, event.message.header, reading.kind === 'verified' ? reading.payloads : undefined),
        ikeLog.modeCfgSetAnsweredWithReply(peerOf(context)),
      ]);
    }),
    refuseValuedAck: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      const refused = { ...context, refusedAck: `mode-cfg ACK attribute ${valuedAckAttribute(context, event) ?? '?'} carries a value` };
      enqueue.assign({ refusedAck: refused.refusedAck });
      emitEffects(enqueue, context.debug, [
        ...receivedLines(context.debug, event.from, event.message.header, reading.kind === 'verified' ? reading.payloads : undefined),
        ...malformedAckRefusal(refused, replyPath(event)),
      ]);
    }),
    endPush: assign(({ context }) => (context.push ? { push: { messageId: context.push.messageId, chains: context.push.chains } } : {})),
    logUnacknowledged: enqueueActions(({ context, enqueue }) => emitEffects(enqueue, context.debug, [ikeLog.modeCfgSetUnacknowledged(peerOf(context))])),
    handleClientRequest: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      if (reading.kind !== 'verified' || reading.attributes === undefined) return;
      const { messageId } = event.message.header;
      const received = receivedLines(context.debug, event.from, event.message.header, reading.payloads);
      const seen = context.requests.find((request) => request.messageId === messageId);
      const names = attributeNames(reading.attributes);
      if (seen?.reply) {
        emitEffects(enqueue, context.debug, [...received, ...sendEffects(context.debug, seen.reply.bytes, seen.reply.payloads, replyPath(event))]);
        return;
      }
      if (seen) {
        emitEffects(enqueue, context.debug, [...received, ikeLog.unexpectedTransaction(event.from.address, `mode-cfg REQUEST repeated, still unanswered: ${names}`)]);
        return;
      }
      let entry: SeenRequest = { messageId };
      if (context.answerRequests) {
        const reply = modeCfgReply(reading.attributes, context.assignment);
        const sealed = sealHashedMessage(context.keys, reading.ivChains, { exchangeType: ExchangeType.TRANSACTION, messageId }, [reply]);
        entry = { messageId, reply: { bytes: sealed.bytes, payloads: sealed.payloads } };
        emitEffects(enqueue, context.debug, [...received, ikeLog.modeCfgRequestAnswered(event.from.address, attributeNames(reply)), ...sendEffects(context.debug, sealed.bytes, sealed.payloads, replyPath(event))]);
      } else {
        emitEffects(enqueue, context.debug, [...received, ikeLog.modeCfgRequestUnanswered(event.from.address, names)]);
      }
      enqueue.assign({ requests: [...context.requests, entry].slice(-REMEMBERED_REQUESTS) });
    }),
    noteIgnored: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'TRANSACTION');
      const reading = readingOf(context, event);
      const detail =
        reading.kind === 'unverified'
          ? reading.detail
          : reading.attributes === undefined
            ? 'no ATTR payload'
            : isForPush(context, event)
              ? `mode-cfg ${attributeNames(reading.attributes)} after the SET exchange`
              : `cfg type ${reading.attributes.cfgType} opening an exchange`;
      emitEffects(enqueue, context.debug, [
        ...receivedLines(context.debug, event.from, event.message.header, reading.kind === 'verified' ? reading.payloads : undefined),
        ikeLog.unexpectedTransaction(event.from.address, `mode-cfg: ${detail}`),
      ]);
    }),
  },
}).createMachine({
  id: 'modeCfgServer',
  context: ({ input }) => ({
    keys: input.keys,
    phase1Chains: input.ivChains,
    path: input.path,
    debug: input.debug,
    schedule: input.schedule,
    randomBytes: input.randomBytes,
    answerRequests: input.answerRequests,
    openswan: input.openswan,
    sendInfo: input.sendInfo,
    requests: [],
  }),
  initial: 'idle',
  on: {
    TRANSACTION: [{ guard: 'isClientRequest', actions: 'handleClientRequest' }, { actions: 'noteIgnored' }],
  },
  states: {
    idle: {
      on: { PUSH: { target: 'pushing', actions: 'startPush' } },
    },
    pushing: {
      entry: 'sendPush',
      on: {
        TRANSACTION: [
          { guard: 'answersPushWithValuedAck', actions: 'refuseValuedAck' },
          { guard: 'answersPushWithAck', target: 'acknowledged', actions: 'noteAnswer' },
          { guard: 'answersPushWithReply', target: 'answeredWithReply', actions: 'noteReplyInsteadOfAck' },
        ],
        TICK: [
          { guard: 'retransmissionsSpent', target: 'unacknowledged', actions: 'logUnacknowledged' },
          { guard: 'retransmissionDue', actions: 'retransmitPush' },
        ],
      },
    },
    // The SET is no longer outstanding in any of these.
    acknowledged: { entry: 'endPush' },
    answeredWithReply: { entry: 'endPush' },
    unacknowledged: { entry: 'endPush' },
  },
});

/** When the machine next needs a TICK: only while a SET is outstanding. */
export function modeCfgDeadline(state: ModeCfgState, context: ModeCfgContext): number | undefined {
  return state === 'pushing' && context.push?.outstanding ? outstandingDeadline(context.push.outstanding, context.schedule) : undefined;
}
