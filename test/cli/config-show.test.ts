/** `rtxlab config show FILE`: the show config form. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { readConfig } from '../../src/config/read-config.js';
import { showConfig } from '../../src/config/show-config/show-config.js';
import { repoRoot } from '../support/paths.js';
import { ensureBuilt, rtxlab } from './built-cli.js';

const seedPath = join(repoRoot, 'test', 'config', 'fixtures', 'seed-rtx1500.conf');
const date = '2008-10-01T03:28:06Z';
let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rtxlab-config-show-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rtxlab config show', () => {
  it('prints the seed config in the RTX layout', () => {
    const run = rtxlab(['config', 'show', '--date', date, seedPath]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(showConfig(readConfig(readFileSync(seedPath, 'utf8')).model, { now: new Date(date) }));
    expect(run.stdout).toContain('\ntunnel select 1\n ipsec tunnel 1\n  ipsec sa policy 1 1 esp 3des-cbc sha-hmac\n');
    expect(run.stdout.split('\n')[4]).toBe('# Reporting Date: Oct 1 12:28:06 2008');
  });

  it('without FILE prints the embedded default config', () => {
    const run = rtxlab(['config', 'show', '--date', date]);
    expect(run.stdout).toBe(showConfig(readConfig(DEFAULT_CONFIG_TEXT).model, { now: new Date(date) }));
    expect(run.stdout).toContain('  ipsec ike nat-traversal 1 on\n');
    expect(run.stdout).toContain('  ipsec ike pre-shared-key 1 text PSKEY1\n');
  });

  it('--columns 80 wraps as an 80-column console does (after column 79, as S1), and the capture reads back', () => {
    const run = rtxlab(['config', 'show', '--date', date, '--columns', '80', seedPath]);
    const lines = run.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBe(79);
    expect(lines[3]).toBe('# main:  RTX1500 ver=d0 serial=N0X000001 MAC-Address=00:a0:de:00:15:01 MAC-Addr');
    expect(lines[4]).toBe('ess=00:a0:de:00:15:02 MAC-Address=00:a0:de:00:15:03');
    expect(readConfig(run.stdout).problems).toEqual([]);
  });

  it('reports bad lines on stderr and exits 1, still printing the good ones', () => {
    const path = join(dir, 'bad.conf');
    writeFileSync(path, 'syslog debug on\nfoo\n');
    const run = rtxlab(['config', 'show', '--date', date, path]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('line 2: foo: Error: Invalid command name');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('syslog debug on');
  });

  it('documents the default input in --help', () => {
    expect(rtxlab(['config', 'show', '--help']).stdout).toContain('default: the embedded default config');
  });
});
