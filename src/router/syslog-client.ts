/**
 * `syslog host`: the router's log lines as RFC 3164 UDP syslog to the configured hosts, with the
 * configured facility, for the levels whose `syslog info|notice|debug` switch is on (packet
 * format: syslog-format.ts). Everything it sends passes the outbound policy first.
 *
 * The RTX's `syslog host` takes addresses (or names) but no port (command reference §4.25): the
 * RTX always sends to 514. `port` is an rtxlab option (`syslogPort`) so a test can listen on an
 * ephemeral port. The RTX also sends from `syslog srcport` (514) and `syslog local address`;
 * rtxlab sends from an ephemeral port unless `sourcePort` says otherwise, because several
 * routers in one process (and an unprivileged user) cannot all bind 514.
 */
import { createSocket, type Socket, type SocketType } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns/promises';
import { formatHostPort } from './host-port.js';
import { parseIpLiteral } from './ip-literal.js';
import type { LogLevel } from '../ike-responder/port.js';
import type { SyslogSettings } from '../config/views/syslog.js';
import type { OutboundPolicy } from './outbound-policy.js';
import { formatSyslogPacket } from './syslog-format.js';
import { isSentOut } from './syslog-settings.js';

/** The part of the `syslog` config the client acts on (`syslogSettings(model)` gives it). */
export type SyslogDestinations = Pick<SyslogSettings, 'hosts' | 'facility' | 'info' | 'notice' | 'debug'>;

/** The UDP port every RTX sends syslog to (RFC 3164 §2). */
export const SYSLOG_PORT = 514;

/** How many datagrams may be waiting for the network (or a name lookup) before lines are dropped. */
export const DEFAULT_MAX_IN_FLIGHT = 256;

/** What the client needs of a UDP socket (node:dgram's Socket; a fake in tests). */
export type SyslogSocket = Pick<Socket, 'send' | 'close' | 'on' | 'bind'>;

export interface SyslogClientOptions {
  readonly settings: SyslogDestinations;
  readonly policy: OutboundPolicy;
  /** rtxlab option `syslogPort`: where the hosts listen (default 514, as on the RTX). */
  readonly port?: number;
  /** Port to send from (default: any free port; the RTX uses `syslog srcport`, 514). */
  readonly sourcePort?: number;
  /**
   * Told, once each, about a refused destination (the policy's notice) and a host that cannot be
   * reached (the first failure after a success). The caller logs them: each is said once, so a
   * line about syslog that itself goes to syslog cannot start a loop.
   */
  readonly onNotice?: (message: string) => void;
  readonly maxInFlight?: number;
  /** Host name to address; called only with `--allow-outbound` (a lookup may itself leave the host). */
  readonly lookup?: (host: string) => Promise<string>;
  readonly createSocket?: (type: SocketType) => SyslogSocket;
}

export interface SyslogCounters {
  /** Datagrams handed to the network and reported sent. */
  readonly sent: number;
  /** Lines × hosts the outbound policy refused. */
  readonly refused: number;
  /** Lines × hosts dropped because `maxInFlight` datagrams were already waiting. */
  readonly dropped: number;
  /** Sends (or lookups) that failed. */
  readonly failed: number;
}

/** One line to send: the router's log entry (its `time` is not sent: see syslog-format.ts). */
export interface SyslogLine {
  readonly level: LogLevel;
  readonly message: string;
}

/**
 * Sends log lines to the `syslog host` hosts. `send` never throws and never blocks: it is
 * called for every log line, from wherever the router logs.
 */
export class SyslogClient {
  private settings: SyslogDestinations;
  private readonly sockets = new Map<SocketType, SyslogSocket>();
  /** Host name -> address (or undefined: not resolvable), per configuration. */
  private resolved = new Map<string, Promise<string | undefined>>();
  /** Hosts whose last send failed (said once until one succeeds). */
  private readonly failing = new Set<string>();
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private count = { sent: 0, refused: 0, dropped: 0, failed: 0 };
  private readonly port: number;
  private readonly maxInFlight: number;
  private readonly lookup: (host: string) => Promise<string>;
  private readonly newSocket: (type: SocketType) => SyslogSocket;

