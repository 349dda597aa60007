/**
 * Which command a line is: operational declarations against the config reader's names (the
 * longer name wins), their parameter errors, and operational names of later models that are
 * never configuration.
 */
import { describe, expect, it } from 'vitest';
import { interpreterFor } from '../../src/config/read-config.js';
import { dispatchLine } from '../../src/console/line-dispatch.js';

const index = interpreterFor().index;
const kindOf = (line: string) => {
  const dispatch = dispatchLine(line, index);
  switch (dispatch.kind) {
    case 'operational':
    case 'operational-error':
      return `${dispatch.kind} ${dispatch.command.name.join(' ')}`;
    case 'configuration':
      return `configuration ${dispatch.pattern ?? '?'}${dispatch.negated ? ' (no)' : ''}`;
    default:
      return dispatch.kind;
  }
};

describe('dispatchLine', () => {
  it('sends operational commands to their declaration, configuration lines to the config session', () => {
    expect(kindOf('show ipsec sa gateway 1')).toBe('operational show ipsec sa');
    expect(kindOf('SHOW  Config')).toBe('operational show config');
    expect(kindOf('ipsec sa delete all')).toBe('operational ipsec sa delete');
    expect(kindOf('ipsec sa policy 1 1 esp 3des-cbc sha-hmac')).toBe('configuration ipsec sa policy');
    expect(kindOf('no ip lan1 proxyarp')).toBe('configuration ip * proxyarp (no)');
    expect(kindOf('')).toBe('empty');
  });

  it('lets the longer config name win over a shorter operational one', () => {
    expect(kindOf('administrator')).toBe('operational administrator');
    expect(kindOf('administrator password encrypted xyz')).toBe('configuration administrator password encrypted');
  });

  it('gives the parameter error of the declaration', () => {
    expect(dispatchLine('show status tunnel 999', index)).toMatchObject({ kind: 'operational-error', error: 'parameter-out-of-range' });
    expect(dispatchLine('administrator password x', index)).toMatchObject({ kind: 'operational-error', error: 'insufficient-or-too-many-parameters' });
  });

  it('never makes configuration of show/clear lines it does not know, nor of a line it cannot split', () => {
    expect(dispatchLine('show dpi cache', index)).toEqual({ kind: 'unknown', error: 'invalid-command-name' });
    expect(dispatchLine('description 1 "open', index)).toEqual({ kind: 'unknown', error: 'illegal-keyword' });
  });
});
