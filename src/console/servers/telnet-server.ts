/**
 * The RTX's telnetd: a TCP listener whose connections each get a telnet console session
 * (adapters/telnet.ts). `telnetd service` and `telnetd host` are read from the running config at
 * each connection, so changing them at the console applies to the next client; a refused client
 * is closed before any byte is sent (assumed: an RTX with the service off does not answer at all,
 * which a listener shared with the config cannot imitate). The listening port is the front end's
 * (`--telnet-port`).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../../router/clock.js';
import type { RouterControl } from '../../router/rtx-router-api.js';
import { runTelnetSession } from '../adapters/telnet.js';
import { hostAllowed, plainAddress } from './host-access.js';
import { SessionCap } from './session-cap.js';

export interface ManagementServerOptions {
  readonly router: RouterControl;
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly clock?: Pick<Clock, 'setTimer'>;
  /** Sessions at once (default MAX_SESSIONS_PER_SERVICE). */
  readonly maxSessions?: number;
  /** Unsent bytes allowed per connection before it is hung up. */
  readonly maxOutputBacklog?: number;
}

export interface ManagementServer {
  readonly address: string;
  readonly port: number;
  /** Stops listening and hangs up every session (each logs out). */
  close(): Promise<void>;
}

export async function startTelnetServer(options: ManagementServerOptions): Promise<ManagementServer> {
  const cap = new SessionCap(options.maxSessions);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const settings = options.router.consoleSettings().telnetd;
    const remote = plainAddress(socket.remoteAddress ?? '');
    const release = settings.enabled && hostAllowed(settings.hosts, remote) ? cap.take() : undefined;
    // A reset arriving on a socket being dropped must not become an unhandled 'error'.
    socket.on('error', () => undefined);
    if (release === undefined) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    void runTelnetSession({
      router: options.router,
      stream: socket,
      clientAddress: remote,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.maxOutputBacklog === undefined ? {} : { maxOutputBacklog: options.maxOutputBacklog }),
    }).finally(() => {
      release();
      sockets.delete(socket);
    });
  });
  return listen(server, options, () => {
    for (const socket of sockets) socket.destroy();
  });
}

/** Listens on host:port; close() stops listening and drops the sessions (`dropSessions`). */
export async function listen(server: Server, options: Pick<ManagementServerOptions, 'host' | 'port'>, dropSessions: () => void): Promise<ManagementServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, an error accepting a connection (EMFILE under a flood of connections) drops
  // that connection only; it must not stop the router.
  server.on('error', () => undefined);
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('a TCP listener has an address and port');
  return {
    address: bound.address,
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        dropSessions();
        server.close(() => resolve());
      }),
  };
}
