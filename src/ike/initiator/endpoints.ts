import { isIPv4 } from 'node:net';
import { parseIpv4, parseIpv6 } from '../codec/index.js';

export type { Endpoint } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';

/** Both ends of one UDP path, seen from the initiator. */
export interface EndpointPair {
  readonly local: Endpoint;
  readonly remote: Endpoint;
}

/**
 * The two UDP paths an IKEv1 client may use: `isakmp` (the gateway's port 500) and, once NAT-T
 * floats, `nat-t` (port 4500, every IKE message behind a 4-byte non-ESP marker, RFC 3948 §2.2).
 */
export type TransportPath = 'isakmp' | 'nat-t';

/** The endpoints of each path the driver opened; `nat-t` is absent when NAT-T is off. */
export interface TransportPaths {
  readonly isakmp: EndpointPair;
  readonly natT?: EndpointPair;
}

/** The 4 or 16 address bytes that NAT-D hashes (RFC 3947 §3.2). */
export function addressBytes(address: string): Buffer {
  return isIPv4(address) ? parseIpv4(address) : parseIpv6(address);
}

export function formatEndpoint(endpoint: Endpoint): string {
  return isIPv4(endpoint.address) ? `${endpoint.address}:${endpoint.port}` : `[${endpoint.address}]:${endpoint.port}`;
}
