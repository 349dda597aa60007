/**
 * The full remote-access client as an xstate v5 machine, I/O-free like `phase1Machine`, which it
 * runs unchanged as a child for the first step:
 *
 *   idle --START--> phase1 --established--> xauth --STATUS OK--> modeCfg --address--> quickMode --HASH(3) sent--> unconfirmed
 *                     |                       |                     |                     |                          |
 *                     +-----------------------+------> failed <-----+---------------------+--------------------------+
 *
 *   unconfirmed --ESP from the gateway, or no repeated message 2 within message3QuietMs--> established --CLOSE/Delete--> closed
 *
 * Steps are skipped when they do not apply: XAUTH when Phase 1 agreed on plain PSK, mode-cfg and
 * Quick Mode when the options leave them out. Datagrams and timer expiries come in as events;
 * what to send, record and wake up for goes out as the same emitted events as Phase 1's
 * (plus `step`), so one driver serves both. Each step's work is a pure function of
 * tunnel-steps.ts; this file only chooses which one runs and where the machine goes next.
 */
import { assign, createActor, enqueueActions, fromCallback, sendTo, setup, type SnapshotFrom } from 'xstate';
import type { TransportPath, TransportPaths } from '../ike/initiator/endpoints.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import type { ClientEmitted } from './machine-events.js';
import { mainModeInitiatorMachine, mainModeOutcome } from './main-mode-machine.js';
import type { ModeCfgConfig } from './mode-cfg.js';
import {
  phase1Machine,
  phase1Outcome,
  type Message3Confirmation,
  type Phase1Emitted,
  type Phase1Event,
  type Phase1MachineInput,
  type Phase1Outcome,
} from './phase1-machine.js';
import type { EspSaPair, QuickModeRandomness, QuickModeRequest } from '../ike/initiator/quick-mode.js';
import { drawMessageId, drawQuickModeRandomness, type Phase1Randomness } from '../ike/initiator/randomness.js';
import {
  INITIAL_MODE_CFG,
  INITIAL_QUICK_MODE,
  INITIAL_XAUTH,
  type QuickModeConfirmation,
  type StepResult,
  type TunnelFailure,
  type TunnelStep,
  type TunnelStepContext,
  type XauthProgress,
} from './tunnel-context.js';
import {
  closeTunnel,
  confirmByEsp,
  confirmBySilence,
  enterEstablished,
  enterUnconfirmed,
  enterModeCfg,
  enterQuickMode,
  enterXauth,
  modeCfgTimerExpired,
  quickModeTimerExpired,
  receiveDatagram,
  xauthTimerExpired,
} from './tunnel-steps.js';
import { DEFAULT_TUNNEL_TIMING, resolveTunnelOptions, type TunnelOptions, type TunnelTiming } from './tunnel-options.js';

export interface TunnelMachineInput {
  readonly options: TunnelOptions;
  readonly randomness: Phase1Randomness;
  readonly paths: TransportPaths;
  readonly timing?: Partial<TunnelTiming>;
  /** M-IDs of the exchanges we start (mode-cfg REQUEST, Informational); default random. */
  readonly nextMessageId?: () => number;
  /** Quick Mode's M-ID, SPI, nonce and PFS exponent; default random. */
  readonly nextQuickModeRandomness?: (request: QuickModeRequest) => QuickModeRandomness;
}

export type TunnelEvent =
  | { readonly type: 'START' }
  | { readonly type: 'DATAGRAM'; readonly bytes: Buffer; readonly path: TransportPath }
  | { readonly type: 'TIMER' }
  /** Stop: Delete what exists (IPsec SA, ISAKMP SA). */
  | { readonly type: 'CLOSE' }
  /** An ESP packet arrived from the gateway (its SPI, the first 4 bytes). */
  | { readonly type: 'ESP_RECEIVED'; readonly spi: Buffer }
  /** From now on answer the gateway's DPD R-U-THERE (the default), or stop answering (a client gone deaf, for tests). */
  | { readonly type: 'DPD_ANSWERS'; readonly answer: boolean }
  /** From the Phase 1 child: something it emitted, to pass on. */
  | { readonly type: 'PHASE1_EMITTED'; readonly emitted: Phase1Emitted }
  /** From the Phase 1 child: it came to an outcome. */
  | { readonly type: 'PHASE1_OUTCOME'; readonly outcome: Exclude<Phase1Outcome, { status: 'pending' }> };

