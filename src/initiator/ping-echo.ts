/**
 * The pure half of `--ping`: the echo requests we send, recognising our replies among the
 * inner packets, and the summary. Like iputils ping: sequence numbers from 1, one identifier per
 * run, replies matched by identifier and sequence and checked for the data we sent.
 */
import { buildIcmpEchoRequest, decodeIcmpEcho, decodeIpv4Packet, IpProtocol } from '../esp/ip/index.js';

/** iputils ping's default: 56 data bytes, 84 bytes of IPv4 packet. */
export const DEFAULT_PING_DATA_BYTES = 56;

export interface PingRequestFields {
  readonly source: string;
  readonly destination: string;
  readonly identifier: number;
  readonly sequence: number;
  readonly dataBytes: number;
}

/** The data of echo `sequence`: a pattern that changes with the sequence, so a stale or mixed-up reply does not match. */
export function pingData(sequence: number, dataBytes: number): Buffer {
  return Buffer.from(Array.from({ length: dataBytes }, (_, index) => (sequence + index) & 0xff));
}

export function buildPingRequest(fields: PingRequestFields): Buffer {
  return buildIcmpEchoRequest({
    source: fields.source,
    destination: fields.destination,
    identifier: fields.identifier,
    sequenceNumber: fields.sequence,
    identification: fields.sequence,
    data: pingData(fields.sequence, fields.dataBytes),
  });
}

export interface EchoReplySeen {
  readonly sequence: number;
  readonly from: string;
  readonly ttl: number;
  readonly data: Buffer;
}

/** An ICMP echo reply with our identifier, or undefined for anything else (never throws). */
export function readEchoReply(packet: Buffer, identifier: number): EchoReplySeen | undefined {
  const ip = decodeIpv4Packet(packet);
  if (!ip.ok || ip.packet.header.protocol !== IpProtocol.ICMP) return undefined;
  const icmp = decodeIcmpEcho(ip.packet.payload);
  if (!icmp.ok || icmp.echo.kind !== 'reply' || icmp.echo.identifier !== identifier) return undefined;
  return { sequence: icmp.echo.sequenceNumber, from: ip.packet.header.source, ttl: ip.packet.header.ttl, data: icmp.echo.data };
}

export type EchoResult =
  | { readonly sequence: number; readonly kind: 'reply'; readonly rttMs: number; readonly from: string; readonly ttl: number; readonly dataBytes: number }
  /** No valid reply within the timeout. */
  | { readonly sequence: number; readonly kind: 'timeout' }
  /** The request never left: the SA refused to seal it or the socket to send it. */
  | { readonly sequence: number; readonly kind: 'not-sent'; readonly reason: string };

export interface PingSummary {
  readonly destination: string;
  readonly transmitted: number;
  readonly received: number;
  /** Percent of transmitted requests without a reply, as ping rounds it. */
  readonly lossPercent: number;
  readonly rttMs?: { readonly min: number; readonly avg: number; readonly max: number };
  /** Replies to a sequence already answered. */
  readonly duplicates: number;
  /** Echo replies of ours whose data differs from what we sent, and inner packets that were not our replies. */
  readonly corrupted: number;
  readonly ignored: number;
}

export interface PingCounts {
  readonly duplicates: number;
  readonly corrupted: number;
  readonly ignored: number;
}

export function summarizePing(destination: string, results: readonly EchoResult[], counts: PingCounts): PingSummary {
  const transmitted = results.filter((result) => result.kind !== 'not-sent').length;
  const rtts = results.flatMap((result) => (result.kind === 'reply' ? [result.rttMs] : []));
  const received = rtts.length;
  return {
    destination,
    transmitted,
    received,
    lossPercent: transmitted === 0 ? 0 : Math.round(((transmitted - received) * 100) / transmitted),
    ...(received === 0 ? {} : { rttMs: { min: Math.min(...rtts), avg: rtts.reduce((sum, rtt) => sum + rtt, 0) / received, max: Math.max(...rtts) } }),
    ...counts,
  };
}

/** The result as ping prints it: one line per echo, then the statistics. */
export function formatPingReport({ results, summary }: { readonly results: readonly EchoResult[]; readonly summary: PingSummary }): string[] {
  const lines = results.map((result) => {
    switch (result.kind) {
      case 'reply':
        return `${result.dataBytes + 8} bytes from ${result.from}: icmp_seq=${result.sequence} ttl=${result.ttl} time=${result.rttMs.toFixed(2)} ms`;
      case 'timeout':
        return `no answer to icmp_seq=${result.sequence}`;
      case 'not-sent':
        return `icmp_seq=${result.sequence} not sent: ${result.reason}`;
    }
  });
  lines.push(`--- ${summary.destination} ping through the tunnel ---`);
  const extras = [summary.duplicates ? `+${summary.duplicates} duplicates` : '', summary.corrupted ? `${summary.corrupted} corrupted` : ''].filter(Boolean);
  lines.push(`${summary.transmitted} packets transmitted, ${summary.received} received, ${extras.map((extra) => `${extra}, `).join('')}${summary.lossPercent}% packet loss`);
  if (summary.rttMs) {
    const { min, avg, max } = summary.rttMs;
    lines.push(`rtt min/avg/max = ${min.toFixed(2)}/${avg.toFixed(2)}/${max.toFixed(2)} ms`);
  }
  return lines;
}
