/**
 * The pp family: peers (PP interfaces) — `pp select` (the context switch, §56.1), enabling and
 * binding peers, PPP authentication, keepalive and backup, and the per-peer PPP (LCP, PAP, CHAP,
 * IPCP, MSCBCP, CCP, IPV6CP) and PPPoE options (reference chapters 6, 8.2, 8.5, 11, 56).
 * `ip pp …` commands belong to the ip family.
 */
import grammar from '../generated/pp.js';
import type { CommandFamily, CommandScope, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import type { ConfigToken } from '../tokenize.js';
import { firstProblem, illegal, inRange, lengthBetween } from './checks.js';

/**
 * Peer numbers. The reference's §1.6 gives 1..150, 1..100 or 1..30 depending on the model; the
 * RTX1500's own limit was not found, so the widest range is accepted (assumed).
 */
export const MAX_PEER = 150;

export type PeerItem = number | 'anonymous' | 'all' | { from: number; to: number };
export type AuthMethod = 'pap' | 'chap' | 'mschap' | 'mschap-v2';

export type PpBackup =
  | { kind: 'none' }
  | { kind: 'pp'; peer: number; 'ipsec-fast-recovery'?: string }
  | { kind: 'interface'; interface: string; gateway: string }
  | { kind: 'tunnel'; tunnel: number };

type Switch = { enabled: boolean };
type Value = { value: number };

export interface PpParams {
  'pp select': { peer: number | 'anonymous' | 'none' };
  'pp enable': { peers: PeerItem[] };
  'pp disable': { peers: PeerItem[] };
  'pp bind': { interfaces: string[] };
  'pp always-on': { enabled: boolean; time?: number };
  'pp auth accept': { methods: AuthMethod[] };
  'pp auth request': { method: AuthMethod | 'chap-pap'; arriveOnly: boolean };
  'pp auth myname': { name: string; password: string };
  'pp auth username': {
    username: string;
    password: string;
    myname?: { name: string; password: string };
    isdn?: string;
    clid?: string[];
    mscbcp: boolean;
    address?: string;
    prefix?: string;
  };
  'pp auth multi connect prohibit': Switch;
  /** Unknown options arrive as `unknown:<key>` and are refused by validate. */
  'pp keepalive interval': { interval: number; retryInterval?: number; count?: number; time?: number };
  'pp keepalive use':
    | { off: true }
    | { lcpEcho: boolean; icmpEcho: { address: string; options: Record<string, string> }[] };
  'pp keepalive log': Switch;
  'pp backup': PpBackup;
  'pp backup recovery time': { seconds: number | 'off' };
  'pp name': { name: string };
  'ppp lcp acfc': Switch;
  'ppp lcp magicnumber': Switch;
  'ppp lcp pfc': Switch;
  'ppp lcp silent': Switch;
  'ppp lcp mru': { enabled: boolean; length?: number };
  'ppp lcp restart': Value;
  'ppp lcp maxterminate': Value;
  'ppp lcp maxconfigure': Value;
  'ppp lcp maxfailure': Value;
  'ppp pap restart': Value;
  'ppp pap maxauthreq': Value;
  'ppp chap restart': Value;
  'ppp chap maxchallenge': Value;
  'ppp ipcp vjc': Switch;
  'ppp ipcp ipaddress': Switch;
  'ppp ipcp msext': Switch;
  'ppp ipcp remote address check': Switch;
  'ppp ipcp restart': Value;
  'ppp ipcp maxterminate': Value;
  'ppp ipcp maxconfigure': Value;
  'ppp ipcp maxfailure': Value;
  'ppp mscbcp restart': Value;
  'ppp mscbcp maxretry': Value;
  'ppp ccp type': { type: 'stac0' | 'stac' | 'cstac' | 'mppe-40' | 'mppe-128' | 'mppe-any' | 'none' };
  'ppp ccp restart': Value;
  'ppp ccp maxterminate': Value;
  'ppp ccp maxconfigure': Value;
  'ppp ccp maxfailure': Value;
  'ppp ipv6cp use': Switch;
  'pppoe use': { interface: string };
  'pppoe access concentrator': { name: string };
  'pppoe auto connect': Switch;
  'pppoe auto disconnect': Switch;
  'pppoe padi maxretry': Value;
  'pppoe padi restart': Value;
  'pppoe padr maxretry': Value;
  'pppoe padr restart': Value;
  'pppoe disconnect time': { seconds: number | 'off' };
  'pppoe service-name': { name: string };
  'pppoe tcp mss limit': { length: number | 'auto' | 'off' };
  'pppoe invalid-session forced close': Switch;
  'pppoe pass-through member': { interfaces: string[] };
}

export type PpCommandName = keyof PpParams;

export function ppParams<N extends PpCommandName>(command: ParsedCommand, name: N): PpParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as PpParams[N];
}

