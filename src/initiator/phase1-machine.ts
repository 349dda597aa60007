/**
 * The client's Phase 1 as an xstate v5 machine, I/O-free: datagrams and timer expiries come in
 * as events; what to send, what to record and when to wake up go out as emitted events, which
 * the driver (udp-session.ts) or a test performs. The states follow RFC 2409's exchange:
 *
 *   idle --START--> sentAggressive1 --message 2 verified--> sentAggressive3 --> established
 *                        |  (TIMER: resend message 1)            |  (message 2 again: resend 3)
 *                        +--> failed <---------------------------+
 *
 * Message 3 gets no answer in Aggressive Mode, so `sentAggressive3` waits for a verdict: any
 * message this SA's keys authenticate (an XAUTH request, DPD) confirms it; message 2 repeated
 * means the responder still waits for an acceptable message 3; an error notify or a Delete
 * refuses it; silence for `message3QuietMs` is taken as acceptance (and recorded as such).
 */
import { assign, enqueueActions, setup, type SnapshotFrom } from 'xstate';
import { decodeHeader, type Payload } from '../ike/codec/index.js';
import { ExchangeType } from '../ike/constants.js';
import {
  buildAggressive1,
  buildAggressive3,
  processAggressive2,
  type Aggressive1State,
  type Aggressive2Failure,
  type Aggressive2Result,
  type Aggressive2State,
  type ReceivedNotify,
} from '../ike/initiator/aggressive-mode.js';
import type { EndpointPair, TransportPath, TransportPaths } from '../ike/initiator/endpoints.js';
import { buildInformational, parseInformational, type InformationalItem } from '../ike/initiator/informational.js';
import { openHashedMessage, type IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import type { MainModeReplyFailure } from '../ike/initiator/main-mode.js';
import type { InitiatorOptions } from '../ike/initiator/options.js';
import { drawMessageId, type Phase1Randomness } from '../ike/initiator/randomness.js';
import { receivedEntry, sendOf, type ClientEmitted, type SendEmitted } from './machine-events.js';
import type { TranscriptEntry } from './transcript.js';

export interface Phase1Timing {
  /**
   * How long to wait after each send of message 1 before sending it again; the list's length is
   * the number of sends, its sum the longest wait. Also bounds the resends of message 3.
   */
  readonly retransmitTimeoutsMs: readonly number[];
  /**
   * Silence after the last message of an exchange the gateway does not answer (Aggressive Mode
   * message 3, Quick Mode message 3) taken as acceptance: a gateway that lost it sends its own
   * last message again (message 2) within its resend interval, so this must be longer than that.
   */
  readonly message3QuietMs: number;
}

/**
 * The gateway's resend schedule the client's waits are sized for: an RTX's `ipsec ike retry`
 * default in the current reference, 10 resends 5 s apart (RTX1500 value not confirmed;
 * rtx-behaviour.md §15.13), which is also rtxlab's router default.
 */
export const RTX_RESEND_SCHEDULE = { intervalMs: 5_000, retransmissions: 10 } as const;

export const DEFAULT_PHASE1_TIMING: Phase1Timing = {
  retransmitTimeoutsMs: [1000, 2000, 4000, 8000],
  // One gateway resend interval and a second of slack for the path.
  message3QuietMs: RTX_RESEND_SCHEDULE.intervalMs + 1_000,
};

export interface Phase1MachineInput {
  readonly options: InitiatorOptions;
  readonly randomness: Phase1Randomness;
  /** The UDP paths the driver opened (our address and port as the socket sees them). */
  readonly paths: TransportPaths;
  readonly timing?: Partial<Phase1Timing>;
  /** M-IDs of the exchanges this machine starts (DPD answers, Delete); default random. */
  readonly nextMessageId?: () => number;
}

export type Phase1Event =
  | { readonly type: 'START' }
  | { readonly type: 'DATAGRAM'; readonly bytes: Buffer; readonly path: TransportPath }
  /** The timer of the last `set-timer` expired. */
  | { readonly type: 'TIMER' }
  /** Stop: send a Delete when there are keys to protect it with. */
  | { readonly type: 'CLOSE' };

export type Phase1Emitted = ClientEmitted;

export type Phase1Failure =
  | Exclude<Aggressive2Failure, { kind: 'foreign-message' | 'notify-received' }>
  /** Main Mode's refusals of messages 2, 4 and 6 (main-mode-machine.ts). */
  | Exclude<MainModeReplyFailure, { kind: 'foreign-message' | 'notify-received' }>
  /** Error notifications instead of message 2, or after message 3 (`protected` if HASH-verified). */
  | { readonly kind: 'notify-received'; readonly notifies: readonly ReceivedNotify[]; readonly protected: boolean; readonly text: string }
  | { readonly kind: 'no-response'; readonly sends: number; readonly text: string }
  /** The responder kept repeating message 2: it never accepted message 3. */
  | { readonly kind: 'message-3-not-accepted'; readonly sends: number; readonly text: string }
  | { readonly kind: 'deleted-by-peer'; readonly text: string }
  | { readonly kind: 'cancelled'; readonly text: string };

/** How message 3 came to count as accepted. */
export type Message3Confirmation = 'peer-message' | 'quiet-period';

type Message3Verdict =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'accepted'; readonly pendingDatagram?: PendingDatagram; readonly dpdRequest?: number }
  | { readonly kind: 'refused'; readonly failure: Phase1Failure };

