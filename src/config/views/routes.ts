/**
 * Static routes (`ip route`, §8.1.7): destination and one or more gateways (ECMP), each with its
 * filters, `hide`, metric and weight as written.
 */
import { ipParams, type RouteGatewayParam } from '../families/ip.js';
import { prefixLengthOf } from '../families/checks.js';
import type { ConfigModel } from '../model.js';

export type RouteDestination =
  | { readonly kind: 'default' }
  /** Without a mask the destination is one host (/32). */
  | { readonly kind: 'network'; readonly address: string; readonly prefixLength: number };

export interface StaticRoute {
  readonly destination: RouteDestination;
  readonly gateways: readonly RouteGatewayParam[];
}

export function staticRoutes(model: ConfigModel): StaticRoute[] {
  return model.byName('ip route').map((command) => {
    const { destination, gateways } = ipParams(command, 'ip route');
    return {
      destination:
        destination.kind === 'default'
          ? { kind: 'default' }
          : {
              kind: 'network',
              address: destination.address,
              prefixLength: destination.mask === undefined ? 32 : (prefixLengthOf(destination.mask) ?? 32),
            },
      gateways,
    };
  });
}