/** The full list, in the order the reference documents them. */
const commands = Object.keys({
  'pp select': 0, 'pp enable': 0, 'pp disable': 0, 'pp bind': 0, 'pp always-on': 0,
  'pp auth accept': 0, 'pp auth request': 0, 'pp auth myname': 0, 'pp auth username': 0, 'pp auth multi connect prohibit': 0,
  'pp keepalive interval': 0, 'pp keepalive use': 0, 'pp keepalive log': 0,
  'pp backup': 0, 'pp backup recovery time': 0, 'pp name': 0,
  'ppp lcp acfc': 0, 'ppp lcp magicnumber': 0, 'ppp lcp pfc': 0, 'ppp lcp silent': 0, 'ppp lcp mru': 0,
  'ppp lcp restart': 0, 'ppp lcp maxterminate': 0, 'ppp lcp maxconfigure': 0, 'ppp lcp maxfailure': 0,
  'ppp pap restart': 0, 'ppp pap maxauthreq': 0, 'ppp chap restart': 0, 'ppp chap maxchallenge': 0,
  'ppp ipcp vjc': 0, 'ppp ipcp ipaddress': 0, 'ppp ipcp msext': 0, 'ppp ipcp remote address check': 0,
  'ppp ipcp restart': 0, 'ppp ipcp maxterminate': 0, 'ppp ipcp maxconfigure': 0, 'ppp ipcp maxfailure': 0,
  'ppp mscbcp restart': 0, 'ppp mscbcp maxretry': 0,
  'ppp ccp type': 0, 'ppp ccp restart': 0, 'ppp ccp maxterminate': 0, 'ppp ccp maxconfigure': 0, 'ppp ccp maxfailure': 0,
  'ppp ipv6cp use': 0,
  'pppoe use': 0, 'pppoe access concentrator': 0, 'pppoe auto connect': 0, 'pppoe auto disconnect': 0,
  'pppoe padi maxretry': 0, 'pppoe padi restart': 0, 'pppoe padr maxretry': 0, 'pppoe padr restart': 0,
  'pppoe disconnect time': 0, 'pppoe service-name': 0, 'pppoe tcp mss limit': 0,
  'pppoe invalid-session forced close': 0, 'pppoe pass-through member': 0,
} satisfies Record<PpCommandName, 0>) as PpCommandName[];

/** Reference ranges of the single-number commands: PPP timers in ms (20..10000), counters. */
const VALUE_RANGES: Partial<Record<PpCommandName, readonly [number, number]>> = {
  'ppp lcp restart': [20, 10000],
  'ppp pap restart': [20, 10000],
  'ppp chap restart': [20, 10000],
  'ppp ipcp restart': [20, 10000],
  'ppp ccp restart': [20, 10000],
  'ppp mscbcp restart': [20, 10000],
  'ppp lcp maxterminate': [1, 10],
  'ppp lcp maxconfigure': [1, 10],
  'ppp lcp maxfailure': [1, 10],
  'ppp ipcp maxterminate': [1, 10],
  'ppp ipcp maxconfigure': [1, 10],
  'ppp ipcp maxfailure': [1, 10],
  'ppp ccp maxterminate': [1, 10],
  'ppp ccp maxconfigure': [1, 10],
  'ppp ccp maxfailure': [1, 10],
  'ppp pap maxauthreq': [1, 10],
  'ppp chap maxchallenge': [1, 10],
  'ppp mscbcp maxretry': [1, 30],
  'pppoe padi maxretry': [1, 10],
  'pppoe padr maxretry': [1, 10],
  'pppoe padi restart': [20, 10000],
  'pppoe padr restart': [20, 10000],
};

const peerCheck = (peer: PeerItem): ValidationProblem | undefined => {
  if (typeof peer === 'number') return inRange(peer, 1, MAX_PEER, 'peer number');
  if (typeof peer === 'object') {
    return firstProblem(inRange(peer.from, 1, MAX_PEER, 'peer number'), inRange(peer.to, 1, MAX_PEER, 'peer number')) ??
      (peer.from <= peer.to ? undefined : { error: 'parameter-out-of-range', detail: `peer range ${peer.from}-${peer.to}` });
  }
  return undefined;
};

/** §8.2.4: options of an `icmp-echo` keepalive target. */
const ICMP_OPTION_RANGES: Record<string, readonly [number, number]> = {
  upwait: [1, 10000],
  downwait: [1, 10000],
  disconnect: [1, 21474836],
  length: [64, 1500],
};

const optionValueCheck = (key: string, value: string, ranges: Record<string, readonly [number, number]>): ValidationProblem | undefined => {
  const range = ranges[key];
  if (range === undefined) return illegal(`${key}=`);
  if (!/^\d+$/.test(value)) return { error: 'parameter-must-be-integer', detail: `${key}=${value}` };
  return inRange(Number(value), range[0], range[1], key);
};

