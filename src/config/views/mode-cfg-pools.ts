/**
 * Internal address pools for IPsec clients (`ipsec ike mode-cfg address pool`, §15.37): the
 * addresses the router pushes in mode-cfg SET after XAUTH. An exhausted pool assigns nothing.
 */
import { ipv4ToNumber, numberToIpv4, prefixLengthOf } from '../families/checks.js';
import { ipsecParams } from '../families/ipsec.js';
import type { ConfigModel } from '../model.js';

export interface ModeCfgPool {
  readonly poolId: number;
  readonly first: string;
  readonly last: string;
  /** Number of addresses from first to last inclusive. */
  readonly size: number;
  /** The `/mask` written after the range, as a prefix length (sent as INTERNAL_IP4_NETMASK). */
  readonly prefixLength?: number;
}

export function modeCfgPools(model: ConfigModel): ReadonlyMap<number, ModeCfgPool> {
  const pools = new Map<number, ModeCfgPool>();
  for (const command of model.byName('ipsec ike mode-cfg address pool')) {
    const { poolId, range } = ipsecParams(command, 'ipsec ike mode-cfg address pool');
    const [addresses = '', mask] = range.split('/');
    const [first = '', last = first] = addresses.split('-');
    const prefixLength = mask === undefined ? undefined : prefixLengthOf(mask);
    pools.set(poolId, {
      poolId,
      first,
      last,
      size: ipv4ToNumber(last) - ipv4ToNumber(first) + 1,
      ...(prefixLength === undefined ? {} : { prefixLength }),
    });
  }
  return pools;
}

/** The pool's addresses in order. */
export function poolAddresses(pool: ModeCfgPool): string[] {
  const start = ipv4ToNumber(pool.first);
  return Array.from({ length: pool.size }, (_, i) => numberToIpv4(start + i));
}
