/**
 * The IPv4 family (command reference chapter 8): interface addresses, routes, filters, secure
 * filters, NAT descriptor binding (§23.2), TCP MSS, keepalive, static hosts (§24.11).
 *
 * RTX1500 specifics: three LAN interfaces (`# Memory 128Mbytes, 3LAN, 2BRI`, rtx-behaviour.md §6),
 * so `lan4` and above are unknown keywords; pp numbers 1..150 (assumed, current reference).
 */
import { IPV4_FILTER_FIELDS, dynamicFilterProblem, staticFilterProblem } from './filter-fields.js';
import grammar from '../generated/ip.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import { firstProblem, illegal, inRange, orderedRange, validMask, type Check } from './checks.js';
import { tunnelNumberProblem, type ConfigLimits } from '../limits.js';

export const LAN_INTERFACE_COUNT = 3;
export const MAX_PP_NUMBER = 150;
export const MAX_FILTER_NUMBER = 21_474_836;

export type InterfaceAddressParam =
  | { readonly kind: 'static'; readonly address: string; readonly mask?: string; readonly broadcast?: string }
  | { readonly kind: 'dhcp'; readonly options?: Readonly<Record<string, string>> };

export type RouteDestinationParam =
  | { readonly kind: 'default' }
  | { readonly kind: 'network'; readonly address: string; readonly mask?: string };

export type RouteTargetParam =
  | { readonly kind: 'ip'; readonly address: string }
  | { readonly kind: 'pp'; readonly peer: number | 'anonymous' }
  | { readonly kind: 'tunnel'; readonly tunnel: number }
  | { readonly kind: 'dhcp'; readonly interface: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'interface'; readonly interface: string };

export interface RouteGatewayParam {
  readonly target: RouteTargetParam;
  readonly filters: readonly number[];
  readonly hide: boolean;
  readonly metric?: number;
  readonly weight?: number;
  readonly keepalive?: number;
}

export type FilterAction =
  | 'pass'
  | 'pass-log'
  | 'pass-nolog'
  | 'reject'
  | 'reject-log'
  | 'reject-nolog'
  | 'restrict'
  | 'restrict-log'
  | 'restrict-nolog';

/** A static filter (`ip filter`, `ipv6 filter`): address, protocol and port fields as written (`*`, lists, ranges, mnemonics). */
export interface StaticFilterParams {
  filterId: number;
  action: FilterAction;
  source: string;
  destination?: string;
  protocol?: string;
  sourcePorts?: string;
  destinationPorts?: string;
}

/** A dynamic filter (`ip filter dynamic`, `ipv6 filter dynamic`). */
export interface DynamicFilterParams {
  filterId: number;
  source: string;
  destination: string;
  service?: string;
  filters?: { filter: number[]; in: number[]; out: number[] };
  options: Readonly<Record<string, string>>;
}

export interface IpParams {
  'ip routing': { enabled: boolean };
  'ip routing process': { process: 'fast' | 'normal' };
  'ip * address': { interface: string; address: InterfaceAddressParam };
  'ip * secondary address': { interface: string; address: InterfaceAddressParam };
  'ip * mtu': { interface: string; mtu: number };
  'ip * proxyarp': { interface: string; enabled: boolean; vrid?: number };
  'ip * secure filter': { interface: string; direction: 'in' | 'out'; filters: number[]; dynamic: number[] };
  'ip * secure filter name': { interface: string; set: string };
  'ip * nat descriptor': { interface: string; descriptors: number[]; reverse: number[] };
  'ip * tcp mss limit': { interface: string; limit: 'auto' | 'off' | number };
  'ip * remote address': {
    interface: string;
    address: { kind: 'ip'; address: string } | { kind: 'dhcpc'; interface?: string };
  };
  'ip * remote address pool': {
    interface: string;
    pool: { kind: 'addresses'; ranges: string[] } | { kind: 'dhcp' } | { kind: 'dhcpc'; interface?: string };
  };
  'ip route': { destination: RouteDestinationParam; gateways: RouteGatewayParam[] };
  'ip route change log': { enabled: boolean };
  'ip filter': StaticFilterParams;
  'ip filter dynamic': DynamicFilterParams;
  'ip filter directed-broadcast': { mode: 'on' | 'off' | 'filter'; filters?: number[] };
  'ip filter source-route': { enabled: boolean };
  'ip keepalive': {
    keepaliveId: number;
    kind: string;
    intervalSeconds: number;
    count: number;
    gateways: string[];
    options: Readonly<Record<string, string>>;
  };
  'ip host': { fqdn: string; addresses: string[]; options?: Readonly<Record<string, string>> };
}

