/**
 * The IPv6 and Ethernet filter family (command reference §30.7.1, §30.7.3, §9.1): `ipv6 filter`,
 * `ipv6 filter dynamic`, `ethernet filter`, every field checked (filter-fields.ts). The IPv4
 * filters are in the ip family.
 */
import grammar from '../generated/filter.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import { firstProblem, inRange } from './checks.js';
import { IPV6_FILTER_FIELDS, byteListProblem, dhcpScopeProblem, dynamicFilterProblem, macFieldProblem, staticFilterProblem } from './filter-fields.js';
import { MAX_FILTER_NUMBER, type DynamicFilterParams, type StaticFilterParams } from './ip.js';

/** §9.1: 1..100 before RTX1210 Rev.14.01.16 and Rev.15.02. */
export const MAX_ETHERNET_FILTER_NUMBER = 100;

/** `pass` and `reject`: seen in a real config, not in the reference (assumed). */
export type EthernetFilterKind = 'pass' | 'reject' | 'pass-log' | 'pass-nolog' | 'reject-log' | 'reject-nolog';

export interface FilterParams {
  'ipv6 filter': StaticFilterParams;
  'ipv6 filter dynamic': DynamicFilterParams;
  'ethernet filter': {
    filterId: number;
    kind: EthernetFilterKind;
    /** The MAC form. */
    source?: string;
    destination?: string;
    /** The DHCP form. */
    type?: 'dhcp-bind' | 'dhcp-not-bind';
    scope?: string;
    offset?: number;
    bytes?: string;
  };
}

const commands = ['ipv6 filter', 'ipv6 filter dynamic', 'ethernet filter'] as const;
type FilterCommandName = (typeof commands)[number];

export function filterParams<N extends FilterCommandName>(command: { params: unknown }, _name: N): FilterParams[N] {
  return command.params as FilterParams[N];
}

function validate(command: ParsedCommand): ValidationProblem | undefined {
  switch (command.name) {
    case 'ipv6 filter': {
      const p = filterParams(command, 'ipv6 filter');
      return inRange(p.filterId, 1, MAX_FILTER_NUMBER, 'filter number') ?? staticFilterProblem(p, IPV6_FILTER_FIELDS);
    }
    case 'ipv6 filter dynamic': {
      const p = filterParams(command, 'ipv6 filter dynamic');
      const filterNumber = (n: number): ValidationProblem | undefined => inRange(n, 1, MAX_FILTER_NUMBER, 'filter number');
      return filterNumber(p.filterId) ?? dynamicFilterProblem(p, IPV6_FILTER_FIELDS, filterNumber);
    }
    case 'ethernet filter': {
      const p = filterParams(command, 'ethernet filter');
      return firstProblem(
        inRange(p.filterId, 1, MAX_ETHERNET_FILTER_NUMBER, 'filter number'),
        p.source === undefined ? undefined : macFieldProblem(p.source, 'source MAC address'),
        p.destination === undefined ? undefined : macFieldProblem(p.destination, 'destination MAC address'),
        p.scope === undefined ? undefined : dhcpScopeProblem(p.scope),
        p.bytes === undefined ? undefined : byteListProblem(p.bytes),
      );
    }
    default:
      return undefined;
  }
}

// `no ipv6 filter <filter_num>`, `no ipv6 filter dynamic <dyn_filter_num>`, `no ethernet filter <num>`.
const specs: Readonly<Record<FilterCommandName, CommandSpec>> = {
  'ipv6 filter': { scope: 'global', identity: 1 },
  'ipv6 filter dynamic': { scope: 'global', identity: 1 },
  'ethernet filter': { scope: 'global', identity: 1 },
};

export const family: CommandFamily = {
  name: 'filter',
  firstKeywords: ['ipv6', 'ethernet'],
  commands,
  grammar,
  validate,
  specs,
};
