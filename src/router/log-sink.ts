import type { LogLevel } from '../ike-responder/port.js';
import type { Clock } from './clock.js';
import { formatRtxLogLine, JST_OFFSET_MINUTES } from './log-format.js';
import { RingBuffer } from './ring-buffer.js';
import { isKeptInMemory, isSentOut, RTX_DEFAULT_SYSLOG, type SyslogSwitches } from './syslog-settings.js';

export interface LogEntry {
  /** Milliseconds since the epoch, from the router's clock. */
  readonly time: number;
  readonly level: LogLevel;
  /** The message without timestamp, e.g. `[IKE] respond ISAKMP phase to 192.0.2.1`. */
  readonly message: string;
  /** The full line as `show log` prints it. */
  readonly line: string;
}

export type LogListener = (entry: LogEntry) => void;

/**
 * How many lines `show log` keeps. Current models keep 10000 (RTX1210/830/840/1300) or 20000
 * (command reference §59.1); RTX1500's figure was not found: assumed 10000.
 */
export const DEFAULT_LOG_CAPACITY = 10_000;

export interface LogSinkOptions {
  readonly clock: Pick<Clock, 'now'>;
  readonly settings?: SyslogSwitches;
  readonly capacity?: number;
  /** The router's `timezone`, minutes east of UTC (default +09:00, the RTX's `jst`). */
  readonly utcOffsetMinutes?: number;
  /** Where lines that would go to a syslog host are written (rtxlab start: stdout). */
  readonly sendOut?: (line: string) => void;
}

/**
 * The router's log: stamps messages with the RTX timestamp, keeps them for `show log`, sends them
 * out (stdout now, `syslog host` later) and tells subscribers (the console, later) about each line
 * it keeps. Which levels go where follows the `syslog` switches (see syslog-settings.ts).
 */
export class LogSink {
  private readonly memory: RingBuffer<LogEntry>;
  private readonly listeners = new Set<LogListener>();
  private settings: SyslogSwitches;
  private readonly clock: Pick<Clock, 'now'>;
  private utcOffsetMinutes: number;
  private readonly sendOut: ((line: string) => void) | undefined;

  constructor(options: LogSinkOptions) {
    this.clock = options.clock;
    this.settings = options.settings ?? RTX_DEFAULT_SYSLOG;
    this.memory = new RingBuffer(options.capacity ?? DEFAULT_LOG_CAPACITY);
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? JST_OFFSET_MINUTES;
    this.sendOut = options.sendOut;
  }

  get capacity(): number {
    return this.memory.capacity;
  }

  get syslogSettings(): SyslogSwitches {
    return this.settings;
  }

  /** Applies changed `syslog` switches (a config reload or a console command) to later lines. */
  setSyslogSettings(settings: SyslogSwitches): void {
    this.settings = settings;
  }

  /** A changed `timezone`: later lines are stamped in it. */
  setUtcOffsetMinutes(minutes: number): void {
    this.utcOffsetMinutes = minutes;
  }

  log(level: LogLevel, message: string): void {
    const kept = isKeptInMemory(level, this.settings);
    const sent = isSentOut(level, this.settings) && this.sendOut !== undefined;
    if (!kept && !sent) return;
    const time = this.clock.now();
    const entry: LogEntry = { time, level, message, line: formatRtxLogLine(time, message, this.utcOffsetMinutes) };
    if (sent) this.sendOut?.(entry.line);
    if (!kept) return;
    this.memory.push(entry);
    for (const listener of this.listeners) listener(entry);
  }

  /** The kept lines, oldest first (`show log`; `show log reverse` reverses them). */
  entries(): LogEntry[] {
    return this.memory.toArray();
  }

  /** `clear log`. */
  clear(): void {
    this.memory.clear();
  }

  /** Calls `listener` with every line kept from now on; returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