export type IpCommandName = keyof IpParams;

export function ipParams<N extends IpCommandName>(command: ParsedCommand, name: N): IpParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as IpParams[N];
}

const commands: readonly IpCommandName[] = [
  'ip routing',
  'ip routing process',
  'ip * address',
  'ip * secondary address',
  'ip * mtu',
  'ip * proxyarp',
  'ip * secure filter',
  'ip * secure filter name',
  'ip * nat descriptor',
  'ip * tcp mss limit',
  'ip * remote address',
  'ip * remote address pool',
  'ip route',
  'ip route change log',
  'ip filter',
  'ip filter dynamic',
  'ip filter directed-broadcast',
  'ip filter source-route',
  'ip keepalive',
  'ip host',
];

/** Interfaces a LAN-side command may name on an RTX1500. */
function interfaceProblem(name: string): Check {
  const lan = /^lan(\d+)/.exec(name);
  if (lan && !(Number(lan[1]) >= 1 && Number(lan[1]) <= LAN_INTERFACE_COUNT)) return illegal(`no interface ${name}`);
  return undefined;
}

const isPeerInterface = (name: string): boolean => name === 'pp' || name === 'tunnel';

function addressProblem(interfaceName: string, address: InterfaceAddressParam): Check {
  if (interfaceName === 'null') return illegal('null has no address');
  if (address.kind === 'dhcp') return isPeerInterface(interfaceName) ? illegal(`${interfaceName} address dhcp`) : undefined;
  // A LAN needs its netmask; pp, tunnel and loopback addresses may omit it (§8.1.2).
  if (address.mask === undefined && /^(lan|vlan|bridge)/.test(interfaceName)) {
    return { error: 'unrecognized-ip-address', detail: 'address needs /mask' };
  }
  return validMask(address.mask, 'address');
}

function targetProblem(target: RouteTargetParam, limits: ConfigLimits): Check {
  switch (target.kind) {
    case 'pp':
      return target.peer === 'anonymous' ? undefined : inRange(target.peer, 1, MAX_PP_NUMBER, 'peer number');
    case 'tunnel':
      return tunnelNumberProblem(target.tunnel, limits, 'tunnel number');
    case 'dhcp':
    case 'interface':
      return interfaceProblem(target.interface);
    default:
      return undefined;
  }
}

function poolProblem(range: string): Check {
  const [addresses = '', mask] = range.split('/');
  const [first = '', last] = addresses.split('-');
  return firstProblem(validMask(mask, 'pool'), orderedRange(first, last, 'pool'));
}

