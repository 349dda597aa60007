/**
 * The DHCP family (command reference chapter 12): the server (service, RFC 2131 behaviour, scopes,
 * reservations, options), the relay agent, and the client options. `ip <if> dhcp …` belongs to the
 * ip family.
 */
import grammar from '../generated/dhcp.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import type { ConfigToken } from '../tokenize.js';
import { firstProblem, illegal, inRange, orderedRange, validMask } from './checks.js';
import { MAX_PEER } from './pp.js';

/** §12.1.4: scope numbers 1..65535. */
export const MAX_SCOPE = 65535;

export type DhcpClientTarget =
  | { interface: string; address: 'primary' | 'secondary' }
  | { pp: number | 'anonymous' }
  | { pool: number };

export type BindClient =
  | { kind: 'ethernet'; mac: string }
  | { kind: 'text'; id: string }
  | { kind: 'hex'; bytes: string[] }
  | { kind: 'mac'; mac: string }
  | { kind: 'ipcp' };

export interface DhcpParams {
  'dhcp service': { type: 'server' | 'relay' };
  'dhcp server rfc2131 compliant': { compliant?: boolean; except?: boolean; functions?: string[] };
  'dhcp duplicate check': { lan: number | 'off'; relayed: number | 'off' };
  /** Lease times as written: minutes, `h:mm`, or `infinity`. */
  'dhcp scope': { scope: number; from: string; to: string; mask: string; except: string[]; gateway?: string; expire?: string; maxexpire?: string };
  'dhcp scope bind': { scope: number; address: string; client: BindClient };
  'dhcp scope lease type': { scope: number; type: 'bind-priority' | 'bind-only'; fallback?: number };
  'dhcp scope option': { scope: number; options: { option: number | string; value: string }[] };
  'dhcp relay server': { servers: string[] };
  'dhcp relay select': { type: 'hash' | 'all' };
  'dhcp relay threshold': { value: number };
  'dhcp relay srcport': { value: number };
  'dhcp client hostname': { target: DhcpClientTarget; host: string };
  'dhcp client client-identifier': { target: DhcpClientTarget; type?: number; id: string[] };
  'dhcp client option': { target: DhcpClientTarget; option: number; bytes: string[] };
  'dhcp client release linkdown': { enabled: boolean; seconds?: number };
}

export type DhcpCommandName = keyof DhcpParams;

export function dhcpParams<N extends DhcpCommandName>(command: ParsedCommand, name: N): DhcpParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as DhcpParams[N];
}

const commands = [
  'dhcp service',
  'dhcp server rfc2131 compliant',
  'dhcp duplicate check',
  'dhcp scope',
  'dhcp scope bind',
  'dhcp scope lease type',
  'dhcp scope option',
  'dhcp relay server',
  'dhcp relay select',
  'dhcp relay threshold',
  'dhcp relay srcport',
  'dhcp client hostname',
  'dhcp client client-identifier',
  'dhcp client option',
  'dhcp client release linkdown',
] as const satisfies readonly DhcpCommandName[];

/** A lease time in minutes (`infinity` as +Infinity), for comparing expire with maxexpire. */
export function leaseMinutes(time: string): number {
  if (time === 'infinity') return Number.POSITIVE_INFINITY;
  const [hours, minutes] = time.split(':');
  return minutes === undefined ? Number(hours) : Number(hours) * 60 + Number(minutes);
}

const leaseCheck = (time: string | undefined, what: string): ValidationProblem | undefined => {
  if (time === undefined || time === 'infinity') return undefined;
  const minutes = time.split(':')[1];
  return firstProblem(
    minutes === undefined ? undefined : inRange(Number(minutes), 0, 59, `${what} minutes`),
    inRange(leaseMinutes(time), 1, 21474836, what),
  );
};

/**
 * Options whose values the reference spells out (§12.1.8): mnemonics for the common ones, and
 * the option numbers the router accepts (1..49, 62..254). Other values are taken as written.
 */