  constructor(private readonly options: SyslogClientOptions) {
    this.settings = options.settings;
    this.port = options.port ?? SYSLOG_PORT;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.lookup = options.lookup ?? (async (host) => (await dnsLookup(host)).address);
    this.newSocket = options.createSocket ?? ((type) => createSocket({ type }));
  }

  get counters(): SyslogCounters {
    return { ...this.count };
  }

  /** Applies changed `syslog` commands (live config) to later lines. */
  reconfigure(settings: SyslogDestinations): void {
    this.settings = settings;
    this.resolved = new Map();
  }

  /** Sends `line` to every host if its level's switch is on. Never throws. */
  send(line: SyslogLine): void {
    if (this.closed || !isSentOut(line.level, this.settings) || this.settings.hosts.length === 0) return;
    const packet = formatSyslogPacket(this.settings.facility, line.level, line.message);
    for (const host of this.settings.hosts) this.sendTo(host, packet);
  }

  /** Resolves when nothing is waiting to be sent (tests; an orderly stop). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Releases the sockets; later lines are ignored. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sockets = [...this.sockets.values()];
    this.sockets.clear();
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            try {
              socket.close(() => resolve());
            } catch {
              resolve(); // never bound, or already closed
            }
          }),
      ),
    );
  }

  private sendTo(host: string, packet: Buffer): void {
    const literal = parseIpLiteral(host);
    if (literal !== undefined) {
      if (!this.permitted(host)) return;
      if (!this.take()) return;
      this.transmit(host, host, literal.family, packet);
      return;
    }
    // A host name. Without --allow-outbound it is not even looked up: the policy refuses it.
    if (!this.permitted(host)) return;
    if (!this.take()) return;
    this.resolve(host).then(
      (address) => {
        const family = address === undefined ? undefined : parseIpLiteral(address)?.family;
        if (address === undefined || family === undefined || this.closed || !this.permitted(address)) return this.release();
        this.transmit(host, address, family, packet);
      },
      () => this.release(),
    );
  }

  private resolve(host: string): Promise<string | undefined> {
    let pending = this.resolved.get(host);
    if (pending === undefined) {
      pending = this.lookup(host).then(
        (address) => address,
        (error: unknown) => {
          this.count.failed++;
          this.fail(host, `cannot resolve ${host}: ${messageOf(error)}`);
          return undefined;
        },
      );
      this.resolved.set(host, pending);
    }
    return pending;
  }

  private permitted(address: string): boolean {
    const decision = this.options.policy.check(address, 'syslog');
    if (decision.permitted) return true;
    this.count.refused++;
    if (decision.firstRefusal) this.notice(decision.notice);
    return false;
  }

  /** Reserves a place among the datagrams in flight, or counts a drop. */
  private take(): boolean {
    if (this.inFlight >= this.maxInFlight) {
      this.count.dropped++;
      return false;
    }
    this.inFlight++;
    return true;
  }

  private release(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private transmit(host: string, address: string, family: 4 | 6, packet: Buffer): void {
    if (this.closed) return this.release();
    const where = formatHostPort(address, this.port);
    try {
      this.socketFor(family === 4 ? 'udp4' : 'udp6').send(packet, this.port, address, (error) => {
        if (error === null || error === undefined) {
          this.count.sent++;
          this.failing.delete(host);
        } else if (!this.closed) {
          this.count.failed++;
          this.fail(host, `syslog to ${where} failed: ${error.message}`);
        }
        this.release();
      });
    } catch (error) {
      this.count.failed++;
      this.fail(host, `syslog to ${where} failed: ${messageOf(error)}`);
      this.release();
    }
  }

  private socketFor(type: SocketType): SyslogSocket {
    let socket = this.sockets.get(type);
    if (socket === undefined) {
      socket = this.newSocket(type);
      // An error event without a listener would crash the process. Said once, like a failing host.
      socket.on('error', (error: Error) => this.fail(`socket ${type}`, `syslog socket (${type}): ${error.message}`));
      if (this.options.sourcePort !== undefined) socket.bind({ port: this.options.sourcePort });
      this.sockets.set(type, socket);
    }
    return socket;
  }

  private fail(host: string, message: string): void {
    if (this.failing.has(host)) return;
    this.failing.add(host);
    this.notice(message);
  }

  private notice(message: string): void {
    try {
      this.options.onNotice?.(message);
    } catch {
      // A listener's bug must not reach the router's logging path.
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
