/**
 * The responder's ISAKMP SAs by what it looks them up by besides their cookies: their `show ipsec
 * sa` number, their gateway and tunnel, and their peer's address. Each lookup used to walk every SA
 * (reading each machine's snapshot), once or more per negotiation; with ten thousand tunnels that
 * made each handshake cost more the more tunnels were up (issue 14 point 4).
 *
 * The responder re-indexes an SA after each event that may have changed these keys (its machine
 * learns the gateway from message 1 and the number comes with establishment) and forgets it when
 * it goes. Lookups return SAs in the order `orderOf` gives (the order they were made in), as a
 * walk over the table would: re-filing an SA under a new key would otherwise move it last.
 */
import { SetIndex } from './index-sets.js';

/** Always all four properties (absent ones undefined): one object shape, 64 bytes instead of about 260 (issue 14 point 4). */
export interface SaEntryKeys {
  readonly number: number | undefined;
  readonly gatewayId: number | undefined;
  readonly tunnelId: number | undefined;
  readonly peerAddress: string;
}

export class SaEntryIndex<T> {
  private readonly keysOf = new Map<T, SaEntryKeys>();
  private readonly byNumber = new Map<number, T>();
  private readonly byGateway = new SetIndex<number, T>();
  private readonly byTunnel = new SetIndex<number, T>();
  private readonly byPeerAddress = new SetIndex<string, T>();

  constructor(private readonly orderOf: (entry: T) => number) {}

  /** Files (or re-files) the entry under these keys. */
  index(entry: T, keys: SaEntryKeys): void {
    const previous = this.keysOf.get(entry);
    if (previous && sameKeys(previous, keys)) return;
    if (previous) this.remove(entry);
    this.keysOf.set(entry, keys);
    if (keys.number !== undefined) this.byNumber.set(keys.number, entry);
    if (keys.gatewayId !== undefined) this.byGateway.add(keys.gatewayId, entry);
    if (keys.tunnelId !== undefined) this.byTunnel.add(keys.tunnelId, entry);
    this.byPeerAddress.add(keys.peerAddress, entry);
  }

  remove(entry: T): void {
    const keys = this.keysOf.get(entry);
    if (!keys) return;
    this.keysOf.delete(entry);
    if (keys.number !== undefined && this.byNumber.get(keys.number) === entry) this.byNumber.delete(keys.number);
    if (keys.gatewayId !== undefined) this.byGateway.remove(keys.gatewayId, entry);
    if (keys.tunnelId !== undefined) this.byTunnel.remove(keys.tunnelId, entry);
    this.byPeerAddress.remove(keys.peerAddress, entry);
  }

  withNumber(number: number): T | undefined {
    return this.byNumber.get(number);
  }

  onGateway(gatewayId: number): T[] {
    return this.ordered(this.byGateway.get(gatewayId));
  }

  onTunnel(tunnelId: number): T[] {
    return this.ordered(this.byTunnel.get(tunnelId));
  }

  withPeerAddress(address: string): T[] {
    return this.ordered(this.byPeerAddress.get(address));
  }

  private ordered(entries: T[]): T[] {
    return entries.sort((a, b) => this.orderOf(a) - this.orderOf(b));
  }
}

function sameKeys(first: SaEntryKeys, second: SaEntryKeys): boolean {
  return first.number === second.number && first.gatewayId === second.gatewayId && first.tunnelId === second.tunnelId && first.peerAddress === second.peerAddress;
}
