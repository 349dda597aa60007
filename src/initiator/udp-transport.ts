/**
 * The client's UDP side: one socket to the gateway's IKE port and, when NAT-T is not off, one to
 * its NAT-T port, where every IKE message carries the 4-byte non-ESP marker (RFC 3948 §2.2).
 * Sockets are connected, so only the gateway's datagrams arrive and the kernel picks (and tells
 * us) the local address that NAT-D must hash. And the loop that runs a client machine over them:
 * datagrams and timer expiries in, emitted sends/timers performed, a transcript kept, every wait
 * bounded by the machine's own timers and a hard deadline.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Endpoint, EndpointPair, TransportPath, TransportPaths } from '../ike/initiator/endpoints.js';
import { formatEndpoint } from '../ike/initiator/endpoints.js';
import { classifyNattDatagram, frameIkeForNatt } from '../ike/natt-framing.js';
import type { ClientEmitted } from './machine-events.js';
import { formatTranscriptEntry, type TranscriptEntry } from './transcript.js';

export const IKE_PORT = 500;
export const NAT_T_PORT = 4500;

export interface GatewayAddress {
  readonly address: string;
  readonly port?: number;
  readonly natTPort?: number;
}

/** Our side; ports default to ephemeral ones (a real client uses 500/4500 and needs root). */
export interface LocalAddress {
  readonly address?: string;
  readonly port?: number;
  readonly natTPort?: number;
}

export type TranscriptRecord =
  | { readonly atMs: number; readonly kind: 'message'; readonly entry: TranscriptEntry }
  /** Socket events (send errors: ICMP unreachable shows up as ECONNREFUSED), ignored datagrams, conclusions. */
  | { readonly atMs: number; readonly kind: 'note'; readonly text: string };

interface OpenPath {
  readonly socket: Socket;
  readonly endpoints: EndpointPair;
}

/** Whether an ESP packet left: a closed socket or a send error (ICMP unreachable) says no. */
export type EspSendResult = 'sent' | 'socket-closed' | 'send-failed';

/**
 * UDP-encapsulated ESP on the NAT-T path (RFC 3948 §2.1): the ESP packet is the whole UDP
 * payload, no marker; a non-zero SPI in the first 4 bytes is what tells it from IKE.
 */
export interface EspDatagramPath {
  send(packet: Buffer): Promise<EspSendResult>;
  /** Every non-IKE, non-keepalive datagram of the NAT-T socket; returns the unsubscribe. */
  onPacket(handler: (packet: Buffer) => void): () => void;
}

export interface UdpTransport {
  readonly paths: TransportPaths;
  send(path: TransportPath, bytes: Buffer): Promise<void>;
  /** IKE messages (marker stripped on the NAT-T path); keepalives dropped, ESP to `esp`. */
  onMessage(handler: (bytes: Buffer, path: TransportPath) => void): void;
  /** Present with a NAT-T socket; ESP nobody listens for is noted and dropped. */
  readonly esp?: EspDatagramPath;
  onNote(handler: (text: string) => void): void;
  close(): Promise<void>;
}