export type TunnelEmitted = ClientEmitted | { readonly type: 'step'; readonly step: TunnelStep };

export interface TunnelContext extends TunnelStepContext {
  readonly phase1Input: Phase1MachineInput;
  readonly confirmation?: Message3Confirmation;
}

/**
 * Runs `phase1Machine` as it is, passing our DATAGRAM/TIMER/CLOSE events in and its emitted
 * events and outcome out: the parent machine cannot subscribe to a child's emitted events itself.
 */
const phase1Child = fromCallback<Phase1Event, Phase1MachineInput>(({ input, sendBack, receive }) => {
  let reported = false;
  const report = (outcome: Phase1Outcome) => {
    if (outcome.status === 'pending' || reported) return;
    reported = true;
    sendBack({ type: 'PHASE1_OUTCOME', outcome });
  };
  // Main Mode (`exchangeMode: 'main'`) or Aggressive Mode: the same events in, the same outcome out.
  const phase1 =
    input.options.exchangeMode === 'main'
      ? ((actor) => ({ actor, subscription: actor.subscribe((snapshot) => report(mainModeOutcome(snapshot))) }))(createActor(mainModeInitiatorMachine, { input }))
      : ((actor) => ({ actor, subscription: actor.subscribe((snapshot) => report(phase1Outcome(snapshot))) }))(createActor(phase1Machine, { input }));
  phase1.actor.on('*', (emitted) => sendBack({ type: 'PHASE1_EMITTED', emitted }));
  receive((event) => phase1.actor.send(event));
  phase1.actor.start();
  phase1.actor.send({ type: 'START' });
  return () => {
    phase1.subscription.unsubscribe();
    phase1.actor.stop();
  };
});

const nothing: StepResult = { updates: {}, emitted: [] };

/** The step functions the machine runs, by name (the `run` parameter of the `runStep` action). */
const STEPS = {
  enterXauth: (context: TunnelContext) => enterXauth(context),
  enterModeCfg: (context: TunnelContext) => enterModeCfg(context),
  enterQuickMode: (context: TunnelContext) => enterQuickMode(context),
  enterUnconfirmed: (context: TunnelContext) => enterUnconfirmed(context),
  enterEstablished: (context: TunnelContext) => enterEstablished(context),
  confirmBySilence: (context: TunnelContext) => confirmBySilence(context),
  confirmByEsp: (context: TunnelContext, event: TunnelEvent) => (event.type === 'ESP_RECEIVED' ? confirmByEsp(context, event.spi) : nothing),
  receiveWhileUnconfirmed: (context: TunnelContext, event: TunnelEvent) => (event.type === 'DATAGRAM' ? receiveDatagram(context, 'unconfirmed', event.bytes, event.path) : nothing),
  closeUnconfirmed: (context: TunnelContext) => closeTunnel(context, 'unconfirmed'),
  xauthTimer: (context: TunnelContext) => xauthTimerExpired(context),
  modeCfgTimer: (context: TunnelContext) => modeCfgTimerExpired(context),
  quickModeTimer: (context: TunnelContext) => quickModeTimerExpired(context),
  receiveInXauth: (context: TunnelContext, event: TunnelEvent) => (event.type === 'DATAGRAM' ? receiveDatagram(context, 'xauth', event.bytes, event.path) : nothing),
  receiveInModeCfg: (context: TunnelContext, event: TunnelEvent) => (event.type === 'DATAGRAM' ? receiveDatagram(context, 'mode-cfg', event.bytes, event.path) : nothing),
  receiveInQuickMode: (context: TunnelContext, event: TunnelEvent) => (event.type === 'DATAGRAM' ? receiveDatagram(context, 'quick-mode', event.bytes, event.path) : nothing),
  receiveWhenEstablished: (context: TunnelContext, event: TunnelEvent) => (event.type === 'DATAGRAM' ? receiveDatagram(context, 'established', event.bytes, event.path) : nothing),
  closeDuringXauth: (context: TunnelContext) => closeTunnel(context, 'xauth'),
  closeDuringModeCfg: (context: TunnelContext) => closeTunnel(context, 'mode-cfg'),
  closeDuringQuickMode: (context: TunnelContext) => closeTunnel(context, 'quick-mode'),
  closeEstablished: (context: TunnelContext) => closeTunnel(context, 'established'),
} satisfies Record<string, (context: TunnelContext, event: TunnelEvent) => StepResult>;

