/**
 * The RTX log line: `YYYY/MM/DD HH:MM:SS: message` (rtx-behaviour.md §5.1, real RTX1100
 * Rev.8.03.92 and RTX1500 output).
 *
 * Time zone: the RTX prints its own clock in its configured `timezone`, whose factory value is
 * `jst` (+09:00; command reference §4.13). An RTX whose clock was never set boots at
 * 1980/01/01 00:00 UTC and logs `1980/01/01 09:00:05` — consistent with JST. rtxlab therefore
 * renders times at a fixed UTC offset (default +09:00), never in the host's zone, so logs and
 * tests read the same on every machine.
 */

/** `timezone jst`, the RTX factory setting, in minutes east of UTC. */
export const JST_OFFSET_MINUTES = 9 * 60;

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** The last stamp made: a handshake logs dozens of lines within one second (with debug on, a hundred). */
let lastStamp: { readonly second: number; readonly utcOffsetMinutes: number; readonly text: string } | undefined;

/** `YYYY/MM/DD HH:MM:SS` for `epochMs`, at `utcOffsetMinutes` east of UTC. */
export function formatRtxTimestamp(epochMs: number, utcOffsetMinutes: number = JST_OFFSET_MINUTES): string {
  const second = Math.floor(epochMs / 1000);
  if (lastStamp !== undefined && lastStamp.second === second && lastStamp.utcOffsetMinutes === utcOffsetMinutes) return lastStamp.text;
  const local = new Date(second * 1000 + utcOffsetMinutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}/${pad(local.getUTCMonth() + 1, 2)}/${pad(local.getUTCDate(), 2)}`;
  const time = `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}`;
  lastStamp = { second, utcOffsetMinutes, text: `${date} ${time}` };
  return lastStamp.text;
}

/** One log line as `show log` and syslog print it. */
export function formatRtxLogLine(epochMs: number, message: string, utcOffsetMinutes: number = JST_OFFSET_MINUTES): string {
  return `${formatRtxTimestamp(epochMs, utcOffsetMinutes)}: ${message}`;
}
