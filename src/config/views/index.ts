/** The typed views the router needs, computed from a model (defaults applied). */
import type { ConfigModel } from '../model.js';
import { authView, type AuthView } from './auth.js';
import { consoleSettings, type ConsoleSettings } from './console.js';
import { interfaceSettings, type InterfaceSettings } from './interfaces.js';
import { ipsecGateways, type IpsecGateway } from './ipsec-gateways.js';
import { modeCfgPools, type ModeCfgPool } from './mode-cfg-pools.js';
import { staticRoutes, type StaticRoute } from './routes.js';
import { syslogSettings, type SyslogSettings } from './syslog.js';
import { tunnelInterfaces, type TunnelInterface } from './tunnels.js';

export interface ConfigViews {
  readonly ipsecGateways: readonly IpsecGateway[];
  readonly tunnels: readonly TunnelInterface[];
  readonly auth: AuthView;
  readonly modeCfgPools: ReadonlyMap<number, ModeCfgPool>;
  readonly interfaces: ReadonlyMap<string, InterfaceSettings>;
  readonly routes: readonly StaticRoute[];
  readonly syslog: SyslogSettings;
  readonly console: ConsoleSettings;
}

export function configViews(model: ConfigModel): ConfigViews {
  return {
    ipsecGateways: ipsecGateways(model),
    tunnels: tunnelInterfaces(model),
    auth: authView(model),
    modeCfgPools: modeCfgPools(model),
    interfaces: interfaceSettings(model),
    routes: staticRoutes(model),
    syslog: syslogSettings(model),
    console: consoleSettings(model),
  };
}

export * from './auth.js';
export * from './console.js';
export * from './interfaces.js';
export * from './ipsec-gateways.js';
export * from './mode-cfg-pools.js';
export * from './pre-shared-key.js';
export * from './routes.js';
export * from './syslog.js';
export * from './tunnels.js';
