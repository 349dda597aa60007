/** `rtxlab config check FILE`: one line per bad line, exit 1 when there is any. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeShiftJis } from '../../src/config/text/decode.js';
import { repoRoot } from '../support/paths.js';
import { ensureBuilt, rtxlab } from './built-cli.js';

let dir: string;
const file = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rtxlab-config-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rtxlab config check', () => {
  it('accepts the seed config: exit 0, nothing on stdout', () => {
    const run = rtxlab(['config', 'check', join(repoRoot, 'test', 'config', 'fixtures', 'seed-rtx1500.conf')]);
    expect([run.status, run.stdout]).toEqual([0, '']);
    expect(run.stderr).toContain('32 commands accepted, 0 errors, 0 warnings');
  });

  it('says per file how many lines it read and what became of each', () => {
    const path = file('tally.conf', ['# hello', '', 'ip lan1 address 192.0.2.1/24', 'ip lan1 address 192.0.2.2/24', 'bogus', ''].join('\n'));
    const run = rtxlab(['config', 'check', path]);
    expect(run.stderr).toContain(
      `${path}: 5 lines read: 1 applied, 1 replaced by a later line, 1 rejected, 0 warned and not applied, ` +
        '2 not a command (1 blank, 1 comments, 0 capture header, 0 prompts, 0 command output skipped), ' +
        '0 part of the line above (0 wrapped rows, 0 here-document lines)',
    );
  });

  it('warns about values later than Rev.8.03 unless --newer-values', () => {
    const path = file('newer.conf', 'ipsec ike encryption 1 aes256-cbc\n');
    expect(rtxlab(['config', 'check', path]).stdout).toMatch(/^line 1: ipsec ike encryption 1 aes256-cbc: warning: not on RTX1500 Rev\.8\.03, not applied \(aes256-cbc came with Rev\.9\.00\.50/);
    const accepted = rtxlab(['config', 'check', '--newer-values', path]);
    expect([accepted.status, accepted.stdout]).toEqual([0, '']);
  });

  it('quotes a bad line with its control characters escaped', () => {
    const path = file('control.conf', 'bogus \x1b[2J\x07 line\n');
    expect(rtxlab(['config', 'check', path]).stdout).toBe('line 1: bogus \\x1b[2J\\x07 line: Error: Invalid command name\n');
  });

  it('prints one line per bad line with its number, command and RTX error; exit 1', () => {
    const path = file(
      'bad.conf',
      [
        'ip lan1 address 10.0.0.1/24',
        'ip lan1 adress 10.0.0.1/24',
        'tunnel select 1',
        ' ipsec ike encryption 1 blowfish',
        ' ipsec ike group 1',
        'tunnel select none',
        'ipsec tunnel 1',
        'ip route default gateway 10.0.0.300',
        'tunnel select 500',
        '',
      ].join('\n'),
    );
    const run = rtxlab(['config', 'check', path]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      [
        'line 2: ip lan1 adress 10.0.0.1/24: Error: Invalid command name',
        'line 4: ipsec ike encryption 1 blowfish: Error: Illegal keyword',
        'line 5: ipsec ike group 1: Error: Insufficient or too many parameters',
        'line 7: ipsec tunnel 1: Error: Execute tunnel select command beforehand',
        'line 8: ip route default gateway 10.0.0.300: Error: Unrecognized IP address parameter',
        'line 9: tunnel select 500: Error: Parameter out of range',
        '',
      ].join('\n'),
    );
  });

  it('prints Japanese messages with --lang ja, and what was wrong with -v', () => {
    const path = file('one-bad.conf', 'ipsec ike hash 1 sha1\n');
    expect(rtxlab(['config', 'check', '--lang', 'ja', path]).stdout).toBe(
      'line 1: ipsec ike hash 1 sha1: エラー: パラメータのキーワードが認識できません\n',
    );
    expect(rtxlab(['config', 'check', '-v', path]).stdout).toMatch(/^line 1: ipsec ike hash 1 sha1: Error: Illegal keyword \(at word 5; expected .*"sha".*\)\n$/);
  });

  it('warns about commands RTX1500 Rev.8.03 did not have, without failing', () => {
    const run = rtxlab(['config', 'check', file('ikev2.conf', 'ipsec ike version 1 2\nsyslog debug on\n')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^line 1: ipsec ike version 1 2: warning: not on RTX1500 Rev\.8\.03, not applied \(.+\)\n$/);
  });

  it('reads standard input for -', () => {
    const run = rtxlab(['config', 'check', '-'], 'syslog debug on\nsyslog bogus\n');
    expect([run.status, run.stdout]).toEqual([1, 'line 2: syslog bogus: Error: Invalid command name\n']);
  });

  it('reads Shift_JIS files', () => {
    const run = rtxlab(['config', 'check', file('sjis.conf', encodeShiftJis('description 1 "本社"\r\nsyslog debug on\r\n'))]);
    expect([run.status, run.stdout]).toEqual([0, '']);
  });

  it('without FILE checks the embedded default config', () => {
    const run = rtxlab(['config', 'check']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('embedded default config: 33 commands accepted, 0 errors');
  });

  it('a missing file is an error of the tool, not of the config', () => {
    const run = rtxlab(['config', 'check', join(dir, 'nope.conf')]);
    expect([run.status, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(/^rtxlab config check: .*nope\.conf/);
  });
});
