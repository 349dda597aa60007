/**
 * The native helper (native/netio.c, built into native/build/ by `npm run build` with the
 * system's C compiler) opens what node cannot: a raw IP protocol 50 socket, a TUN device. It
 * relays packets over its stdin/stdout in frames (frames.ts). `startHelper` waits for its
 * "ready" line, or says in one sentence why it could not start (not built, not root, ...).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { encodeFrame, FrameReader, type HelperFrame } from './frames.js';

/** Where `npm run build` puts the helper (the same place from src/ under tsx and from dist/). */
export const NETIO_HELPER = fileURLToPath(new URL('../../native/build/rtxlab-netio', import.meta.url));

/** How long the helper may take to open what it was asked for. */
const READY_TIMEOUT_MS = 5_000;

export interface HelperOptions {
  /** The helper binary (default NETIO_HELPER). */
  readonly helper?: string;
}

/** A running helper: frames in, frames out. */
export interface HelperLink {
  send(frame: HelperFrame): 'sent' | 'closed';
  onFrame(listener: (frame: HelperFrame) => void): () => void;
  close(): Promise<void>;
  readonly closed: boolean;
}

export type HelperStartResult = { readonly ok: true; readonly link: HelperLink } | { readonly ok: false; readonly reason: string };

export async function startHelper(args: readonly string[], options: HelperOptions = {}): Promise<HelperStartResult> {
  const helper = options.helper ?? NETIO_HELPER;
  if (!existsSync(helper)) return { ok: false, reason: `the helper ${helper} is not built (it needs a C compiler: npm run build)` };
  let child: ChildProcessByStdio<Writable, Readable, Readable>;
  try {
    child = spawn(helper, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    return { ok: false, reason: `cannot start ${helper}: ${(error as Error).message}` };
  }
  const ready = await new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
    let stderr = '';
    const timer = setTimeout(() => finish({ ok: false, reason: `${helper} did not report ready within ${READY_TIMEOUT_MS / 1000} s` }), READY_TIMEOUT_MS);
    const finish = (result: { ok: true } | { ok: false; reason: string }): void => {
      clearTimeout(timer);
      child.stderr.off('data', onData);
      child.off('close', onExit);
      child.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      stderr += chunk.toString();
      if (stderr.includes('ready\n')) finish({ ok: true });
    };
    const onExit = (): void => finish({ ok: false, reason: stderr.trim().split('\n').at(-1)?.replace(/^rtxlab-netio: /, '') || `${helper} exited` });
    const onError = (error: Error): void => finish({ ok: false, reason: `cannot start ${helper}: ${error.message}` });
    child.stderr.on('data', onData);
    // 'close', not 'exit': the helper's last stderr line may still be in the pipe when it exits.
    child.once('close', onExit);
    child.once('error', onError);
  });
  if (!ready.ok) {
    child.kill();
    return ready;
  }
  return { ok: true, link: new ChildLink(child) };
}

class ChildLink implements HelperLink {
  private readonly listeners = new Set<(frame: HelperFrame) => void>();
  private readonly reader = new FrameReader();
  private readonly exited: Promise<void>;
  private isClosed = false;

  constructor(private readonly child: ChildProcessByStdio<Writable, Readable, Readable>) {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) for (const listener of this.listeners) listener(frame);
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

  send(frame: HelperFrame): 'sent' | 'closed' {
    if (this.isClosed) return 'closed';
    this.child.stdin.write(encodeFrame(frame));
    return 'sent';
  }

  onFrame(listener: (frame: HelperFrame) => void): () => void {
    const own = (frame: HelperFrame): void => listener(frame);
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
