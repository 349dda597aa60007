/**
 * The SAs the router itself initiated, as `show ipsec sa` and `show status tunnel` list them
 * (rtx-behaviour.md §5.2/§5.3): the same rows as the responder's (ike-responder/ipsec-state.ts),
 * numbered from the one sequence both sides share, and `mergeIpsecStates` to put the two
 * pictures together. A real RTX lists its initiated SAs in the same table as the answered ones
 * (the table has no role column); the row layout is the verified one, the values are the
 * initiator's own.
 */
import { ipsecSaRow, secondsBetween, type IpsecSaRow, type IpsecState, type IsakmpSaRow, type TunnelRow } from '../ike-responder/ipsec-state.js';
import type { GatewayRun, OwnIsakmpSa, OwnIpsecSa } from './initiator.js';
import type { InitiatingGateway } from './initiating-policy.js';

export interface InitiatorStateRows {
  readonly isakmpSas: readonly IsakmpSaRow[];
  readonly ipsecSas: readonly IpsecSaRow[];
  /** Tunnels that have a pair this side made. */
  readonly upTunnels: readonly { readonly tunnelId: number; readonly upSince: number; readonly peerAddress: string }[];
  readonly pairs: number;
}

export interface StateRowSockets {
  /** The router's address (the ISAKMP SA's local ID: the RTX's ID is its address in Main Mode). */
  readonly localAddress: string;
  readonly peerIkePort: number;
  readonly peerNattPort: number;
}

export function initiatorStateRows(runs: readonly { readonly entry: InitiatingGateway; readonly run: GatewayRun }[], sockets: StateRowSockets, now: number): InitiatorStateRows {
  const isakmpSas: IsakmpSaRow[] = [];
  const ipsecSas: IpsecSaRow[] = [];
  const upTunnels: { tunnelId: number; upSince: number; peerAddress: string }[] = [];
  let pairs = 0;
  for (const { entry, run } of runs) {
    const { gatewayId } = entry.gateway;
    const isakmp = run.isakmp;
    if (isakmp !== undefined) isakmpSas.push(isakmpRow(isakmp, entry, sockets, now));
    for (const sa of run.ipsec) {
      pairs++;
      for (const direction of ['send', 'recv'] as const) ipsecSas.push(ipsecRow(sa, direction, gatewayId, isakmp?.number, now));
    }
    if (run.ipsec.length > 0 && run.upSince !== undefined) upTunnels.push({ tunnelId: entry.gateway.tunnelId, upSince: run.upSince, peerAddress: entry.peerAddress });
  }
  return { isakmpSas, ipsecSas, upTunnels, pairs };
}

function isakmpRow(isakmp: OwnIsakmpSa, entry: InitiatingGateway, sockets: StateRowSockets, now: number): IsakmpSaRow {
  const { sa } = isakmp;
  const { proposal } = sa.negotiated;
  return {
    number: isakmp.number,
    gatewayId: entry.gateway.gatewayId,
    peer: { address: entry.peerAddress, port: isakmp.floated ? sockets.peerNattPort : sockets.peerIkePort },
    localAddress: entry.gateway.localAddress ?? sockets.localAddress,
    establishedAt: isakmp.establishedAt,
    durationSeconds: secondsBetween(isakmp.establishedAt, now),
    expiresAt: isakmp.expiresAt,
    lifeRemainingSeconds: secondsBetween(now, isakmp.expiresAt),
    cipher: proposal.encryption,
    hash: proposal.hash,
    group: proposal.group,
    spi: Buffer.concat([sa.initiatorCookie, sa.responderCookie]),
    xauth: 'not-requested',
  };
}

function ipsecRow(sa: OwnIpsecSa, direction: 'send' | 'recv', gatewayId: number, liveIsakmp: number | undefined, now: number): IpsecSaRow {
  const { installed } = sa;
  return ipsecSaRow(
    {
      inboundNumber: sa.inboundNumber,
      outboundNumber: sa.outboundNumber,
      gatewayId,
      tunnelId: installed.tunnelId,
      // The ISAKMP SA that made it, while that one lives (as the responder's rows).
      liveIsakmpSaNumber: liveIsakmp === sa.isakmpNumber ? sa.isakmpNumber : undefined,
      udpEncapsulated: installed.udpEncapsulated,
      encryption: installed.encryption,
      integrity: installed.integrity,
      inbound: installed.inbound,
      outbound: installed.outbound,
      peer: installed.peer,
      establishedAt: installed.establishedAt,
      expiresAt: sa.expiresAt,
      ...(installed.lifeKilobytes === undefined ? {} : { lifeKilobytes: installed.lifeKilobytes }),
      ...(installed.initiatorIdentity ? { initiatorIdentity: installed.initiatorIdentity } : {}),
      ...(installed.responderIdentity ? { responderIdentity: installed.responderIdentity } : {}),
    },
    direction,
    now,
  );
}

/**
 * The router's whole picture: the responder's SAs and the initiator's in one table by number,
 * totals summed, and a tunnel up when either side has a pair on it (since the earlier of the two).
 */
export function mergeIpsecStates(responder: IpsecState, initiator: InitiatorStateRows, now: number): IpsecState {
  const byNumber = <T extends { readonly number: number }>(a: T, b: T) => a.number - b.number;
  const tunnels = responder.tunnels.map((tunnel): TunnelRow => {
    const own = initiator.upTunnels.find((up) => up.tunnelId === tunnel.tunnelId);
    if (own === undefined || (tunnel.up && tunnel.upSince !== undefined && tunnel.upSince <= own.upSince)) return tunnel;
    return { ...tunnel, up: true, upSince: own.upSince, durationSeconds: secondsBetween(own.upSince, now), peerAddress: own.peerAddress };
  });
  return {
    totals: {
      isakmp: responder.totals.isakmp + initiator.isakmpSas.length,
      send: responder.totals.send + initiator.pairs,
      recv: responder.totals.recv + initiator.pairs,
    },
    isakmpSas: [...responder.isakmpSas, ...initiator.isakmpSas].sort(byNumber),
    ipsecSas: [...responder.ipsecSas, ...initiator.ipsecSas].sort(byNumber),
    tunnels,
  };
}
