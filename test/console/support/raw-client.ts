/**
 * A bare TCP client for the management servers' tests: keeps every byte received, waits (bounded
 * in time) for text to appear, and reads telnet data with the negotiation removed.
 */
import { connect, type Socket } from 'node:net';

export class RawClient {
  readonly received: Buffer[] = [];
  closed = false;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      for (const wake of this.waiters) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  get bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /** The data the console sent, telnet commands (IAC verb option, IAC SB ... IAC SE) removed. */
  get text(): string {
    return stripTelnet(this.bytes).toString('latin1');
  }

  send(data: string | Uint8Array): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Resolves when `check` holds (or the connection closed); rejects after `timeoutMs`. */
  until(check: (client: RawClient) => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (!check(this) && !this.closed) return;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`timed out; received so far: ${JSON.stringify(this.text.slice(-400))}`));
      }, timeoutMs);
      this.waiters.add(wake);
      wake();
    });
  }

  untilText(pattern: RegExp, timeoutMs?: number): Promise<void> {
    return this.until((client) => pattern.test(client.text), timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function stripTelnet(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte !== 255) {
      out.push(byte);
      continue;
    }
    const verb = bytes[i + 1];
    if (verb === 255) {
      out.push(255);
      i++;
    } else if (verb === 250) {
      while (i < bytes.length && !(bytes[i] === 255 && bytes[i + 1] === 240)) i++;
      i++;
    } else if (verb !== undefined && verb >= 251) i += 2;
    else i++;
  }
  return Buffer.from(out);
}
