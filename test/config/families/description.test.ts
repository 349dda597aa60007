/**
 * The description family as the router reads it (command reference §4.56, §49.4): system text
 * (with or without an id), interface text, the selected pp/tunnel's text, and its length limit.
 */
import { describe, expect, it } from 'vitest';
import { acceptedBy, lineError } from '../support.js';
import { GLOBAL_CONTEXT, type ConfigContext } from '../../../src/config/model.js';

const accepted = (line: string, context: ConfigContext = GLOBAL_CONTEXT) => {
  const command = acceptedBy('description', line, context);
  return { name: command.name, params: command.params, context: command.context };
};
const errorOf = (line: string, context: ConfigContext = GLOBAL_CONTEXT) => lineError(line, context);

describe('description', () => {
  it('describes the system, with an id or without one, quoted text keeping its spaces', () => {
    expect(accepted('description 1 "Head office router"').params).toEqual({ id: 1, text: 'Head office router' });
    expect(accepted('description "Head office"').params).toEqual({ text: 'Head office' });
    expect(accepted('description branch-a').params).toEqual({ text: 'branch-a' });
  });
  it('describes an interface', () => {
    expect(accepted('description lan1 office').params).toEqual({ interface: 'lan1', text: 'office' });
    expect(accepted('description lan2 wan').params).toEqual({ interface: 'lan2', text: 'wan' });
  });
  it('describes the selected pp or tunnel, which must be selected', () => {
    expect(accepted('description pp PROVIDER', { kind: 'pp', peer: 1 })).toEqual({
      name: 'description pp',
      params: { text: 'PROVIDER' },
      context: { kind: 'pp', peer: 1 },
    });
    expect(accepted('description tunnel "to branch"', { kind: 'tunnel', tunnel: 2 }).context).toEqual({ kind: 'tunnel', tunnel: 2 });
    expect(errorOf('description pp PROVIDER')).toBe('execute-select-beforehand');
    expect(accepted('description yno "managed by YNO"')).toMatchObject({ name: 'description yno' });
  });
  it('counts Japanese text as two bytes each: 64 bytes at most', () => {
    expect(accepted(`description 1 ${'本'.repeat(32)}`).params).toMatchObject({ id: 1 });
    expect(errorOf(`description 1 ${'本'.repeat(33)}`)).toBe('parameter-out-of-range');
    expect(accepted(`description 1 ${'a'.repeat(64)}`).params).toMatchObject({ id: 1 });
    expect(errorOf(`description 1 ${'a'.repeat(65)}`)).toBe('parameter-out-of-range');
  });
  it('refuses an id without text, an id out of range, too many words', () => {
    expect(errorOf('description 1')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('description 0 text')).toBe('parameter-out-of-range');
    expect(errorOf('description lan1 two words')).toBe('insufficient-or-too-many-parameters');
  });
});
