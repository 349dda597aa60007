/**
 * The start-up judgement (`startupReport`): no config text is refused in one sentence, rejected
 * lines are summarised (never echoed by the thousand), and what will make every client fail is
 * named; `strict` refuses on any rejected line.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { startupReport } from '../../src/config/startup-report.js';
import { encodeShiftJis } from '../../src/config/text/decode.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The default config with some lines taken out (by their start) and others added. */
function defaultWithout(starts: readonly string[], ...added: string[]): string {
  const kept = DEFAULT_CONFIG_TEXT.split('\n').filter((l) => !starts.some((s) => l.trim().startsWith(s)));
  return [...kept, ...added].join('\n');
}

describe('startupReport: what is no config text is refused with one sentence', () => {
  it('refuses a binary file (NUL bytes) without quoting it', () => {
    const bytes = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x1b, 0x5b, 0x32, 0x4a]);
    const report = startupReport(bytes, { label: 'a.out' });
    expect(report.refusal).toBe('a.out is not config text: it holds a NUL byte at offset 7: a binary file, not config text');
    expect([report.summary, report.warnings, report.read]).toEqual([[], [], undefined]);
  });

  it('refuses a binary file without NUL bytes by its control bytes', () => {
    expect(startupReport(new Uint8Array([0x41, 0x42, 0x02, 0x99, 0x43]), { label: 'f' }).refusal).toBe(
      'f is not config text: it holds the control byte 0x02 at offset 2: a binary file, not config text',
    );
  });

  it('refuses UTF-16 text, with or without a byte order mark', () => {
    const le = new Uint8Array(iconv.encode('\ufeffip lan1 address 192.0.2.1/24\r\n', 'utf-16le'));
    expect(startupReport(le, { label: 'u16.conf' }).refusal).toBe(
      'u16.conf is not config text: it is UTF-16 text (byte order mark 0xff 0xfe); save it as UTF-8 or Shift_JIS',
    );
    const be = new Uint8Array(iconv.encode('ip lan1 address 192.0.2.1/24\r\n', 'utf-16be'));
    expect(startupReport(be, { label: 'u16.conf' }).refusal).toMatch(/^u16\.conf is not config text: it looks like UTF-16 text without a byte order mark/);
  });

  it('refuses bytes that neither UTF-8, Shift_JIS nor EUC-JP decode', () => {
    // 0xff 0xff: no lead byte in any of the three.
    expect(startupReport(new Uint8Array([0x69, 0x70, 0x20, 0xff, 0xff, 0x0a]), { label: 'x' }).refusal).toBe(
      'x is not config text: its bytes are neither UTF-8, Shift_JIS nor EUC-JP text',
    );
  });

  it('keeps Shift_JIS text with half-width katakana Shift_JIS (it is valid EUC-JP bytes too)', () => {
    // ｱｲｳｴ is B1 B2 B3 B4 in Shift_JIS: two valid EUC-JP kanji, but no hiragana either way.
    const line = 'description 1 "ｱｲｳｴ"\n';
    const report = startupReport(encodeShiftJis(line));
    expect(report.read?.encoding).toBe('shift_jis');
    expect(report.read?.model.commands[0]?.source.text).toBe(line.trim());
  });

  it('reads Shift_JIS and EUC-JP config text', () => {
    const line = 'description 1 "東京のほんしゃ"\n';
    expect(startupReport(encodeShiftJis(line)).read?.encoding).toBe('shift_jis');
    const euc = startupReport(new Uint8Array(iconv.encode(line, 'euc-jp')));
    expect(euc.read?.encoding).toBe('euc-jp');
    expect(euc.read?.model.commands[0]?.source.text).toBe(line.trim());
  });
});

