import type { CompiledRules } from 'nearley';
import { describe, expect, it } from 'vitest';
import type { CommandFamily } from '../../src/config/family.js';
import { NameIndex, type CommandRegistry } from '../../src/config/name-index.js';
import { tokenizeLine, type ConfigToken } from '../../src/config/tokenize.js';

const noGrammar: CompiledRules = { Lexer: undefined, ParserRules: [], ParserStart: 'command' };
const family = (name: string, commands: string[]): CommandFamily => ({ name, firstKeywords: [], commands, grammar: noGrammar });
const tokens = (line: string): ConfigToken[] => {
  const result = tokenizeLine(line);
  if (!result.ok) throw new Error(result.problem);
  return result.tokens;
};

const ip = family('ip', ['ip * address', 'ip route', 'ip filter', 'ip filter dynamic']);
const login = family('console', ['login password']);
const other = family('other', ['ip route', 'ip * rip send']);
const catalogue = family('catalogue', ['ip * address', 'ip filter dynamic timer', 'login password encrypted', 'ip * rip send', 'dhcp scope']);
const registry: CommandRegistry = { checkedFamilies: [ip, login, other], catalogue, absentOnRtx1500: new Map() };
const index = new NameIndex(registry);
const choose = (line: string) => {
  const choice = index.choose(tokens(line));
  return choice && { name: choice.primary.pattern, family: choice.primary.family.name, fallbacks: choice.checkedFallbacks.map((e) => e.pattern) };
};

describe('NameIndex: the dispatch rule', () => {
  it('takes the longest name pattern matching the leading words', () => {
    expect(choose('ip filter dynamic 1 * * www')).toMatchObject({ name: 'ip filter dynamic', family: 'ip' });
    expect(choose('ip filter 1 pass * *')).toMatchObject({ name: 'ip filter', family: 'ip' });
  });

  it('lets `*` stand for any one word, and matches keywords case-insensitively', () => {
    expect(choose('IP LAN1 Address 10.0.0.1/24')).toMatchObject({ name: 'ip * address', family: 'ip' });
  });

  it('prefers the family with full checking over the catalogue for the same name', () => {
    expect(choose('ip lan1 address 10.0.0.1/24')).toMatchObject({ family: 'ip', fallbacks: [] });
    expect(choose('dhcp scope 1 x')).toMatchObject({ name: 'dhcp scope', family: 'catalogue' });
  });

  it('offers shorter checked names first when only the catalogue has the longest one', () => {
    expect(choose('login password encrypted *')).toEqual({ name: 'login password encrypted', family: 'catalogue', fallbacks: ['login password'] });
    expect(choose('ip filter dynamic timer tcp-syn=30')).toEqual({
      name: 'ip filter dynamic timer',
      family: 'catalogue',
      fallbacks: ['ip filter dynamic', 'ip filter'],
    });
  });

  it('knows no name: nothing matches', () => {
    expect(choose('foo bar')).toBeUndefined();
    expect(choose('ip')).toBeUndefined();
  });

  it('records a name claimed by two checked families; the first keeps it', () => {
    expect(index.duplicates).toEqual([{ pattern: 'ip route', kept: 'ip', ignored: 'other' }]);
    expect(choose('ip route default gateway 1.1.1.1')).toMatchObject({ family: 'ip' });
    expect(choose('ip lan1 rip send on')).toMatchObject({ name: 'ip * rip send', family: 'other' });
  });

  it('lookup prefers the checked entry of a pattern', () => {
    expect(index.lookup('ip * address')?.checked).toBe(true);
    expect(index.lookup('dhcp scope')?.checked).toBe(false);
  });
});
