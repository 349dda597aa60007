/**
 * The state the tunnel machine's steps share after Phase 1, the failures they name, and the
 * small helpers every step uses to answer: each step is a pure function from this context to
 * context updates and emitted events (a StepResult).
 */
import { ExchangeType } from '../ike/constants.js';
import { decodeHeader, type Payload } from '../ike/codec/index.js';
import type { TransportPath, TransportPaths } from '../ike/initiator/endpoints.js';
import { buildInformational, type InformationalItem } from '../ike/initiator/informational.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import { received, sendOf, type ClientEmitted, type SendEmitted } from './machine-events.js';
import { EMPTY_MODE_CFG_CONFIG, type ModeCfgConfig } from './mode-cfg.js';
import type { Phase1Failure, Phase1LastMessages } from './phase1-machine.js';
import type { EspSaPair, QuickMode1State, QuickMode2Failure, QuickModeRandomness, QuickModeRequest } from '../ike/initiator/quick-mode.js';
import { openTransaction, type ReceivedTransaction } from './transaction.js';
import type { ResolvedTunnelOptions, TunnelTiming } from './tunnel-options.js';

/**
 * `unconfirmed`: Quick Mode message 3 is sent, and nothing says yet that the gateway got it (it
 * installs its SAs only then). ESP from the gateway, or no repeated message 2 for longer than
 * the gateway's resend interval, confirms it.
 */
export type TunnelStep = 'phase1' | 'xauth' | 'mode-cfg' | 'quick-mode' | 'unconfirmed' | 'established';

type StepFailure<Step extends TunnelStep, Kind extends string, Extra = object> = { readonly step: Step; readonly kind: Kind; readonly text: string } & Extra;

/** Why the tunnel did not come up, named by the step it stopped at. */
export type TunnelFailure =
  | (Phase1Failure & { readonly step: 'phase1' })
  /** The gateway's verdict was XAUTH-STATUS=FAIL (a wrong user name or password). */
  | StepFailure<'xauth', 'xauth-failed'>
  | StepFailure<'xauth', 'xauth-no-request'>
  | StepFailure<'xauth', 'xauth-no-status'>
  /** A REQUEST or status SET this client cannot or will not answer, or too many rounds. */
  | StepFailure<'xauth', 'xauth-unsupported'>
  /** No address from mode-cfg, and Quick Mode needs one as IDci. */
  | StepFailure<'mode-cfg', 'mode-cfg-no-address'>
  /** Our REQUEST got no REPLY (the RTX only pushes: rtx-behaviour.md §3). */
  | StepFailure<'mode-cfg', 'mode-cfg-request-unanswered', { readonly sends: number }>
  /** We refused the gateway's pushed SET (vpnc 0.5.3's INVALID-MESSAGE-ID). */
  | StepFailure<'mode-cfg', 'mode-cfg-set-rejected'>
  | StepFailure<'quick-mode', 'quick-mode-no-proposal'>
  | StepFailure<'quick-mode', 'quick-mode-no-response', { readonly sends: number }>
  /** Message 2 arrived and was refused for another reason than the proposal. */
  | StepFailure<'quick-mode', 'quick-mode-refused', { readonly reason: QuickMode2Failure['kind'] }>
  /** The gateway kept repeating message 2: it never took our message 3. */
  | StepFailure<'unconfirmed', 'quick-mode-unconfirmed', { readonly sends: number }>
  | StepFailure<TunnelStep, 'notify-received', { readonly notifies: readonly string[]; readonly protected: boolean }>
  | StepFailure<TunnelStep, 'deleted-by-peer'>
  | StepFailure<TunnelStep, 'cancelled'>;

/** An answer we sent, kept so that the gateway's retransmission of what it answers gets it again. */
export interface AnsweredMessage {
  readonly received: Buffer;
  readonly answer: Buffer;
  readonly note: string;
}

export interface OutstandingRequest {
  readonly messageId: number;
  readonly bytes: Buffer;
  readonly payloads: readonly Payload[];
  readonly sends: number;
}

export interface XauthProgress {
  readonly rounds: number;
  readonly status?: 'ok' | 'failed';
  /** XAUTH-MESSAGE text the gateway showed, if any. */
  readonly message?: string;
}

export interface ModeCfgProgress {
  readonly config: ModeCfgConfig;
  readonly request?: OutstandingRequest;
  readonly requestsSent: number;
  readonly setsAnswered: number;
  readonly replyReceived: boolean;
  readonly complete: boolean;
}