const ADDRESS_LIST_OPTIONS = new Set<number | string>(['router', 'dns', 'wins_server', 3, 6, 44]);
const OPTION_MNEMONICS = new Set(['router', 'dns', 'hostname', 'domain', 'wins_server']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const optionCheck = ({ option, value }: { option: number | string; value: string }): ValidationProblem | undefined => {
  if (typeof option === 'number') {
    const known = (option >= 1 && option <= 49) || (option >= 62 && option <= 254);
    if (!known) return { error: 'parameter-out-of-range', detail: `DHCP option ${option}` };
  } else if (!OPTION_MNEMONICS.has(option)) {
    return illegal(`DHCP option ${option}`);
  }
  if (ADDRESS_LIST_OPTIONS.has(option) && !value.split(',').every((a) => IPV4.test(a))) {
    return { error: 'unrecognized-ip-address', detail: `DHCP option ${option}=${value}` };
  }
  return undefined;
};

const targetCheck = (target: DhcpClientTarget): ValidationProblem | undefined =>
  'pool' in target ? inRange(target.pool, 1, 2147483647, 'pool number') : 'pp' in target && target.pp !== 'anonymous' ? inRange(target.pp, 1, MAX_PEER, 'peer number') : undefined;

function validate(command: ParsedCommand): ValidationProblem | undefined {
  const scope = command.params['scope'];
  const scopeProblem = typeof scope === 'number' ? inRange(scope, 1, MAX_SCOPE, 'scope number') : undefined;
  if (scopeProblem) return scopeProblem;
  switch (command.name as DhcpCommandName) {
    case 'dhcp duplicate check': {
      const { lan, relayed } = dhcpParams(command, 'dhcp duplicate check');
      return firstProblem(
        lan === 'off' ? undefined : inRange(lan, 1, 1000, 'LAN check (ms)'),
        relayed === 'off' ? undefined : inRange(relayed, 1, 3000, 'relayed check (ms)'),
      );
    }
    case 'dhcp scope': {
      const p = dhcpParams(command, 'dhcp scope');
      return firstProblem(
        orderedRange(p.from, p.to, 'scope range'),
        p.mask.toLowerCase().startsWith('0x') ? undefined : validMask(p.mask, 'scope netmask'),
        ...p.except.map((ex) => orderedRange(ex.split('-')[0]!, ex.split('-')[1], 'excluded range')),
        leaseCheck(p.expire, 'expire'),
        leaseCheck(p.maxexpire, 'maxexpire'),
        // §12.1.4 note: expire must not exceed maxexpire.
        p.expire !== undefined && p.maxexpire !== undefined && leaseMinutes(p.expire) > leaseMinutes(p.maxexpire)
          ? { error: 'parameter-out-of-range', detail: 'expire above maxexpire' }
          : undefined,
      );
    }
    case 'dhcp scope bind': {
      const { address } = dhcpParams(command, 'dhcp scope bind');
      const [from, to] = address.split('-');
      return to === undefined ? undefined : orderedRange(from!, to, 'reserved range');
    }
    case 'dhcp scope lease type': {
      const p = dhcpParams(command, 'dhcp scope lease type');
      if (p.fallback === undefined) return undefined;
      // §12.1.6: fallback= only with bind-only.
      return p.type === 'bind-only' ? inRange(p.fallback, 1, MAX_SCOPE, 'fallback scope') : illegal('fallback with bind-priority');
    }
    case 'dhcp scope option':
      return firstProblem(...dhcpParams(command, 'dhcp scope option').options.map(optionCheck));
    case 'dhcp relay server':
      return inRange(dhcpParams(command, 'dhcp relay server').servers.length, 1, 4, 'number of servers');
    case 'dhcp relay threshold':
      return inRange(dhcpParams(command, 'dhcp relay threshold').value, 0, 65535, 'threshold');
    case 'dhcp relay srcport':
      return inRange(dhcpParams(command, 'dhcp relay srcport').value, 1, 65535, 'source port');
    case 'dhcp client hostname':
    case 'dhcp client client-identifier':
      return targetCheck((command.params as { target: DhcpClientTarget }).target);
    case 'dhcp client option': {
      const p = dhcpParams(command, 'dhcp client option');
      return firstProblem(targetCheck(p.target), inRange(p.option, 1, 254, 'option number'));
    }
    case 'dhcp client release linkdown': {
      const { seconds } = dhcpParams(command, 'dhcp client release linkdown');
      return seconds === undefined ? undefined : inRange(seconds, 0, 259200, 'seconds');
    }
    default:
      return undefined;
  }
}

/** A reservation is one (scope, address) pair; `*` reservations are told apart by their client. */
const bindIdentity = (words: readonly ConfigToken[]): readonly string[] | undefined => {
  if (words.length < 2) return undefined;
  return words[1]!.value === '*' ? words.map((w) => w.text) : [words[0]!.text, words[1]!.text];
};
/** A client setting is per target: `lan2 primary`, `pp 1`, `pool 2`. */
const clientTargetIdentity = (words: readonly ConfigToken[]): readonly string[] | undefined =>
  words.length < 2 ? undefined : [words[0]!.text, words[1]!.text];

const specs: Readonly<Record<DhcpCommandName, CommandSpec>> = {
  'dhcp service': { scope: 'global', identity: 0 },
  'dhcp server rfc2131 compliant': { scope: 'global', identity: 0 },
  'dhcp duplicate check': { scope: 'global', identity: 0 },
  'dhcp scope': { scope: 'global', identity: 1 },
  'dhcp scope bind': { scope: 'global', identity: bindIdentity },
  'dhcp scope lease type': { scope: 'global', identity: 1 },
  'dhcp scope option': { scope: 'global', identity: 1 },
  'dhcp relay server': { scope: 'global', identity: 0 },
  'dhcp relay select': { scope: 'global', identity: 0 },
  'dhcp relay threshold': { scope: 'global', identity: 0 },
  'dhcp relay srcport': { scope: 'global', identity: 0 },
  'dhcp client hostname': { scope: 'global', identity: clientTargetIdentity },
  'dhcp client client-identifier': { scope: 'global', identity: clientTargetIdentity },
  'dhcp client option': { scope: 'global', identity: clientTargetIdentity },
  'dhcp client release linkdown': { scope: 'global', identity: 0 },
};

export const family: CommandFamily = {
  name: 'dhcp',
  firstKeywords: ['dhcp'],
  commands,
  grammar,
  validate,
  specs,
};

