/**
 * `rtxlab console` as scripts drive it: the built CLI with a config file and commands piped into
 * standard input. Standard output carries only the console (no pager, `\n` line ends); `save`
 * writes the file, which re-reads to the same configuration; the end of the input logs out and
 * stops the router.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { readConfig } from '../../src/config/read-config.js';
import { showConfig } from '../../src/config/show-config/show-config.js';
import { ensureBuilt, rtxlab } from './built-cli.js';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rtxlab-console-cli-'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ephemeral = ['--ike-port', '0', '--natt-port', '0'];
const sameConfig = (text: string) => showConfig(readConfig(text).model, { now: new Date(0) });

describe('rtxlab console with a script on standard input', () => {
  it('logs in, changes the mode-cfg pool as administrator, saves, and the file re-reads to the changed config', () => {
    const file = join(dir, 'router.conf');
    writeFileSync(file, DEFAULT_CONFIG_TEXT.replace('login password *\n', 'login password LOGINPW\n'));
    const script = [
      'LOGINPW',
      'show ipsec sa',
      'administrator',
      'ipsec ike mode-cfg address pool 1 10.1.1.120-10.1.1.129/32',
      'frobnicate',
      'save',
      'quit',
      '',
    ].join('\n');
    const run = rtxlab(['console', '--config', file, ...ephemeral], script);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('Password: \n\nRTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)\n')).toBe(true);
    expect(run.stdout).not.toContain('LOGINPW');
    expect(run.stdout).toContain('\n> show ipsec sa\nTotal: isakmp:0 send:0 recv:0\n');
    expect(run.stdout).toContain('\n# frobnicate\nError: Invalid command name\n# save\nSaving ... CONFIG0 Done .\n# quit\n> \n');
    expect(run.stdout).not.toContain('\r');
    expect(run.stderr).toMatch(/^rtxlab: listening on UDP 127\.0\.0\.1:\d+ \(IKE\) and 127\.0\.0\.1:\d+ \(NAT-T\)$/m);
    const saved = readFileSync(file, 'utf8');
    expect(saved).toContain('ipsec ike mode-cfg address pool 1 10.1.1.120-10.1.1.129/32');
    expect(saved).toContain('login password LOGINPW');
    const expected = DEFAULT_CONFIG_TEXT.replace('login password *\n', 'login password LOGINPW\n').replace(
      'ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32',
      'ipsec ike mode-cfg address pool 1 10.1.1.120-10.1.1.129/32',
    );
    expect(sameConfig(saved)).toBe(sameConfig(expected));
  });

  it('refuses the login when the config masks the login password and none was supplied', () => {
    const run = rtxlab(['console', ...ephemeral], 'anything\nshow config\n');
    expect(run.stdout).toContain('masked (*)');
    expect(run.stdout).not.toContain('show config');
  });

  it('answers in Japanese after console character sjis (sent as UTF-8 with --utf8)', () => {
    const withPassword = rtxlab(['console', ...ephemeral, '--login-password', 'x', '--utf8'], 'x\nconsole character sjis\nfrobnicate\n');
    expect(withPassword.stdout).toContain('\n> frobnicate\nエラー: コマンド名を確認してください\n');
  });

  it('refuses a config file that cannot be read, on standard error', () => {
    const run = rtxlab(['console', '--config', join(dir, 'missing.conf'), ...ephemeral], '');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('rtxlab: cannot read config');
  });
});
