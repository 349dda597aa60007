/** The IPv4 commands: interface addresses, routes, filters, NAT binding (chapter 8). */
import { describe, expect, it } from 'vitest';
import { errorOf, only, read } from '../support.js';

describe('ip family: parameter shapes', () => {
  it.each([
    ['ip routing off', { enabled: false }],
    ['ip lan1 address 10.1.1.1/24', { interface: 'lan1', address: { kind: 'static', address: '10.1.1.1', mask: '24' } }],
    ['ip lan2 address 172.16.0.254/255.255.255.0 broadcast 172.16.0.255', { interface: 'lan2', address: { kind: 'static', address: '172.16.0.254', mask: '255.255.255.0', broadcast: '172.16.0.255' } }],
    ['ip lan2 address dhcp', { interface: 'lan2', address: { kind: 'dhcp' } }],
    ['ip lan1.2 address 192.168.2.1/24', { interface: 'lan1.2', address: { kind: 'static', address: '192.168.2.1', mask: '24' } }],
    ['ip lan1 secondary address 10.2.2.1/24', { interface: 'lan1', address: { kind: 'static', address: '10.2.2.1', mask: '24' } }],
    ['ip lan1 proxyarp on', { interface: 'lan1', enabled: true }],
    ['ip lan2 secure filter in 200020 200021 dynamic 200080 200081', { interface: 'lan2', direction: 'in', filters: [200020, 200021], dynamic: [200080, 200081] }],
    ['ip lan2 secure filter out 200099', { interface: 'lan2', direction: 'out', filters: [200099], dynamic: [] }],
    ['ip lan2 nat descriptor 1 2 3', { interface: 'lan2', descriptors: [1, 2, 3], reverse: [] }],
    ['ip route default gateway 172.16.0.1', { destination: { kind: 'default' }, gateways: [{ target: { kind: 'ip', address: '172.16.0.1' }, filters: [], hide: false }] }],
    ['ip route 192.168.100.0/24 gateway tunnel 1', { destination: { kind: 'network', address: '192.168.100.0', mask: '24' }, gateways: [{ target: { kind: 'tunnel', tunnel: 1 }, filters: [], hide: false }] }],
    [
      'ip route 10.0.0.0/8 gateway tunnel 1 hide gateway tunnel 2 hide',
      { destination: { kind: 'network', address: '10.0.0.0', mask: '8' }, gateways: [{ target: { kind: 'tunnel', tunnel: 1 }, filters: [], hide: true }, { target: { kind: 'tunnel', tunnel: 2 }, filters: [], hide: true }] },
    ],
    [
      'ip route default gateway pp 1 filter 600000 gateway tunnel 1',
      { destination: { kind: 'default' }, gateways: [{ target: { kind: 'pp', peer: 1 }, filters: [600000], hide: false }, { target: { kind: 'tunnel', tunnel: 1 }, filters: [], hide: false }] },
    ],
    ['ip route default gateway dhcp lan2', { destination: { kind: 'default' }, gateways: [{ target: { kind: 'dhcp', interface: 'lan2' }, filters: [], hide: false }] }],
    ['ip route 10.9.0.0/16 gateway null', { destination: { kind: 'network', address: '10.9.0.0', mask: '16' }, gateways: [{ target: { kind: 'null' }, filters: [], hide: false }] }],
    ['ip route change log on', { enabled: true }],
    ['ip filter 10 pass * * udp * 500', { filterId: 10, action: 'pass', source: '*', destination: '*', protocol: 'udp', sourcePorts: '*', destinationPorts: '500' }],
    ['ip filter 200039 reject *', { filterId: 200039, action: 'reject', source: '*' }],
    ['ip filter 200000 reject 10.0.0.0/8 * * * *', { filterId: 200000, action: 'reject', source: '10.0.0.0/8', destination: '*', protocol: '*', sourcePorts: '*', destinationPorts: '*' }],
    ['ip filter dynamic 200080 * * ftp', { filterId: 200080, source: '*', destination: '*', service: 'ftp', options: {} }],
    ['ip filter dynamic 200098 * * tcp syslog=off', { filterId: 200098, source: '*', destination: '*', service: 'tcp', options: { syslog: 'off' } }],
    ['ip filter dynamic 100 * * filter 10 in 11 out 12', { filterId: 100, source: '*', destination: '*', filters: { filter: [10], in: [11], out: [12] }, options: {} }],
    ['ip filter directed-broadcast filter 1 2', { mode: 'filter', filters: [1, 2] }],
    ['ip filter source-route on', { enabled: true }],
    ['ip keepalive 1 icmp-echo 60 5 192.0.2.1', { keepaliveId: 1, kind: 'icmp-echo', intervalSeconds: 60, count: 5, gateways: ['192.0.2.1'], options: {} }],
    ['ip host router.example.jp 192.0.2.10', { fqdn: 'router.example.jp', addresses: ['192.0.2.10'] }],
  ])('%s', (line, params) => {
    expect(only(line).params).toEqual(params);
  });

  it('pp and tunnel interface commands belong to the selected peer or tunnel', () => {
    expect(only('tunnel select 1', 'ip tunnel tcp mss limit auto')).toMatchObject({ nameWords: ['ip', 'tunnel', 'tcp', 'mss', 'limit'], params: { interface: 'tunnel', limit: 'auto' }, context: { kind: 'tunnel', tunnel: 1 } });
    expect(only('tunnel select 1', 'ip tunnel tcp mss limit 1387').params['limit']).toBe(1387);
    expect(only('pp select 1', 'ip pp mtu 1454')).toMatchObject({ params: { interface: 'pp', mtu: 1454 }, context: { kind: 'pp', peer: 1 } });
    expect(only('pp select anonymous', 'ip pp remote address pool 172.16.0.1-172.16.0.20').params).toEqual({
      interface: 'pp',
      pool: { kind: 'addresses', ranges: ['172.16.0.1-172.16.0.20'] },
    });
  });

  it('one address per interface, one route per destination, one filter per number', () => {
    const result = read('ip lan1 address 10.1.1.1/24', 'ip lan1 address 10.2.2.2/24', 'ip route default gateway 1.1.1.1', 'ip route default gateway 2.2.2.2', 'ip filter 1 pass *', 'ip filter 2 pass *');
    expect(result.model.commands.map((c) => c.source.line)).toEqual([2, 4, 5, 6]);
  });
});

