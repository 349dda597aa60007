/**
 * Console captures as consoles really print them: rows cut after column 79 of an 80-column
 * console (N − 1 for `console columns N`), prompts on any line, command output skipped, and
 * reading that stays linear whatever the capture holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { showConfigLines } from '../../../src/config/show-config/show-config.js';
import { displayWidth, hardWrap } from '../../../src/config/text/display-width.js';
import { repoRoot } from '../../support/paths.js';
import { signature } from '../support.js';

const fixture = (name: string): string => readFileSync(join(repoRoot, 'test', 'config', 'fixtures', name), 'utf8');
const NOW = new Date('2008-10-01T03:28:06Z');

/** What `rtxlab config show --columns N` prints: show config, each line cut as the console does. */
function printed(text: string, columns: number): string {
  const { model, problems } = readConfig(text);
  expect(problems).toEqual([]);
  return `${showConfigLines(model, { now: NOW }).flatMap((line) => hardWrap(line, columns)).join('\n')}\n`;
}

describe('a real-shaped 80-column capture (break points of S1 and S5)', () => {
  const capture = fixture('capture-79-columns.txt');
  const result = readConfig(capture);

  it('(the fixture keeps the real cuts: 79-character rows, `MAC-Addr|ess=`, `…20102|6 …`)', () => {
    const rows = capture.split('\r\n');
    expect(rows.filter((r) => r.length >= 79).map((r) => [r.length, r.slice(-8)])).toEqual([
      [79, 'MAC-Addr'],
      [79, '5 20102'.padStart(8, '2')],
    ]);
    expect(rows).toContain('6 200099 dynamic 200080 200081 200082');
  });

  it('un-wraps both rows, reading every command', () => {
    expect(result.problems).toEqual([]);
    expect(result.capture).toBe(true);
    const filter = result.model.commands.find((c) => c.name === 'ip * secure filter');
    expect(filter?.source).toEqual({
      line: 16,
      text: 'ip pp secure filter in 200003 200020 200021 200022 200023 200024 2000025 201026 200099 dynamic 200080 200081 200082',
    });
  });

  it('counts the wrapped rows, the header, and the echo and final prompts', () => {
    expect(result.lines).toMatchObject({
      read: 29,
      applied: 20,
      notCommand: { blank: 0, comment: 0, header: 5, prompt: 2, output: 0 },
      partOfLineAbove: { wrapped: 2, heredoc: 0 },
    });
  });

  it('reads like the same config written out without wrapping', () => {
    const unwrapped = capture
      .replace('MAC-Addr\r\ness=', 'MAC-Address=')
      .replace('20102\r\n6 ', '201026 ')
      .replace(/^RTX1500# .*\r\n/gm, '');
    expect(signature(readConfig(unwrapped).model)).toEqual(signature(result.model));
  });
});

describe('config show --columns N round-trips byte for byte', () => {
  const lua = [
    'embedded file startup.lua <<EOF',
    `-- ${'a long comment line that the console has to cut somewhere in the middle '.repeat(2)}`,
    'local rt = require("rtx")',
    `print("${'x'.repeat(170)}")`,
    'EOF',
  ];

  it.each([
    ['the seed config', fixture('seed-rtx1500.conf'), 80],
    ['a remote-access config', fixture('remote-access.conf'), 80],
    ['a site-to-site config', fixture('site-to-site.conf'), 80],
    ['long lines and an embedded Lua script', [...lua, `ip route 10.0.0.0/8 ${'gateway tunnel 1 hide '.repeat(8)}`.trim()].join('\n'), 80],
    ['a config that sets console columns 120', ['console columns 120', `ip lan2 secure filter in ${Array.from({ length: 40 }, (_, i) => 200000 + i).join(' ')}`, ...lua].join('\n'), 120],
    // `snmp syslocation "` is 18 columns: 東 ends at column 78 and 京 would need 79-80, so it moves on.
    ['full-width text at the edge', `snmp syslocation "${'x'.repeat(58)}東京本社の拠点間VPNの説明文です。${'長'.repeat(40)}"\n`, 80],
  ])('%s', (_, config, columns) => {
    const once = printed(config, columns);
    expect(once.split('\n').every((row) => displayWidth(row) < columns)).toBe(true);
    expect(readConfig(config).model.size).toBeGreaterThan(0);
    const twice = printed(once, columns);
    expect(twice).toBe(once);
    expect(signature(readConfig(once).model)).toEqual(signature(readConfig(config).model));
  });
});

describe('console transcripts: prompts on any line', () => {
  const transcript = [
    'RTX1500> administrator',
    'Password:',
    'RTX1500# show config',
    '# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)',
    'ip lan1 address 192.168.100.1/24',
    'RTX1500# tunnel select 1',
    'tunnel1# ipsec tunnel 101',
    'tunnel1# show status tunnel 1',
    'TUNNEL[1]:',
    'Description:',
    '  Interface type: IPsec',
    'tunnel1# ip tunnel tcp mss limit auto',
    'tunnel1# ip lan1 adress 10.0.0.1',
    'Error: Invalid command name',
    'tunnel1# ',
  ].join('\n');
  const result = readConfig(transcript);

  it('reads the commands typed after prompts, in their selection', () => {
    const tunnel1 = result.model.commands.filter((c) => c.context.kind === 'tunnel').map((c) => c.source);
    expect(tunnel1).toEqual([
      { line: 7, text: 'ipsec tunnel 101' },
      { line: 12, text: 'ip tunnel tcp mss limit auto' },
    ]);
    expect(result.model.commands.map((c) => c.source.line)).toEqual([5, 7, 12]);
  });

  it('skips command output between prompts and counts it; a typed mistake is a prompt, not an error', () => {
    expect(result.problems).toEqual([]);
    expect(result.lines).toMatchObject({
      read: 15,
      applied: 4, // lines 5, 6 (tunnel select), 7, 12
      rejected: 0,
      notCommand: { blank: 0, comment: 0, header: 1, prompt: 5, output: 5 },
    });
  });

  it('recognises `[NAME] > ` and nameless `> ` prompts', () => {
    const read = readConfig('[RTX1210] > show config\nip lan1 address 192.0.2.1/24\n> show environment\nRTX1210 Rev.14.01.42\n');
    expect(read.model.commands.map((c) => c.source.line)).toEqual([2]);
    expect(read.lines.notCommand).toMatchObject({ prompt: 2, output: 1 });
  });

  it('keeps `# text` a comment (the nameless administrator prompt only echoes show config)', () => {
    expect(readConfig('# ip lan1 address 192.0.2.1/24\n').model.size).toBe(0);
  });
});

describe('reading stays linear', () => {
  it('reads a header followed by 20,000 full-width junk rows in about the time of 2,000 × 10', () => {
    // Every timed text is new (`salt`): the parser's memo of recent lines must not flatter the small one.
    const rows = (n: number, salt: number): string =>
      ['# main:  RTX1500 ver=d0 serial=N0X000001 MAC-Address=00:a0:de:00:15:01 MAC-Addr', ...Array.from({ length: n }, (_, i) => `j${salt}-${i} `.padEnd(79, 'x'))].join('\n');
    const time = (text: string): number => {
      const started = performance.now();
      readConfig(text);
      return performance.now() - started;
    };
    time(rows(2_000, 0));
    const small = Math.min(...[1, 2, 3].map((salt) => time(rows(2_000, salt))));
    const large = time(rows(20_000, 4));
    // Linear: about 10; the quadratic reader gave about 100. Generous for a shared machine.
    expect(large / small).toBeLessThan(40);
  });
});
