/**
 * Which side sent each datagram of a captured ISAKMP SA. By address when client and gateway have
 * different ones (a real capture); on loopback (rtxlab's own captures) they share one, so by the
 * endpoints each side has used. Either way a client that floats to NAT-T (RFC 3947 §4: the
 * initiator moves to port 4500 for message 3) keeps being the client: the side that opens a new
 * pair of endpoints is the client, since only the initiator floats.
 */
import type { CapturedIke } from './pcap-file.js';

export type CaptureSide = 'client' | 'gateway';

type Endpoint = CapturedIke['from'];

const key = (endpoint: Endpoint) => `${endpoint.address}|${endpoint.port}`;

/** The side of every datagram, given the client's message 1 (which fixes both first endpoints). */
export function captureSides(datagrams: readonly CapturedIke[], message1: CapturedIke): Map<CapturedIke, CaptureSide> {
  const clientAddress = message1.from.address;
  const gatewayAddress = message1.to.address;
  const clientEnds = new Set([key(message1.from)]);
  const gatewayEnds = new Set([key(message1.to)]);
  const sides = new Map<CapturedIke, CaptureSide>();
  for (const datagram of datagrams) {
    const side = sideOf(datagram, clientAddress, gatewayAddress, clientEnds, gatewayEnds);
    (side === 'client' ? clientEnds : gatewayEnds).add(key(datagram.from));
    (side === 'client' ? gatewayEnds : clientEnds).add(key(datagram.to));
    sides.set(datagram, side);
  }
  return sides;
}

function sideOf(datagram: CapturedIke, clientAddress: string, gatewayAddress: string, clientEnds: Set<string>, gatewayEnds: Set<string>): CaptureSide {
  if (clientAddress !== gatewayAddress) return datagram.from.address === clientAddress ? 'client' : 'gateway';
  if (clientEnds.has(key(datagram.from)) || gatewayEnds.has(key(datagram.to))) return 'client';
  if (gatewayEnds.has(key(datagram.from)) || clientEnds.has(key(datagram.to))) return 'gateway';
  return 'client';
}