/** Message 2 as received and message 3 as sent: a gateway repeating 2 after Phase 1 gets 3 again. */
export interface Phase1LastMessages {
  readonly message2: Buffer;
  readonly message3: { readonly bytes: Buffer; readonly path: TransportPath; readonly payloads: readonly Payload[] };
}

/** A protected message that arrived for the exchange after Phase 1 (XAUTH REQUEST...). */
export interface PendingDatagram {
  readonly bytes: Buffer;
  readonly path: TransportPath;
}

export interface Phase1Context {
  readonly options: InitiatorOptions;
  readonly randomness: Phase1Randomness;
  readonly paths: TransportPaths;
  readonly timing: Phase1Timing;
  readonly nextMessageId: () => number;
  /** Sends of the message currently awaiting an answer (message 1, then message 3). */
  readonly sends: number;
  readonly aggressive1?: Aggressive1State;
  readonly aggressive2Verdict?: Aggressive2Result;
  readonly aggressive2?: Aggressive2State;
  readonly message3?: { readonly bytes: Buffer; readonly path: TransportPath; readonly payloads: readonly Payload[] };
  readonly message3Verdict: Message3Verdict;
  readonly sa?: IsakmpSa;
  readonly confirmation?: Message3Confirmation;
  readonly pendingDatagram?: PendingDatagram;
  readonly failure?: Phase1Failure;
  readonly closedBy?: 'us' | 'peer';
}

const WAITING: Message3Verdict = { kind: 'waiting' };
export const AGGRESSIVE_IN_CLEAR = { exchangeType: ExchangeType.AGGRESSIVE, messageId: 0, encrypted: false } as const;

function endpointsOf(paths: TransportPaths, path: TransportPath): EndpointPair {
  return path === 'nat-t' && paths.natT ? paths.natT : paths.isakmp;
}

function errorNotifies(items: readonly (InformationalItem & { name: string })[]): ReceivedNotify[] {
  // RFC 2408 §3.14.1: types below 8192 are errors, 8192..16383 private errors; above is status.
  return items.flatMap((item) => (item.kind === 'notify' && item.notifyType < 16384 ? [{ notifyType: item.notifyType, name: item.name, data: item.data ?? Buffer.alloc(0) }] : []));
}