describe('startupReport: the summary', () => {
  it('gives the line tally and nothing else for a clean config', () => {
    const report = startupReport(utf8(DEFAULT_CONFIG_TEXT), { label: 'default' });
    expect(report.refusal).toBeUndefined();
    expect(report.summary).toHaveLength(1);
    expect(report.summary[0]).toMatch(/^default: \d+ lines read: \d+ applied, 0 replaced by a later line, 0 rejected/);
    expect(report.warnings).toEqual([]);
  });

  it('summarises 200,000 garbage lines as a count plus the first few, quickly', () => {
    const garbage = Array.from({ length: 200_000 }, (_, i) => `zz${i.toString(36)} \x1b[31m${'#x'.repeat(i % 7)} <<${i % 3 === 0 ? 'E' : ''}`).join('\n');
    const started = performance.now();
    const report = startupReport(utf8(garbage), { label: 'junk', sample: 3 });
    const seconds = (performance.now() - started) / 1000;
    expect(report.summary).toEqual([
      expect.stringMatching(/^junk: 200000 lines read: 0 applied, 0 replaced by a later line, 200000 rejected,/),
      '200000 lines rejected; the first 3:',
      '  line 1: zz0 \\x1b[31m <<E: Error: Invalid command name',
      '  line 2: zz1 \\x1b[31m#x <<: Error: Invalid command name',
      '  line 3: zz2 \\x1b[31m#x#x <<: Error: Invalid command name',
    ]);
    expect(report.warnings).toEqual(['no enabled gateway: no tunnel with IKE settings is enabled (`tunnel enable N`); every client will fail']);
    // Linear reading takes about a second here; the quadratic reader took minutes.
    expect(seconds).toBeLessThan(20);
  });

  it('cuts a long rejected line and escapes what a terminal would obey', () => {
    const report = startupReport(utf8(`bogus \x1b]0;title\x1b\\ ${'x'.repeat(500)}\n`));
    expect(report.summary[2]).toBe(`  line 1: bogus \\x1b]0;title\\x1b\\ ${'x'.repeat(102)}... (518 characters): Error: Invalid command name`);
  });

  it('lists commands RTX1500 Rev.8.03 lacks like rejected lines', () => {
    const report = startupReport('ipsec ike version 1 2\n');
    expect(report.summary.slice(1)).toEqual(['1 line not on RTX1500 Rev.8.03, not applied:', expect.stringMatching(/^  line 1: ipsec ike version 1 2: warning: not on RTX1500 Rev\.8\.03, not applied \(.+\)$/)]);
  });
});

describe('startupReport: warnings about what makes every client fail', () => {
  it('no enabled gateway', () => {
    expect(startupReport(defaultWithout(['tunnel enable'])).warnings).toEqual([
      'no enabled gateway: no tunnel with IKE settings is enabled (`tunnel enable N`); every client will fail',
    ]);
  });

  it('a gateway without a pre-shared key, or with a masked one nobody supplied', () => {
    expect(startupReport(defaultWithout(['ipsec ike pre-shared-key'])).warnings).toEqual([
      'gateway 1 has no pre-shared key (`ipsec ike pre-shared-key 1 text KEY`): it does no key exchange; every client of it will fail',
    ]);
    const masked = defaultWithout(['ipsec ike pre-shared-key'], 'ipsec ike pre-shared-key 1 *');
    expect(startupReport(masked).warnings).toEqual([
      'gateway 1: its pre-shared key is masked (*) in the config; every client of it will fail unless it is supplied (--psk 1=KEY)',
    ]);
    expect(startupReport(masked, { suppliedKeys: new Set([1]) }).warnings).toEqual([]);
  });

  it('XAUTH without an address pool (the missing pool)', () => {
    expect(startupReport(defaultWithout(['ipsec ike mode-cfg address pool'])).warnings).toEqual([
      'gateway 1 requests XAUTH but its pool 1 is not defined (`ipsec ike mode-cfg address pool 1 FIRST-LAST`) and no user in group 11 has an address of its own: every client of it will get no address after XAUTH and fail',
    ]);
    expect(startupReport(defaultWithout(['ipsec ike mode-cfg address pool', 'ipsec ike mode-cfg address 1'])).warnings).toEqual([
      'gateway 1 requests XAUTH but no `ipsec ike mode-cfg address 1 POOL` and no user in group 11 has an address of its own: every client of it will get no address after XAUTH and fail',
    ]);
  });

  it('XAUTH whose users are not in the config (RADIUS, not emulated)', () => {
    expect(startupReport(defaultWithout(['auth user'])).warnings).toEqual([
      'gateway 1 requests XAUTH but no `auth user` in group 11 has xauth=on: the router would ask RADIUS, which rtxlab does not emulate; every client of it will fail',
    ]);
  });
});

describe('startupReport: strict', () => {
  it('refuses on any rejected line, keeping the summary', () => {
    const report = startupReport(`${DEFAULT_CONFIG_TEXT}\nip lan1 adress 192.0.2.1/24\n`, { strict: true, label: 'site.conf' });
    expect(report.refusal).toBe('site.conf: 1 line rejected; not starting (strict)');
    expect(report.summary.slice(1)).toEqual(['1 line rejected:', expect.stringMatching(/^  line \d+: ip lan1 adress 192\.0\.2\.1\/24: Error: Invalid command name$/)]);
  });

  it('starts a clean config', () => {
    expect(startupReport(DEFAULT_CONFIG_TEXT, { strict: true }).refusal).toBeUndefined();
  });
});
