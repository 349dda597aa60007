/**
 * Inner addresses handed out by mode-cfg, held while the SAs that use them live (§15.38: the
 * pool's addresses are assigned to clients; when it is exhausted, none is assigned).
 *
 * A lease belongs to an owner (who asked: gateway, peer address, user) and is held by SAs (SA
 * numbers): the ISAKMP SA that pushed it, and the IPsec SAs made under it. The address goes back
 * to the pool when the last holder is gone (ASSUMED: the reference only says addresses are
 * assigned and may run out). The same owner asking again (the client re-authenticating with a
 * new ISAKMP SA before the old one is gone) gets the address it already holds (ASSUMED).
 * Addresses are handed out lowest first (ASSUMED).
 */
import { isIPv4 } from 'node:net';
import { SetIndex } from './index-sets.js';

export interface AddressRange {
  readonly first: string;
  readonly last: string;
}

interface Lease {
  readonly address: string;
  readonly owner: string;
  readonly holders: Set<number>;
}

/** One leased address, for the state API and tests. */
export interface LeaseView {
  readonly address: string;
  readonly owner: string;
  readonly holders: readonly number[];
}

/** The largest range rtxlab walks (a /16): RTX pools are small; this bounds a mistyped one. */
const MAX_RANGE_SIZE = 65_536;

export class AddressLeases {
  private readonly byAddress = new Map<string, Lease>();
  /** Indexes, so that a lease or a release costs the same with ten thousand leases as with ten. */
  private readonly byOwner = new SetIndex<string, string>();
  private readonly byHolder = new SetIndex<number, string>();
  /**
   * Per range (`first-last`), an address below which every address of the range is leased: the
   * lowest free one is found from there, not from the range's start (only a release lowers it).
   */
  private readonly lowestPossiblyFree = new Map<string, number>();

  /**
   * An address of `range` for `owner`, held by `holder`: the one the owner already holds in the
   * range, else the lowest free one, else undefined (exhausted).
   */
  lease(range: AddressRange, owner: string, holder: number): string | undefined {
    const first = ipv4Number(range.first);
    const last = ipv4Number(range.last);
    if (first === undefined || last === undefined || last < first) return undefined;
    const inRange = (address: string) => {
      const value = ipv4Number(address);
      return value !== undefined && value >= first && value <= last;
    };
    for (const address of this.byOwner.get(owner)) {
      const lease = this.byAddress.get(address);
      if (lease && inRange(address)) {
        this.addHolder(address, holder);
        return address;
      }
    }
    const rangeKey = `${first}-${last}`;
    const end = Math.min(last, first + MAX_RANGE_SIZE - 1);
    for (let value = Math.max(first, this.lowestPossiblyFree.get(rangeKey) ?? first); value <= end; value++) {
      const address = ipv4Text(value);
      if (this.byAddress.has(address)) continue;
      this.byAddress.set(address, { address, owner, holders: new Set([holder]) });
      this.byOwner.add(owner, address);
      this.byHolder.add(holder, address);
      this.lowestPossiblyFree.set(rangeKey, value + 1);
      return address;
    }
    return undefined;
  }

  /** Another SA (an IPsec SA made under the ISAKMP SA that pushed it) now uses the address. */
  addHolder(address: string, holder: number): void {
    const lease = this.byAddress.get(address);
    if (!lease) return;
    lease.holders.add(holder);
    this.byHolder.add(holder, address);
  }

  /** An SA is gone; returns the addresses that went back to their pool. */
  releaseHolder(holder: number): string[] {
    const released: string[] = [];
    for (const address of this.byHolder.get(holder)) {
      this.byHolder.remove(holder, address);
      const lease = this.byAddress.get(address);
      if (!lease || !lease.holders.delete(holder) || lease.holders.size > 0) continue;
      this.byAddress.delete(address);
      this.byOwner.remove(lease.owner, address);
      released.push(address);
      const value = ipv4Number(address) ?? 0;
      for (const [rangeKey, from] of this.lowestPossiblyFree) if (value < from) this.lowestPossiblyFree.set(rangeKey, value);
    }
    return released;
  }

  leases(): LeaseView[] {
    return [...this.byAddress.values()]
      .map((lease) => ({ address: lease.address, owner: lease.owner, holders: [...lease.holders].sort((a, b) => a - b) }))
      .sort((a, b) => (ipv4Number(a.address) ?? 0) - (ipv4Number(b.address) ?? 0));
  }

  get size(): number {
    return this.byAddress.size;
  }
}

export function ipv4Number(address: string): number | undefined {
  if (!isIPv4(address)) return undefined;
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

export function ipv4Text(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
