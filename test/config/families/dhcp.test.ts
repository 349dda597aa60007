/**
 * The dhcp family as the router reads it (command reference chapter 12): the server and its
 * scopes, reservations (MAC, client id in hex, vendor prefix), options, the relay agent, the client.
 */
import { describe, expect, it } from 'vitest';
import { acceptedBy, lineError } from '../support.js';
import { leaseMinutes } from '../../../src/config/families/dhcp.js';

const params = (line: string) => acceptedBy('dhcp', line).params;
const errorOf = (line: string) => lineError(line);

describe('dhcp server', () => {
  it('serves or relays, RFC 2131 compliant or with chosen functions', () => {
    expect(params('dhcp service server')).toEqual({ type: 'server' });
    expect(params('dhcp server rfc2131 compliant except remain-silent')).toEqual({ except: true, functions: ['remain-silent'] });
    expect(params('dhcp server rfc2131 compliant broadcast-nak use-clientid')).toEqual({
      except: false,
      functions: ['broadcast-nak', 'use-clientid'],
    });
    expect(params('dhcp server rfc2131 compliant off')).toEqual({ compliant: false });
    expect(errorOf('dhcp service client')).toBe('illegal-keyword');
    expect(errorOf('dhcp server rfc2131 compliant except stay-quiet')).toBe('illegal-keyword');
    expect(params('dhcp duplicate check 100 off')).toEqual({ lan: 100, relayed: 'off' });
    expect(errorOf('dhcp duplicate check 1001 500')).toBe('parameter-out-of-range');
  });
});

