/**
 * ESP as IP protocol 50 (no NAT traversal): node has no raw sockets, so a small native helper
 * (native/rawesp.c, built by `npm run build` with the system's C compiler) holds the raw socket
 * and relays packets over its stdin/stdout (frames.ts). Needs root or CAP_NET_RAW; when the helper
 * is missing or cannot open its socket, `openRawEspSocket` says why in one sentence and the
 * caller logs it once. Used by the router (src/router) and the bundled client (src/initiator).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { encodeFrame, FrameReader, type RawEspFrame } from './frames.js';

/** Where `npm run build` puts the helper (the same place from src/ under tsx and from dist/). */
export const RAW_ESP_HELPER = fileURLToPath(new URL('../../native/build/rtxlab-rawesp', import.meta.url));

/** How long the helper may take to open and bind its socket. */
const READY_TIMEOUT_MS = 5_000;

export interface RawEspSocket {
  /** The local IPv4 address the socket is bound to: it receives ESP addressed there only. */
  readonly localAddress: string;
  send(to: string, packet: Buffer): 'sent' | 'socket-closed';
  /** Listens for received ESP packets; returns the unsubscribe. */
  onPacket(listener: (from: string, packet: Buffer) => void): () => void;
  close(): Promise<void>;
  readonly closed: boolean;
}

export type RawEspOpenResult = { readonly ok: true; readonly socket: RawEspSocket } | { readonly ok: false; readonly reason: string };

export interface RawEspOptions {
  /** The helper binary (default RAW_ESP_HELPER). */
  readonly helper?: string;
}

export async function openRawEspSocket(localAddress: string, options: RawEspOptions = {}): Promise<RawEspOpenResult> {
  const helper = options.helper ?? RAW_ESP_HELPER;
  if (!existsSync(helper)) return { ok: false, reason: `the raw ESP helper ${helper} is not built (needs a C compiler: npm run build)` };
  let child: ChildProcessByStdio<Writable, Readable, Readable>;
  try {
    child = spawn(helper, [localAddress], { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    return { ok: false, reason: `cannot start ${helper}: ${(error as Error).message}` };
  }
  const ready = await new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
    let stderr = '';
    const timer = setTimeout(() => finish({ ok: false, reason: `${helper} did not report ready within ${READY_TIMEOUT_MS / 1000} s` }), READY_TIMEOUT_MS);
    const finish = (result: { ok: true } | { ok: false; reason: string }): void => {
      clearTimeout(timer);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      stderr += chunk.toString();
      if (stderr.includes('ready\n')) finish({ ok: true });
    };
    const onExit = (): void => finish({ ok: false, reason: stderr.trim().split('\n').at(-1) || `${helper} exited` });
    const onError = (error: Error): void => finish({ ok: false, reason: `cannot start ${helper}: ${error.message}` });
    child.stderr.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
  if (!ready.ok) {
    child.kill();
    return ready;
  }
  return { ok: true, socket: new HelperSocket(localAddress, child) };
}

class HelperSocket implements RawEspSocket {
  private readonly listeners = new Set<(from: string, packet: Buffer) => void>();
  private readonly reader = new FrameReader();
  private readonly exited: Promise<void>;
  private isClosed = false;

  constructor(
    readonly localAddress: string,
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
  ) {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) for (const listener of this.listeners) listener(frame.address, frame.packet);
    });
    // Later helper lines (a failed send) are not the caller's business; keep the pipe drained.
    child.stderr.resume();
    child.stdin.on('error', () => void (this.isClosed = true));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => void (this.isClosed = true));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send(to: string, packet: Buffer): 'sent' | 'socket-closed' {
    if (this.isClosed) return 'socket-closed';
    const frame: RawEspFrame = { address: to, packet };
    this.child.stdin.write(encodeFrame(frame));
    return 'sent';
  }

  onPacket(listener: (from: string, packet: Buffer) => void): () => void {
    const own = (from: string, packet: Buffer): void => listener(from, packet);
    this.listeners.add(own);
    return () => void this.listeners.delete(own);
  }

  async close(): Promise<void> {
    if (!this.isClosed) {
      this.isClosed = true;
      this.child.stdin.end();
    }
    const killer = setTimeout(() => this.child.kill(), 1_000);
    await this.exited;
    clearTimeout(killer);
  }
}
