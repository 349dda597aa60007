/**
 * Runs the tunnel machine over node:dgram: Phase 1, XAUTH, mode-cfg and Quick Mode on the same
 * sockets (after NAT-T floats, all of it on the NAT-T path behind the non-ESP marker). Every
 * wait is bounded by the machine's timers and by a deadline over the whole session.
 */
import { createActor } from 'xstate';
import type { TransportPaths } from '../ike/initiator/endpoints.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import type { ModeCfgConfig } from './mode-cfg.js';
import type { Message3Confirmation } from './phase1-machine.js';
import type { EspSaPair, QuickModeRandomness, QuickModeRequest } from '../ike/initiator/quick-mode.js';
import { drawPhase1Randomness, type Phase1Randomness } from '../ike/initiator/randomness.js';
import { tunnelMachine, tunnelOutcome, type TunnelOutcome } from './tunnel-machine.js';
import { DEFAULT_TUNNEL_TIMING, resolveTunnelOptions, type TunnelOptions, type TunnelTiming } from './tunnel-options.js';
import type { QuickModeConfirmation, TunnelFailure, TunnelStep, XauthProgress } from './tunnel-context.js';
import { sessionBound } from './udp-session.js';
import { TranscriptLog, openUdpTransport, runClientMachine, type EspDatagramPath, type GatewayAddress, type LocalAddress, type TranscriptRecord } from './udp-transport.js';

export interface TunnelSessionOptions {
  readonly gateway: GatewayAddress;
  readonly local?: LocalAddress;
  readonly tunnel: TunnelOptions;
  /** Fixed Phase 1 randomness for reproducible runs; drawn fresh otherwise. */
  readonly randomness?: Phase1Randomness;
  readonly nextQuickModeRandomness?: (request: QuickModeRequest) => QuickModeRandomness;
  readonly timing?: Partial<TunnelTiming>;
  /** Hard bound on the session until established; default from the timing (see tunnelBound). */
  readonly deadlineMs?: number;
  /**
   * Once established: `delete` (default) sends the Deletes of the IPsec and ISAKMP SAs and
   * closes; `keep` leaves the tunnel up and returns an `OpenTunnel` (DPD answered, a Delete from
   * the gateway noticed) to close later; `abandon` closes the sockets and tells the gateway nothing.
   */
  readonly whenEstablished?: 'delete' | 'keep' | 'abandon';
  /**
   * `wait` (default): established only once Quick Mode message 3 is confirmed (ESP from the
   * gateway, or no repeated message 2 within `message3QuietMs`). `skip`: established as soon as
   * message 3 is sent, reported as `unconfirmed`; for load runs that delete the SAs at once.
   */
  readonly confirmation?: 'wait' | 'skip';
}

/** A tunnel left up by `whenEstablished: 'keep'`. */
export interface OpenTunnel {
  readonly paths: TransportPaths;
  /** Resolves when the gateway ends the tunnel (a Delete) or `close` is called. */
  readonly ended: Promise<'deleted-by-peer' | 'closed'>;
  /** Sends the Deletes, stops the machine and closes the sockets. */
  close(): Promise<void>;
  /** Answer the gateway's DPD R-U-THERE from now on (true, the default) or not (a peer gone deaf). */
  answerDpd(answer: boolean): void;
  /** UDP-encapsulated ESP on the NAT-T socket, when there is one (see openEspChannel). */
  readonly esp?: EspDatagramPath;
}

export type TunnelSessionFailure =
  | TunnelFailure
  | { readonly step: 'phase1'; readonly kind: 'socket-error'; readonly text: string }
  | { readonly step: TunnelStep; readonly kind: 'deadline'; readonly text: string };

export type TunnelSessionResult =
  | {
      readonly outcome: 'established';
      readonly sa: IsakmpSa;
      readonly confirmation: Message3Confirmation;
      readonly xauth: XauthProgress;
      readonly modeCfg?: ModeCfgConfig;
      readonly espSas?: EspSaPair;
      /** With Quick Mode: ESP from the gateway, no repeated message 2 within message3QuietMs, or not waited for. */
      readonly quickModeConfirmation?: QuickModeConfirmation | 'unconfirmed';
      readonly paths: TransportPaths;
      /** Still growing while an OpenTunnel runs. */
      readonly transcript: readonly TranscriptRecord[];
      readonly tunnel?: OpenTunnel;
    }
  | { readonly outcome: 'failed'; readonly failure: TunnelSessionFailure; readonly transcript: readonly TranscriptRecord[] };

