/**
 * Runs the Phase 1 machine over node:dgram: one UDP socket to the gateway's IKE port and, when
 * NAT-T is not off, one to its NAT-T port, where every IKE message carries the 4-byte non-ESP
 * marker (RFC 3948 §2.2). Sockets are connected, so only the gateway's datagrams arrive and the
 * kernel picks (and tells us) the local address that NAT-D must hash. Every wait is bounded:
 * the machine's retransmission list, and a hard deadline over the whole session.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { createActor } from 'xstate';
import type { Endpoint, EndpointPair, TransportPath, TransportPaths } from './endpoints.js';
import { formatEndpoint } from './endpoints.js';
import type { IsakmpSa } from './isakmp-sa.js';
import { resolveInitiatorOptions, type InitiatorOptions } from './options.js';
import {
  DEFAULT_PHASE1_TIMING,
  phase1Machine,
  phase1Outcome,
  type Message3Confirmation,
  type PendingDatagram,
  type Phase1Failure,
  type Phase1Timing,
} from './phase1-machine.js';
import { drawPhase1Randomness, type Phase1Randomness } from './randomness.js';
import { formatTranscriptEntry, type TranscriptEntry } from './transcript.js';

export const IKE_PORT = 500;
export const NAT_T_PORT = 4500;
const NON_ESP_MARKER = Buffer.alloc(4);
const NAT_KEEPALIVE = 0xff;

export interface Phase1SessionOptions {
  readonly gateway: { readonly address: string; readonly port?: number; readonly natTPort?: number };
  /** Our side; ports default to ephemeral ones (a real client uses 500/4500 and needs root). */
  readonly local?: { readonly address?: string; readonly port?: number; readonly natTPort?: number };
  readonly initiator: InitiatorOptions;
  /** Fixed randomness for reproducible runs; drawn fresh otherwise. */
  readonly randomness?: Phase1Randomness;
  readonly timing?: Partial<Phase1Timing>;
  /** Hard bound on the session; default: every retransmission and quiet period, plus 1 s. */
  readonly deadlineMs?: number;
  /** Send a Delete once established (leaves no half-used SA on the gateway). Default false. */
  readonly deleteWhenEstablished?: boolean;
}

export type TranscriptRecord =
  | { readonly atMs: number; readonly kind: 'message'; readonly entry: TranscriptEntry }
  /** Socket events (send errors: ICMP unreachable shows up as ECONNREFUSED), ignored datagrams, conclusions. */
  | { readonly atMs: number; readonly kind: 'note'; readonly text: string };

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

interface OpenPath {
  readonly socket: Socket;
  readonly endpoints: EndpointPair;
}

