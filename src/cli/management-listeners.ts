/**
 * The management listeners a front end (`rtxlab start`, `rtxlab console`) runs beside a router:
 * telnetd on `--telnet-port`, sshd on `--ssh-port`, both on `--mgmt-bind` (127.0.0.1 unless told,
 * whatever `--bind` says: the console must not face the IKE side by accident). `config` as the
 * port takes `telnetd listen` / `sshd listen` from the config (23 and 22 by default, which need
 * privileges).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { formatHostPort } from '../router/host-port.js';
import type { RouterControl } from '../router/rtx-router-api.js';
import type { Clock } from '../router/clock.js';
import { HOST_KEY_FILE_NAME, hostKeyPathBeside, loadOrCreateHostKey } from '../console/servers/ssh-host-key.js';
import { startSshServer } from '../console/servers/ssh-server.js';
import type { ManagementServer } from '../console/servers/management-server.js';
import { startTelnetServer } from '../console/servers/telnet-server.js';

/** A TCP port, or `config`: the port `telnetd listen` / `sshd listen` says. */
export type ManagementPort = number | 'config';

export interface ManagementOptions {
  /** Default 127.0.0.1. */
  readonly mgmtBind?: string;
  readonly telnetPort?: ManagementPort;
  readonly sshPort?: ManagementPort;
  readonly sshHostKey?: string;
  /** The config file, beside which the SSH host key is kept (none: a temporary directory). */
  readonly config?: string;
}

export interface ManagementListeners {
  close(): Promise<void>;
}

export function parseManagementPort(value: string): ManagementPort {
  if (value === 'config') return 'config';
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a TCP port number, 0-65535 (0: any free port), or `config`.');
  return port;
}

/** Starts the listeners asked for; `say` reports where each listens (and why SSH may turn clients away). */
export async function startManagementListeners(
  router: RouterControl,
  options: ManagementOptions,
  say: (line: string) => void,
  clock?: Pick<Clock, 'setTimer'>,
): Promise<ManagementListeners> {
  const servers: ManagementServer[] = [];
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
  try {
    const settings = router.consoleSettings();
    const common = { router, host: options.mgmtBind ?? '127.0.0.1', ...(clock === undefined ? {} : { clock }) };
    if (options.telnetPort !== undefined) {
      const port = options.telnetPort === 'config' ? settings.telnetd.port : options.telnetPort;
      const telnet = await startTelnetServer({ ...common, port });
      servers.push(telnet);
      say(`rtxlab: telnet console on TCP ${formatHostPort(telnet.address, telnet.port)}`);
    }
    if (options.sshPort !== undefined) {
      const port = options.sshPort === 'config' ? settings.sshd.port : options.sshPort;
      const key = loadOrCreateHostKey(hostKeyPath(options));
      const ssh = await startSshServer({ ...common, port, hostKey: key.privateKey });
      servers.push(ssh);
      say(`rtxlab: SSH console on TCP ${formatHostPort(ssh.address, ssh.port)} (host key ${key.path}${key.generated ? ', generated now' : ''})`);
      if (!settings.sshd.enabled) say('rtxlab: warning: SSH turns every client away until the config has `sshd service on` (off by default, as on the RTX)');
    }
    if (!settings.telnetd.enabled && options.telnetPort !== undefined) say('rtxlab: warning: telnet turns every client away: the config has `telnetd service off`');
  } catch (error) {
    await close();
    throw error;
  }
  return { close };
}

function hostKeyPath(options: ManagementOptions): string {
  if (options.sshHostKey !== undefined) return options.sshHostKey;
  if (options.config !== undefined) return hostKeyPathBeside(options.config);
  // The embedded config has no file to sit beside: a key for this run only.
  return join(mkdtempSync(join(tmpdir(), 'rtxlab-ssh-')), HOST_KEY_FILE_NAME);
}
