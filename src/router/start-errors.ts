import { formatHostPort } from './host-port.js';

/**
 * Startup failures put in words the operator can act on: which address and port, why, and which
 * `rtxlab start` option gets around it.
 */

/** Which of the router's sockets failed, and the option that moves it. */
export interface ListenTarget {
  readonly role: 'IKE' | 'NAT-T';
  readonly address: string;
  readonly port: number;
}

const portOption = (target: ListenTarget) => (target.role === 'IKE' ? '--ike-port' : '--natt-port');

/** An error with a message ready for the operator (no stack trace needed). */
export class RouterStartError extends Error {
  constructor(
    message: string,
    /** The system error code (EADDRINUSE, EACCES, ...) when there is one. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RouterStartError';
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function describeBindError(error: unknown, target: ListenTarget): string {
  const where = `UDP ${formatHostPort(target.address, target.port)} (${target.role})`;
  const option = portOption(target);
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return (
        `cannot listen on ${where}: the port is already in use (another rtxlab, strongSwan, racoon or other IKE daemon?). ` +
        `Stop it, or listen elsewhere with ${option} N or --bind ADDR.`
      );
    case 'EACCES':
    case 'EPERM':
      return (
        `cannot listen on ${where}: permission denied. Ports below 1024 need root or the CAP_NET_BIND_SERVICE capability. ` +
        `Run with sudo, or use an unprivileged port, e.g. ${option} ${target.role === 'IKE' ? 1500 : 4500}.`
      );
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: ${target.address} is not an address of this host. Use --bind with one of its addresses (default 127.0.0.1).`;
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return `cannot listen on ${where}: ${reason}`;
    }
  }
}
