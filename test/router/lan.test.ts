import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { readConfig } from '../../src/config/read-config.js';
import { interfaceAddresses, routerInside, tunnelFor, tunnelRoutes } from '../../src/router/lan.js';

const model = (text: string) => readConfig(text).model;

describe('the router inside', () => {
  it('takes the seed config interface addresses (lan1 and lan2) as the router own', () => {
    expect([...interfaceAddresses(model(DEFAULT_CONFIG_TEXT))].sort()).toEqual(['10.1.1.1', '172.16.0.254']);
  });

  it('includes secondary addresses and leaves DHCP interfaces out', () => {
    const text = 'ip lan1 address 10.1.1.1/24\nip lan1 secondary address 10.2.2.1/24\nip lan2 address dhcp\n';
    expect([...interfaceAddresses(model(text))].sort()).toEqual(['10.1.1.1', '10.2.2.1']);
  });

  it('keeps the --lan-host addresses apart from the router own', () => {
    const inside = routerInside(model('ip lan1 address 10.1.1.1/24\n'), ['10.1.1.20', '10.1.1.21']);
    expect(inside).toEqual({ ownAddresses: new Set(['10.1.1.1']), lanHosts: new Set(['10.1.1.20', '10.1.1.21']), tunnelRoutes: [] });
  });

  it('refuses a LAN host on a router address', () => {
    expect(() => routerInside(model('ip lan1 address 10.1.1.1/24\n'), ['10.1.1.1'])).toThrow(/10\.1\.1\.1 is one of the router's own/);
  });
});

describe('tunnel routes', () => {
  it('reads `ip route ... gateway tunnel N`, longest prefix first, and finds the tunnel of a destination', () => {
    const routes = tunnelRoutes(
      readConfig('ip route default gateway tunnel 3\nip route 192.168.100.0/24 gateway tunnel 1\nip route 192.168.100.128/25 gateway tunnel 2\nip route 10.0.0.0/8 gateway 172.16.0.1\n').model,
    );
    expect(routes.map((route) => [route.prefixLength, route.tunnel])).toEqual([[25, 2], [24, 1], [0, 3]]);
    expect(tunnelFor(routes, '192.168.100.30')).toBe(1);
    expect(tunnelFor(routes, '192.168.100.200')).toBe(2);
    expect(tunnelFor(routes, '10.1.2.3')).toBe(3);
    expect(tunnelFor(routes.slice(0, 2), '10.1.2.3')).toBeUndefined();
  });
});
