/**
 * One SSH shell channel to the console: the channel's bytes to and from a console engine that
 * starts logged in (the SSH server checked the password), the pty's window size and its
 * changes. Knows nothing of the SSH handshake or of RtxRouter (any RouterControl).
 */
import type { Duplex } from 'node:stream';
import type { Clock } from '../../router/clock.js';
import type { RouterControl } from '../../router/rtx-router-api.js';
import { ConsoleEngine, type WindowSize } from '../console-engine.js';
import { boundedOutput, MAX_OUTPUT_BACKLOG } from './bounded-output.js';

export interface SshShellOptions {
  readonly router: RouterControl;
  readonly channel: Duplex;
  readonly clientAddress: string;
  /** The pty's size, when the client asked for one. */
  readonly window?: WindowSize;
  readonly clock?: Pick<Clock, 'setTimer'>;
  readonly maxOutputBacklog?: number;
  /** The console logged out: the server closes the connection, as the RTX does. */
  readonly onLogout: () => void;
}

export interface SshShell {
  resize(window: WindowSize): void;
  /** The connection is gone: log out. */
  hangUp(): void;
  readonly closed: Promise<void>;
}

export function runSshShell(options: SshShellOptions): SshShell {
  const { channel } = options;
  let engine: ConsoleEngine | undefined;
  // Destroyed first, so that the engine's logout finds the channel gone and asks nothing of it.
  const hangUp = (): void => {
    channel.destroy();
    engine?.hangUp();
  };
  const output = boundedOutput(channel, hangUp, options.maxOutputBacklog ?? MAX_OUTPUT_BACKLOG);
  engine = new ConsoleEngine({
    router: options.router,
    origin: { kind: 'ssh', address: options.clientAddress },
    loginChecked: true,
    terminal: {
      write: (bytes) => output.write(bytes),
      close: () => {
        if (channel.destroyed) return;
        options.onLogout();
        if (!channel.writableEnded) channel.end();
      },
    },
    ...(options.window === undefined ? {} : { window: options.window }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const running = engine;
  channel.on('data', (chunk: Buffer) => running.receive(chunk));
  channel.on('error', hangUp);
  channel.on('close', hangUp);
  running.start();
  return { resize: (window) => running.resize(window), hangUp, closed: running.closed };
}
