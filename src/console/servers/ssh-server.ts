/**
 * The RTX's sshd (an rtxlab option on RTX1500 Rev.8.03.75: see docs/console.md): SSH password
 * authentication against the console's passwords (`login user` NAME's when login users are
 * configured, else `login password`; none configured: any client is let in, as on the serial
 * console), then a shell channel with its pty running the console (adapters/ssh.ts). `sshd
 * service` and `sshd host` are read from the running config at each connection.
 */
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';
import type { PasswordCheck, RouterControl } from '../../router/rtx-router-api.js';
import { runSshShell, type SshShell } from '../adapters/ssh.js';
import type { WindowSize } from '../console-engine.js';
import { loginLogLines } from '../messages.js';
import { hostAllowed, plainAddress } from './host-access.js';
import { SessionCap } from './session-cap.js';
import { listen, type ManagementServer, type ManagementServerOptions } from './management-server.js';

export interface SshServerOptions extends ManagementServerOptions {
  /** The host key, OpenSSH or PEM text (ssh-host-key.ts keeps one in a file). */
  readonly hostKey: string;
}

/** Wrong passwords before the connection is closed (as the console's three tries; assumed). */
const MAX_PASSWORD_FAILURES = 3;

/** The console's login check for an SSH user name and password. */
export function sshPasswordCheck(router: RouterControl, user: string, password: string): PasswordCheck {
  return router.checkLoginPassword(password, router.loginRequirement().user ? user : undefined);
}

export async function startSshServer(options: SshServerOptions): Promise<ManagementServer> {
  const { router } = options;
  const cap = new SessionCap(options.maxSessions);
  const connections = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [options.hostKey] }, (connection, info) => {
    const address = plainAddress(info.ip);
    const settings = router.consoleSettings().sshd;
    const release = settings.enabled && hostAllowed(settings.hosts, address) ? cap.take() : undefined;
    if (release === undefined) {
      connection.on('error', () => undefined);
      connection.end();
      return;
    }
    connections.add(connection);
    serveConnection(connection, address, options);
    connection.on('close', () => {
      connections.delete(connection);
      release();
    });
  });
  return listen(server, options, () => {
    for (const connection of connections) connection.end();
  });
}

function serveConnection(connection: Connection, address: string, options: SshServerOptions): void {
  const { router } = options;
  const origin = { kind: 'ssh', address } as const;
  let failures = 0;
  let shell: SshShell | undefined;
  connection.on('error', () => shell?.hangUp());
  connection.on('close', () => shell?.hangUp());
  connection.on('authentication', (context) => {
    if (context.method === 'none' && !router.loginRequirement().password) return context.accept();
    if (context.method !== 'password') return context.reject(['password']);
    const check = sshPasswordCheck(router, context.username, context.password);
    if (check.kind === 'ok' || check.kind === 'none-configured') return context.accept();
    router.log('info', loginLogLines.loginFailed(origin));
    context.reject(['password']);
    if (++failures >= MAX_PASSWORD_FAILURES) connection.end();
  });
  connection.on('ready', () => {
    connection.on('session', (acceptSession) => {
      const session = acceptSession();
      let window: WindowSize | undefined;
      session.on('pty', (accept, _reject, info) => {
        window = { columns: info.cols, rows: info.rows };
        accept?.();
      });
      session.on('window-change', (accept, _reject, info) => {
        shell?.resize({ columns: info.cols, rows: info.rows });
        accept?.();
      });
      session.on('exec', (_accept, reject) => reject?.()); // the RTX runs no remote commands
      session.on('shell', (accept) => {
        if (shell !== undefined) return; // one console per connection
        const channel = accept();
        shell = runSshShell({
          router,
          channel,
          clientAddress: address,
          ...(window === undefined ? {} : { window }),
          ...(options.clock === undefined ? {} : { clock: options.clock }),
          ...(options.maxOutputBacklog === undefined ? {} : { maxOutputBacklog: options.maxOutputBacklog }),
          onLogout: () => {
            // The RTX closes the connection at logout; ending it only once the channel has closed
            // lets the last output (the echoed `exit`) reach the client first.
            channel.exit(0);
            channel.once('close', () => connection.end());
            setTimeout(() => connection.end(), 2000).unref();
          },
        });
      });
    });
  });
}