/** What a datagram received after message 3 says about it. */
function judgeAfterMessage3(context: Phase1Context, bytes: Buffer, path: TransportPath): { verdict: Message3Verdict | 'repeat-message-2'; entry: TranscriptEntry } {
  const sa = context.sa!;
  if (bytes.equals(context.aggressive2!.message2)) {
    return { verdict: 'repeat-message-2', entry: receivedEntry(bytes, path, undefined, 'message 2 again: the responder did not accept message 3') };
  }
  const header = decodeHeader(bytes);
  if (!header.ok || header.value.exchangeType === ExchangeType.AGGRESSIVE) {
    return { verdict: WAITING, entry: receivedEntry(bytes, path, undefined, 'ignored: not a message of the established SA') };
  }
  if (header.value.exchangeType === ExchangeType.INFORMATIONAL) {
    const parsed = parseInformational(sa, bytes);
    if (!parsed.ok) return { verdict: WAITING, entry: receivedEntry(bytes, path, undefined, `ignored: ${parsed.failure.text}`) };
    const { items, payloads } = parsed.value;
    const entry = (note: string) => receivedEntry(bytes, path, payloads, note);
    if (items.some((item) => item.kind === 'delete-isakmp-sa')) {
      return { verdict: { kind: 'refused', failure: { kind: 'deleted-by-peer', text: 'the responder deleted the SA after message 3' } }, entry: entry('Delete: message 3 refused') };
    }
    const errors = errorNotifies(items);
    if (errors.length > 0) {
      const text = `the responder sent ${errors.map((notify) => notify.name).join(', ')} after message 3`;
      return { verdict: { kind: 'refused', failure: { kind: 'notify-received', notifies: errors, protected: parsed.value.protected, text } }, entry: entry(text) };
    }
    if (!parsed.value.protected) return { verdict: WAITING, entry: entry('ignored: unprotected status notify') };
    const dpd = items.find((item) => item.kind === 'r-u-there');
    return {
      verdict: { kind: 'accepted', ...(dpd?.kind === 'r-u-there' ? { dpdRequest: dpd.sequence } : {}) },
      entry: entry('authenticated by the SA: message 3 accepted'),
    };
  }
  const opened = openHashedMessage(sa, bytes);
  if (!opened.ok) return { verdict: WAITING, entry: receivedEntry(bytes, path, undefined, `ignored: ${opened.failure.text}`) };
  return {
    verdict: { kind: 'accepted', pendingDatagram: { bytes, path } },
    entry: receivedEntry(bytes, path, opened.value.payloads, 'authenticated by the SA: message 3 accepted; kept for the next exchange'),
  };
}

/** R-U-THERE-ACK with the request's sequence number, in a new exchange (RFC 3706 §5). */
function dpdAnswer(context: Phase1Context, sequence: number): { sa: IsakmpSa; send: SendEmitted } {
  return sendInformational(context, [{ kind: 'r-u-there-ack', sequence }], `R-U-THERE-ACK ${sequence}`);
}

/** A protected Informational on the path Phase 1 ended on, with a fresh M-ID. */
function sendInformational(context: Phase1Context, items: readonly InformationalItem[], note: string): { sa: IsakmpSa; send: SendEmitted } {
  const messageId = context.nextMessageId();
  const sent = buildInformational(context.sa!, items, messageId, context.options.message3.padding);
  const path = context.message3!.path;
  return { sa: sent.sa, send: sendOf(sent.bytes, path, { exchangeType: ExchangeType.INFORMATIONAL, messageId, encrypted: true, payloads: sent.payloads }, note) };
}

