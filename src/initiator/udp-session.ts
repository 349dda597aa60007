/**
 * Runs the Phase 1 machine over node:dgram (see udp-transport.ts for the sockets and the loop).
 * Every wait is bounded: the machine's retransmission list, and a hard deadline over the whole
 * session. The sockets are closed when it returns; runTunnelSession keeps them for the rest.
 */
import { createActor } from 'xstate';
import type { TransportPaths } from '../ike/initiator/endpoints.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import { resolveInitiatorOptions, type InitiatorOptions } from '../ike/initiator/options.js';
import {
  DEFAULT_PHASE1_TIMING,
  phase1Machine,
  phase1Outcome,
  type Message3Confirmation,
  type PendingDatagram,
  type Phase1Failure,
  type Phase1Outcome,
  type Phase1Timing,
} from './phase1-machine.js';
import { drawPhase1Randomness, type Phase1Randomness } from '../ike/initiator/randomness.js';
import {
  TranscriptLog,
  openUdpTransport,
  runClientMachine,
  type GatewayAddress,
  type LocalAddress,
  type TranscriptRecord,
} from './udp-transport.js';

export { IKE_PORT, NAT_T_PORT, formatSessionTranscript, type TranscriptRecord } from './udp-transport.js';

export interface Phase1SessionOptions {
  readonly gateway: GatewayAddress;
  readonly local?: LocalAddress;
  readonly initiator: InitiatorOptions;
  /** Fixed randomness for reproducible runs; drawn fresh otherwise. */
  readonly randomness?: Phase1Randomness;
  readonly timing?: Partial<Phase1Timing>;
  /** Hard bound on the session; default: every retransmission and quiet period, plus 1 s. */
  readonly deadlineMs?: number;
  /** Send a Delete once established (leaves no half-used SA on the gateway). Default false. */
  readonly deleteWhenEstablished?: boolean;
}

export type SessionFailure =
  | Phase1Failure
  | { readonly kind: 'socket-error'; readonly text: string }
  | { readonly kind: 'deadline'; readonly text: string };

export type Phase1SessionResult =
  | {
      readonly outcome: 'established';
      readonly sa: IsakmpSa;
      readonly confirmation: Message3Confirmation;
      readonly paths: TransportPaths;
      readonly pendingDatagram?: PendingDatagram;
      readonly transcript: readonly TranscriptRecord[];
    }
  | { readonly outcome: 'failed'; readonly failure: SessionFailure; readonly transcript: readonly TranscriptRecord[] };

export async function runPhase1Session(options: Phase1SessionOptions): Promise<Phase1SessionResult> {
  const transcript = new TranscriptLog();
  const resolved = resolveInitiatorOptions(options.initiator);
  const timing: Phase1Timing = { ...DEFAULT_PHASE1_TIMING, ...options.timing };
  const randomness = options.randomness ?? drawPhase1Randomness(resolved.proposals[0]!.group, resolved.nonceLength);

  let transport;
  try {
    transport = await openUdpTransport(options.gateway, options.local ?? {}, resolved.natTraversal !== 'off');
  } catch (error) {
    return { outcome: 'failed', failure: { kind: 'socket-error', text: (error as Error).message }, transcript: transcript.records };
  }
  transport.onNote((text) => transcript.note(text));
  transcript.notePaths(transport.paths);
  const { paths } = transport;

  const actor = createActor(phase1Machine, { input: { options: resolved, randomness, paths, timing } });
  const loop = runClientMachine({
    transport,
    actor,
    settled: (snapshot) => {
      const outcome = phase1Outcome(snapshot);
      return outcome.status === 'pending' ? undefined : outcome;
    },
    deadlineMs: options.deadlineMs ?? sessionBound(timing),
    transcript,
  });
  const outcome: Exclude<Phase1Outcome, { status: 'pending' }> | 'deadline' = await loop.settled;
  if (outcome !== 'deadline' && outcome.status === 'established' && options.deleteWhenEstablished) loop.send({ type: 'CLOSE' });
  await loop.stop();
  await transport.close();
  const records = transcript.records;
  if (outcome === 'deadline') {
    return { outcome: 'failed', failure: { kind: 'deadline', text: `no outcome within ${options.deadlineMs ?? sessionBound(timing)} ms` }, transcript: records };
  }
  switch (outcome.status) {
    case 'established': {
      const { sa, confirmation, pendingDatagram } = outcome;
      return { outcome: 'established', sa, confirmation, paths, ...(pendingDatagram ? { pendingDatagram } : {}), transcript: records };
    }
    case 'failed':
      return { outcome: 'failed', failure: outcome.failure, transcript: records };
    case 'closed':
      return { outcome: 'failed', failure: { kind: 'cancelled', text: 'closed before Phase 1 was established' }, transcript: records };
  }
}

/** The longest a well-behaved Phase 1 can take: every retransmission wait and quiet period. */
export function sessionBound(timing: Phase1Timing): number {
  const retransmissions = timing.retransmitTimeoutsMs.reduce((sum, ms) => sum + ms, 0);
  return retransmissions + timing.message3QuietMs * timing.retransmitTimeoutsMs.length + 1000;
}
