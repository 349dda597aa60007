import { describe, expect, it } from 'vitest';
import { errorOf, only, read } from '../support.js';

describe('tunnel family', () => {
  it('`tunnel select` switches context and is not stored', () => {
    const result = read('tunnel select 7', 'tunnel select none');
    expect(result.problems).toEqual([]);
    expect(result.model.size).toBe(0);
  });

  it.each([
    ['tunnel enable 1', 'tunnel enable', { tunnel: 1 }],
    ['tunnel enable all', 'tunnel enable', { tunnel: 'all' }],
    ['tunnel disable 2', 'tunnel disable', { tunnel: 2 }],
  ])('%s', (line, name, params) => {
    const command = only(line);
    expect([command.name, command.params, command.context]).toEqual([name, params, { kind: 'global' }]);
  });

  it('`tunnel enable N` and `tunnel disable N` are one switch per tunnel', () => {
    const result = read('tunnel enable 1', 'tunnel enable 2', 'tunnel disable 1');
    expect(result.model.commands.map((c) => [c.name, c.params['tunnel']])).toEqual([
      ['tunnel disable', 1],
      ['tunnel enable', 2],
    ]);
  });

  it.each([
    ['tunnel template 2-20', { targets: ['2-20'] }],
    ['tunnel template 8 10-20', { targets: ['8', '10-20'] }],
    ['tunnel encapsulation l2tp', { type: 'l2tp' }],
    ['tunnel endpoint address 192.0.2.2', { remote: '192.0.2.2' }],
    ['tunnel endpoint address 192.0.2.1 192.0.2.2', { local: '192.0.2.1', remote: '192.0.2.2' }],
    ['tunnel endpoint name peer.example.jp fqdn', { remote: 'peer.example.jp', type: 'fqdn' }],
    ['tunnel endpoint name me.example.jp peer.example.jp fqdn', { local: 'me.example.jp', remote: 'peer.example.jp', type: 'fqdn' }],
  ])('%s (in a selected tunnel)', (line, params) => {
    const command = only('tunnel select 1', line);
    expect([command.params, command.context]).toEqual([params, { kind: 'tunnel', tunnel: 1 }]);
  });

  it.each([
    ['tunnel select 0', 'parameter-out-of-range'],
    ['tunnel select 101', 'parameter-out-of-range'],
    ['tunnel select one', 'illegal-keyword'], // a word where `none` was possible
    ['tunnel enable 1.5', 'parameter-must-be-integer'],
    ['tunnel enable 1 2', 'insufficient-or-too-many-parameters'],
    ['tunnel encapsulation gre', 'illegal-keyword'],
  ] as const)('%s -> %s', (line, error) => {
    expect(errorOf(line, 'tunnel select 1')).toBe(error);
  });

  it('tunnel settings need a selected tunnel', () => {
    expect(errorOf('tunnel template 2-5')).toBe('execute-tunnel-select-beforehand');
    expect(errorOf('tunnel template 2-101', 'tunnel select 1')).toBe('parameter-out-of-range');
  });
});
