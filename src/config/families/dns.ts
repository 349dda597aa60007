/**
 * The DNS family (command reference chapter 24): the recursive server, where queries go (fixed
 * servers, the servers learnt on a PP or by DHCP, per-domain selection), static records, the
 * cache, and `dns private name` (NVR510 configs, rtx-config-forms.md S5). `ip host` (static
 * A + PTR) belongs to the ip family.
 */
import grammar from '../generated/dns.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import { firstProblem, illegal, inRange } from './checks.js';
import { MAX_PEER } from './pp.js';

/** A DNS server with its options (`edns=on`, `nat46=<tunnel>`). */
export interface DnsServer {
  address: string;
  edns?: string;
  nat46?: number | string;
}

export type DnsSelectVia =
  | { servers: DnsServer[] }
  | { pp: number; edns?: string; fallback?: DnsServer }
  | { dhcp: string; edns?: string; nat46?: number | string; fallback?: DnsServer }
  | { reject: true };

export type DnsRecordType = 'a' | 'aaaa' | 'ptr' | 'mx' | 'ns' | 'cname' | 'any';

type Switch = { enabled: boolean };

export interface DnsParams {
  'dns service': { service: 'recursive' | 'off' };
  'dns service fallback': Switch;
  'dns service aaaa filter': Switch;
  'dns server': { servers: DnsServer[] };
  'dns server pp': { pp: number; edns?: string };
  'dns server dhcp': { interface: string; edns?: string; nat46?: number | string };
  'dns server select': { id: number; via: DnsSelectVia; type?: DnsRecordType; query: string; sender?: string; restrictPp?: number };
  'dns domain': { domain: string };
  'dns private address spoof': Switch;
  'dns private name': { name: string };
  'dns host': { hosts?: string[]; keyword?: 'any' | 'none' | 'lan' };
  'dns cache use': Switch;
  'dns cache max entry': { entries: number };
  'dns static': { type: Exclude<DnsRecordType, 'any'>; name: string; value: string; ttl?: number };
  'dns srcport': { from: number; to: number };
  'dns notice order': { protocol: 'dhcp' | 'dhcpv6' | 'msext'; servers: ('none' | 'me' | 'server')[] };
  'dns syslog resolv': Switch;
}

export type DnsCommandName = keyof DnsParams;

export function dnsParams<N extends DnsCommandName>(command: ParsedCommand, name: N): DnsParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as DnsParams[N];
}

const commands = Object.keys({
  'dns service': 0, 'dns service fallback': 0, 'dns service aaaa filter': 0,
  'dns server': 0, 'dns server pp': 0, 'dns server dhcp': 0, 'dns server select': 0,
  'dns domain': 0, 'dns private address spoof': 0, 'dns private name': 0, 'dns host': 0,
  'dns cache use': 0, 'dns cache max entry': 0, 'dns static': 0, 'dns srcport': 0,
  'dns notice order': 0, 'dns syslog resolv': 0,
} satisfies Record<DnsCommandName, 0>) as DnsCommandName[];

const serverCheck = (server: DnsServer | undefined): ValidationProblem | undefined => {
  if (server === undefined) return undefined;
  return firstProblem(
    server.edns === undefined || server.edns === 'on' || server.edns === 'off' ? undefined : illegal(`edns=${server.edns}`),
    server.nat46 === undefined
      ? undefined
      : typeof server.nat46 === 'number'
        ? inRange(server.nat46, 1, 6000, 'nat46 tunnel')
        : { error: 'parameter-must-be-integer', detail: `nat46=${server.nat46}` },
  );
};

function validate(command: ParsedCommand): ValidationProblem | undefined {
  switch (command.name as DnsCommandName) {
    case 'dns server': {
      const { servers } = dnsParams(command, 'dns server');
      // §24.2: up to 4 servers.
      return firstProblem(inRange(servers.length, 1, 4, 'number of servers'), ...servers.map(serverCheck));
    }
    case 'dns server pp': {
      const p = dnsParams(command, 'dns server pp');
      return firstProblem(inRange(p.pp, 1, MAX_PEER, 'peer number'), serverCheck({ address: '', ...(p.edns ? { edns: p.edns } : {}) }));
    }
    case 'dns server dhcp':
      return serverCheck({ address: '', ...dnsParams(command, 'dns server dhcp') });
    case 'dns server select': {
      const p = dnsParams(command, 'dns server select');
      const via = p.via;
      return firstProblem(
        inRange(p.id, 1, 2147483647, 'selection id'),
        'servers' in via ? firstProblem(...via.servers.map(serverCheck)) : undefined,
        'pp' in via ? firstProblem(inRange(via.pp, 1, MAX_PEER, 'peer number'), serverCheck(via.fallback)) : undefined,
        'dhcp' in via ? serverCheck({ address: '', ...via }) : undefined,
        p.restrictPp === undefined ? undefined : inRange(p.restrictPp, 1, MAX_PEER, 'restrict pp'),
      );
    }
    case 'dns cache max entry':
      return inRange(dnsParams(command, 'dns cache max entry').entries, 1, 1024, 'cache entries');
    case 'dns static': {
      const { ttl } = dnsParams(command, 'dns static');
      return ttl === undefined ? undefined : inRange(ttl, 1, 4294967295, 'ttl');
    }
    case 'dns srcport': {
      const { from, to } = dnsParams(command, 'dns srcport');
      return firstProblem(inRange(from, 1, 65535, 'port'), inRange(to, 1, 65535, 'port')) ??
        (from <= to ? undefined : { error: 'parameter-out-of-range', detail: `port range ${from}-${to}` });
    }
    default:
      return undefined;
  }
}

const specs: Readonly<Record<string, CommandSpec>> = Object.fromEntries(
  commands.map((name) => {
    const identity = name === 'dns server select' ? 1 : name === 'dns static' ? 2 : name === 'dns notice order' ? 1 : 0;
    return [name, { scope: 'global', identity } satisfies CommandSpec];
  }),
);

export const family: CommandFamily = {
  name: 'dns',
  firstKeywords: ['dns'],
  commands,
  grammar,
  validate,
  specs,
};
