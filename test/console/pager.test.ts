/**
 * The pager at `console lines` (command reference §2): a screenful less one row, then
 * `--- More ---` (`--- つづく ---` in Japanese); SPACE the next screenful, ENTER one line, q
 * stops; `infinity` turns it off.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { Pager } from '../../src/console/pager.js';
import { testRouter } from './support/routers.js';
import { TestTerminal } from './support/test-terminal.js';

const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);

describe('Pager', () => {
  it('pages by rows, one line on ENTER, a page on SPACE, stops on q', () => {
    const pager = new Pager(lines, 4, 80);
    expect(pager.first()).toEqual({ kind: 'show', lines: lines.slice(0, 4), more: true });
    expect(pager.key('\r')).toEqual({ kind: 'show', lines: ['line 5'], more: true });
    expect(pager.key('x')).toEqual({ kind: 'ignored' });
    expect(pager.key(' ')).toEqual({ kind: 'show', lines: lines.slice(5, 9), more: true });
    expect(pager.key(' ')).toEqual({ kind: 'show', lines: ['line 10'], more: false });
    expect(new Pager(lines, 4, 80).key('q')).toEqual({ kind: 'quit' });
  });

  it('counts a line wider than the console as several rows', () => {
    const pager = new Pager(['x'.repeat(100), 'a', 'b', 'c'], 3, 80);
    expect(pager.first().lines).toEqual(['x'.repeat(100), 'a']);
  });
});

function paged(character: 'ascii' | 'sjis', consoleLines: string) {
  const text = DEFAULT_CONFIG_TEXT.replace('login password *\n', '')
    .replace('console character ascii', `console character ${character}`)
    .concat(`console lines ${consoleLines}\n`);
  const { router, clock } = testRouter(text);
  const terminal = new TestTerminal(router, { clock }, character === 'ascii' ? 'utf-8' : 'cp932');
  terminal.start();
  terminal.line('administrator');
  return terminal;
}

describe('the pager at the console', () => {
  it('stops show config after console lines - 1 lines with --- More ---', () => {
    const terminal = paged('ascii', '10');
    const first = terminal.line('show config').split('\r\n');
    // The echo, 8 lines in 9 rows (the `# main:` header line is wider than 80 columns), More.
    expect(first).toHaveLength(10);
    expect(first.slice(6, 10)).toEqual(['console character ascii', 'console lines 10', 'ip route default gateway 172.16.0.1', '--- More ---']);
    const next = terminal.keys('\r');
    expect(next).toMatch(/^\r +\rip route 192.168.100.0\/24 gateway tunnel 1\r\n--- More ---$/);
    expect(terminal.keys(' ').split('\r\n')).toHaveLength(10); // the erased More line and 9 lines, then More
    const quit = terminal.keys('q');
    expect(quit.endsWith('\r# ')).toBe(true);
    expect(terminal.line('show status boot')).toContain('Restart by power-on boot');
  });

  it('shows --- つづく --- in Japanese', () => {
    expect(paged('sjis', '10').line('show config').endsWith('--- つづく ---')).toBe(true);
  });

  it('is off with console lines infinity, and when the front end turns it off', () => {
    expect(paged('ascii', 'infinity').line('show config')).not.toContain('--- More ---');
    const { router, clock } = testRouter(DEFAULT_CONFIG_TEXT.replace('login password *\n', ''));
    const terminal = new TestTerminal(router, { clock, paging: false });
    terminal.start();
    expect(terminal.line('show config')).not.toContain('--- More ---');
  });
});