describe('ip family: value checks', () => {
  it.each([
    ['ip lan4 address 10.0.0.1/24', 'illegal-keyword'], // RTX1500: 3 LAN ports
    ['ip lan1 address 10.0.0.1', 'unrecognized-ip-address'],
    ['ip lan1 address 10.0.0.1/255.0.255.0', 'unrecognized-ip-address'],
    ['ip lan1 address 10.0.0.256/24', 'unrecognized-ip-address'],
    ['ip lan1 remote address 10.0.0.1', 'illegal-keyword'],
    ['ip lan1 mtu 9000', 'parameter-out-of-range'],
    ['ip route default gateway tunnel 101', 'parameter-out-of-range'],
    ['ip route default gateway pp 151', 'parameter-out-of-range'],
    ['ip route default', 'insufficient-or-too-many-parameters'],
    ['ip route default gateway', 'insufficient-or-too-many-parameters'],
    ['ip filter 0 pass *', 'parameter-out-of-range'],
    ['ip filter 1 allow *', 'illegal-keyword'],
    ['ip filter 1 pass', 'insufficient-or-too-many-parameters'],
    ['ip lan1 secure filter sideways 1', 'illegal-keyword'],
  ] as const)('%s -> %s', (line, error) => {
    expect(errorOf(line)).toBe(error);
  });
});
