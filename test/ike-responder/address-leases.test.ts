import fc from 'fast-check';
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

describe('mode-cfg address leases under any order of leases, extra holders and releases', () => {
  /** What the leases must be: the owner's address in the range, else the lowest free one, found by reading everything. */
  class ReadEverything {
    readonly leases = new Map<number, { owner: string; holders: Set<number> }>();
    lease(first: number, last: number, owner: string, holder: number): number | undefined {
      for (const [address, lease] of this.leases) {
        if (lease.owner === owner && address >= first && address <= last) {
          lease.holders.add(holder);
          return address;
        }
      }
      for (let address = first; address <= last; address++) {
        if (this.leases.has(address)) continue;
        this.leases.set(address, { owner, holders: new Set([holder]) });
        return address;
      }
      return undefined;
    }
    release(holder: number): number[] {
      const released: number[] = [];
      for (const [address, lease] of [...this.leases]) {
        if (!lease.holders.delete(holder) || lease.holders.size > 0) continue;
        this.leases.delete(address);
        released.push(address);
      }
      return released;
    }
  }

  it('agree with reading every lease, over two overlapping pools', () => {
    const base = ipv4Number('10.9.0.0')!;
    const pools = [
      { first: base, last: base + 7 },
      { first: base + 4, last: base + 12 },
    ];
    const step = fc.oneof(
      fc.record({ kind: fc.constant<'lease'>('lease'), pool: fc.nat({ max: 1 }), owner: fc.nat({ max: 6 }), holder: fc.nat({ max: 12 }) }),
      fc.record({ kind: fc.constant<'release'>('release'), holder: fc.nat({ max: 12 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const leases = new AddressLeases();
        const model = new ReadEverything();
        for (const s of steps) {
          if (s.kind === 'lease') {
            const pool = pools[s.pool]!;
            const expected = model.lease(pool.first, pool.last, `owner${s.owner}`, s.holder);
            const got = leases.lease({ first: ipv4Text(pool.first), last: ipv4Text(pool.last) }, `owner${s.owner}`, s.holder);
            expect(got).toBe(expected === undefined ? undefined : ipv4Text(expected));
          } else {
            expect(new Set(leases.releaseHolder(s.holder))).toEqual(new Set(model.release(s.holder).map(ipv4Text)));
          }
          expect(leases.size).toBe(model.leases.size);
        }
      }),
    );
  });
});