function checkCommand(command: ParsedCommand, limits: ConfigLimits): Check {
  switch (command.name as IpCommandName) {
    case 'ip * address':
    case 'ip * secondary address': {
      const p = command.params as IpParams['ip * address'];
      return addressProblem(p.interface, p.address);
    }
    case 'ip * mtu':
      return inRange(ipParams(command, 'ip * mtu').mtu, 64, 1500, 'mtu');
    case 'ip * proxyarp':
      return inRange(ipParams(command, 'ip * proxyarp').vrid, 1, 255, 'vrid');
    case 'ip * secure filter': {
      const p = ipParams(command, 'ip * secure filter');
      return firstProblem(...[...p.filters, ...p.dynamic].map((f) => inRange(f, 1, MAX_FILTER_NUMBER, 'filter number')));
    }
    case 'ip * nat descriptor': {
      const p = ipParams(command, 'ip * nat descriptor');
      return firstProblem(...[...p.descriptors, ...p.reverse].map((n) => inRange(n, 1, 2_147_483_647, 'descriptor')));
    }
    case 'ip * tcp mss limit': {
      const limit = ipParams(command, 'ip * tcp mss limit').limit;
      return typeof limit === 'number' ? inRange(limit, 1, 65535, 'mss') : undefined;
    }
    case 'ip * remote address':
    case 'ip * remote address pool': {
      const p = command.params as { interface: string };
      if (!isPeerInterface(p.interface)) return illegal(`${p.interface} has no remote address`);
      if (command.name === 'ip * remote address pool') {
        const pool = ipParams(command, 'ip * remote address pool').pool;
        return pool.kind === 'addresses' ? firstProblem(...pool.ranges.map(poolProblem)) : undefined;
      }
      return undefined;
    }
    case 'ip route': {
      const p = ipParams(command, 'ip route');
      return firstProblem(
        p.destination.kind === 'network' ? validMask(p.destination.mask, 'destination') : undefined,
        ...p.gateways.map((g) => targetProblem(g.target, limits)),
        ...p.gateways.flatMap((g) => g.filters.map((f) => inRange(f, 1, MAX_FILTER_NUMBER, 'filter number'))),
      );
    }
    case 'ip filter': {
      const p = ipParams(command, 'ip filter');
      return inRange(p.filterId, 1, MAX_FILTER_NUMBER, 'filter number') ?? staticFilterProblem(p, IPV4_FILTER_FIELDS);
    }
    case 'ip filter dynamic': {
      const p = ipParams(command, 'ip filter dynamic');
      const filterNumber = (n: number): Check => inRange(n, 1, MAX_FILTER_NUMBER, 'filter number');
      return filterNumber(p.filterId) ?? dynamicFilterProblem(p, IPV4_FILTER_FIELDS, filterNumber);
    }
    case 'ip keepalive': {
      const p = ipParams(command, 'ip keepalive');
      return firstProblem(inRange(p.intervalSeconds, 1, 600, 'interval'), inRange(p.count, 1, 50, 'count'));
    }
    default:
      return undefined;
  }
}

function validate(command: ParsedCommand, limits: ConfigLimits): ValidationProblem | undefined {
  const interfaceName = (command.params as { interface?: string }).interface;
  return (interfaceName === undefined ? undefined : interfaceProblem(interfaceName)) ?? checkCommand(command, limits);
}

const specs: Readonly<Record<string, CommandSpec>> = {
  'ip routing': { identity: 0 },
  'ip routing process': { identity: 0 },
  'ip * address': { identity: 0 },
  'ip * secondary address': { identity: 0 },
  'ip * mtu': { identity: 0 },
  'ip * proxyarp': { identity: 0 },
  'ip * secure filter': { identity: 1 },
  'ip * secure filter name': { identity: 0 },
  'ip * nat descriptor': { identity: 0 },
  'ip * tcp mss limit': { identity: 0 },
  'ip * remote address': { identity: 0 },
  'ip * remote address pool': { identity: 0 },
  'ip route': { identity: 1 },
  'ip route change log': { identity: 0 },
  'ip filter': { identity: 1 },
  'ip filter dynamic': { identity: 1 },
  'ip filter directed-broadcast': { identity: 0 },
  'ip filter source-route': { identity: 0 },
  'ip keepalive': { identity: 1 },
  'ip host': { identity: 1 },
};

export const family: CommandFamily = {
  name: 'ip',
  firstKeywords: ['ip'],
  commands,
  grammar,
  validate,
  specs,
};
