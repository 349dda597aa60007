import { describe, expect, it } from 'vitest';
import { AddressLeases, ipv4Number, ipv4Text } from '../../src/ike-responder/address-leases.js';

const SEED_POOL = { first: '10.1.1.110', last: '10.1.1.112' };

describe('mode-cfg address leases', () => {
  it('hands out the lowest free address and nothing once the pool is exhausted (§15.38)', () => {
    const leases = new AddressLeases();
    expect(['a', 'b', 'c', 'd'].map((owner, index) => leases.lease(SEED_POOL, owner, index + 1))).toEqual(['10.1.1.110', '10.1.1.111', '10.1.1.112', undefined]);
  });

  it('gives an owner the address it already holds, with one more holder', () => {
    const leases = new AddressLeases();
    expect(leases.lease(SEED_POOL, 'gw1|192.0.2.132|user1', 1)).toBe('10.1.1.110');
    expect(leases.lease(SEED_POOL, 'gw1|192.0.2.132|user1', 4)).toBe('10.1.1.110');
    expect(leases.leases()).toEqual([{ address: '10.1.1.110', owner: 'gw1|192.0.2.132|user1', holders: [1, 4] }]);
  });

  it('returns an address to the pool when its last holder is gone, and reuses it', () => {
    const leases = new AddressLeases();
    leases.lease(SEED_POOL, 'a', 1);
    leases.addHolder('10.1.1.110', 2);
    leases.lease(SEED_POOL, 'b', 3);
    expect(leases.releaseHolder(1)).toEqual([]);
    expect(leases.releaseHolder(2)).toEqual(['10.1.1.110']);
    expect(leases.lease(SEED_POOL, 'c', 5)).toBe('10.1.1.110');
    expect(leases.size).toBe(2);
  });

  it('refuses ranges that are not IPv4 or run backwards', () => {
    const leases = new AddressLeases();
    expect(leases.lease({ first: '2001:db8::1', last: '2001:db8::9' }, 'a', 1)).toBeUndefined();
    expect(leases.lease({ first: '10.0.0.9', last: '10.0.0.1' }, 'a', 1)).toBeUndefined();
  });

  it('converts addresses and numbers both ways', () => {
    expect(ipv4Number('10.1.1.110')).toBe(0x0a01016e);
    expect(ipv4Text(0xffffffff)).toBe('255.255.255.255');
    expect(ipv4Number('not an address')).toBeUndefined();
  });
});