/** Opens the sockets; throws an Error naming the socket that could not be opened. */
export async function openUdpTransport(gateway: GatewayAddress, local: LocalAddress, withNatT: boolean): Promise<UdpTransport> {
  const opened: OpenPath[] = [];
  const closeAll = (): Promise<void> => Promise.all(opened.map(({ socket }) => new Promise<void>((done) => socket.close(() => done())))).then(() => undefined);
  let isakmp: OpenPath;
  let natT: OpenPath | undefined;
  try {
    isakmp = await openPath(gateway.address, gateway.port ?? IKE_PORT, local.address, local.port ?? 0);
    opened.push(isakmp);
    if (withNatT) {
      natT = await openPath(gateway.address, gateway.natTPort ?? NAT_T_PORT, local.address, local.natTPort ?? 0);
      opened.push(natT);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const paths: TransportPaths = { isakmp: isakmp.endpoints, ...(natT ? { natT: natT.endpoints } : {}) };
  const noteHandlers: ((text: string) => void)[] = [];
  const note = (text: string): void => noteHandlers.forEach((handler) => handler(text));
  const messageHandlers: ((bytes: Buffer, path: TransportPath) => void)[] = [];
  const deliver = (bytes: Buffer, path: TransportPath): void => messageHandlers.forEach((handler) => handler(bytes, path));
  const espHandlers = new Set<(packet: Buffer) => void>();
  isakmp.socket.on('message', (bytes) => deliver(bytes, 'isakmp'));
  natT?.socket.on('message', (datagram) => {
    // RFC 3948 §2: a 4-byte zero marker means IKE, a single 0xff a NAT keepalive, else ESP.
    const framed = classifyNattDatagram(datagram);
    if (framed.kind === 'ike') deliver(framed.bytes, 'nat-t');
    else if (framed.kind !== 'keepalive') {
      if (espHandlers.size === 0) note(`ignored a ${datagram.length}-byte ESP datagram on nat-t`);
      espHandlers.forEach((handler) => handler(datagram));
    }
  });
  for (const { socket } of opened) socket.on('error', (error) => note(`socket error: ${error.message}`));
  const socketOf = (path: TransportPath): Socket => (path === 'nat-t' && natT ? natT.socket : isakmp.socket);
  return {
    paths,
    send: (path, bytes) =>
      new Promise<void>((done) => {
        const datagram = path === 'nat-t' ? frameIkeForNatt(bytes) : bytes;
        socketOf(path).send(datagram, (error) => {
          if (error) note(`send on ${path} failed: ${error.message}`);
          done();
        });
      }),
    onMessage: (handler) => void messageHandlers.push(handler),
    onNote: (handler) => void noteHandlers.push(handler),
    ...(natT ? { esp: espPath(natT.socket, espHandlers, note) } : {}),
    close: closeAll,
  };
}

function espPath(socket: Socket, handlers: Set<(packet: Buffer) => void>, note: (text: string) => void): EspDatagramPath {
  return {
    send: (packet) =>
      new Promise<EspSendResult>((done) => {
        try {
          socket.send(packet, (error) => {
            if (error) note(`ESP send on nat-t failed: ${error.message}`);
            done(error ? 'send-failed' : 'sent');
          });
        } catch {
          // node:dgram throws synchronously (ERR_SOCKET_DGRAM_NOT_RUNNING) once the socket is closed.
          done('socket-closed');
        }
      }),
    onPacket: (handler) => {
      const own = (packet: Buffer): void => handler(packet);
      handlers.add(own);
      return () => void handlers.delete(own);
    },
  };
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

/** The least an xstate actor of a client machine offers the loop. */
export interface ClientActor<Event, Snapshot> {
  send(event: Event): void;
  on(type: '*', handler: (emitted: ClientEmitted | { type: string }) => void): unknown;
  subscribe(observer: (snapshot: Snapshot) => void): { unsubscribe(): void };
  getSnapshot(): Snapshot;
  start(): unknown;
  stop(): unknown;
}

type LoopEvent = { type: 'DATAGRAM'; bytes: Buffer; path: TransportPath } | { type: 'TIMER' } | { type: 'START' } | { type: 'CLOSE' } | { type: 'DPD_ANSWERS'; answer: boolean };

/**
 * Runs a client machine over the transport until `settled` gives a value for a snapshot (or
 * the deadline passes), performing what it emits. The machine keeps running afterwards, so a
 * caller may go on sending it events (CLOSE); `stop` ends it, waits for sends in flight and
 * cancels the timer. Sockets stay open: closing them is the caller's.
 */
export function runClientMachine<Snapshot, Settled>(params: {
  transport: UdpTransport;
  actor: ClientActor<LoopEvent, Snapshot>;
  settled: (snapshot: Snapshot) => Settled | undefined;
  deadlineMs: number;
  transcript: TranscriptLog;
  /** Emitted events other than the client ones (a machine's `step`), for the transcript. */
  describeOther?: (emitted: { type: string }) => string | undefined;
}): { settled: Promise<Settled | 'deadline'>; stop(): Promise<void>; send(event: LoopEvent): void } {
  const { transport, actor, transcript } = params;
  let timer: NodeJS.Timeout | undefined;
  const clearTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const inFlight = new Set<Promise<void>>();
  actor.on('*', (emitted) => {
    const event = emitted as ClientEmitted;
    switch (event.type) {
      case 'send': {
        transcript.message(event.entry);
        const sending = transport.send(event.path, event.bytes);
        inFlight.add(sending);
        void sending.then(() => inFlight.delete(sending));
        break;
      }
      case 'received':
        transcript.message(event.entry);
        break;
      case 'note':
        transcript.note(event.text);
        break;
      case 'set-timer':
        clearTimer();
        timer = setTimeout(() => {
          timer = undefined;
          actor.send({ type: 'TIMER' });
        }, event.afterMs);
        break;
      case 'clear-timer':
        clearTimer();
        break;
      default: {
        const text = params.describeOther?.(emitted);
        if (text !== undefined) transcript.note(text);
      }
    }
  });
  let running = true;
  transport.onMessage((bytes, path) => {
    if (running) actor.send({ type: 'DATAGRAM', bytes, path });
  });
  const settled = new Promise<Settled | 'deadline'>((resolve) => {
    const deadline = setTimeout(() => {
      subscription.unsubscribe();
      resolve('deadline');
    }, params.deadlineMs);
    const check = (snapshot: Snapshot): boolean => {
      const value = params.settled(snapshot);
      if (value === undefined) return false;
      clearTimeout(deadline);
      subscription.unsubscribe();
      resolve(value);
      return true;
    };
    const subscription = actor.subscribe((snapshot) => void check(snapshot));
    actor.start();
    actor.send({ type: 'START' });
  });
  return {
    settled,
    send: (event) => {
      if (running) actor.send(event);
    },
    stop: async () => {
      running = false;
      clearTimer();
      actor.stop();
      await Promise.all(inFlight);
    },
  };
}

/** The session's transcript: every message and note with the time since the session started. */
export class TranscriptLog {
  readonly records: TranscriptRecord[] = [];
  private readonly startedAt = performance.now();

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  message(entry: TranscriptEntry): void {
    this.records.push({ atMs: this.elapsed(), kind: 'message', entry });
  }

  note(text: string): void {
    this.records.push({ atMs: this.elapsed(), kind: 'note', text });
  }

  notePaths(paths: TransportPaths): void {
    this.note(`isakmp ${formatEndpoint(paths.isakmp.local)} -> ${formatEndpoint(paths.isakmp.remote)}` + (paths.natT ? `, nat-t ${formatEndpoint(paths.natT.local)} -> ${formatEndpoint(paths.natT.remote)}` : ''));
  }
}

/** The transcript as lines: `+3ms -> isakmp AGGRESSIVE 0x00000000 [SA(...) KE(128) ...] 412B  message 1`. */
export function formatSessionTranscript(transcript: readonly TranscriptRecord[]): string[] {
  return transcript.map((record) =>
    record.kind === 'message' ? formatTranscriptEntry(record.entry, record.atMs) : `+${Math.round(record.atMs)}ms .. ${record.text}`,
  );
}
