/**
 * `ping` output. The RTX1500's exact text was NOT FOUND (rtx-behaviour.md has no ping capture):
 * the lines follow the BSD ping the RTX's output resembles (assumed): one `received from` line per
 * reply, a blank line, the counts and the round-trip summary.
 */
import type { PingReply, PingResult } from '../../router/router-ping.js';

export function pingReplyLine(reply: PingReply): string {
  return `received from ${reply.from}: icmp_seq=${reply.sequence} ttl=${reply.ttl} time=${reply.roundTripMs.toFixed(3)}ms`;
}

export function pingSummaryLines(result: PingResult): string[] {
  const received = result.replies.length;
  const loss = result.transmitted === 0 ? 0 : ((result.transmitted - received) * 100) / result.transmitted;
  const lines = ['', `${result.transmitted} packets transmitted, ${received} packets received, ${loss.toFixed(1)}% packet loss`];
  if (received > 0) {
    const times = result.replies.map((reply) => reply.roundTripMs);
    const average = times.reduce((sum, time) => sum + time, 0) / received;
    lines.push(`round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${average.toFixed(3)}/${Math.max(...times).toFixed(3)} ms`);
  }
  return lines;
}
