/**
 * The forms fixtures (test/fixtures/config/forms, written from every form of
 * rtx-config-forms.md, see its README): each file reads without a problem, the quirks come out
 * right, and the forms RTX1500 Rev.8.03 lacks are reported as it would report them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import type { ConfigCommand } from '../../src/config/model.js';
import { repoRoot } from '../support/paths.js';

const formsDir = join(repoRoot, 'test', 'fixtures', 'config', 'forms');
const read = (file: string) => readConfig(readFileSync(join(formsDir, file)));
const accepted = readdirSync(formsDir).filter((f) => f.endsWith('.txt') && f !== 'not-on-rtx1500.txt');
const find = (commands: readonly ConfigCommand[], text: string) => commands.find((c) => c.source.text === text);

describe('forms fixtures', () => {
  it.each(accepted)('%s reads without a problem', (file) => {
    const result = read(file);
    expect(result.problems).toEqual([]);
    expect(result.model.commands.length).toBeGreaterThan(10);
  });

  it('un-wraps a console capture at 80 columns: the header and a long command line', () => {
    const result = read('remote-access.txt');
    expect(result.capture).toBe(true);
    const filter = result.model.commands.find((c) => c.name === 'ip * secure filter' && c.nameWords[1] === 'lan2' && c.source.text.includes(' out '));
    expect(filter?.source.text).toBe(
      'ip lan2 secure filter out 101010 101011 101012 101013 101099 dynamic 101080 101081 101082 101083 101084',
    );
  });

  it('reads CRLF and Shift_JIS files, keeping Japanese descriptions', () => {
    const sjis = read('shift-jis.txt');
    expect(sjis.encoding).toBe('shift_jis');
    expect(find(sjis.model.commands, 'description 1 本社ルータ')?.params).toEqual({ id: 1, text: '本社ルータ' });
    expect(find(sjis.model.commands, 'description 2 "設置場所 サーバ室"')?.params).toEqual({ id: 2, text: '設置場所 サーバ室' });
    const tunnelText = sjis.model.commands.find((c) => c.name === 'description tunnel');
    expect(tunnelText).toMatchObject({ params: { text: '大阪支店' }, context: { kind: 'tunnel', tunnel: 1 } });
    const crlf = read('home-pppoe-ipv6.txt');
    expect(crlf.model.commands.find((c) => c.name === 'pp keepalive interval')?.params).toEqual({ interval: 30, retryInterval: 30, count: 12 });
  });

  it('treats select as a context switch: re-entry, flat and odd indentation, select none', () => {
    const longTail = read('long-tail.txt').model.commands;
    const inTunnel1 = longTail.filter((c) => c.context.kind === 'tunnel' && c.context.tunnel === 1).map((c) => c.source.text);
    expect(inTunnel1).toContain('ip tunnel tcp mss limit auto');
    expect(inTunnel1).toContain('tunnel map-e type v6plus');
    expect(find(longTail, 'ip tunnel address 192.0.2.249/30')?.context).toEqual({ kind: 'tunnel', tunnel: 2 });
    expect(find(longTail, 'pp bind tunnel2')?.context).toEqual({ kind: 'pp', peer: 'anonymous' });
    const flat = read('site-to-site.txt').model.commands;
    expect(find(flat, 'ip tunnel tcp mss limit 1350')?.context).toEqual({ kind: 'tunnel', tunnel: 2 });
    expect(find(flat, 'ip route default gateway 203.0.113.1')?.context).toEqual({ kind: 'global' });
  });

  it('keeps a here-document body raw, quoted strings whole, very long lines', () => {
    const longTail = read('long-tail.txt').model.commands;
    expect(longTail.find((c) => c.name === 'embedded file')?.heredoc?.body).toEqual([
      '-- a tiny Lua body, kept raw by the reader',
      'local interval = 60',
      'while true do',
      '  rt.sleep(interval)',
      'end',
    ]);
    expect(longTail.find((c) => c.name === 'pp auth username')?.params).toMatchObject({ username: 'erin', password: 'secret with space' });
    expect(longTail.find((c) => c.name === 'sshd host key generate')?.source.text.length).toBeGreaterThan(1400);
  });

  it('parses the port map and protocol forms of static masquerade', () => {
    const home = read('home-pppoe-ipv6.txt').model.commands;
    expect(home.find((c) => c.name === 'nat descriptor masquerade static')?.params).toMatchObject({
      protocol: 'tcp',
      ports: [{ outer: '8009', inner: 'https' }, { inner: '8089' }, { outer: '82', inner: 'www' }, { inner: 'smtp' }],
    });
  });

  it('reports the forms RTX1500 Rev.8.03 lacks: refused lines, and warnings for newer commands', () => {
    const result = read('not-on-rtx1500.txt');
    expect(result.problems.map((p) => [p.line, p.error])).toEqual([
      [6, 'invalid-command-name'],
      [7, 'invalid-command-name'],
    ]);
    // The Rev.14.01 character names are values Rev.8.03 lacks (issue 11 §5): warned, not applied.
    expect(result.warnings.map((w) => [w.line, w.name])).toEqual([
      [3, 'console character'],
      [4, 'console character'],
      [5, 'console character'],
      [9, 'ipsec ike version'],
      [10, 'ipsec ike license-key use'],
      [12, 'ipsec ike license-key'],
    ]);
  });
});
