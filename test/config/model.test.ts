import { describe, expect, it } from 'vitest';
import { ConfigModel, type ConfigCommand } from '../../src/config/model.js';

const command = (key: string, name = key.split('|')[1]!): ConfigCommand => ({
  name,
  nameWords: name.split(' '),
  params: {},
  words: [],
  family: 'test',
  checked: true,
  context: { kind: 'global' },
  key,
  source: { line: 1, text: key },
});

describe('ConfigModel', () => {
  it('keeps commands in the order they were first entered; a repeated key replaces in place', () => {
    const model = new ConfigModel();
    model.set(command('global|a|1'));
    model.set(command('global|b|'));
    const replaced = model.set({ ...command('global|a|1'), source: { line: 9, text: 'again' } });
    expect(replaced?.source.line).toBe(1);
    expect(model.commands.map((c) => [c.key, c.source.line])).toEqual([
      ['global|a|1', 9],
      ['global|b|', 1],
    ]);
  });

  it('removes by key', () => {
    const model = new ConfigModel();
    model.set(command('global|a|1'));
    expect(model.remove('global|a|1')).toBe(1);
    expect(model.remove('global|a|1')).toBe(0);
    expect(model.size).toBe(0);
  });

  it('`... all` replaces every instance of its setting, and `no ... all` removes them all', () => {
    const model = new ConfigModel();
    model.set(command('global|tunnel enable|1', 'tunnel enable'));
    model.set(command('global|tunnel enable|2', 'tunnel enable'));
    model.set(command('global|other|1', 'other'));
    model.set(command('global|tunnel enable|all', 'tunnel disable'));
    expect(model.commands.map((c) => c.key)).toEqual(['global|other|1', 'global|tunnel enable|all']);
    model.set(command('global|tunnel enable|3', 'tunnel enable'));
    expect(model.remove('global|tunnel enable|all')).toBe(2);
    expect(model.commands.map((c) => c.key)).toEqual(['global|other|1']);
  });

  it('finds commands by name pattern', () => {
    const model = new ConfigModel();
    model.set(command('global|x|1', 'x'));
    model.set(command('global|y|', 'y'));
    model.set(command('global|x|2', 'x'));
    expect(model.byName('x').map((c) => c.key)).toEqual(['global|x|1', 'global|x|2']);
  });
});
