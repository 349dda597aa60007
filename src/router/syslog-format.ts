/**
 * The syslog packet an RTX sends for one log line (pure; syslog-client.ts sends it).
 *
 * What Rev.8.03 puts on the wire: `<PRI>`, a space, the message — no TIMESTAMP, no HOSTNAME, no
 * TAG. Seen on a real RTX1100 (the Rev.8.03 generation) by a third party: `<13> [INSPECT]
 * LAN2[out][200102] TCP ... (2012/06/19 10:10:44)`; an RTX1500 is assumed to do the same. RFC 3164
 * §4.3.3 covers such packets: the receiver adds the time and the sender's address itself, so a
 * syslog daemon files them under the router's address. The log line's own `YYYY/MM/DD HH:MM:SS: `
 * prefix is not sent (it is the `show log` form). Later models gained `syslog format type` and
 * `syslog format hostname` (command reference §4.26, §4.28) to send real headers; RTX1500 has
 * neither command.
 */
import type { SyslogFacility } from '../config/families/syslog.js';
import type { LogLevel } from '../ike-responder/port.js';

/**
 * RFC 3164 §4.1.1 severities for the RTX's three log types. NOTICE = 5 is what the capture above
 * shows (`<13>`: facility user = 1, severity 5, for an `[INSPECT]` line, which `syslog notice`
 * governs); INFO = 6 and DEBUG = 7 are assumed from the names.
 */
export const SYSLOG_SEVERITY: Readonly<Record<LogLevel, number>> = { notice: 5, info: 6, debug: 7 };

/** RFC 3164 §4.1.1 codes: `user` = 1, `local0`..`local7` = 16..23, a number (0..23) as given. */
export function facilityCode(facility: SyslogFacility): number {
  if (typeof facility === 'number') return facility;
  if (facility === 'user') return 1;
  return 16 + Number(facility.slice('local'.length));
}

/** PRI = facility × 8 + severity. */
export function syslogPriority(facility: SyslogFacility, level: LogLevel): number {
  return facilityCode(facility) * 8 + SYSLOG_SEVERITY[level];
}

/** RFC 3164 §4.1: a packet is at most 1024 bytes. */
export const SYSLOG_MAX_BYTES = 1024;

/** `<PRI> message`, cut to 1024 bytes at a character boundary. */
export function formatSyslogPacket(facility: SyslogFacility, level: LogLevel, message: string): Buffer {
  const packet = Buffer.from(`<${syslogPriority(facility, level)}> ${message}`, 'utf8');
  if (packet.length <= SYSLOG_MAX_BYTES) return packet;
  let end = SYSLOG_MAX_BYTES;
  while (end > 0 && (packet[end]! & 0xc0) === 0x80) end--; // do not split a UTF-8 sequence
  return packet.subarray(0, end);
}
