import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Endpoint, InboundDatagram } from '../ike-responder/port.js';
import { describeBindError, RouterStartError, type ListenTarget } from './start-errors.js';
import { classifyNattDatagram, frameIkeForNatt } from '../ike/natt-framing.js';

export interface TransportOptions {
  /** The IP address to listen on (IPv4 or IPv6 literal). */
  readonly bind: string;
  /** 0 picks a free port (tests); `ports` tells which. */
  readonly ikePort: number;
  readonly nattPort: number;
  /**
   * rtxlab option: each socket's receive buffer (SO_RCVBUF), so that a burst of datagrams (ten
   * thousand clients deleting their SAs at once) waits in the kernel instead of being dropped
   * while the router is busy. The kernel caps it at `net.core.rmem_max`. Default: the kernel's.
   */
  readonly receiveBufferBytes?: number;
}

/** What arrived, sorted by port and RFC 3948 framing. */
export type InboundPacket =
  /** IKE from either port (on the NAT-T port with the non-ESP marker removed). */
  | { readonly kind: 'ike'; readonly datagram: InboundDatagram }
  | { readonly kind: 'natt-keepalive'; readonly from: Endpoint; readonly local: Endpoint }
  | { readonly kind: 'esp'; readonly bytes: Buffer; readonly from: Endpoint; readonly local: Endpoint }
  /** On the NAT-T port: neither a keepalive, nor marked IKE, nor long enough for ESP. */
  | { readonly kind: 'natt-malformed'; readonly bytes: Buffer; readonly from: Endpoint; readonly local: Endpoint };

/** A datagram as it crossed the wire (on the NAT-T port: with its non-ESP marker), for captures. */
export interface WireDatagram {
  readonly direction: 'in' | 'out';
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly bytes: Buffer;
  readonly kind: InboundPacket['kind'];
  /** `esp`: raw ESP, IP protocol 50, through the raw ESP helper (router.ts); absent: UDP. */
  readonly protocol?: 'esp';
}

export interface TransportHandlers {
  /** Called for every datagram. Must not throw: the socket's event loop would crash. */
  readonly packet: (packet: InboundPacket) => void;
  /** Every datagram received, and every one the socket accepted for sending (captures, events). Must not throw. */
  readonly wire?: (datagram: WireDatagram) => void;
  /** A socket error after startup (the socket stays open). */
  readonly socketError: (error: Error, role: ListenTarget['role']) => void;
}

/**
 * The router's two UDP sockets: the IKE port (500) and the NAT-T port (4500) on one address.
 * Knows RFC 3948 framing and nothing else of IKE.
 */
export class UdpTransport {
  private closed = false;
  private wire: ((datagram: WireDatagram) => void) | undefined;

  private constructor(
    private readonly ikeSocket: Socket,
    private readonly nattSocket: Socket,
    /** Where each socket is bound (the real ports when 0 was asked for). */
    readonly ike: Endpoint,
    readonly natt: Endpoint,
  ) {}

  /** Binds both sockets, or rejects with a RouterStartError that says why and what to do. */
  static async open(options: TransportOptions, handlers: TransportHandlers): Promise<UdpTransport> {
    if (isIP(options.bind) === 0) {
      throw new RouterStartError(`cannot listen on ${options.bind}: --bind needs an IPv4 or IPv6 address`, undefined);
    }
    const ikeSocket = await bindSocket({ role: 'IKE', address: options.bind, port: options.ikePort }, options.receiveBufferBytes);
    let nattSocket: Socket;
    try {
      nattSocket = await bindSocket({ role: 'NAT-T', address: options.bind, port: options.nattPort }, options.receiveBufferBytes);
    } catch (error) {
      await closeSocket(ikeSocket);
      throw error;
    }
    const transport = new UdpTransport(ikeSocket, nattSocket, boundEndpoint(ikeSocket), boundEndpoint(nattSocket));
    transport.listen(handlers);
    return transport;
  }

