/**
 * The RTX's telnetd: a TCP listener whose connections each get a telnet console session
 * (adapters/telnet.ts). `telnetd service` and `telnetd host` are read from the running config at
 * each connection, so changing them at the console applies to the next client; a refused client
 * is closed before any byte is sent (assumed: an RTX with the service off does not answer at all,
 * which a listener shared with the config cannot imitate). The listening port is the front end's
 * (`--telnet-port`).
 */
import { createServer, type Socket } from 'node:net';
import { runTelnetSession } from '../adapters/telnet.js';
import { hostAllowed, plainAddress } from './host-access.js';
import { listen, type ManagementServer, type ManagementServerOptions } from './management-server.js';
import { SessionCap } from './session-cap.js';

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
