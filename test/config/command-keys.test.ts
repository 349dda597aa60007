import { describe, expect, it } from 'vitest';
import { commandKey, identityOf, inferScope } from '../../src/config/command-keys.js';
import { tokenizeLine, type ConfigToken } from '../../src/config/tokenize.js';

const words = (line: string): ConfigToken[] => {
  const result = tokenizeLine(line);
  if (!result.ok) throw new Error(result.problem);
  return result.tokens;
};

describe('inferScope: which commands belong to the selected pp or tunnel', () => {
  it.each([
    ['ip pp mtu', 'pp'],
    ['ppp ipcp msext', 'pp'],
    ['pppoe use', 'pp'],
    ['pp auth accept', 'pp'],
    ['pp select', 'global'],
    ['pp enable', 'global'],
    ['ip tunnel tcp mss limit', 'tunnel'],
    ['ipsec tunnel', 'tunnel'],
    ['tunnel encapsulation', 'tunnel'],
    ['tunnel enable', 'global'],
    ['l2tp keepalive use', 'tunnel'],
    ['l2tp service', 'global'],
    ['ipsec ike encryption', 'global'],
    ['ip lan1 address', 'global'],
    ['nat descriptor type', 'global'],
  ] as const)('%s -> %s', (name, scope) => {
    expect(inferScope(name.split(' '))).toBe(scope);
  });
});

describe('identityOf', () => {
  it('by default: the first parameter when it is an integer', () => {
    expect(identityOf(undefined, words('1 masquerade'))).toEqual(['1']);
    expect(identityOf(undefined, words('on'))).toEqual([]);
  });

  it('a count of leading words, undefined when the line has fewer', () => {
    expect(identityOf({ identity: 2 }, words('ipsec-sa 1 3600'))).toEqual(['ipsec-sa', '1']);
    expect(identityOf({ identity: 2 }, words('ipsec-sa'))).toBeUndefined();
  });

  it('or a function of the words', () => {
    expect(identityOf({ identity: (w) => [w.at(-1)!.value] }, words('a b c'))).toEqual(['c']);
  });
});

describe('commandKey', () => {
  it('combines scope, setting and identity; numbers lose leading zeros, words their case', () => {
    expect(commandKey({ kind: 'global' }, 'ip filter', ['010'])).toBe('global|ip filter|10');
    expect(commandKey({ kind: 'tunnel', tunnel: 2 }, 'ipsec tunnel', [])).toBe('tunnel 2|ipsec tunnel|');
    expect(commandKey({ kind: 'pp', peer: 'anonymous' }, 'pp auth username', ['User1'])).toBe('pp anonymous|pp auth username|user1');
  });
});
