/**
 * The decisive cause of a failed session when the failure itself does not say it: a gateway port
 * that answers every send with ICMP port unreachable fails as "no answer to message 1", yet the
 * transcript's socket notes (ECONNREFUSED on Linux) already said why. Pure: transcript in, one
 * sentence (or nothing) out.
 */
import type { TranscriptRecord } from './udp-transport.js';

export function decisiveCause(transcript: readonly TranscriptRecord[]): string | undefined {
  const notes = transcript.flatMap((record) => (record.kind === 'note' ? [record.text] : []));
  const refused = notes.filter((text) => /ECONNREFUSED/.test(text)).length;
  if (refused > 0) return `port unreachable: the gateway's host answered ${refused === 1 ? 'a send' : `${refused} sends`} with ICMP port unreachable (ECONNREFUSED): nothing listens on that port`;
  const unreachable = notes.filter((text) => /EHOSTUNREACH|ENETUNREACH/.test(text)).length;
  if (unreachable > 0) return `host unreachable (${unreachable} socket errors EHOSTUNREACH/ENETUNREACH): no route to the gateway`;
  return undefined;
}
