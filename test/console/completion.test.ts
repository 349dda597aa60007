/**
 * `?` after a partial word lists what completes it (rtx-behaviour.md §5.5: `show status pp?`),
 * after a space what may follow; TAB completes a unique word, extends a shared prefix, or lists
 * the candidates. Operational commands answer from their declarations, configuration commands
 * from the config reader's name index.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { completionsFor, tabAnswer } from '../../src/console/completion.js';
import { interpreterFor } from '../../src/config/read-config.js';
import { testRouter } from './support/routers.js';
import { TestTerminal } from './support/test-terminal.js';

const index = interpreterFor().index;

function adminTerminal(): TestTerminal {
  const { router, clock } = testRouter(DEFAULT_CONFIG_TEXT.replace('login password *\n', ''));
  const terminal = new TestTerminal(router, { clock });
  terminal.start();
  terminal.line('administrator');
  terminal.take();
  return terminal;
}

describe('completionsFor', () => {
  it('completes operational command words and their parameter keywords', () => {
    expect(completionsFor('show st', index).candidates).toEqual(['status']);
    expect(completionsFor('show status ', index).candidates).toEqual(['boot', 'tunnel']);
    expect(completionsFor('show ipsec sa ', index).candidates).toEqual(['detail', 'gateway']);
    expect(completionsFor('show ipsec sa gateway 1 ', index).candidates).toEqual(['detail']);
    expect(completionsFor('show status tunnel ', index).labels).toEqual(['<1-100>']);
  });

  it('completes configuration command names from the name index, also after no', () => {
    expect(completionsFor('ipsec ike mode-cfg a', index).candidates).toEqual(['address']);
    expect(completionsFor('no ipsec ike xauth r', index).candidates).toEqual(['request']);
    expect(completionsFor('ipsec sa ', index).candidates).toEqual(expect.arrayContaining(['delete', 'policy']));
  });

  it('completes configuration parameters from the family grammar: keywords, and what a value must be', () => {
    expect(completionsFor('ipsec ike pfs 1 ', index).candidates).toEqual(['off', 'on']);
    expect(completionsFor('console character s', index).candidates).toEqual(['sjis']);
    expect(completionsFor('tunnel select ', index)).toMatchObject({ candidates: ['none'], labels: ['<an integer>'] });
    expect(completionsFor('ip lan1 address ', index).labels).toEqual(['<an IPv4 address[/mask]>']);
  });

  it('offers nothing after an unknown word', () => {
    expect(completionsFor('frobnicate ', index).candidates).toEqual([]);
  });
});

describe('? and TAB at the console', () => {
  it('? lists the candidates, then shows the prompt and the line again', () => {
    const terminal = adminTerminal();
    terminal.keys('show status ');
    expect(terminal.keys('?')).toBe('?\r\nboot tunnel\r\n# show status ');
  });

  it('? inside quotes is a character of the line', () => {
    const terminal = adminTerminal();
    expect(terminal.keys('console prompt "a?')).toBe('console prompt "a?');
  });

  it('TAB completes a unique word and adds a space', () => {
    const terminal = adminTerminal();
    terminal.keys('show envi');
    terminal.keys('\t');
    expect(terminal.line('')).toContain('RTX1500 Rev.8.03.75');
  });

  it('TAB extends a shared prefix, then lists the candidates', () => {
    const terminal = adminTerminal();
    terminal.keys('ipsec ike mode-cfg address');
    // `address` and `address pool` share the word; a space then offers `pool`.
    terminal.keys(' ');
    expect(terminal.keys('\t')).toBe('pool ');
    const second = adminTerminal();
    second.keys('show s');
    expect(second.keys('\t')).toBe('tatus ');
    second.keys('s');
    expect(second.keys('\t')).toBe('\x07');
  });
});

describe('tabAnswer', () => {
  it('completes, extends, lists or rings', () => {
    expect(tabAnswer('show envi', index)).toEqual({ kind: 'replace', line: 'show environment ' });
    expect(tabAnswer('ipsec ike mode-cfg ', index)).toEqual({ kind: 'list', words: ['address', 'method'] });
    expect(tabAnswer('ipsec ike mode-cfg m', index)).toEqual({ kind: 'replace', line: 'ipsec ike mode-cfg method ' });
    expect(tabAnswer('frobnicate ', index)).toEqual({ kind: 'bell' });
  });
});
