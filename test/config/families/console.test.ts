/** Accounts, console and management services (chapter 4). */
import { describe, expect, it } from 'vitest';
import { timezoneOffsetMinutes } from '../../../src/config/families/console.js';
import { errorOf, only } from '../support.js';

describe('console family: parameter shapes', () => {
  it.each([
    ['login password *', { encrypted: false, secret: { kind: 'masked' } }],
    ['login password encrypted *', { encrypted: true, secret: { kind: 'masked' } }],
    ['login password encrypted 7f3a9c', { encrypted: true, secret: { kind: 'value', value: '7f3a9c' } }],
    ['login password secret1', { encrypted: false, secret: { kind: 'value', value: 'secret1' } }],
    ['administrator password encrypted *', { encrypted: true, secret: { kind: 'masked' } }],
    ['login user ops *', { user: 'ops', encrypted: false, secret: { kind: 'masked' } }],
    ['login user ops', { user: 'ops' }],
    ['login timer 600', { seconds: 600 }],
    ['login timer clear', { seconds: 'clear' }],
    ['user attribute ops administrator=on connection=serial,telnet login-timer=3600', { user: 'ops', pairs: [['administrator', 'on'], ['connection', 'serial,telnet'], ['login-timer', '3600']] }],
    ['user attribute administrator=off', { pairs: [['administrator', 'off']] }],
    ['security class 1 on on', { level: 1, forget: true, telnet: true }],
    ['security class 1 on on off', { level: 1, forget: true, telnet: true, ssh: false }],
    ['timezone +09:00', { timezone: '+09:00' }],
    ['timezone utc', { timezone: 'utc' }],
    ['console character ascii', { code: 'ascii' }],
    ['console prompt int-router:', { prompt: 'int-router:' }],
    ['console prompt "[RTX1500] "', { prompt: '[RTX1500] ' }],
    ['console columns 200', { columns: 200 }],
    ['console lines infinity', { lines: 'infinity' }],
    ['console info off', { enabled: false }],
    ['telnetd service on', { enabled: true }],
    ['telnetd host lan', { hosts: ['lan'] }],
    ['telnetd host 192.168.0.1-192.168.0.10 192.168.1.5', { hosts: ['192.168.0.1-192.168.0.10', '192.168.1.5'] }],
    ['sshd service on', { enabled: true }],
    ['sshd host key generate 1 AAAAB3Nza AAAAB3Nzb', { words: ['1', 'AAAAB3Nza', 'AAAAB3Nzb'] }],
    ['httpd host any', { hosts: ['any'] }],
    ['tftp host any', { hosts: ['any'] }],
  ])('%s', (line, params) => {
    expect(only(line).params).toEqual(params);
  });
});

describe('console family: value checks', () => {
  it.each([
    ['console character utf8', 'illegal-keyword'],
    ['console columns 79', 'parameter-out-of-range'],
    ['console lines 9', 'parameter-out-of-range'],
    [`console prompt ${'p'.repeat(65)}`, 'parameter-out-of-range'],
    ['login timer 119', 'parameter-out-of-range'],
    ['login password', 'insufficient-or-too-many-parameters'],
    [`login password ${'x'.repeat(33)}`, 'parameter-out-of-range'],
    ['login user bad/name pw12345', 'illegal-keyword'],
    ['security class 4 on on', 'parameter-out-of-range'],
    ['timezone +13:00', 'parameter-out-of-range'],
    ['user attribute ops colour=blue', 'illegal-keyword'],
    ['user attribute ops login-timer=60', 'parameter-out-of-range'],
    ['telnetd host any lan', 'illegal-keyword'],
    ['telnetd host 192.168.0.300', 'unrecognized-ip-address'],
    ['telnetd session 9', 'parameter-out-of-range'],
    ['sshd listen 70000', 'parameter-out-of-range'],
  ] as const)('%s -> %s', (line, error) => {
    expect(errorOf(line)).toBe(error);
  });

  it('timezone offsets in minutes east of UTC (-12:00..+11:59)', () => {
    expect([timezoneOffsetMinutes('jst'), timezoneOffsetMinutes('utc'), timezoneOffsetMinutes('-03:30'), timezoneOffsetMinutes('+12:00')]).toEqual([540, 0, -210, undefined]);
  });
});
