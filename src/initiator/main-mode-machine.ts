/**
 * The client's Phase 1 in Main Mode as an xstate v5 machine, I/O-free like `phase1Machine`
 * (Aggressive Mode) and with the same input, events, emitted events and outcome, so the tunnel
 * machine runs either:
 *
 *   idle --START--> sentMainMode1 --message 2 ok--> sentMainMode3 --message 4 ok--> sentMainMode5 --message 6 verified--> established
 *                        |  (TIMER: resend the last message, as often as the timing allows)  |
 *                        +------------------------------> failed <---------------------------+
 *
 * Unlike Aggressive Mode the responder has the last word (message 6), so no quiet period is
 * needed: the SA exists when HASH_R verifies. NAT-T floats to 4500 with message 5 (RFC 3947 §4).
 */
import { assign, enqueueActions, setup, type SnapshotFrom } from 'xstate';
import type { Payload } from '../ike/codec/index.js';
import type { EndpointPair, TransportPath, TransportPaths } from '../ike/initiator/endpoints.js';
import { buildInformational } from '../ike/initiator/informational.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import { receivedEntry, sendOf } from './machine-events.js';
import {
  MAIN_MODE_ENCRYPTED,
  MAIN_MODE_IN_CLEAR,
  buildMainMode1,
  buildMainMode3,
  buildMainMode5,
  processMainMode2,
  processMainMode4,
  processMainMode6,
  type MainMode1State,
  type MainMode3State,
  type MainMode5State,
  type MainModeReply,
} from '../ike/initiator/main-mode.js';
import { DEFAULT_PHASE1_TIMING, type Phase1Emitted, type Phase1Event, type Phase1Failure, type Phase1MachineInput, type Phase1Outcome, type Phase1Timing } from './phase1-machine.js';
import { drawMessageId } from '../ike/initiator/randomness.js';
import type { InitiatorOptions } from '../ike/initiator/options.js';
import type { Phase1Randomness } from '../ike/initiator/randomness.js';

/** The message awaiting an answer, as sent: a timer sends the same bytes again. */
interface Outstanding {
  readonly bytes: Buffer;
  readonly path: TransportPath;
  readonly payloads: readonly Payload[];
  readonly encrypted: boolean;
  readonly name: string;
}

export interface MainModeInitiatorContext {
  readonly options: InitiatorOptions;
  readonly randomness: Phase1Randomness;
  readonly paths: TransportPaths;
  readonly timing: Phase1Timing;
  readonly nextMessageId: () => number;
  /** Sends of the outstanding message. */
  readonly sends: number;
  readonly outstanding?: Outstanding;
  readonly mainMode1?: MainMode1State;
  readonly mainMode3?: MainMode3State;
  readonly mainMode5?: MainMode5State;
  /** The verdict on the last datagram, read by the `always` transitions. */
  readonly verdict?: MainModeReply<unknown>;
  readonly sa?: IsakmpSa;
  readonly failure?: Phase1Failure;
  readonly closedBy?: 'us' | 'peer';
}

function endpointsOf(paths: TransportPaths, path: TransportPath): EndpointPair {
  return path === 'nat-t' && paths.natT ? paths.natT : paths.isakmp;
}

/** Foreign messages and our peer repeating itself are not answers: they are noted and ignored. */
const isAnswer = (verdict: MainModeReply<unknown> | undefined): boolean => verdict !== undefined && (verdict.ok || verdict.failure.kind !== 'foreign-message');

function judged<S>(bytes: Buffer, path: TransportPath, verdict: MainModeReply<S>, name: string, accepted = `${name} accepted`) {
  const note = verdict.ok ? accepted : verdict.failure.kind === 'foreign-message' ? `ignored: ${verdict.failure.text}` : `${name} refused: ${verdict.failure.text}`;
  return { type: 'received' as const, entry: receivedEntry(bytes, path, verdict.payloads, note) };
}

