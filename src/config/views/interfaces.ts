/**
 * Interface settings from `ip <interface> ...`: addresses, MTU, proxy ARP, secure filters, NAT
 * descriptors, TCP MSS. LAN interfaces are named (`lan1`); the selected pp/tunnel ones are
 * named by their number (`pp 1`, `tunnel 1`).
 */
import { ipParams, type InterfaceAddressParam } from '../families/ip.js';
import { prefixLengthOf } from '../families/checks.js';
import type { ConfigCommand, ConfigModel } from '../model.js';

export type InterfaceAddress =
  | { readonly kind: 'static'; readonly address: string; readonly prefixLength?: number; readonly broadcast?: string }
  | { readonly kind: 'dhcp' };

export interface SecureFilter {
  readonly filters: readonly number[];
  readonly dynamic: readonly number[];
}

export interface InterfaceSettings {
  /** `lan1`, `lan1.2`, `bridge1`, ... or `pp 1` / `pp anonymous` / `tunnel 1`. */
  readonly id: string;
  readonly address?: InterfaceAddress;
  readonly secondaryAddress?: InterfaceAddress;
  readonly mtu?: number;
  readonly proxyArp: boolean;
  readonly secureFilter: { readonly in?: SecureFilter; readonly out?: SecureFilter };
  readonly natDescriptors: readonly number[];
  readonly tcpMssLimit?: 'auto' | 'off' | number;
}

function interfaceIdOf(command: ConfigCommand): string {
  const name = (command.params as { interface: string }).interface;
  if (command.context.kind === 'tunnel' && name === 'tunnel') return `tunnel ${command.context.tunnel}`;
  if (command.context.kind === 'pp' && name === 'pp') return `pp ${command.context.peer}`;
  return name;
}

function addressOf(param: InterfaceAddressParam): InterfaceAddress {
  if (param.kind === 'dhcp') return { kind: 'dhcp' };
  const prefixLength = param.mask === undefined ? undefined : prefixLengthOf(param.mask);
  return {
    kind: 'static',
    address: param.address,
    ...(prefixLength === undefined ? {} : { prefixLength }),
    ...(param.broadcast === undefined ? {} : { broadcast: param.broadcast }),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function interfaceSettings(model: ConfigModel): ReadonlyMap<string, InterfaceSettings> {
  const settings = new Map<string, Mutable<InterfaceSettings>>();
  const entry = (id: string): Mutable<InterfaceSettings> => {
    let found = settings.get(id);
    if (!found) settings.set(id, (found = { id, proxyArp: false, secureFilter: {}, natDescriptors: [] }));
    return found;
  };
  for (const command of model.commands) {
    if (command.family !== 'ip' || !command.name.startsWith('ip * ')) continue;
    const target = entry(interfaceIdOf(command));
    switch (command.name) {
      case 'ip * address':
        target.address = addressOf(ipParams(command, 'ip * address').address);
        break;
      case 'ip * secondary address':
        target.secondaryAddress = addressOf(ipParams(command, 'ip * secondary address').address);
        break;
      case 'ip * mtu':
        target.mtu = ipParams(command, 'ip * mtu').mtu;
        break;
      case 'ip * proxyarp':
        target.proxyArp = ipParams(command, 'ip * proxyarp').enabled;
        break;
      case 'ip * secure filter': {
        const p = ipParams(command, 'ip * secure filter');
        target.secureFilter = { ...target.secureFilter, [p.direction]: { filters: p.filters, dynamic: p.dynamic } };
        break;
      }
      case 'ip * nat descriptor':
        target.natDescriptors = ipParams(command, 'ip * nat descriptor').descriptors;
        break;
      case 'ip * tcp mss limit':
        target.tcpMssLimit = ipParams(command, 'ip * tcp mss limit').limit;
        break;
      default:
        break;
    }
  }
  return settings;
}
