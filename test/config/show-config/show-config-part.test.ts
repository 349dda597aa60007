/**
 * `show config tunnel N` / `show config pp N`: the printer's `part` option gives only that block,
 * laid out as in the whole `show config` (header line at column 0, one-space and two-space
 * indentation), and nothing for a tunnel the config does not have.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../../src/config/default-config.js';
import { readConfig } from '../../../src/config/read-config.js';
import { showConfigLines } from '../../../src/config/show-config/show-config.js';

const now = new Date(Date.UTC(2008, 9, 1, 3, 28, 6));

describe('show config with a part', () => {
  const { model } = readConfig(`${DEFAULT_CONFIG_TEXT}pp select 2\n pp enable 2\n`);

  it('prints the tunnel block exactly as the whole show config does', () => {
    const whole = showConfigLines(model, { now });
    const part = showConfigLines(model, { now, part: { kind: 'tunnel', tunnel: 1 } });
    expect(part[0]).toBe('tunnel select 1');
    expect(part.at(-1)).toBe(' tunnel enable 1');
    const start = whole.indexOf('tunnel select 1');
    expect(whole.slice(start, start + part.length)).toEqual(part);
    expect(part).toContain('  ipsec ike pre-shared-key 1 text PSKEY1');
  });

  it('prints a pp block', () => {
    expect(showConfigLines(model, { now, part: { kind: 'pp', peer: 2 } })).toEqual(['pp select 2', ' pp enable 2']);
  });

  it('prints nothing for a tunnel the config does not have', () => {
    expect(showConfigLines(model, { now, part: { kind: 'tunnel', tunnel: 9 } })).toEqual([]);
  });
});