export const mainModeInitiatorMachine = setup({
  types: {
    context: {} as MainModeInitiatorContext,
    input: {} as Phase1MachineInput,
    events: {} as Phase1Event,
    emitted: {} as Phase1Emitted,
  },
  guards: {
    answerAccepted: ({ context }) => context.verdict?.ok === true,
    answerRefused: ({ context }) => context.verdict !== undefined && !context.verdict.ok && isAnswer(context.verdict),
    mayResend: ({ context }) => context.sends < context.timing.retransmitTimeoutsMs.length,
  },
  actions: {
    sendMainMode1: enqueueActions(({ context, enqueue }) => {
      const built = buildMainMode1(context.options, context.randomness);
      const outstanding: Outstanding = { bytes: built.bytes, path: 'isakmp', payloads: built.payloads, encrypted: false, name: 'message 1' };
      enqueue.assign({ mainMode1: built.state, outstanding, sends: 1 });
      enqueue.emit(sendOf(built.bytes, 'isakmp', { ...MAIN_MODE_IN_CLEAR, payloads: built.payloads }, 'Main Mode message 1'));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[0]! });
    }),
    resendOutstanding: enqueueActions(({ context, enqueue }) => {
      const outstanding = context.outstanding!;
      const header = outstanding.encrypted ? MAIN_MODE_ENCRYPTED : MAIN_MODE_IN_CLEAR;
      enqueue.emit(sendOf(outstanding.bytes, outstanding.path, { ...header, payloads: outstanding.payloads }, `Main Mode ${outstanding.name}, retransmission ${context.sends}`));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[context.sends]! });
      enqueue.assign({ sends: context.sends + 1 });
    }),
    judgeMainMode2: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DATAGRAM') return;
      const verdict = processMainMode2(context.mainMode1!, event.bytes);
      enqueue.emit(judged(event.bytes, event.path, verdict, 'Main Mode message 2'));
      enqueue.assign({ verdict });
    }),
    sendMainMode3: enqueueActions(({ context, enqueue }) => {
      const verdict = context.verdict as ReturnType<typeof processMainMode2>;
      if (!verdict.ok) return;
      const built = buildMainMode3(verdict.state, endpointsOf(context.paths, 'isakmp'));
      const outstanding: Outstanding = { bytes: built.bytes, path: 'isakmp', payloads: built.payloads, encrypted: false, name: 'message 3' };
      enqueue.assign({ mainMode3: built.state, outstanding, sends: 1, verdict: undefined });
      enqueue.emit(sendOf(built.bytes, 'isakmp', { ...MAIN_MODE_IN_CLEAR, payloads: built.payloads }, 'Main Mode message 3'));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[0]! });
    }),
    judgeMainMode4: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DATAGRAM') return;
      const verdict = processMainMode4(context.mainMode3!, event.bytes);
      enqueue.emit(judged(event.bytes, event.path, verdict, 'Main Mode message 4'));
      enqueue.assign({ verdict });
    }),
    sendMainMode5: enqueueActions(({ context, enqueue }) => {
      const verdict = context.verdict as ReturnType<typeof processMainMode4>;
      if (!verdict.ok) return;
      const built = buildMainMode5(verdict.state, context.options.message3);
      // RFC 3947 §4: once a NAT is detected, message 5 and everything after it use port 4500.
      const path: TransportPath = verdict.state.natTraversal.floated && context.paths.natT ? 'nat-t' : 'isakmp';
      const outstanding: Outstanding = { bytes: built.bytes, path, payloads: built.payloads, encrypted: true, name: 'message 5' };
      enqueue.assign({ mainMode5: built.state, outstanding, sends: 1, verdict: undefined });
      enqueue.emit(sendOf(built.bytes, path, { ...MAIN_MODE_ENCRYPTED, payloads: built.payloads }, 'Main Mode message 5'));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[0]! });
    }),
    judgeMainMode6: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DATAGRAM') return;
      const verdict = processMainMode6(context.mainMode5!, event.bytes);
      enqueue.emit(judged(event.bytes, event.path, verdict, 'Main Mode message 6', 'Main Mode message 6: HASH_R verified'));
      enqueue.assign({ verdict });
    }),
    adoptIsakmpSa: enqueueActions(({ context, enqueue }) => {
      const verdict = context.verdict as ReturnType<typeof processMainMode6>;
      if (!verdict.ok) return;
      enqueue.emit({ type: 'clear-timer' });
      enqueue.assign({ sa: verdict.state, verdict: undefined });
    }),
    failFromAnswer: assign({
      failure: ({ context }): Phase1Failure | undefined => {
        const verdict = context.verdict;
        if (verdict === undefined || verdict.ok || verdict.failure.kind === 'foreign-message') return undefined;
        return verdict.failure.kind === 'notify-received' ? { ...verdict.failure, protected: false } : verdict.failure;
      },
    }),
    forgetIgnoredAnswer: assign({ verdict: undefined }),
    failNoResponse: assign({
      failure: ({ context }): Phase1Failure => ({ kind: 'no-response', sends: context.sends, text: `no answer to Main Mode ${context.outstanding?.name ?? 'message 1'} after ${context.sends} sends` }),
    }),
    failCancelled: assign({ failure: (): Phase1Failure => ({ kind: 'cancelled', text: 'closed before Main Mode completed' }) }),
    noteEstablishedDatagram: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'DATAGRAM') return;
      enqueue.emit({ type: 'received', entry: receivedEntry(event.bytes, event.path, undefined, 'not handled in Phase 1') });
    }),
    sendDelete: enqueueActions(({ context, enqueue }) => {
      const messageId = context.nextMessageId();
      const sent = buildInformational(context.sa!, [{ kind: 'delete-isakmp-sa' }], messageId, context.options.message3.padding);
      const path = context.outstanding?.path ?? 'isakmp';
      enqueue.emit({ type: 'clear-timer' });
      enqueue.emit(sendOf(sent.bytes, path, { exchangeType: 5, messageId, encrypted: true, payloads: sent.payloads }, 'Delete of the ISAKMP SA'));
      enqueue.assign({ sa: sent.sa, closedBy: 'us' });
    }),
    clearTimer: enqueueActions(({ enqueue }) => enqueue.emit({ type: 'clear-timer' })),
  },
}).createMachine({
  id: 'ikev1-initiator-main-mode',
  context: ({ input }) => ({
    options: input.options,
    randomness: input.randomness,
    paths: input.paths,
    timing: { ...DEFAULT_PHASE1_TIMING, ...input.timing },
    nextMessageId: input.nextMessageId ?? drawMessageId,
    sends: 0,
  }),
  initial: 'idle',
  states: {
    idle: { on: { START: { target: 'sentMainMode1', actions: 'sendMainMode1' } } },
    sentMainMode1: {
      on: {
        DATAGRAM: { actions: 'judgeMainMode2' },
        TIMER: [{ guard: 'mayResend', actions: 'resendOutstanding' }, { target: 'failed', actions: 'failNoResponse' }],
        CLOSE: { target: 'failed', actions: ['clearTimer', 'failCancelled'] },
      },
      always: [
        { guard: 'answerAccepted', target: 'sentMainMode3', actions: 'sendMainMode3' },
        { guard: 'answerRefused', target: 'failed', actions: ['clearTimer', 'failFromAnswer'] },
      ],
    },
    sentMainMode3: {
      on: {
        DATAGRAM: { actions: 'judgeMainMode4' },
        TIMER: [{ guard: 'mayResend', actions: 'resendOutstanding' }, { target: 'failed', actions: 'failNoResponse' }],
        CLOSE: { target: 'failed', actions: ['clearTimer', 'failCancelled'] },
      },
      always: [
        { guard: 'answerAccepted', target: 'sentMainMode5', actions: 'sendMainMode5' },
        { guard: 'answerRefused', target: 'failed', actions: ['clearTimer', 'failFromAnswer'] },
      ],
    },
    sentMainMode5: {
      on: {
        DATAGRAM: { actions: 'judgeMainMode6' },
        TIMER: [{ guard: 'mayResend', actions: 'resendOutstanding' }, { target: 'failed', actions: 'failNoResponse' }],
        CLOSE: { target: 'failed', actions: ['clearTimer', 'failCancelled'] },
      },
      always: [
        { guard: 'answerAccepted', target: 'established', actions: 'adoptIsakmpSa' },
        { guard: 'answerRefused', target: 'failed', actions: ['clearTimer', 'failFromAnswer'] },
      ],
    },
    established: {
      on: {
        DATAGRAM: { actions: 'noteEstablishedDatagram' },
        CLOSE: { target: 'closed', actions: 'sendDelete' },
      },
    },
    closed: { type: 'final' },
    failed: { type: 'final' },
  },
});

export type MainModeInitiatorSnapshot = SnapshotFrom<typeof mainModeInitiatorMachine>;

/** The machine's result in the shape `phase1Outcome` gives for Aggressive Mode. */
export function mainModeOutcome(snapshot: MainModeInitiatorSnapshot): Phase1Outcome {
  const { context } = snapshot;
  // HASH_R verified: the responder spoke last, nothing was taken on silence.
  if (snapshot.matches('established')) return { status: 'established', sa: context.sa!, confirmation: 'peer-message' };
  if (snapshot.matches('failed')) return { status: 'failed', failure: context.failure! };
  if (snapshot.matches('closed')) return { status: 'closed', by: context.closedBy ?? 'us', sa: context.sa! };
  return { status: 'pending', state: String(snapshot.value) };
}
