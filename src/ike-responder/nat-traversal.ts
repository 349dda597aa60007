import { isIPv4, isIPv6 } from 'node:net';
import { PayloadType, vendorIdName, type VendorIdName } from '../ike/constants.js';
import { natDPayload, parseIpv4, parseIpv6, type NatDPayload } from '../ike/codec/index.js';
import { computeNatDiscoveryHash, type HashId } from '../ike/crypto/index.js';
import type { Endpoint } from './port.js';
import type { GatewayPolicy } from './policy.js';

/**
 * The NAT-T flavour both sides speak: RFC 3947 (NAT-D payload 20) or one of the drafts
 * (payload 130). The responder answers with the Vendor ID it chose from the initiator's.
 */
export interface NatTraversalVariant {
  readonly vendorId: VendorIdName;
  readonly natDPayloadType: typeof PayloadType.NAT_D | typeof PayloadType.NAT_D_DRAFT;
}

/** Most preferred first: the RFC, then the drafts strongSwan, racoon and vpnc send. */
const PREFERENCE: readonly VendorIdName[] = ['NAT_T_RFC3947', 'NAT_T_DRAFT_03', 'NAT_T_DRAFT_02_N', 'NAT_T_DRAFT_02'];

/**
 * NAT-T is used only when the gateway has `ipsec ike nat-traversal GW on` and the initiator
 * announced a NAT-T Vendor ID in message 1 (RFC 3947 §3.1); otherwise message 2 carries neither
 * the VID nor NAT-D.
 */
export function negotiateNatTraversal(gateway: GatewayPolicy, peerVendorIds: readonly Buffer[]): NatTraversalVariant | undefined {
  if (!gateway.natTraversal.enabled) return undefined;
  const announced = new Set(peerVendorIds.map(vendorIdName));
  const vendorId = PREFERENCE.find((name) => announced.has(name));
  if (vendorId === undefined) return undefined;
  return { vendorId, natDPayloadType: vendorId === 'NAT_T_RFC3947' ? PayloadType.NAT_D : PayloadType.NAT_D_DRAFT };
}

export function addressBytes(address: string): Buffer | undefined {
  if (isIPv4(address)) return parseIpv4(address);
  if (isIPv6(address)) return parseIpv6(address);
  return undefined;
}

function natDiscoveryHash(hashId: HashId, initiatorCookie: Buffer, responderCookie: Buffer, endpoint: Endpoint): Buffer | undefined {
  const address = addressBytes(endpoint.address);
  return address && computeNatDiscoveryHash(hashId, initiatorCookie, responderCookie, address, endpoint.port);
}

/**
 * The responder's NAT-D pair for message 2: first the remote end (where the datagram came from),
 * then the local end (where it arrived), both exactly as seen on the wire (RFC 3947 §3.2).
 */
export function natDiscoveryPayloads(
  variant: NatTraversalVariant,
  hashId: HashId,
  cookies: { readonly initiatorCookie: Buffer; readonly responderCookie: Buffer },
  remote: Endpoint,
  local: Endpoint,
): NatDPayload[] {
  const draft = variant.natDPayloadType === PayloadType.NAT_D_DRAFT;
  return [remote, local].flatMap((endpoint) => {
    const hash = natDiscoveryHash(hashId, cookies.initiatorCookie, cookies.responderCookie, endpoint);
    return hash ? [natDPayload(hash, { draft })] : [];
  });
}

/** What the initiator's NAT-D payloads in message 3 say (RFC 3947 §3.2). */
export interface NatDetection {
  /** No NAT-D hash of the initiator matches its address and port as we see them. */
  readonly peerBehindNat: boolean;
  /** The initiator's view of our address and port differs from ours. */
  readonly selfBehindNat: boolean;
}

/**
 * The initiator's first NAT-D hashes its destination (us), the others its own addresses. Kept
 * for the Quick Mode of the next issue (UDP-encapsulated modes). Undefined without NAT-D.
 */
export function detectNat(
  hashId: HashId,
  cookies: { readonly initiatorCookie: Buffer; readonly responderCookie: Buffer },
  peerHashes: readonly Buffer[],
  remote: Endpoint,
  local: Endpoint,
): NatDetection | undefined {
  const [destination, ...sources] = peerHashes;
  if (destination === undefined) return undefined;
  const ours = natDiscoveryHash(hashId, cookies.initiatorCookie, cookies.responderCookie, local);
  const theirs = natDiscoveryHash(hashId, cookies.initiatorCookie, cookies.responderCookie, remote);
  return {
    peerBehindNat: theirs === undefined || !sources.some((hash) => hash.equals(theirs)),
    selfBehindNat: ours === undefined || !destination.equals(ours),
  };
}