export async function runPhase1Session(options: Phase1SessionOptions): Promise<Phase1SessionResult> {
  const startedAt = performance.now();
  const transcript: TranscriptRecord[] = [];
  const elapsed = (): number => performance.now() - startedAt;
  const note = (text: string): void => void transcript.push({ atMs: elapsed(), kind: 'note', text });

  const resolved = resolveInitiatorOptions(options.initiator);
  const timing: Phase1Timing = { ...DEFAULT_PHASE1_TIMING, ...options.timing };
  const randomness = options.randomness ?? drawPhase1Randomness(resolved.proposals[0]!.group, resolved.nonceLength);
  const { gateway, local = {} } = options;

  const opened: OpenPath[] = [];
  const closeAll = (): Promise<void> => Promise.all(opened.map(({ socket }) => new Promise<void>((done) => socket.close(() => done())))).then(() => undefined);
  let isakmp: OpenPath;
  let natT: OpenPath | undefined;
  try {
    isakmp = await openPath(gateway.address, gateway.port ?? IKE_PORT, local.address, local.port ?? 0);
    opened.push(isakmp);
    if (resolved.natTraversal !== 'off') {
      natT = await openPath(gateway.address, gateway.natTPort ?? NAT_T_PORT, local.address, local.natTPort ?? 0);
      opened.push(natT);
    }
  } catch (error) {
    await closeAll();
    return { outcome: 'failed', failure: { kind: 'socket-error', text: (error as Error).message }, transcript };
  }
  const paths: TransportPaths = { isakmp: isakmp.endpoints, ...(natT ? { natT: natT.endpoints } : {}) };
  note(`isakmp ${formatEndpoint(paths.isakmp.local)} -> ${formatEndpoint(paths.isakmp.remote)}` + (paths.natT ? `, nat-t ${formatEndpoint(paths.natT.local)} -> ${formatEndpoint(paths.natT.remote)}` : ''));

  const actor = createActor(phase1Machine, { input: { options: resolved, randomness, paths, timing } });
  let timer: NodeJS.Timeout | undefined;
  const clearTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const inFlight = new Set<Promise<void>>();
  const socketOf = (path: TransportPath): OpenPath => (path === 'nat-t' && natT ? natT : isakmp);

  actor.on('send', ({ bytes, path, entry }) => {
    transcript.push({ atMs: elapsed(), kind: 'message', entry });
    const datagram = path === 'nat-t' ? Buffer.concat([NON_ESP_MARKER, bytes]) : bytes;
    const sending = new Promise<void>((done) =>
      socketOf(path).socket.send(datagram, (error) => {
        if (error) note(`send on ${path} failed: ${error.message}`);
        done();
      }),
    );
    inFlight.add(sending);
    void sending.then(() => inFlight.delete(sending));
  });
  actor.on('received', ({ entry }) => void transcript.push({ atMs: elapsed(), kind: 'message', entry }));
  actor.on('set-timer', ({ afterMs }) => {
    clearTimer();
    timer = setTimeout(() => {
      timer = undefined;
      actor.send({ type: 'TIMER' });
    }, afterMs);
  });
  actor.on('clear-timer', clearTimer);
  actor.on('note', ({ text }) => note(text));

  isakmp.socket.on('message', (bytes) => actor.send({ type: 'DATAGRAM', bytes, path: 'isakmp' }));
  natT?.socket.on('message', (datagram) => {
    // RFC 3948 §2: a 4-byte zero marker means IKE, a single 0xff a NAT keepalive, else ESP.
    if (datagram.length >= NON_ESP_MARKER.length && datagram.subarray(0, 4).equals(NON_ESP_MARKER)) {
      actor.send({ type: 'DATAGRAM', bytes: datagram.subarray(4), path: 'nat-t' });
    } else if (!(datagram.length === 1 && datagram[0] === NAT_KEEPALIVE)) {
      note(`ignored a ${datagram.length}-byte ESP datagram on nat-t before any IPsec SA`);
    }
  });
  for (const { socket } of opened) socket.on('error', (error) => note(`socket error: ${error.message}`));

  const deadlineMs = options.deadlineMs ?? sessionBound(timing);
  const result = await new Promise<Phase1SessionResult>((resolve) => {
    const deadline = setTimeout(() => {
      resolve({ outcome: 'failed', failure: { kind: 'deadline', text: `no outcome within ${deadlineMs} ms` }, transcript });
    }, deadlineMs);
    const subscription = actor.subscribe((snapshot) => {
      const outcome = phase1Outcome(snapshot);
      if (outcome.status === 'pending') return;
      clearTimeout(deadline);
      subscription.unsubscribe();
      if (outcome.status === 'established') {
        const { sa, confirmation, pendingDatagram } = outcome;
        if (options.deleteWhenEstablished) actor.send({ type: 'CLOSE' });
        resolve({ outcome: 'established', sa, confirmation, paths, ...(pendingDatagram ? { pendingDatagram } : {}), transcript });
      } else if (outcome.status === 'failed') {
        resolve({ outcome: 'failed', failure: outcome.failure, transcript });
      } else {
        resolve({ outcome: 'failed', failure: { kind: 'cancelled', text: 'closed before Phase 1 was established' }, transcript });
      }
    });
    actor.start();
    actor.send({ type: 'START' });
  });
  clearTimer();
  actor.stop();
  await Promise.all(inFlight);
  await closeAll();
  return result;
}

/** The longest a well-behaved session can take: every retransmission wait and quiet period. */
function sessionBound(timing: Phase1Timing): number {
  const retransmissions = timing.retransmitTimeoutsMs.reduce((sum, ms) => sum + ms, 0);
  return retransmissions + timing.message3QuietMs * timing.retransmitTimeoutsMs.length + 1000;
}

async function openPath(gatewayAddress: string, gatewayPort: number, localAddress: string | undefined, localPort: number): Promise<OpenPath> {
  const socket = createSocket(isIPv6(gatewayAddress) ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port: localPort, ...(localAddress ? { address: localAddress } : {}), exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(gatewayPort, gatewayAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    socket.close();
    const where = `${localAddress ?? '*'}:${localPort} -> ${gatewayAddress}:${gatewayPort}`;
    throw new Error(`cannot open UDP ${where}: ${(error as Error).message}`);
  }
  const own = socket.address();
  const remote = socket.remoteAddress();
  const endpoints: EndpointPair = {
    local: { address: own.address, port: own.port } satisfies Endpoint,
    remote: { address: remote.address, port: remote.port },
  };
  return { socket, endpoints };
}

/** The transcript as lines: `+3ms -> isakmp AGGRESSIVE 0x00000000 [SA(...) KE(128) ...] 412B  message 1`. */
export function formatSessionTranscript(transcript: readonly TranscriptRecord[]): string[] {
  return transcript.map((record) =>
    record.kind === 'message' ? formatTranscriptEntry(record.entry, record.atMs) : `+${Math.round(record.atMs)}ms .. ${record.text}`,
  );
}
