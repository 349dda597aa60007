// The bytes of one syslog packet, as an RTX of the Rev.8.03 generation sends them.
import { describe, expect, it } from 'vitest';
import { SYSLOG_MAX_BYTES, facilityCode, formatSyslogPacket, syslogPriority } from '../../src/router/syslog-format.js';

describe('PRI', () => {
  it('facility codes: user 1, local0..local7 16..23, a number as given (RFC 3164 §4.1.1)', () => {
    expect(['user', 'local0', 'local1', 'local7', 0, 23].map((facility) => facilityCode(facility as never))).toEqual([1, 16, 17, 23, 0, 23]);
  });

  it('the RTX1100 capture: an [INSPECT] (notice) line with facility user is <13>', () => {
    expect(syslogPriority('user', 'notice')).toBe(13);
  });

  it('severity: notice 5, info 6, debug 7; PRI = facility * 8 + severity', () => {
    expect((['notice', 'info', 'debug'] as const).map((level) => syslogPriority('local3', level))).toEqual([157, 158, 159]);
    expect(syslogPriority(0, 'info')).toBe(6);
  });
});

describe('formatSyslogPacket', () => {
  it('is `<PRI> message`: no timestamp, host name or tag, as the RTX sends it', () => {
    expect(formatSyslogPacket('user', 'info', '[IKE] respond ISAKMP phase to 192.0.2.1').toString()).toBe('<14> [IKE] respond ISAKMP phase to 192.0.2.1');
  });

  it('cuts a packet to 1024 bytes (RFC 3164 §4.1), never inside a UTF-8 character', () => {
    expect(formatSyslogPacket('user', 'info', 'x'.repeat(2000))).toHaveLength(SYSLOG_MAX_BYTES);
    const packet = formatSyslogPacket('user', 'info', `${'x'.repeat(1018)}ユーザ`); // `<14> ` + 1018 = 1023: the next char is 3 bytes
    expect(packet).toHaveLength(1023);
    expect(packet.toString()).toBe(`<14> ${'x'.repeat(1018)}`);
  });
});