type StepName = keyof typeof STEPS;
const run = (name: StepName) => ({ type: 'runStep', params: { run: name } }) as const;
const announce = (step: TunnelStep) => ({ type: 'announce', params: { step } }) as const;

export const tunnelMachine = setup({
  types: {
    context: {} as TunnelContext,
    input: {} as TunnelMachineInput,
    events: {} as TunnelEvent,
    emitted: {} as TunnelEmitted,
  },
  actors: { phase1Child },
  guards: {
    failed: ({ context }) => context.failure !== undefined,
    closedByPeer: ({ context }) => context.closedBy === 'peer',
    phase1Established: ({ event }) => event.type === 'PHASE1_OUTCOME' && event.outcome.status === 'established',
    usesXauth: ({ context }) => context.sa?.negotiated.proposal.authMethod === 'xauth-init-pre-shared',
    usesModeCfg: ({ context }) => context.options.modeCfg !== undefined,
    usesQuickMode: ({ context }) => context.options.quickMode !== undefined,
    xauthSucceeded: ({ context }) => context.xauth.status === 'ok',
    modeCfgComplete: ({ context }) => context.modeCfg.complete,
    quickModeComplete: ({ context }) => context.quickMode.espSas !== undefined,
    quickModeConfirmed: ({ context }) => context.quickMode.confirmation !== undefined,
  },
  actions: {
    forwardToPhase1: sendTo('phase1', ({ event }) => event as Phase1Event),
    passOnPhase1Emitted: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'PHASE1_EMITTED') enqueue.emit(event.emitted);
    }),
    adoptPhase1: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'PHASE1_OUTCOME' || event.outcome.status !== 'established') return;
      const { sa, confirmation, pendingDatagram, lastMessages } = event.outcome;
      // RFC 3947 §4: after floating, every later IKE message uses the NAT-T port.
      const path: TransportPath = sa.natTraversal.floated && context.paths.natT ? 'nat-t' : 'isakmp';
      enqueue.assign({ sa, confirmation, path, ...(lastMessages ? { phase1Tail: { messages: lastMessages, message3Resends: 0 } } : {}) });
      // The message that confirmed message 3 (an XAUTH REQUEST) is the next step's first.
      if (pendingDatagram) enqueue.raise({ type: 'DATAGRAM', bytes: pendingDatagram.bytes, path: pendingDatagram.path });
    }),
    failFromPhase1: assign({
      failure: ({ event }): TunnelFailure | undefined => {
        if (event.type !== 'PHASE1_OUTCOME') return undefined;
        const { outcome } = event;
        if (outcome.status === 'failed') return { ...outcome.failure, step: 'phase1' };
        if (outcome.status === 'closed' && outcome.by === 'peer') return { step: 'phase1', kind: 'deleted-by-peer', text: 'the gateway deleted the SA during Phase 1' };
        return { step: 'phase1', kind: 'cancelled', text: 'closed during Phase 1' };
      },
    }),
    /** Runs one step function and applies its result: context updates, then its events in order. */
    runStep: enqueueActions(({ context, event, enqueue }, params: { run: StepName }) => {
      const { updates, emitted } = STEPS[params.run](context, event);
      if (Object.keys(updates).length > 0) enqueue.assign(updates);
      for (const item of emitted) enqueue.emit(item);
    }),
    announce: enqueueActions(({ enqueue }, params: { step: TunnelStep }) => enqueue.emit({ type: 'step', step: params.step })),
    clearTimer: enqueueActions(({ enqueue }) => enqueue.emit({ type: 'clear-timer' })),
    setDpdAnswers: assign({ dpdAnswers: ({ context, event }) => (event.type === 'DPD_ANSWERS' ? event.answer : context.dpdAnswers) }),
  },
}).createMachine({
  id: 'ikev1-initiator-tunnel',
  context: ({ input }) => {
    const options = resolveTunnelOptions(input.options);
    const timing: TunnelTiming = { ...DEFAULT_TUNNEL_TIMING, ...input.timing };
    const nextMessageId = input.nextMessageId ?? drawMessageId;
    return {
      options,
      timing,
      paths: input.paths,
      nextMessageId,
      nextQuickModeRandomness: input.nextQuickModeRandomness ?? ((request) => drawQuickModeRandomness(request.nonceLength, request.pfsGroup)),
      phase1Input: { options: options.phase1, randomness: input.randomness, paths: input.paths, timing, nextMessageId },
      path: 'isakmp',
      answered: [],
      xauth: INITIAL_XAUTH satisfies XauthProgress,
      modeCfg: INITIAL_MODE_CFG,
      quickMode: INITIAL_QUICK_MODE,
      dpdAnswers: options.dpd !== 'ignore',
    };
  },
  initial: 'idle',
  states: {
    idle: {
      on: { START: 'phase1', CLOSE: { target: 'failed', actions: assign({ failure: { step: 'phase1', kind: 'cancelled', text: 'closed before starting' } }) } },
    },
    phase1: {
      entry: announce('phase1'),
      invoke: { id: 'phase1', src: 'phase1Child', input: ({ context }) => context.phase1Input },
      on: {
        DATAGRAM: { actions: 'forwardToPhase1' },
        TIMER: { actions: 'forwardToPhase1' },
        CLOSE: { actions: 'forwardToPhase1' },
        PHASE1_EMITTED: { actions: 'passOnPhase1Emitted' },
        PHASE1_OUTCOME: [
          { guard: 'phase1Established', target: 'afterPhase1', actions: 'adoptPhase1' },
          { target: 'failed', actions: ['clearTimer', 'failFromPhase1'] },
        ],
      },
    },
    afterPhase1: {
      always: [
        { guard: 'usesXauth', target: 'xauth' },
        { guard: 'usesModeCfg', target: 'modeCfg' },
        { guard: 'usesQuickMode', target: 'quickMode' },
        { target: 'established' },
      ],
    },
    xauth: {
      entry: [announce('xauth'), run('enterXauth')],
      on: {
        DATAGRAM: { actions: run('receiveInXauth') },
        TIMER: { actions: run('xauthTimer') },
        CLOSE: { actions: run('closeDuringXauth') },
      },
      always: [
        { guard: 'failed', target: 'failed' },
        { guard: 'xauthSucceeded', target: 'afterXauth' },
      ],
    },
    afterXauth: {
      always: [
        { guard: 'usesModeCfg', target: 'modeCfg' },
        { guard: 'usesQuickMode', target: 'quickMode' },
        { target: 'established' },
      ],
    },
    modeCfg: {
      entry: [announce('mode-cfg'), run('enterModeCfg')],
      on: {
        DATAGRAM: { actions: run('receiveInModeCfg') },
        TIMER: { actions: run('modeCfgTimer') },
        CLOSE: { actions: run('closeDuringModeCfg') },
      },
      always: [
        { guard: 'failed', target: 'failed' },
        { guard: 'modeCfgComplete', target: 'afterModeCfg' },
      ],
    },
    afterModeCfg: {
      always: [{ guard: 'usesQuickMode', target: 'quickMode' }, { target: 'established' }],
    },
    quickMode: {
      entry: [announce('quick-mode'), run('enterQuickMode')],
      on: {
        DATAGRAM: { actions: run('receiveInQuickMode') },
        TIMER: { actions: run('quickModeTimer') },
        CLOSE: { actions: run('closeDuringQuickMode') },
      },
      always: [
        { guard: 'failed', target: 'failed' },
        { guard: 'quickModeComplete', target: 'unconfirmed' },
      ],
    },
    unconfirmed: {
      entry: [announce('unconfirmed'), run('enterUnconfirmed')],
      on: {
        DATAGRAM: { actions: run('receiveWhileUnconfirmed') },
        ESP_RECEIVED: { actions: run('confirmByEsp') },
        TIMER: { actions: run('confirmBySilence') },
        CLOSE: { actions: run('closeUnconfirmed') },
      },
      always: [
        { guard: 'failed', target: 'failed' },
        { guard: 'quickModeConfirmed', target: 'established' },
      ],
    },
    established: {
      entry: [announce('established'), run('enterEstablished')],
      on: {
        DATAGRAM: { actions: run('receiveWhenEstablished') },
        DPD_ANSWERS: { actions: 'setDpdAnswers' },
        CLOSE: { target: 'closed', actions: run('closeEstablished') },
      },
      always: { guard: 'closedByPeer', target: 'closed' },
    },
    closed: { type: 'final' },
    failed: { type: 'final' },
  },
});