export async function runTunnelSession(options: TunnelSessionOptions): Promise<TunnelSessionResult> {
  const transcript = new TranscriptLog();
  const resolved = resolveTunnelOptions(options.tunnel);
  const phase1 = resolved.phase1;
  const timing: TunnelTiming = { ...DEFAULT_TUNNEL_TIMING, ...options.timing };
  const randomness = options.randomness ?? drawPhase1Randomness(phase1.proposals[0]!.group, phase1.nonceLength ?? 32);

  let transport;
  try {
    transport = await openUdpTransport(options.gateway, options.local ?? {}, phase1.natTraversal !== 'off');
  } catch (error) {
    return { outcome: 'failed', failure: { step: 'phase1', kind: 'socket-error', text: (error as Error).message }, transcript: transcript.records };
  }
  transport.onNote((text) => transcript.note(text));
  transcript.notePaths(transport.paths);
  const { paths } = transport;

  const actor = createActor(tunnelMachine, {
    input: { options: resolved, randomness, paths, timing, ...(options.nextQuickModeRandomness ? { nextQuickModeRandomness: options.nextQuickModeRandomness } : {}) },
  });
  let step: TunnelStep = 'phase1';
  const loop = runClientMachine({
    transport,
    actor,
    settled: (snapshot) => {
      const outcome = tunnelOutcome(snapshot, { acceptUnconfirmed: options.confirmation === 'skip' });
      return outcome.status === 'pending' ? undefined : outcome;
    },
    deadlineMs: options.deadlineMs ?? tunnelBound(timing, resolved.maxXauthRounds, resolved.maxQuickMode3Resends + 1),
    transcript,
    describeOther: (emitted) => {
      if (emitted.type !== 'step' || !('step' in emitted)) return undefined;
      step = emitted.step as TunnelStep;
      return `step: ${step}`;
    },
  });
  // ESP from the gateway confirms Quick Mode message 3 (the unconfirmed step); the packet is only looked at.
  const stopWatchingEsp = transport.esp?.onPacket((packet) => {
    if (packet.length >= 4 && actor.getSnapshot().matches('unconfirmed')) actor.send({ type: 'ESP_RECEIVED', spi: packet.subarray(0, 4) });
  });
  const outcome: Exclude<TunnelOutcome, { status: 'pending' }> | 'deadline' = await loop.settled;
  stopWatchingEsp?.();
  const finish = async (close: boolean): Promise<void> => {
    if (close) loop.send({ type: 'CLOSE' });
    await loop.stop();
    await transport.close();
  };
  const records = transcript.records;
  if (outcome === 'deadline' || outcome.status !== 'established') {
    await finish(false);
    if (outcome === 'deadline') return { outcome: 'failed', failure: { step, kind: 'deadline', text: `no outcome within the session's deadline, during ${step}` }, transcript: records };
    if (outcome.status === 'failed') return { outcome: 'failed', failure: outcome.failure, transcript: records };
    return { outcome: 'failed', failure: { step, kind: 'cancelled', text: 'closed before established' }, transcript: records };
  }
  const established = {
    outcome: 'established' as const,
    sa: outcome.sa,
    confirmation: outcome.confirmation,
    xauth: outcome.xauth,
    ...(outcome.modeCfg ? { modeCfg: outcome.modeCfg } : {}),
    ...(outcome.espSas ? { espSas: outcome.espSas } : {}),
    ...(outcome.quickModeConfirmation ? { quickModeConfirmation: outcome.quickModeConfirmation } : {}),
    paths,
    transcript: records,
  };
  const after = options.whenEstablished ?? 'delete';
  if (after !== 'keep') {
    await finish(after === 'delete');
    return established;
  }
  let closing: Promise<void> | undefined;
  const ended = new Promise<'deleted-by-peer' | 'closed'>((resolve) => {
    const subscription = actor.subscribe((snapshot) => {
      if (!snapshot.matches('closed')) return;
      subscription.unsubscribe();
      resolve(snapshot.context.closedBy === 'peer' ? 'deleted-by-peer' : 'closed');
    });
  });
  const tunnel: OpenTunnel = {
    paths,
    ended,
    close: () => (closing ??= finish(!actor.getSnapshot().matches('closed'))),
    answerDpd: (answer) => loop.send({ type: 'DPD_ANSWERS', answer }),
    ...(transport.esp ? { esp: transport.esp } : {}),
  };
  return { ...established, tunnel };
}

/**
 * The longest a well-behaved tunnel setup can take: Phase 1's bound, a wait for each XAUTH round
 * and its verdict and for the mode-cfg SET, every retransmission of our REQUEST and of Quick
 * Mode message 1, and the confirmation wait after each send of Quick Mode message 3.
 */
export function tunnelBound(timing: TunnelTiming, xauthRounds: number, quickMode3Sends = 4): number {
  const retransmissions = timing.retransmitTimeoutsMs.reduce((sum, ms) => sum + ms, 0);
  return sessionBound(timing) + timing.peerWaitMs * (xauthRounds + 2) + 2 * retransmissions + timing.message3QuietMs * quickMode3Sends;
}
