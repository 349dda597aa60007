/**
 * NAT traversal in Phase 1 (RFC 3947 and the drafts it grew from): which method both sides
 * announced, what the responder's NAT-D payloads say, and the NAT-D payloads of message 3.
 */
import { PayloadType, vendorIdName, type VendorIdName } from '../constants.js';
import { computeNatDiscoveryHash, hash, type HashId } from '../crypto/index.js';
import { addressBytes, type Endpoint, type EndpointPair } from './endpoints.js';
import type { NatTraversalMode, VendorIdSpec } from './options.js';

export type NatTraversalMethod = 'rfc3947' | 'draft-03' | 'draft-02n' | 'draft-02';

/**
 * Methods in order of preference, with the VID that announces each. The RFC first, then the
 * newest draft, as strongSwan prefers them. Drafts 00/01 predate the NAT-D payload and port
 * floating of the later texts, so they are never chosen even when both sides list them.
 */
const METHODS: readonly { method: NatTraversalMethod; vendorId: VendorIdName }[] = [
  { method: 'rfc3947', vendorId: 'NAT_T_RFC3947' },
  { method: 'draft-03', vendorId: 'NAT_T_DRAFT_03' },
  { method: 'draft-02n', vendorId: 'NAT_T_DRAFT_02_N' },
  { method: 'draft-02', vendorId: 'NAT_T_DRAFT_02' },
];

/** NAT-D (and NAT-OA) travel as payload 20 under the RFC, 130 under the drafts. */
export function natDPayloadTypeOf(method: NatTraversalMethod): 20 | 130 {
  return method === 'rfc3947' ? PayloadType.NAT_D : PayloadType.NAT_D_DRAFT;
}

/** The method both sides announced, or undefined (NAT-T off, or no VID in common). */
export function agreeNatTraversal(
  mode: NatTraversalMode,
  sentVendorIds: readonly VendorIdSpec[],
  receivedVendorIds: readonly Buffer[],
): NatTraversalMethod | undefined {
  if (mode === 'off') return undefined;
  const sent = new Set(sentVendorIds.map((vendorId) => (typeof vendorId === 'string' ? vendorId : vendorIdName(vendorId))));
  const received = new Set(receivedVendorIds.map((vendorId) => vendorIdName(vendorId)));
  return METHODS.find(({ vendorId }) => sent.has(vendorId) && received.has(vendorId))?.method;
}

export interface Cookies {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
}

/** hash(CKY-I | CKY-R | IP | port) of one endpoint (RFC 3947 §3.2). */
export function natDiscoveryHash(hashId: HashId, cookies: Cookies, endpoint: Endpoint): Buffer {
  return computeNatDiscoveryHash(hashId, cookies.initiatorCookie, cookies.responderCookie, addressBytes(endpoint.address), endpoint.port);
}

/**
 * What the responder's NAT-D payloads of message 2 say. RFC 3947 §3.2: the first hashes the
 * address the responder sent to (ours, as it saw it), the others the responder's own addresses.
 * Ours differing means we are behind a NAT; none of the others matching the address we sent to
 * means the responder is. Undefined when the responder sent no NAT-D.
 */
export function detectNat(
  hashId: HashId,
  cookies: Cookies,
  natDHashes: readonly Buffer[],
  endpoints: EndpointPair,
): { localBehindNat?: boolean; peerBehindNat?: boolean } {
  const [forUs, ...forResponder] = natDHashes;
  if (forUs === undefined) return {};
  const remoteHash = natDiscoveryHash(hashId, cookies, endpoints.remote);
  return {
    localBehindNat: !forUs.equals(natDiscoveryHash(hashId, cookies, endpoints.local)),
    peerBehindNat: !forResponder.some((candidate) => candidate.equals(remoteHash)),
  };
}

/**
 * The NAT-D hashes of message 3: the responder's endpoint first, then ours. With NAT-T forced,
 * ours is replaced by a hash of no real address (the unspecified address, port 0), so that the
 * responder too concludes there is a NAT, which is how strongSwan's `encap = yes` forces UDP
 * encapsulation.
 */
export function message3NatDHashes(hashId: HashId, cookies: Cookies, endpoints: EndpointPair, mode: NatTraversalMode): [Buffer, Buffer] {
  const local = mode === 'force' ? hash(hashId, cookies.initiatorCookie, cookies.responderCookie, Buffer.alloc(4), Buffer.alloc(2)) : natDiscoveryHash(hashId, cookies, endpoints.local);
  return [natDiscoveryHash(hashId, cookies, endpoints.remote), local];
}
