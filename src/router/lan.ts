import { isIPv4 } from 'node:net';
import type { ConfigModel } from '../config/model.js';
import { interfaceSettings } from '../config/views/interfaces.js';

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
  return { ownAddresses, lanHosts: new Set(lanHosts) };
}
