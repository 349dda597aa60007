/**
 * Per-peer rate limit for the lines the responder writes about datagrams it drops (malformed,
 * unknown SA, no room, not ISAKMP...): at most `linesPerWindow` lines per peer address per
 * `windowMs`; the rest are counted and said in one line when the peer's next window opens. A
 * peer that sends garbage then costs a bounded number of lines, whatever its rate; other
 * peers' lines are unaffected. rtxlab's choice (the RTX's own rate limits were NOT FOUND).
 *
 * The peers remembered are bounded too (`maxPeers`, the least recently heard forgotten first),
 * so a flood from ever-new addresses cannot grow this table.
 */
import { ikeLog, type LogEffect } from './log-lines.js';

export interface DropLogLimits {
  readonly linesPerWindow: number;
  readonly windowMs: number;
  readonly maxPeers: number;
}

interface PeerWindow {
  readonly start: number;
  written: number;
  suppressed: number;
}

export class DropLogLimiter {
  private readonly windows = new Map<string, PeerWindow>();

  constructor(private readonly limits: DropLogLimits) {}

  /** What to write for `line` about `peer` at `now`: it (after a note of the lines held back in the peer's last window), or nothing. */
  admit(peer: string, line: LogEffect, now: number): LogEffect[] {
    const written: LogEffect[] = [];
    let window = this.windows.get(peer);
    if (window && now - window.start >= this.limits.windowMs) {
      if (window.suppressed > 0) written.push(ikeLog.dropLinesSuppressed(peer, window.suppressed, this.limits.windowMs));
      window = undefined;
    }
    window ??= { start: now, written: 0, suppressed: 0 };
    // Re-inserted: the Map's order is least recently heard first.
    this.windows.delete(peer);
    this.windows.set(peer, window);
    if (window.written < this.limits.linesPerWindow) {
      window.written += 1;
      written.push(line);
    } else {
      window.suppressed += 1;
    }
    while (this.windows.size > this.limits.maxPeers) this.windows.delete(this.windows.keys().next().value!);
    return written;
  }

  get peersRemembered(): number {
    return this.windows.size;
  }
}
