import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface ReceivedDatagram {
  readonly bytes: Buffer;
  readonly from: RemoteInfo;
}

/** A UDP socket on 127.0.0.1 standing in for a remote peer in tests. */
export class UdpPeer {
  private readonly inbox: ReceivedDatagram[] = [];
  private waiter: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('message', (bytes, from) => {
      this.inbox.push({ bytes, from });
      this.waiter?.();
    });
  }

  static async open(port = 0): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(bytes: Buffer, port: number): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  }

  /** The next datagram received, or a rejection after `timeoutMs`. */
  async receive(timeoutMs = 2_000): Promise<ReceivedDatagram> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no datagram within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.inbox.shift()!;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** Waits until `condition()` holds, polling every few ms, for at most `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