export const phase1Machine = setup({
  types: {
    context: {} as Phase1Context,
    input: {} as Phase1MachineInput,
    events: {} as Phase1Event,
    emitted: {} as Phase1Emitted,
  },
  guards: {
    aggressive2Accepted: ({ context }) => context.aggressive2Verdict?.ok === true,
    aggressive2Refused: ({ context }) => context.aggressive2Verdict?.ok === false && context.aggressive2Verdict.failure.kind !== 'foreign-message',
    mayResend: ({ context }) => context.sends < context.timing.retransmitTimeoutsMs.length,
    message3Accepted: ({ context }) => context.message3Verdict.kind === 'accepted',
    message3Refused: ({ context }) => context.message3Verdict.kind === 'refused',
    closedByPeer: ({ context }) => context.closedBy === 'peer',
  },
  actions: {
    sendAggressive1: enqueueActions(({ context, enqueue }) => {
      const built = buildAggressive1(context.options, context.randomness);
      enqueue.assign({ aggressive1: built.state, sends: 1 });
      enqueue.emit(sendOf(built.bytes, 'isakmp', { ...AGGRESSIVE_IN_CLEAR, payloads: built.payloads }, 'message 1'));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[0]! });
    }),
    resendAggressive1: enqueueActions(({ context, enqueue }) => {
      const { message1 } = context.aggressive1!;
      enqueue.emit(sendOf(message1, 'isakmp', AGGRESSIVE_IN_CLEAR, `message 1, retransmission ${context.sends}`));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[context.sends]! });
      enqueue.assign({ sends: context.sends + 1 });
    }),
    judgeAggressive2: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DATAGRAM') return;
      const verdict = processAggressive2(context.aggressive1!, event.bytes, endpointsOf(context.paths, event.path));
      const note = verdict.ok ? 'message 2: HASH_R verified' : verdict.failure.kind === 'foreign-message' ? `ignored: ${verdict.failure.text}` : `message 2 refused: ${verdict.failure.text}`;
      enqueue.emit({ type: 'received', entry: receivedEntry(event.bytes, event.path, verdict.payloads, note) });
      enqueue.assign({ aggressive2Verdict: verdict });
    }),
    sendAggressive3: enqueueActions(({ context, enqueue }) => {
      const verdict = context.aggressive2Verdict;
      if (!verdict?.ok) return;
      const state = verdict.state;
      // RFC 3947 §4: after a NAT is detected, message 3 and all later traffic use port 4500.
      const path: TransportPath = state.natTraversal.floated && context.paths.natT ? 'nat-t' : 'isakmp';
      const built = buildAggressive3(state, context.options.message3, endpointsOf(context.paths, path));
      const message3 = { bytes: built.bytes, path, payloads: built.payloads };
      enqueue.assign({ aggressive2: state, sa: built.state, message3, sends: 1, message3Verdict: WAITING });
      enqueue.emit(sendOf(built.bytes, path, { ...AGGRESSIVE_IN_CLEAR, encrypted: built.state.message3Encrypted, payloads: built.payloads }, 'message 3'));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.message3QuietMs });
    }),
    judgeAfterAggressive3: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DATAGRAM') return;
      const { verdict, entry } = judgeAfterMessage3(context, event.bytes, event.path);
      enqueue.emit({ type: 'received', entry });
      if (verdict !== 'repeat-message-2') {
        enqueue.assign({ message3Verdict: verdict });
        return;
      }
      const message3 = context.message3!;
      if (context.sends >= context.timing.retransmitTimeoutsMs.length) {
        const text = `the responder repeated message 2 after ${context.sends} sends of message 3`;
        enqueue.assign({ message3Verdict: { kind: 'refused', failure: { kind: 'message-3-not-accepted', sends: context.sends, text } } });
        return;
      }
      // A responder repeats message 2 when it lost or refused message 3; a retransmission of
      // message 3 answers it (what strongSwan does), the send count bounds it.
      const resend = { ...AGGRESSIVE_IN_CLEAR, encrypted: context.sa!.message3Encrypted, payloads: message3.payloads };
      enqueue.emit(sendOf(message3.bytes, message3.path, resend, `message 3, retransmission ${context.sends}`));
      enqueue.emit({ type: 'set-timer', afterMs: context.timing.message3QuietMs });
      enqueue.assign({ sends: context.sends + 1 });
    }),
    acceptMessage3: enqueueActions(({ context, enqueue }) => {
      const verdict = context.message3Verdict;
      if (verdict.kind !== 'accepted') return;
      enqueue.emit({ type: 'clear-timer' });
      enqueue.assign({ confirmation: 'peer-message', ...(verdict.pendingDatagram ? { pendingDatagram: verdict.pendingDatagram } : {}) });
      if (verdict.dpdRequest !== undefined) {
        const answer = dpdAnswer(context, verdict.dpdRequest);
        enqueue.assign({ sa: answer.sa });
        enqueue.emit(answer.send);
      }
    }),
    acceptMessage3BySilence: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ confirmation: 'quiet-period' });
      enqueue.emit({ type: 'note', text: `no answer to message 3 within ${context.timing.message3QuietMs} ms: taken as accepted` });
    }),
    handleEstablishedDatagram: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DATAGRAM') return;
      const parsed = parseInformational(context.sa!, event.bytes);
      if (!parsed.ok) {
        enqueue.emit({ type: 'received', entry: receivedEntry(event.bytes, event.path, undefined, `not handled in Phase 1: ${parsed.failure.text}`) });
        return;
      }
      const { items, payloads } = parsed.value;
      const deleted = parsed.value.protected && items.some((item) => item.kind === 'delete-isakmp-sa');
      enqueue.emit({ type: 'received', entry: receivedEntry(event.bytes, event.path, payloads, deleted ? 'the responder deleted the ISAKMP SA' : 'Informational') });
      const dpd = items.find((item) => item.kind === 'r-u-there');
      if (parsed.value.protected && dpd?.kind === 'r-u-there') {
        const answer = dpdAnswer(context, dpd.sequence);
        enqueue.assign({ sa: answer.sa });
        enqueue.emit(answer.send);
      }
      if (deleted) enqueue.assign({ closedBy: 'peer' });
    }),
    sendDelete: enqueueActions(({ context, enqueue }) => {
      const deletion = sendInformational(context, [{ kind: 'delete-isakmp-sa' }], 'Delete of the ISAKMP SA');
      enqueue.emit({ type: 'clear-timer' });
      enqueue.emit(deletion.send);
      enqueue.assign({ sa: deletion.sa, closedBy: 'us' });
    }),
    failFromAggressive2: assign({
      failure: ({ context }): Phase1Failure | undefined => {
        const verdict = context.aggressive2Verdict;
        if (verdict === undefined || verdict.ok) return undefined;
        const failure = verdict.failure;
        if (failure.kind === 'foreign-message') return undefined;
        return failure.kind === 'notify-received' ? { ...failure, protected: false } : failure;
      },
    }),
    failFromMessage3Verdict: assign({
      failure: ({ context }) => (context.message3Verdict.kind === 'refused' ? context.message3Verdict.failure : undefined),
    }),
    failNoResponse: assign({
      failure: ({ context }): Phase1Failure => ({ kind: 'no-response', sends: context.sends, text: `no answer to message 1 after ${context.sends} sends` }),
    }),
    failCancelled: assign({ failure: (): Phase1Failure => ({ kind: 'cancelled', text: 'closed before message 2 arrived' }) }),
    clearTimer: enqueueActions(({ enqueue }) => enqueue.emit({ type: 'clear-timer' })),
  },
}).createMachine({
  id: 'ikev1-initiator-phase1',
  context: ({ input }) => ({
    options: input.options,
    randomness: input.randomness,
    paths: input.paths,
    timing: { ...DEFAULT_PHASE1_TIMING, ...input.timing },
    nextMessageId: input.nextMessageId ?? drawMessageId,
    sends: 0,
    message3Verdict: WAITING,
  }),
  initial: 'idle',
  states: {
    idle: {
      on: { START: { target: 'sentAggressive1', actions: 'sendAggressive1' } },
    },
    sentAggressive1: {
      on: {
        DATAGRAM: { actions: 'judgeAggressive2' },
        TIMER: [
          { guard: 'mayResend', actions: 'resendAggressive1' },
          { target: 'failed', actions: 'failNoResponse' },
        ],
        CLOSE: { target: 'failed', actions: ['clearTimer', 'failCancelled'] },
      },
      always: [
        { guard: 'aggressive2Accepted', target: 'sentAggressive3', actions: 'sendAggressive3' },
        { guard: 'aggressive2Refused', target: 'failed', actions: ['clearTimer', 'failFromAggressive2'] },
      ],
    },
    sentAggressive3: {
      on: {
        DATAGRAM: { actions: 'judgeAfterAggressive3' },
        TIMER: { target: 'established', actions: 'acceptMessage3BySilence' },
        CLOSE: { target: 'closed', actions: 'sendDelete' },
      },
      always: [
        { guard: 'message3Accepted', target: 'established', actions: 'acceptMessage3' },
        { guard: 'message3Refused', target: 'failed', actions: ['clearTimer', 'failFromMessage3Verdict'] },
      ],
    },
    established: {
      on: {
        DATAGRAM: { actions: 'handleEstablishedDatagram' },
        CLOSE: { target: 'closed', actions: 'sendDelete' },
      },
      always: { guard: 'closedByPeer', target: 'closed' },
    },
    closed: { type: 'final' },
    failed: { type: 'final' },
  },
});

