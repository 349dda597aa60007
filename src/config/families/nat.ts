/**
 * The NAT family: NAT descriptors (command reference chapter 23) — the type, the outer and inner
 * address spaces, static NAT, static IP masquerade (port pinning), the incoming policy, timers.
 * Binding a descriptor to an interface (`ip <if> nat descriptor`) belongs to the ip family.
 */
import grammar from '../generated/nat.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import type { ConfigToken } from '../tokenize.js';
import { firstProblem, illegal, inRange, orderedRange, validMask } from './checks.js';

/** §23: descriptor numbers and entry ids run 1..2147483647. */
export const MAX_DESCRIPTOR = 2147483647;

export type NatType = 'none' | 'nat' | 'masquerade' | 'nat-masquerade';
export type OuterMnemonic = 'ipcp' | 'primary' | 'secondary' | 'map-e' | 'hb46pp';

/** One pinned port of `nat descriptor masquerade static`: `inner`, or `outer=inner`; numbers or mnemonics. */
export interface PortPin {
  outer?: string;
  inner: string;
}

export interface NatParams {
  'nat descriptor type': { descriptor: number; type: NatType; hairpin?: string };
  'nat descriptor address outer': { descriptor: number; addresses?: string[]; mnemonic?: OuterMnemonic };
  'nat descriptor address inner': { descriptor: number; addresses?: string[]; mnemonic?: 'auto' };
  'nat descriptor static': { descriptor: number; id: number; outer: string; inner: string; count?: number; mask?: string };
  'nat descriptor masquerade static': {
    descriptor: number;
    id: number;
    inner: string;
    protocol: 'tcp' | 'udp' | 'esp' | 'icmp' | number;
    ports: PortPin[];
  };
  'nat descriptor masquerade incoming': {
    descriptor: number;
    action: 'through' | 'reject' | 'discard' | 'forward';
    forwardTo?: string;
  };
  'nat descriptor masquerade rlogin': { descriptor: number; enabled: boolean };
  'nat descriptor masquerade port range': { descriptor: number; ranges: string[] };
  'nat descriptor masquerade unconvertible port': { descriptor: number; ifPossible?: true; protocol?: 'tcp' | 'udp'; port?: string };
  'nat descriptor masquerade remove df-bit': { enabled: boolean };
  'nat descriptor masquerade session limit': { descriptor: number; id: number; limit: number };
  'nat descriptor masquerade session limit total': { descriptor: number; limit: number };
  'nat descriptor timer': { descriptor: number; seconds?: number; protocol?: string; port?: string; tcpfin?: number };
  'nat descriptor ftp port': { descriptor: number; ports: number[] };
  'nat descriptor log': { enabled: boolean };
  'nat descriptor sip': { descriptor: number; mode: 'on' | 'off' | 'auto' };
  'nat descriptor backward-compatibility': { type: number };
}

export type NatCommandName = keyof NatParams;

export function natParams<N extends NatCommandName>(command: ParsedCommand, name: N): NatParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as NatParams[N];
}

const commands: readonly NatCommandName[] = [
  'nat descriptor type',
  'nat descriptor address outer',
  'nat descriptor address inner',
  'nat descriptor static',
  'nat descriptor masquerade static',
  'nat descriptor masquerade incoming',
  'nat descriptor masquerade rlogin',
  'nat descriptor masquerade port range',
  'nat descriptor masquerade unconvertible port',
  'nat descriptor masquerade remove df-bit',
  'nat descriptor masquerade session limit',
  'nat descriptor masquerade session limit total',
  'nat descriptor timer',
  'nat descriptor ftp port',
  'nat descriptor log',
  'nat descriptor sip',
  'nat descriptor backward-compatibility',
];

const descriptorCheck = (descriptor: unknown) =>
  typeof descriptor === 'number' ? inRange(descriptor, 1, MAX_DESCRIPTOR, 'NAT descriptor') : undefined;

/** Port numbers 1..65535; mnemonics (`www`, `https`) are taken as the router's port names. */
const portCheck = (port: string, what: string) =>
  firstProblem(...port.split('-').filter((p) => /^\d+$/.test(p)).map((p) => inRange(Number(p), 1, 65535, what)));

const rangeChecks = (ranges: readonly string[]) => ranges.map((r) => orderedRange(r.split('-')[0]!, r.split('-')[1], 'range'));

