/**
 * The line for a datagram on the NAT-T port that is neither a keepalive, nor marked IKE, nor long
 * enough for ESP (1-7 bytes: udp-transport.ts counts them as `natt-malformed`). Bounded twice:
 * the line shows at most those 7 bytes, and each peer address gets the drop-line quota of the
 * responder's (drop-log-limiter.ts). Text and level are rtxlab's (the RTX's NOT FOUND).
 *
 * Wiring: the router's `natt-malformed` case writes `line(...)` to the log sink.
 */
import { DropLogLimiter, type DropLogLimits } from '../ike-responder/drop-log-limiter.js';
import type { LogEffect } from '../ike-responder/log-lines.js';
import type { Endpoint } from '../ike-responder/port.js';

/** Never more of the datagram than a malformed one can hold (below ESP's 8 bytes). */
const SHOWN_BYTES = 7;

export function malformedNattMessage(bytes: Buffer, from: Endpoint): string {
  const shown = bytes.subarray(0, SHOWN_BYTES).toString('hex');
  return `[IPSEC] ${bytes.length}-byte datagram on the NAT-T port from ${from.address}:${from.port} dropped: not IKE, a keepalive or ESP (${shown}${bytes.length > SHOWN_BYTES ? '...' : ''})`;
}

export class MalformedNattLog {
  private readonly limiter: DropLogLimiter;

  constructor(limits: DropLogLimits = { linesPerWindow: 10, windowMs: 60_000, maxPeers: 1_100 }) {
    this.limiter = new DropLogLimiter(limits);
  }

  /** The lines to write for this datagram: its line within the peer's quota, or none. */
  lines(bytes: Buffer, from: Endpoint, now: number): LogEffect[] {
    return this.limiter.admit(from.address, { kind: 'log', level: 'info', message: malformedNattMessage(bytes, from) }, now);
  }
}