  /** The kernel's receive buffer of the IKE socket, in bytes (Linux reports twice what was set, its bookkeeping included). */
  receiveBufferBytes(): number {
    return this.ikeSocket.getRecvBufferSize();
  }

  /** Sends an IKE message; on the NAT-T port it goes out behind the non-ESP marker. */
  async send(ikeMessage: Buffer, to: Endpoint, natTraversal: boolean): Promise<void> {
    const socket = natTraversal ? this.nattSocket : this.ikeSocket;
    const bytes = natTraversal ? frameIkeForNatt(ikeMessage) : ikeMessage;
    await sendFrom(socket, bytes, to);
    this.wire?.({ direction: 'out', from: natTraversal ? this.natt : this.ike, to, bytes, kind: 'ike' });
  }

  /** Sends UDP-encapsulated ESP from the NAT-T port: no marker, the SPI comes first (RFC 3948 §2.1). */
  async sendEsp(esp: Buffer, to: Endpoint): Promise<void> {
    await sendFrom(this.nattSocket, esp, to);
    this.wire?.({ direction: 'out', from: this.natt, to, bytes: esp, kind: 'esp' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([closeSocket(this.ikeSocket), closeSocket(this.nattSocket)]);
  }

  private listen(handlers: TransportHandlers): void {
    const { ike, natt } = this;
    this.wire = handlers.wire;
    this.ikeSocket.on('message', (bytes: Buffer, peer: RemoteInfo) => {
      const from = remoteEndpoint(peer);
      this.wire?.({ direction: 'in', from, to: ike, bytes, kind: 'ike' });
      handlers.packet({ kind: 'ike', datagram: { bytes, from, local: ike, natTraversal: false } });
    });
    this.nattSocket.on('message', (bytes: Buffer, peer: RemoteInfo) => {
      const from = remoteEndpoint(peer);
      const framed = classifyNattDatagram(bytes);
      this.wire?.({ direction: 'in', from, to: natt, bytes, kind: framed.kind === 'keepalive' ? 'natt-keepalive' : framed.kind === 'malformed' ? 'natt-malformed' : framed.kind });
      switch (framed.kind) {
        case 'ike':
          return handlers.packet({ kind: 'ike', datagram: { bytes: framed.bytes, from, local: natt, natTraversal: true } });
        case 'keepalive':
          return handlers.packet({ kind: 'natt-keepalive', from, local: natt });
        case 'esp':
          return handlers.packet({ kind: 'esp', bytes: framed.bytes, from, local: natt });
        case 'malformed':
          return handlers.packet({ kind: 'natt-malformed', bytes: framed.bytes, from, local: natt });
      }
    });
    this.ikeSocket.on('error', (error) => handlers.socketError(error, 'IKE'));
    this.nattSocket.on('error', (error) => handlers.socketError(error, 'NAT-T'));
  }
}

function sendFrom(socket: Socket, bytes: Buffer, to: Endpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      socket.send(bytes, to.port, to.address, (error) => (error ? reject(error) : resolve()));
    } catch (error) {
      // A closed socket or a malformed address throws instead of calling back.
      reject(error);
    }
  });
}

function bindSocket(target: ListenTarget, receiveBufferBytes: number | undefined): Promise<Socket> {
  const type = isIP(target.address) === 6 ? 'udp6' : 'udp4';
  const socket = createSocket(receiveBufferBytes === undefined ? { type } : { type, recvBufferSize: receiveBufferBytes });
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      void closeSocket(socket);
      reject(new RouterStartError(describeBindError(error, target), (error as NodeJS.ErrnoException).code, { cause: error }));
    };
    socket.once('error', onError);
    socket.once('listening', () => {
      socket.off('error', onError);
      resolve(socket);
    });
    socket.bind({ address: target.address, port: target.port, exclusive: true });
  });
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

function boundEndpoint(socket: Socket): Endpoint {
  const { address, port } = socket.address();
  return { address, port };
}

function remoteEndpoint(peer: RemoteInfo): Endpoint {
  return { address: peer.address, port: peer.port };
}