function validate(command: ParsedCommand): ValidationProblem | undefined {
  const descriptorProblem = descriptorCheck(command.params['descriptor']);
  if (descriptorProblem) return descriptorProblem;
  switch (command.name as NatCommandName) {
    case 'nat descriptor type': {
      const { type, hairpin } = natParams(command, 'nat descriptor type');
      if (hairpin === undefined) return undefined;
      // §23.3: hairpin= takes on/off and cannot go with type none.
      if (hairpin !== 'on' && hairpin !== 'off') return illegal(`hairpin=${hairpin}`);
      return type === 'none' ? illegal('hairpin with type none') : undefined;
    }
    case 'nat descriptor address outer':
    case 'nat descriptor address inner': {
      const { addresses } = command.params as { addresses?: string[] };
      return firstProblem(...rangeChecks((addresses ?? []).filter((a) => a.includes('-'))));
    }
    case 'nat descriptor static': {
      const { id, count, mask } = natParams(command, 'nat descriptor static');
      return firstProblem(
        inRange(id, 1, MAX_DESCRIPTOR, 'static NAT id'),
        count === undefined ? undefined : inRange(count, 1, MAX_DESCRIPTOR, 'count'),
        mask === undefined || mask.startsWith('0x') ? undefined : validMask(mask, 'static NAT mask'),
        // §23.6: a mask given as a bit count runs 16..32.
        mask !== undefined && /^\d+$/.test(mask) ? inRange(Number(mask), 16, 32, 'mask bits') : undefined,
      );
    }
    case 'nat descriptor masquerade static': {
      const { id, protocol, ports } = natParams(command, 'nat descriptor masquerade static');
      return firstProblem(
        inRange(id, 1, MAX_DESCRIPTOR, 'masquerade static id'),
        typeof protocol === 'number' ? inRange(protocol, 0, 255, 'protocol number') : undefined,
        ...ports.flatMap((pin) => [pin.outer, pin.inner]).filter((p): p is string => p !== undefined).map((p) => portCheck(p, 'port')),
      );
    }
    case 'nat descriptor masquerade port range': {
      const { ranges } = natParams(command, 'nat descriptor masquerade port range');
      return firstProblem(
        inRange(ranges.length, 1, 4, 'number of port ranges'),
        ...ranges.map((r) => portCheck(r, 'port')),
        ...ranges.map((r) => {
          const [from, to] = r.split('-').map(Number);
          return to !== undefined && from! > to ? { error: 'parameter-out-of-range' as const, detail: `port range ${r}` } : undefined;
        }),
      );
    }
    case 'nat descriptor masquerade unconvertible port': {
      const { port } = natParams(command, 'nat descriptor masquerade unconvertible port');
      return port === undefined ? undefined : portCheck(port, 'port');
    }
    case 'nat descriptor masquerade session limit': {
      const { id, limit } = natParams(command, 'nat descriptor masquerade session limit');
      // §23.17: the id is 1; the limit's ceiling depends on the model (150000 on RTX840 … 500000).
      return firstProblem(inRange(id, 1, 1, 'session limit id'), inRange(limit, 1, 500000, 'session limit'));
    }
    case 'nat descriptor masquerade session limit total':
      return inRange(natParams(command, 'nat descriptor masquerade session limit total').limit, 1, 500000, 'session limit');
    case 'nat descriptor timer': {
      const { seconds, tcpfin, port } = natParams(command, 'nat descriptor timer');
      return firstProblem(
        seconds === undefined ? undefined : inRange(seconds, 30, 21474836, 'NAT timer'),
        tcpfin === undefined ? undefined : inRange(tcpfin, 1, 21474836, 'TCP/FIN timer'),
        port === undefined ? undefined : portCheck(port, 'port'),
      );
    }
    case 'nat descriptor ftp port':
      return firstProblem(...natParams(command, 'nat descriptor ftp port').ports.map((p) => inRange(p, 1, 65535, 'FTP port')));
    case 'nat descriptor backward-compatibility':
      return inRange(natParams(command, 'nat descriptor backward-compatibility').type, 1, 3, 'type');
    default:
      return undefined;
  }
}

/** Descriptor, entry id: `nat descriptor masquerade static 1 2 …` is entry 2 of descriptor 1. */
const descriptorAndId = 2;
/** A timer is per descriptor and per protocol/port (or TCP/FIN). */
const timerIdentity = (words: readonly ConfigToken[]): readonly string[] | undefined => {
  if (words.length === 0) return undefined;
  const [descriptor, ...rest] = words;
  const kind = rest.length > 1 ? rest.slice(0, -1).map((w) => w.text) : [];
  return [descriptor!.text, ...kind];
};

const specs: Readonly<Record<NatCommandName, CommandSpec>> = Object.fromEntries(
  commands.map((name) => {
    // `unconvertible port`: `no nat descriptor masquerade unconvertible port <nat_descriptor> <protocol> [<port>]`
    // names descriptor and protocol (§23.13; the keying rule, docs/config.md "Keys").
    const spec: CommandSpec = [
      'nat descriptor static',
      'nat descriptor masquerade static',
      'nat descriptor masquerade session limit',
      'nat descriptor masquerade unconvertible port',
    ].includes(name)
      ? { scope: 'global', identity: descriptorAndId }
      : name === 'nat descriptor timer'
        ? { scope: 'global', identity: timerIdentity }
        : ['nat descriptor log', 'nat descriptor masquerade remove df-bit', 'nat descriptor backward-compatibility'].includes(name)
          ? { scope: 'global', identity: 0 }
          : { scope: 'global', identity: 1 };
    return [name, spec];
  }),
) as Record<NatCommandName, CommandSpec>;

export const family: CommandFamily = {
  name: 'nat',
  firstKeywords: ['nat'],
  commands,
  grammar,
  validate,
  specs,
};

