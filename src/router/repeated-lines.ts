/**
 * Repeated identical log lines collapsed into one `same message repeated N times` line (the RTX's
 * own wording; when an RTX collapses is not documented: ASSUMED, syslogd's rule). The first of a
 * run is written; the identical ones after it are only counted; the count is written when a
 * different line comes, or when a repeat arrives `windowMs` after the run began (so a flood that
 * never stops still shows up now and then). A 64 KB datagram of 16,000 identical complaints
 * then costs two lines of `show log`, not its whole ring.
 */
import type { LogLevel } from '../ike-responder/port.js';

export interface PlainLine {
  readonly level: LogLevel;
  readonly message: string;
}

/** How long a run of repeats is counted before its count is written (syslogd's 30 s). */
export const DEFAULT_REPEAT_WINDOW_MS = 30_000;

export const repeatedLine = (count: number): string => `same message repeated ${count} times`;

export class RepeatedLineCollapser {
  /** The line the current run repeats, and when the run (or its last written count) began. */
  private last: PlainLine | undefined;
  private since = 0;
  private repeats = 0;

  constructor(private readonly windowMs = DEFAULT_REPEAT_WINDOW_MS) {}

  /** The lines to write now for `line` arriving at `now`, in order (none while it repeats). */
  accept(line: PlainLine, now: number): PlainLine[] {
    const last = this.last;
    if (last && last.level === line.level && last.message === line.message) {
      this.repeats += 1;
      if (now - this.since < this.windowMs) return [];
      const summary = this.flush();
      this.last = line;
      this.since = now;
      return summary;
    }
    // Most lines end no run: the line alone, without a summary array to build and copy.
    const summary = this.repeats === 0 ? undefined : this.flush();
    this.repeats = 0;
    this.last = line;
    this.since = now;
    if (summary === undefined) return [line];
    summary.push(line);
    return summary;
  }

  /** The pending count as a line, if any; the run is over. */
  flush(): PlainLine[] {
    const last = this.last;
    const repeats = this.repeats;
    this.repeats = 0;
    if (!last || repeats === 0) return [];
    return [{ level: last.level, message: repeatedLine(repeats) }];
  }
}
