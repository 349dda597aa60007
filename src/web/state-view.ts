/**
 * The live panels' picture of a router: its views (`ipsecState()`, `tunnels()`, `leases()`)
 * turned into the page's rows. Built field by field from values that hold no secret (no key, no
 * pre-shared key, no password), so nothing secret can reach the page through the panels.
 */
import type { IpsecSaEvent, RouterControl } from '../router/rtx-router-api.js';
import type { IpsecSaPanelRow, IsakmpSaPanelRow, LeasePanelRow, RouterStateView, TunnelPanelRow } from './messages.js';

type StateSource = Pick<RouterControl, 'ipsecState' | 'tunnels' | 'leases' | 'now'>;

const hostPort = (endpoint: { readonly address: string; readonly port: number }): string =>
  endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;

/**
 * `newestPairs`: each tunnel's newest SA pair as `ipsec-sa-up` reported it (the views hold the
 * SPIs per direction but not which pair is current; the server remembers the event).
 */
export function routerStateView(router: StateSource, newestPairs: ReadonlyMap<number, IpsecSaEvent>): RouterStateView {
  const state = router.ipsecState();
  const tunnels: TunnelPanelRow[] = router.tunnels().map((tunnel) => {
    const pair = tunnel.up ? newestPairs.get(tunnel.tunnelId) : undefined;
    return {
      tunnelId: tunnel.tunnelId,
      gatewayId: tunnel.gatewayId,
      up: tunnel.up,
      ...(tunnel.peerAddress === undefined ? {} : { peer: tunnel.peerAddress }),
      ...(tunnel.upSince === undefined ? {} : { upSince: tunnel.upSince }),
      ...(pair?.internalAddress === undefined ? {} : { virtualAddress: pair.internalAddress }),
      ...(pair === undefined
        ? {}
        : { algorithms: `${pair.encryption} / ${pair.integrity}`, inboundSpi: pair.inboundSpi, outboundSpi: pair.outboundSpi }),
      packetsIn: tunnel.traffic?.packetsIn ?? 0,
      octetsIn: tunnel.traffic?.octetsIn ?? 0,
      packetsOut: tunnel.traffic?.packetsOut ?? 0,
      octetsOut: tunnel.traffic?.octetsOut ?? 0,
    };
  });
  const isakmpSas: IsakmpSaPanelRow[] = state.isakmpSas.map((sa) => ({
    number: sa.number,
    gatewayId: sa.gatewayId,
    peer: hostPort(sa.peer),
    algorithms: `${sa.cipher} / ${sa.hash} / group ${sa.group}`,
    xauth: sa.xauth,
    ...(sa.xauthUser === undefined ? {} : { xauthUser: sa.xauthUser }),
    ...(sa.internalAddress === undefined ? {} : { virtualAddress: sa.internalAddress }),
    lifeRemainingSeconds: sa.lifeRemainingSeconds,
  }));
  const ipsecSas: IpsecSaPanelRow[] = state.ipsecSas.map((sa) => ({
    number: sa.number,
    tunnelId: sa.tunnelId,
    ...(sa.isakmpSaNumber === undefined ? {} : { isakmpSaNumber: sa.isakmpSaNumber }),
    direction: sa.direction,
    spi: sa.spi.toString('hex'),
    peer: hostPort(sa.peer),
    algorithms: `${sa.encryption} / ${sa.integrity}`,
    udpEncapsulated: sa.mode === 'udp-encapsulated-tunnel',
    lifeRemainingSeconds: sa.lifeRemainingSeconds,
  }));
  const leases: LeasePanelRow[] = router.leases().map((lease) => ({ address: lease.address, owner: lease.owner, holders: [...lease.holders] }));
  return { time: router.now(), tunnels, isakmpSas, ipsecSas, leases };
}
