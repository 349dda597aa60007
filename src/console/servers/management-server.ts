/**
 * What the management listeners (telnetd, sshd) share: their options, their handle, and listening
 * on host:port with errors after start-up kept from stopping the router.
 */
import type { Server } from 'node:net';
import type { Clock } from '../../router/clock.js';
import type { RouterControl } from '../../router/rtx-router-api.js';

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
