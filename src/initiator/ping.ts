/**
 * `--ping ADDR`: ICMP echo through an ESP channel, one request every `intervalMs`, each given
 * `timeoutMs` for its reply. Bounded: at most MAX_PING_COUNT requests, and the whole run ends
 * by `pingBound(options)` whatever the gateway does.
 */
import { randomInt } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { EspChannel } from './esp-channel.js';
import { DEFAULT_PING_DATA_BYTES, buildPingRequest, pingData, readEchoReply, summarizePing, type EchoResult, type PingSummary } from './ping-echo.js';

export interface PingOptions {
  /** Echo requests to send; default 4. */
  readonly count?: number;
  /** Between two requests; default 1000 ms, as ping. */
  readonly intervalMs?: number;
  /** How long each request waits for its reply; default 2000 ms. */
  readonly timeoutMs?: number;
  /** ICMP data bytes; default 56. */
  readonly dataBytes?: number;
  /** ICMP identifier; random by default, so two runs over one tunnel do not take each other's replies. */
  readonly identifier?: number;
}

export const DEFAULT_PING_OPTIONS = { count: 4, intervalMs: 1000, timeoutMs: 2000, dataBytes: DEFAULT_PING_DATA_BYTES } as const;
export const MAX_PING_COUNT = 1000;
/** Whole IPv4 packet within one ESP-in-UDP datagram below a 1500-byte path MTU (nothing here fragments). */
export const MAX_PING_DATA_BYTES = 1400;
const MAX_WAIT_MS = 60_000;

export interface PingReport {
  readonly identifier: number;
  /** One per request, in sequence order. */
  readonly results: readonly EchoResult[];
  readonly summary: PingSummary;
}

/** Problems with the options, as sentences; empty when they are usable. */
export function checkPingOptions(destination: string, options: PingOptions): string[] {
  const { count, intervalMs, timeoutMs, dataBytes } = { ...DEFAULT_PING_OPTIONS, ...options };
  const problems: string[] = [];
  if (!isIPv4(destination)) problems.push(`${destination} is not an IPv4 address`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PING_COUNT) problems.push(`count must be 1..${MAX_PING_COUNT}, got ${count}`);
  if (!Number.isFinite(intervalMs) || intervalMs < 0 || intervalMs > MAX_WAIT_MS) problems.push(`interval must be 0..${MAX_WAIT_MS} ms, got ${intervalMs}`);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_WAIT_MS) problems.push(`timeout must be 1..${MAX_WAIT_MS} ms, got ${timeoutMs}`);
  if (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes > MAX_PING_DATA_BYTES) problems.push(`data bytes must be 0..${MAX_PING_DATA_BYTES}, got ${dataBytes}`);
  if (options.identifier !== undefined && !(Number.isInteger(options.identifier) && options.identifier >= 0 && options.identifier <= 0xffff)) {
    problems.push(`identifier must be 0..65535, got ${options.identifier}`);
  }
  return problems;
}

/** The longest a ping with these options runs: the last request's send time plus its timeout. */
export function pingBound(options: PingOptions = {}): number {
  const { count, intervalMs, timeoutMs } = { ...DEFAULT_PING_OPTIONS, ...options };
  return (count - 1) * intervalMs + timeoutMs;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Pings `destination` from the channel's inner address. Throws a RangeError on unusable options. */
export async function pingThroughTunnel(channel: EspChannel, destination: string, options: PingOptions = {}): Promise<PingReport> {
  const problems = checkPingOptions(destination, options);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const { count, intervalMs, timeoutMs, dataBytes } = { ...DEFAULT_PING_OPTIONS, ...options };
  const identifier = options.identifier ?? randomInt(0x10000);

  const results = new Map<number, EchoResult>();
  const waiting = new Map<number, { readonly sentAt: number; timer?: NodeJS.Timeout; readonly settle: () => void }>();
  const counts = { duplicates: 0, corrupted: 0, ignored: 0 };
  const settled: Promise<void>[] = [];

  const stopListening = channel.onInnerPacket(({ packet }) => {
    const receivedAt = performance.now();
    const reply = readEchoReply(packet, identifier);
    if (reply === undefined) return void counts.ignored++;
    // Data first: a mangled reply says nothing about whether the request arrived.
    if (!reply.data.equals(pingData(reply.sequence, dataBytes))) return void counts.corrupted++;
    const pending = waiting.get(reply.sequence);
    if (pending === undefined) {
      // Answered already (a duplicate), or late after its timeout, or never ours.
      if (results.get(reply.sequence)?.kind === 'reply') counts.duplicates++;
      else counts.ignored++;
      return;
    }
    clearTimeout(pending.timer);
    waiting.delete(reply.sequence);
    results.set(reply.sequence, { sequence: reply.sequence, kind: 'reply', rttMs: receivedAt - pending.sentAt, from: reply.from, ttl: reply.ttl, dataBytes: reply.data.length });
    pending.settle();
  });

  try {
    for (let sequence = 1; sequence <= count; sequence++) {
      if (sequence > 1) await sleep(intervalMs);
      const request = buildPingRequest({ source: channel.innerAddress, destination, identifier, sequence, dataBytes });
      // Waiting before the send: on 127.0.0.1 a reply can be in the socket before send returns.
      const answered = new Promise<void>((settle) => waiting.set(sequence, { sentAt: performance.now(), settle }));
      const sent = await channel.send(request);
      if (sent.kind === 'refused') {
        waiting.delete(sequence);
        results.set(sequence, { sequence, kind: 'not-sent', reason: sent.reason });
        continue;
      }
      const pending = waiting.get(sequence);
      if (pending !== undefined) {
        pending.timer = setTimeout(() => {
          waiting.delete(sequence);
          results.set(sequence, { sequence, kind: 'timeout' });
          pending.settle();
        }, timeoutMs);
      }
      settled.push(answered);
    }
    await Promise.all(settled);
  } finally {
    stopListening();
    for (const { timer } of waiting.values()) if (timer !== undefined) clearTimeout(timer);
  }
  const ordered = [...results.values()].sort((a, b) => a.sequence - b.sequence);
  return { identifier, results: ordered, summary: summarizePing(destination, ordered, counts) };
}