export type TunnelSnapshot = SnapshotFrom<typeof tunnelMachine>;

export type TunnelOutcome =
  | { readonly status: 'pending'; readonly state: string }
  | {
      readonly status: 'established';
      readonly sa: IsakmpSa;
      readonly confirmation: Message3Confirmation;
      readonly xauth: XauthProgress;
      readonly modeCfg?: ModeCfgConfig;
      readonly espSas?: EspSaPair;
      /** With Quick Mode: how the gateway's having taken message 3 came to be known. */
      readonly quickModeConfirmation?: QuickModeConfirmation | 'unconfirmed';
    }
  | { readonly status: 'failed'; readonly failure: TunnelFailure }
  | { readonly status: 'closed'; readonly by: 'us' | 'peer'; readonly espSas?: EspSaPair };

/**
 * The machine's result in one value, for drivers and tests. `acceptUnconfirmed`: a tunnel whose
 * Quick Mode message 3 is not confirmed yet counts as established, marked `unconfirmed` (for a
 * caller that deletes the SAs at once and measures only the handshake).
 */
export function tunnelOutcome(snapshot: TunnelSnapshot, options: { acceptUnconfirmed?: boolean } = {}): TunnelOutcome {
  const { context } = snapshot;
  const unconfirmed = options.acceptUnconfirmed === true && snapshot.matches('unconfirmed');
  if (snapshot.matches('established') || unconfirmed) {
    return {
      status: 'established',
      sa: context.sa!,
      confirmation: context.confirmation!,
      xauth: context.xauth,
      ...(context.options.modeCfg ? { modeCfg: context.modeCfg.config } : {}),
      ...(context.quickMode.espSas ? { espSas: context.quickMode.espSas } : {}),
      ...(unconfirmed ? { quickModeConfirmation: 'unconfirmed' as const } : context.quickMode.confirmation ? { quickModeConfirmation: context.quickMode.confirmation } : {}),
    };
  }
  if (snapshot.matches('failed')) return { status: 'failed', failure: context.failure! };
  if (snapshot.matches('closed')) return { status: 'closed', by: context.closedBy ?? 'us', ...(context.quickMode.espSas ? { espSas: context.quickMode.espSas } : {}) };
  return { status: 'pending', state: String(snapshot.value) };
}

