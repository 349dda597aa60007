import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { readConfig } from '../../src/config/read-config.js';
import { interfaceAddresses, routerInside } from '../../src/router/lan.js';

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
    expect(inside).toEqual({ ownAddresses: new Set(['10.1.1.1']), lanHosts: new Set(['10.1.1.20', '10.1.1.21']) });
  });

  it('refuses a LAN host on a router address', () => {
    expect(() => routerInside(model('ip lan1 address 10.1.1.1/24\n'), ['10.1.1.1'])).toThrow(/10\.1\.1\.1 is one of the router's own/);
  });
});
