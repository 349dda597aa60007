/**
 * Which inner packets an SA pair may carry: the Quick Mode client IDs as traffic selectors
 * (RFC 2409 §5.5, IDci ours and IDcr the gateway's side). RFC 4301 §5.2 step 4: after
 * decrypting, a tunnel-mode receiver checks the inner header against the SA's selectors and
 * drops what does not match; a sender only puts matching packets on the SA (§5.1).
 */
import { isIPv4 } from 'node:net';
import { decodeIpv4Packet } from '../esp/ip/index.js';
import type { Identity } from '../ike/codec/index.js';
import { parseIpv4 } from '../ike/codec/address.js';

export interface TrafficSelectors {
  /** IDci: what our inner packets come from (the mode-cfg or hand-set address). */
  readonly local: Identity;
  /** IDcr: what lies behind the gateway (`10.1.1.0/255.255.255.0` for the seed's LAN). */
  readonly remote: Identity;
}

const toNumber = (address: string): number => parseIpv4(address).readUInt32BE(0);

/** Whether an IPv4 address falls inside an IPv4 ID; IDs of other kinds hold no IPv4 address. */
export function identityHolds(identity: Identity, address: string): boolean {
  if (!isIPv4(address)) return false;
  const value = toNumber(address);
  switch (identity.kind) {
    case 'ipv4-address':
      return toNumber(identity.address) === value;
    case 'ipv4-subnet': {
      const mask = toNumber(identity.netmask);
      return ((value & mask) >>> 0) === ((toNumber(identity.address) & mask) >>> 0);
    }
    case 'ipv4-range':
      return toNumber(identity.first) <= value && value <= toNumber(identity.last);
    default:
      return false;
  }
}

/** Direction-aware check of an IPv4 packet; undecodable bytes match nothing. */
export function packetMatchesSelectors(packet: Buffer, selectors: TrafficSelectors, direction: 'outbound' | 'inbound'): boolean {
  const decoded = decodeIpv4Packet(packet);
  if (!decoded.ok) return false;
  const { source, destination } = decoded.packet.header;
  const [ours, theirs] = direction === 'outbound' ? [source, destination] : [destination, source];
  return identityHolds(selectors.local, ours) && identityHolds(selectors.remote, theirs);
}
