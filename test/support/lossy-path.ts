/**
 * A UDP relay on 127.0.0.1 between one client and a router, for tests of lost datagrams: the
 * client talks to the relay's IKE and NAT-T ports, the relay to the router's from its own
 * sockets, and a test's `drop` rule decides, datagram by datagram, what never arrives. What
 * passed and what was dropped is kept in order, so a test can assert the exchange it caused.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { decodeHeader } from '../../src/ike/codec/index.js';

export type RelayDirection = 'to-router' | 'to-client';
export type RelayPort = 'ike' | 'natt';

/** One datagram through the relay, read as far as a rule needs. */
export interface RelayedDatagram {
  readonly direction: RelayDirection;
  readonly port: RelayPort;
  /** ISAKMP exchange type, when the datagram is IKE (on NAT-T: behind the non-ESP marker). */
  readonly exchangeType?: number;
  readonly messageId?: number;
  /** An IKE message with a zero responder cookie: Aggressive Mode message 1. */
  readonly firstMessage?: boolean;
  /** UDP-encapsulated ESP (NAT-T port, non-zero first 4 bytes). */
  readonly esp: boolean;
  readonly dropped: boolean;
}

/**
 * What happens to a datagram: `true` drops it, `false` passes it, `duplicate` sends it twice,
 * `delay` holds it back by `DELAY_MS` (datagrams behind it overtake it: reordering).
 */
export type Verdict = boolean | 'duplicate' | 'delay';
export type DropRule = (datagram: Omit<RelayedDatagram, 'dropped'>, seen: readonly RelayedDatagram[]) => Verdict;

const DELAY_MS = 40;

const MARKER = Buffer.alloc(4);

function read(bytes: Buffer, direction: RelayDirection, port: RelayPort): Omit<RelayedDatagram, 'dropped'> {
  const ike = port === 'ike' ? bytes : bytes.length >= 4 && bytes.subarray(0, 4).equals(MARKER) ? bytes.subarray(4) : undefined;
  if (!ike) return { direction, port, esp: port === 'natt' && bytes.length > 1 };
  const header = decodeHeader(ike);
  if (!header.ok) return { direction, port, esp: false };
  return { direction, port, esp: false, exchangeType: header.value.exchangeType, messageId: header.value.messageId, firstMessage: header.value.responderCookie.equals(Buffer.alloc(8)) };
}

export interface LossyPath {
  readonly ikePort: number;
  readonly nattPort: number;
  readonly seen: readonly RelayedDatagram[];
  close(): Promise<void>;
}

export async function startLossyPath(router: { ikePort: number; nattPort: number }, drop: DropRule): Promise<LossyPath> {
  const seen: RelayedDatagram[] = [];
  const sockets: Socket[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const bind = async (): Promise<Socket> => {
    const socket = createSocket('udp4');
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    return socket;
  };
  const relay = async (port: RelayPort, routerPort: number): Promise<number> => {
    const front = await bind();
    const back = await bind();
    let client: RemoteInfo | undefined;
    const pass = (bytes: Buffer, direction: RelayDirection, send: () => void): void => {
      const datagram = read(bytes, direction, port);
      const verdict = drop(datagram, seen);
      seen.push({ ...datagram, dropped: verdict === true });
      if (verdict === true) return;
      if (verdict === 'delay') return void timers.add(setTimeout(send, DELAY_MS));
      send();
      if (verdict === 'duplicate') send();
    };
    front.on('message', (bytes, from) => {
      client = from;
      pass(bytes, 'to-router', () => sendSafely(back, bytes, routerPort, '127.0.0.1'));
    });
    // A send after close (a delayed datagram) is dropped quietly.
    const sendSafely = (socket: Socket, bytes: Buffer, port: number, address: string) => {
      try {
        socket.send(bytes, port, address);
      } catch {
        // closed
      }
    };
    back.on('message', (bytes) => {
      const to = client;
      if (to) pass(bytes, 'to-client', () => sendSafely(front, bytes, to.port, to.address));
    });
    return front.address().port;
  };
  const ikePort = await relay('ike', router.ikePort);
  const nattPort = await relay('natt', router.nattPort);
  return {
    ikePort,
    nattPort,
    seen,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
    },
  };
}

/**
 * A seeded impairment of every datagram, both directions, both ports: `loss` dropped,
 * `duplication` sent twice, `reordering` delayed behind later ones. Deterministic for a seed
 * (mulberry32), so a test's outcome does not depend on luck.
 */
export function seededImpairment(seed: number, rates: { loss: number; duplication: number; reordering: number }): DropRule {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const draw = next();
    if (draw < rates.loss) return true;
    if (draw < rates.loss + rates.duplication) return 'duplicate';
    if (draw < rates.loss + rates.duplication + rates.reordering) return 'delay';
    return false;
  };
}

/** Drops the `nth` (1-based) datagram the rule's `matches` picks, and only that one. */
export function dropNth(nth: number, matches: (datagram: Omit<RelayedDatagram, 'dropped'>) => boolean): DropRule {
  let count = 0;
  return (datagram) => matches(datagram) && ++count === nth;
}