export interface QuickModeProgress {
  readonly quickMode1?: QuickMode1State;
  readonly sends: number;
  /** Message 2 as received and message 3 as sent: a repeated message 2 gets message 3 again. */
  readonly message2?: Buffer;
  readonly message3?: { readonly bytes: Buffer; readonly payloads: readonly Payload[] };
  readonly message3Resends: number;
  readonly espSas?: EspSaPair;
  /** How the gateway's having taken message 3 came to be known. */
  readonly confirmation?: QuickModeConfirmation;
}

/** ESP from the gateway under the new SAs, or silence longer than its resend interval. */
export type QuickModeConfirmation = 'esp' | 'quiet-period';

/** Phase 1's last messages, and how often message 3 went again after Phase 1 was taken as done. */
export interface Phase1Tail {
  readonly messages: Phase1LastMessages;
  readonly message3Resends: number;
}

/** The part of the tunnel machine's context the steps read and update. */
export interface TunnelStepContext {
  readonly options: ResolvedTunnelOptions;
  readonly timing: TunnelTiming;
  readonly paths: TransportPaths;
  readonly nextMessageId: () => number;
  readonly nextQuickModeRandomness: (request: QuickModeRequest) => QuickModeRandomness;
  readonly sa?: IsakmpSa;
  readonly phase1Tail?: Phase1Tail;
  /** Where IKE goes after Phase 1: the NAT-T path once floated. */
  readonly path: TransportPath;
  readonly answered: readonly AnsweredMessage[];
  readonly xauth: XauthProgress;
  readonly modeCfg: ModeCfgProgress;
  readonly quickMode: QuickModeProgress;
  readonly failure?: TunnelFailure;
  readonly closedBy?: 'us' | 'peer';
  /** Whether R-U-THERE is answered (TunnelOptions.dpd, changed on an open tunnel by `answerDpd`). */
  readonly dpdAnswers: boolean;
}

export interface StepResult {
  readonly updates: Partial<TunnelStepContext>;
  readonly emitted: readonly ClientEmitted[];
}

export const INITIAL_XAUTH: XauthProgress = { rounds: 0 };
export const INITIAL_MODE_CFG: ModeCfgProgress = { config: EMPTY_MODE_CFG_CONFIG, requestsSent: 0, setsAnswered: 0, replyReceived: false, complete: false };
export const INITIAL_QUICK_MODE: QuickModeProgress = { sends: 0, message3Resends: 0 };

/** How many answers to keep for retransmitted messages: XAUTH REPLY and ACK, the mode-cfg ACKs. */
export const ANSWERS_KEPT = 4;

export const NOTHING: StepResult = { updates: {}, emitted: [] };

/** A step's result: these updates, then these events (undefined ones skipped). */
export function result(updates: Partial<TunnelStepContext>, ...emitted: (ClientEmitted | undefined)[]): StepResult {
  return { updates, emitted: emitted.filter((event): event is ClientEmitted => event !== undefined) };
}

/** A step ends the tunnel: the failure, these events, and the timer cleared. */
export function fail(failure: TunnelFailure, ...emitted: (ClientEmitted | undefined)[]): StepResult {
  return result({ failure }, ...emitted, { type: 'clear-timer' });
}

/** Our stored answer sent again, for a message the gateway retransmitted. */
export function resend(context: TunnelStepContext, bytes: Buffer, note: string): SendEmitted {
  const header = decodeHeader(bytes);
  const fields = header.ok ? { exchangeType: header.value.exchangeType, messageId: header.value.messageId } : { exchangeType: 0, messageId: 0 };
  return sendOf(bytes, context.path, { ...fields, encrypted: true }, `${note}, again`);
}

export function remember(context: TunnelStepContext, receivedBytes: Buffer, answer: Buffer, note: string): readonly AnsweredMessage[] {
  return [...context.answered, { received: receivedBytes, answer, note }].slice(-ANSWERS_KEPT);
}

/** A protected Informational in a new exchange (our M-ID), on the path IKE now uses. */
export function sendInformational(context: TunnelStepContext, sa: IsakmpSa, items: readonly InformationalItem[], note: string): { sa: IsakmpSa; send: SendEmitted } {
  const messageId = context.nextMessageId();
  const sent = buildInformational(sa, items, messageId, context.options.padding);
  return { sa: sent.sa, send: sendOf(sent.bytes, context.path, { exchangeType: ExchangeType.INFORMATIONAL, messageId, encrypted: true, payloads: sent.payloads }, note) };
}

/** Opens a Transaction message, or says in the transcript why it was ignored. */
export function openOrIgnore(context: TunnelStepContext, bytes: Buffer, path: TransportPath): { received: ReceivedTransaction } | { ignored: StepResult } {
  const opened = openTransaction(context.sa!, bytes);
  if (!opened.ok) return { ignored: result({}, received(bytes, path, undefined, `ignored: ${opened.failure.text}`)) };
  return { received: opened.value };
}