function validate(command: ParsedCommand): ValidationProblem | undefined {
  const name = command.name as PpCommandName;
  const range = VALUE_RANGES[name];
  if (range !== undefined) return inRange((command.params as Value).value, range[0], range[1], name);
  switch (name) {
    case 'pp select': {
      const { peer } = ppParams(command, 'pp select');
      return typeof peer === 'number' ? inRange(peer, 1, MAX_PEER, 'peer number') : undefined;
    }
    case 'pp enable':
    case 'pp disable':
      return firstProblem(...(command.params as { peers: PeerItem[] }).peers.map(peerCheck));
    case 'pp auth myname': {
      const p = ppParams(command, 'pp auth myname');
      return firstProblem(lengthBetween(p.name, 1, 64, 'name'), lengthBetween(p.password, 1, 64, 'password'));
    }
    case 'pp auth username': {
      const p = ppParams(command, 'pp auth username');
      return firstProblem(lengthBetween(p.username, 1, 64, 'username'), lengthBetween(p.password, 1, 64, 'password'));
    }
    case 'pp keepalive interval': {
      const p = ppParams(command, 'pp keepalive interval') as Record<string, unknown> & PpParams['pp keepalive interval'];
      const unknown = Object.keys(p).find((k) => k.startsWith('unknown:'));
      if (unknown !== undefined) return illegal(`${unknown.slice('unknown:'.length)}=`);
      const notNumber = (['retryInterval', 'count', 'time'] as const).find((k) => p[k] !== undefined && typeof p[k] !== 'number');
      if (notNumber !== undefined) return { error: 'parameter-must-be-integer', detail: notNumber };
      return firstProblem(
        inRange(p.interval, 1, 65535, 'interval'),
        p.retryInterval === undefined ? undefined : inRange(p.retryInterval, 1, 65535, 'retry-interval'),
        p.count === undefined ? undefined : inRange(p.count, 3, 100, 'count'),
        p.time === undefined ? undefined : inRange(p.time, p.interval + 1, 65535, 'time'),
        // §8.2.3: count= and time= cannot be given together.
        p.count !== undefined && p.time !== undefined ? illegal('count= with time=') : undefined,
      );
    }
    case 'pp keepalive use': {
      const p = ppParams(command, 'pp keepalive use');
      if ('off' in p) return undefined;
      return firstProblem(
        ...p.icmpEcho.flatMap((target) => Object.entries(target.options).map(([k, v]) => optionValueCheck(k, v, ICMP_OPTION_RANGES))),
      );
    }
    case 'pp backup': {
      const p = ppParams(command, 'pp backup');
      if (p.kind === 'pp') {
        const recovery = p['ipsec-fast-recovery'];
        return firstProblem(
          inRange(p.peer, 1, MAX_PEER, 'peer number'),
          recovery === undefined || recovery === 'on' || recovery === 'off' ? undefined : illegal(`ipsec-fast-recovery=${recovery}`),
        );
      }
      return undefined;
    }
    case 'pp backup recovery time':
    case 'pppoe disconnect time': {
      const { seconds } = command.params as { seconds: number | 'off' };
      return seconds === 'off' ? undefined : inRange(seconds, 1, 21474836, 'seconds');
    }
    case 'ppp lcp mru': {
      const { length } = ppParams(command, 'ppp lcp mru');
      return length === undefined ? undefined : inRange(length, 1280, 1792, 'MRU');
    }
    case 'pppoe service-name':
      return lengthBetween(ppParams(command, 'pppoe service-name').name, 1, 255, 'service name');
    case 'pppoe tcp mss limit': {
      const { length } = ppParams(command, 'pppoe tcp mss limit');
      return typeof length === 'number' ? inRange(length, 1240, 1452, 'MSS') : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Which commands are settings of the selected peer. The reference marks them "選択されている相手"
 * or "PP 毎のコマンド"; `pp keepalive log` and `pp backup recovery time` are shared by every peer
 * (§8.2.5, §8.5.2), `pp enable|disable` name their peers, PPPoE pass-through is per LAN.
 */
const GLOBAL: ReadonlySet<PpCommandName> = new Set([
  'pp select',
  'pp enable',
  'pp disable',
  'pp keepalive log',
  'pp backup recovery time',
  'pppoe pass-through member',
  'pppoe invalid-session forced close',
]);

/** `pp auth username <name> …`: one entry per user name (§11.1: "複数の設定が可能"). */
const usernameIdentity = (words: readonly ConfigToken[]): readonly string[] | undefined => (words.length === 0 ? undefined : [words[0]!.value]);

const specOf = (name: PpCommandName): CommandSpec => {
  const scope: CommandScope = GLOBAL.has(name) ? 'global' : 'pp';
  if (name === 'pp auth username') return { scope, identity: usernameIdentity };
  if (name === 'pp enable' || name === 'pp disable') return { scope, identity: 1, slot: 'pp enable' };
  return { scope, identity: 0 };
};

const specs: Readonly<Record<string, CommandSpec>> = Object.fromEntries(commands.map((name) => [name, specOf(name)]));

export const family: CommandFamily = {
  name: 'pp',
  firstKeywords: ['pp', 'ppp', 'pppoe'],
  commands,
  grammar,
  validate,
  specs,
};
