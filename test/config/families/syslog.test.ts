import { describe, expect, it } from 'vitest';
import { errorOf, only, read } from '../support.js';

describe('syslog family (§4.25-4.36)', () => {
  it.each([
    ['syslog debug on', { enabled: true }],
    ['syslog info off', { enabled: false }],
    ['syslog notice on', { enabled: true }],
    ['syslog host 192.168.0.10', { hosts: ['192.168.0.10'] }],
    ['syslog host 192.168.0.10 log.example.jp 2001:db8::1', { hosts: ['192.168.0.10', 'log.example.jp', '2001:db8::1'] }],
    ['syslog facility local0', { facility: 'local0' }],
    ['syslog facility 23', { facility: 23 }],
    ['syslog local address 10.1.1.1', { address: '10.1.1.1' }],
    ['syslog srcport 10514', { port: 10514 }],
    ['syslog execute command on', { enabled: true }],
  ])('%s', (line, params) => {
    expect(only(line).params).toEqual(params);
  });

  it('each is one global setting: entering it again replaces it', () => {
    expect(read('syslog host 10.0.0.1', 'syslog host 10.0.0.2').model.commands.map((c) => c.params)).toEqual([{ hosts: ['10.0.0.2'] }]);
  });

  it.each([
    ['syslog debug maybe', 'illegal-keyword'],
    ['syslog host 1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 5.5.5.5', 'parameter-out-of-range'],
    ['syslog host 10.0.0.300', 'unrecognized-ip-address'],
    ['syslog facility 24', 'parameter-out-of-range'],
    ['syslog facility local8', 'illegal-keyword'],
    ['syslog srcport 0', 'parameter-out-of-range'],
  ] as const)('%s -> %s', (line, error) => {
    expect(errorOf(line)).toBe(error);
  });
});
