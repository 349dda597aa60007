import { isIPv4 } from 'node:net';
import type { ConfigModel } from '../config/model.js';
import { interfaceSettings } from '../config/views/interfaces.js';
import { staticRoutes } from '../config/views/routes.js';

// The router's inside as the data plane sees it: the addresses the router answers as itself
// (its interfaces, from `ip lan1 address 10.1.1.1/24` and the like) and the simulated hosts
// behind it (`rtxlab start --lan-host ADDR`, an rtxlab option: the RTX has real hosts there).

/** The UDP echo service (RFC 862) each simulated LAN host runs. */
export const LAN_HOST_UDP_ECHO_PORT = 7;

export interface RouterInside {
  /** IPv4 addresses of the router's interfaces: they answer ICMP echo from a tunnel. */
  readonly ownAddresses: ReadonlySet<string>;
  /** Simulated LAN hosts: each answers ICMP echo and UDP echo on port 7. */
  readonly lanHosts: ReadonlySet<string>;
  /** `ip route NETWORK gateway tunnel N` (and `ip route default gateway tunnel N`), longest prefix first. */
  readonly tunnelRoutes?: readonly TunnelRoute[];
}

export interface TunnelRoute {
  /** The network as a 32-bit number, already masked. */
  readonly network: number;
  readonly prefixLength: number;
  readonly tunnel: number;
}

/**
 * The static routes whose gateway is a tunnel (the seed's `ip route 192.168.100.0/24 gateway
 * tunnel 1`), longest prefix first. Of several gateways (ECMP) the first tunnel one is taken;
 * filters, `hide` and keepalives are not modelled.
 */
export function tunnelRoutes(model: ConfigModel): TunnelRoute[] {
  const routes: TunnelRoute[] = [];
  for (const route of staticRoutes(model)) {
    const gateway = route.gateways.find((g) => g.target.kind === 'tunnel');
    if (gateway === undefined || gateway.target.kind !== 'tunnel') continue;
    const prefixLength = route.destination.kind === 'default' ? 0 : route.destination.prefixLength;
    const address = route.destination.kind === 'default' ? '0.0.0.0' : route.destination.address;
    routes.push({ network: (ipv4Number(address) & prefixMask(prefixLength)) >>> 0, prefixLength, tunnel: gateway.target.tunnel });
  }
  return routes.sort((x, y) => y.prefixLength - x.prefixLength);
}

/** The tunnel a destination is routed to by `ip route ... gateway tunnel N`, if any. */
export function tunnelFor(routes: readonly TunnelRoute[], destination: string): number | undefined {
  const address = ipv4Number(destination);
  return routes.find((route) => ((address & prefixMask(route.prefixLength)) >>> 0) === route.network)?.tunnel;
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}

function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/**
 * Every static IPv4 address (primary and secondary) configured on an interface. DHCP-assigned
 * ones are unknown to an emulator and left out.
 */
export function interfaceAddresses(model: ConfigModel): Set<string> {
  const addresses = new Set<string>();
  for (const settings of interfaceSettings(model).values()) {
    for (const address of [settings.address, settings.secondaryAddress]) {
      if (address?.kind === 'static' && isIPv4(address.address)) addresses.add(address.address);
    }
  }
  return addresses;
}

/** The inside for a config and the `--lan-host` addresses; a LAN host may not take a router address. */
export function routerInside(model: ConfigModel, lanHosts: readonly string[] = []): RouterInside {
  const ownAddresses = interfaceAddresses(model);
  const clash = lanHosts.find((host) => ownAddresses.has(host));
  if (clash !== undefined) throw new RangeError(`--lan-host ${clash} is one of the router's own interface addresses`);
  return { ownAddresses, lanHosts: new Set(lanHosts), tunnelRoutes: tunnelRoutes(model) };
}