describe('dhcp scope', () => {
  it('defines a range with its mask, exclusions, gateway and lease times', () => {
    expect(params('dhcp scope 1 192.168.100.2-192.168.100.191/24')).toEqual({
      scope: 1,
      from: '192.168.100.2',
      to: '192.168.100.191',
      mask: '24',
      except: [],
    });
    expect(params('dhcp scope 2 192.168.1.2-192.168.1.100/255.255.255.0 except 192.168.1.50 192.168.1.60-192.168.1.69 gateway 192.168.1.1 expire 42:00 maxexpire 72:00')).toEqual({
      scope: 2,
      from: '192.168.1.2',
      to: '192.168.1.100',
      mask: '255.255.255.0',
      except: ['192.168.1.50', '192.168.1.60-192.168.1.69'],
      gateway: '192.168.1.1',
      expire: '42:00',
      maxexpire: '72:00',
    });
    expect(params('dhcp scope 3 10.0.0.2-10.0.0.9/29 expire 1440 maxexpire infinity')).toMatchObject({ expire: '1440', maxexpire: 'infinity' });
  });
  it('refuses a reversed range, a bad mask, a missing mask, expire beyond maxexpire, scope 0', () => {
    expect(errorOf('dhcp scope 1 192.168.100.200-192.168.100.2/24')).toBe('parameter-out-of-range');
    expect(errorOf('dhcp scope 1 192.168.100.2-192.168.100.20/255.0.255.0')).toBe('unrecognized-ip-address');
    expect(errorOf('dhcp scope 1 192.168.100.2-192.168.100.20')).toBe('unrecognized-ip-address');
    expect(errorOf('dhcp scope 1 192.168.100.2-192.168.100.20/24 expire 72:00 maxexpire 24:00')).toBe('parameter-out-of-range');
    expect(errorOf('dhcp scope 1 192.168.100.2-192.168.100.20/24 expire 1:75')).toBe('parameter-out-of-range');
    expect(errorOf('dhcp scope 0 192.168.100.2-192.168.100.20/24')).toBe('parameter-out-of-range');
    expect(errorOf('dhcp scope 65536 192.168.100.2-192.168.100.20/24')).toBe('parameter-out-of-range');
  });
  it('counts lease times in minutes', () => {
    expect(leaseMinutes('42:00')).toBe(2520);
    expect(leaseMinutes('90')).toBe(90);
    expect(leaseMinutes('infinity')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('dhcp scope bind', () => {
  it('reserves by ethernet MAC, text id, hex client id, bare MAC, or IPCP', () => {
    expect(params('dhcp scope bind 1 192.168.100.2 ethernet 00:a0:de:01:23:45')).toEqual({
      scope: 1,
      address: '192.168.100.2',
      client: { kind: 'ethernet', mac: '00:a0:de:01:23:45' },
    });
    expect(params('dhcp scope bind 1 192.168.100.3 text client01').client).toEqual({ kind: 'text', id: 'client01' });
    expect(params('dhcp scope bind 1 192.168.100.4 01 00 a0 de 01 23 46').client).toEqual({
      kind: 'hex',
      bytes: ['01', '00', 'a0', 'de', '01', '23', '46'],
    });
    expect(params('dhcp scope bind 1 192.168.100.5 FF 00 01').client).toEqual({ kind: 'hex', bytes: ['ff', '00', '01'] });
    expect(params('dhcp scope bind 1 192.168.100.6 00:A0:DE:01:23:47').client).toEqual({ kind: 'mac', mac: '00:a0:de:01:23:47' });
    expect(params('dhcp scope bind 1 * ethernet 00:a0:de:01:23:48')).toMatchObject({ address: '*' });
    expect(params('dhcp scope bind 1 192.168.100.7 ipcp').client).toEqual({ kind: 'ipcp' });
    expect(params('dhcp scope bind 1 192.168.100.10-192.168.100.19 00:a0:de:*')).toEqual({
      scope: 1,
      address: '192.168.100.10-192.168.100.19',
      client: { kind: 'mac', mac: '00:a0:de:*' },
    });
  });
  it('refuses a malformed MAC, a lone hex byte, a reversed range', () => {
    expect(errorOf('dhcp scope bind 1 192.168.100.2 ethernet 00:a0:de:01:23')).toBe('illegal-keyword');
    expect(errorOf('dhcp scope bind 1 192.168.100.2 01')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('dhcp scope bind 1 192.168.100.19-192.168.100.10 00:a0:de:*')).toBe('parameter-out-of-range');
  });
});

describe('scope options, lease type, relay, client', () => {
  it('sets options by mnemonic or number, checking address lists', () => {
    expect(params('dhcp scope option 1 dns=192.168.100.1,192.168.100.2')).toEqual({
      scope: 1,
      options: [{ option: 'dns', value: '192.168.100.1,192.168.100.2' }],
    });
    expect(params('dhcp scope option 1 router=192.168.100.1 42=192.0.2.123').options).toEqual([
      { option: 'router', value: '192.168.100.1' },
      { option: 42, value: '192.0.2.123' },
    ]);
    expect(errorOf('dhcp scope option 1 dns=192.168.100.999')).toBe('unrecognized-ip-address');
    expect(errorOf('dhcp scope option 1 55=1')).toBe('parameter-out-of-range');
    expect(errorOf('dhcp scope option 1 tftp=x')).toBe('illegal-keyword');
  });
  it('chooses bind-priority or bind-only (with a fallback scope)', () => {
    expect(params('dhcp scope lease type 1 bind-only fallback=2')).toEqual({ scope: 1, type: 'bind-only', fallback: 2 });
    expect(errorOf('dhcp scope lease type 1 bind-priority fallback=2')).toBe('illegal-keyword');
  });
  it('relays to up to four servers', () => {
    expect(params('dhcp relay server 192.0.2.67 192.0.2.68')).toEqual({ servers: ['192.0.2.67', '192.0.2.68'] });
    expect(errorOf('dhcp relay server 192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5')).toBe('parameter-out-of-range');
    expect(params('dhcp relay select all')).toEqual({ type: 'all' });
    expect(params('dhcp relay threshold 3')).toEqual({ value: 3 });
  });
  it('configures the DHCP client per interface, peer or pool', () => {
    expect(params('dhcp client release linkdown on')).toEqual({ enabled: true });
    expect(params('dhcp client release linkdown on 10')).toEqual({ enabled: true, seconds: 10 });
    expect(errorOf('dhcp client release linkdown on 259201')).toBe('parameter-out-of-range');
    expect(params('dhcp client hostname lan2 primary rtx-home')).toEqual({ target: { interface: 'lan2', address: 'primary' }, host: 'rtx-home' });
    expect(params('dhcp client hostname pp 1 rtx-home')).toEqual({ target: { pp: 1 }, host: 'rtx-home' });
    expect(params('dhcp client client-identifier lan2 primary type 1 00 a0 de 00 00 01')).toEqual({
      target: { interface: 'lan2', address: 'primary' },
      type: 1,
      id: ['00', 'a0', 'de', '00', '00', '01'],
    });
    expect(params('dhcp client option lan2 primary 50=c0,a8,00,80')).toEqual({
      target: { interface: 'lan2', address: 'primary' },
      option: 50,
      bytes: ['c0', 'a8', '00', '80'],
    });
  });
});