export type Phase1Snapshot = SnapshotFrom<typeof phase1Machine>;

export type Phase1Outcome =
  | { readonly status: 'pending'; readonly state: string }
  | {
      readonly status: 'established';
      readonly sa: IsakmpSa;
      readonly confirmation: Message3Confirmation;
      /** Aggressive Mode only: Main Mode ends with the responder's message 6, nothing to repeat. */
      readonly lastMessages?: Phase1LastMessages;
      readonly pendingDatagram?: PendingDatagram;
    }
  | { readonly status: 'failed'; readonly failure: Phase1Failure }
  | { readonly status: 'closed'; readonly by: 'us' | 'peer'; readonly sa: IsakmpSa };

/** The machine's result in one value, for drivers and tests. */
export function phase1Outcome(snapshot: Phase1Snapshot): Phase1Outcome {
  const { context } = snapshot;
  if (snapshot.matches('established')) {
    return {
      status: 'established',
      sa: context.sa!,
      confirmation: context.confirmation!,
      lastMessages: { message2: context.aggressive2!.message2, message3: context.message3! },
      ...(context.pendingDatagram ? { pendingDatagram: context.pendingDatagram } : {}),
    };
  }
  if (snapshot.matches('failed')) return { status: 'failed', failure: context.failure! };
  if (snapshot.matches('closed')) return { status: 'closed', by: context.closedBy ?? 'us', sa: context.sa! };
  return { status: 'pending', state: String(snapshot.value) };
}
