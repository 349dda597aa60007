/**
 * The dns family as the router reads it (command reference chapter 24): where queries go (fixed
 * servers, a PP, DHCP, per-domain selection with EDNS and restrict pp), the recursive server,
 * static records, the cache.
 */
import { describe, expect, it } from 'vitest';
import { acceptedBy, lineError } from '../support.js';

const accepted = (line: string) => {
  const command = acceptedBy('dns', line);
  return { name: command.name, params: command.params };
};
const errorOf = (line: string) => lineError(line);

describe('dns server', () => {
  it('takes up to four addresses (IPv4 or IPv6) with edns= and nat46=', () => {
    expect(accepted('dns server 192.0.2.53')).toEqual({ name: 'dns server', params: { servers: [{ address: '192.0.2.53' }] } });
    expect(accepted('dns server 192.0.2.53 edns=on 2001:db8::53').params).toEqual({
      servers: [{ address: '192.0.2.53', edns: 'on' }, { address: '2001:db8::53' }],
    });
    expect(errorOf('dns server 192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5')).toBe('parameter-out-of-range');
    expect(errorOf('dns server 192.0.2.300')).toBe('unrecognized-ip-address');
    expect(errorOf('dns server 192.0.2.53 edns=yes')).toBe('illegal-keyword');
  });
  it('asks the servers learnt on a PP or by DHCP on an interface', () => {
    expect(accepted('dns server pp 1')).toEqual({ name: 'dns server pp', params: { pp: 1 } });
    expect(accepted('dns server pp 2 edns=on').params).toEqual({ pp: 2, edns: 'on' });
    expect(accepted('dns server dhcp lan2')).toEqual({ name: 'dns server dhcp', params: { interface: 'lan2' } });
    expect(errorOf('dns server pp 151')).toBe('parameter-out-of-range');
    expect(errorOf('dns server dhcp tunnel1')).toBe('illegal-keyword');
  });
});

describe('dns server select', () => {
  it('selects servers by record type and domain suffix', () => {
    expect(accepted('dns server select 1 192.0.2.53 edns=on 192.0.2.54 edns=on a .').params).toEqual({
      id: 1,
      via: { servers: [{ address: '192.0.2.53', edns: 'on' }, { address: '192.0.2.54', edns: 'on' }] },
      type: 'a',
      query: '.',
    });
    expect(accepted('dns server select 2 192.0.2.53 any home.example').params).toMatchObject({ type: 'any', query: 'home.example' });
    expect(accepted('dns server select 3 192.0.2.53 example.com').params).toEqual({
      id: 3,
      via: { servers: [{ address: '192.0.2.53' }] },
      query: 'example.com',
    });
  });
  it('selects the servers of a PP (with restrict pp) or of DHCP, each with a fallback', () => {
    expect(accepted('dns server select 500002 pp 2 any . restrict pp 2').params).toEqual({
      id: 500002,
      via: { pp: 2 },
      type: 'any',
      query: '.',
      restrictPp: 2,
    });
    expect(accepted('dns server select 500000 dhcp lan2 any .').params).toEqual({ id: 500000, via: { dhcp: 'lan2' }, type: 'any', query: '.' });
    expect(accepted('dns server select 4 pp 1 198.51.100.53 a example.net').params).toMatchObject({
      via: { pp: 1, fallback: { address: '198.51.100.53' } },
    });
  });
  it('matches PTR queries by address, senders by range, and rejects names', () => {
    expect(accepted('dns server select 5 192.0.2.53 ptr 192.168.0.0/16 192.168.1.10-192.168.1.20').params).toMatchObject({
      type: 'ptr',
      query: '192.168.0.0/16',
      sender: '192.168.1.10-192.168.1.20',
    });
    expect(accepted('dns server select 6 reject aaaa *.example.org').params).toEqual({
      id: 6,
      via: { reject: true },
      type: 'aaaa',
      query: '*.example.org',
    });
  });
  it('refuses a missing query, an unknown record type, restrict without a peer', () => {
    expect(errorOf('dns server select 1 192.0.2.53')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('dns server select 1 192.0.2.53 ptr example.com')).toBe('unrecognized-ip-address');
    expect(errorOf('dns server select 1 pp 1 any . restrict pp')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('dns server select 1 pp 1 any . restrict pp 0')).toBe('parameter-out-of-range');
  });
});

describe('the recursive server, records, cache', () => {
  it('takes the service switches', () => {
    expect(accepted('dns service recursive').params).toEqual({ service: 'recursive' });
    expect(accepted('dns service fallback on')).toEqual({ name: 'dns service fallback', params: { enabled: true } });
    expect(accepted('dns service aaaa filter on').name).toBe('dns service aaaa filter');
    expect(accepted('dns private address spoof on')).toEqual({ name: 'dns private address spoof', params: { enabled: true } });
    expect(accepted('dns cache use off').params).toEqual({ enabled: false });
    expect(accepted('dns syslog resolv on').params).toEqual({ enabled: true });
    expect(errorOf('dns service forward')).toBe('illegal-keyword');
  });
  it('takes names: domain, private name, static records', () => {
    expect(accepted('dns domain example.com').params).toEqual({ domain: 'example.com' });
    expect(accepted('dns domain .').params).toEqual({ domain: '.' });
    expect(accepted('dns private name setup.example.jp')).toEqual({ name: 'dns private name', params: { name: 'setup.example.jp' } });
    expect(accepted('dns static a www.example.com 192.0.2.80 ttl=300').params).toEqual({
      type: 'a',
      name: 'www.example.com',
      value: '192.0.2.80',
      ttl: 300,
    });
    expect(accepted('dns static ptr 192.0.2.80 www.example.com').params).toMatchObject({ type: 'ptr', name: '192.0.2.80' });
    expect(accepted('dns static cname mail.example.com mx.example.com').params).toMatchObject({ type: 'cname' });
    expect(errorOf('dns static a www.example.com www.example.net')).toBe('unrecognized-ip-address');
    expect(errorOf('dns static txt www.example.com hello')).toBe('illegal-keyword');
  });
  it('takes hosts, cache size, source ports, notice order', () => {
    expect(accepted('dns host lan1').params).toEqual({ hosts: ['lan1'] });
    expect(accepted('dns host bridge1 192.0.2.0-192.0.2.63').params).toEqual({ hosts: ['bridge1', '192.0.2.0-192.0.2.63'] });
    expect(accepted('dns host any').params).toEqual({ keyword: 'any' });
    expect(accepted('dns cache max entry 512').params).toEqual({ entries: 512 });
    expect(errorOf('dns cache max entry 2048')).toBe('parameter-out-of-range');
    expect(accepted('dns srcport 10000-10999').params).toEqual({ from: 10000, to: 10999 });
    expect(accepted('dns srcport 53').params).toEqual({ from: 53, to: 53 });
    expect(errorOf('dns srcport 20000-10000')).toBe('parameter-out-of-range');
    expect(accepted('dns notice order dhcp me server').params).toEqual({ protocol: 'dhcp', servers: ['me', 'server'] });
  });
});
