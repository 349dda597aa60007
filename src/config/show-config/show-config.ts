/**
 * `show config`: the model printed in the RTX's layout (rtx-behaviour.md §8, rtx-config-forms.md
 * A.2 and B.2 "Order"): the five header lines, then the sections in the RTX's order, `pp
 * select` and `tunnel select` blocks with their commands indented one space, gateway settings
 * two spaces under `ipsec tunnel`, no `tunnel select none`/`pp select none`.
 *
 * Within the tunnel block the order follows the seed's capture and S3: `ipsec sa policy`, then
 * the `ipsec ike` settings alphabetically except XAUTH and mode-cfg last, then the per-gateway
 * `ipsec auto refresh`; `ip tunnel ...`; `tunnel enable N` ends the block (assumed where no
 * capture shows it). Reading the output back gives the same model.
 */
import { RTX1500_REV_8_03_75, type DeviceIdentity } from '../device-identity.js';
import type { CommandFamily, CommandSpec } from '../family.js';
import { registry as defaultRegistry } from '../families/index.js';
import type { ConfigCommand, ConfigModel } from '../model.js';
import type { CommandRegistry } from '../name-index.js';
import { consoleSettings } from '../views/console.js';
import { formatCommand } from './format-command.js';
import { showConfigHeader } from './header.js';

export interface ShowConfigOptions {
  /** The router's clock, for `# Reporting Date:` (shown in the config's timezone). */
  readonly now: Date;
  readonly device?: DeviceIdentity;
  readonly registry?: CommandRegistry;
  /**
   * `masked` (default): passwords print as the RTX shows them (`*`). `kept`: as entered, for the
   * router's own config file (`save`), which must re-read to the same model.
   */
  readonly secrets?: 'masked' | 'kept';
  /**
   * `show config tunnel N` / `show config pp N`: only that block (`tunnel select N` and its
   * lines), without the header lines (assumed: no capture of the part form was found).
   */
  readonly part?: ConfigPart;
}

/** The block a partial `show config` prints. */
export type ConfigPart =
  | { readonly kind: 'tunnel'; readonly tunnel: number }
  | { readonly kind: 'pp'; readonly peer: number | 'anonymous' };

const headerOfPart = (part: ConfigPart): string =>
  part.kind === 'tunnel' ? `tunnel select ${part.tunnel}` : `pp select ${part.peer}`;

/** The `show config` text, one line per array element. */
export function showConfigLines(model: ConfigModel, options: ShowConfigOptions): string[] {
  const registry = options.registry ?? defaultRegistry;
  const specs = specLookup(registry);
  const format = (command: ConfigCommand, indent: string): string[] => {
    const [first, ...rest] = formatCommand(command, specs(command), options.secrets ?? 'masked');
    return [indent + first!, ...rest];
  };
  const layout = layOut(model);
  if (options.part !== undefined) {
    const wanted = headerOfPart(options.part);
    const block = layout.find((section) => section.kind === 'block' && section.header === wanted);
    if (block === undefined || block.kind !== 'block') return [];
    return [block.header, ...block.commands.flatMap(({ command, depth }) => format(command, ' '.repeat(depth)))];
  }
  const lines = showConfigHeader(options.device ?? RTX1500_REV_8_03_75, options.now, consoleSettings(model).timezone.offsetMinutes);
  for (const section of layout) {
    if (section.kind === 'commands') {
      for (const command of section.commands) lines.push(...format(command, ''));
    } else {
      lines.push(section.header);
      for (const { command, depth } of section.commands) lines.push(...format(command, ' '.repeat(depth)));
    }
  }
  return lines;
}

export function showConfig(model: ConfigModel, options: ShowConfigOptions): string {
  return `${showConfigLines(model, options).join('\n')}\n`;
}

function specLookup(registry: CommandRegistry): (command: ConfigCommand) => CommandSpec | undefined {
  const families = new Map<string, CommandFamily>(
    [...registry.checkedFamilies, registry.catalogue].map((family) => [family.name, family]),
  );
  return (command) => families.get(command.family)?.specs?.[command.name];
}

type Section =
  | { readonly kind: 'commands'; readonly commands: readonly ConfigCommand[] }
  | { readonly kind: 'block'; readonly header: string; readonly commands: readonly { command: ConfigCommand; depth: number }[] };

// Global sections in the RTX order (rtx-config-forms.md B.2); pp and tunnel blocks sit at 60/70.
const RANK = {
  systemDescription: 0,
  accounts: 10,
  routes: 20,
  ipv6Prefix: 25,
  ports: 30,
  interfaces: 40,
  ngn: 50,
  ppAll: 58,
  ppBlocks: 60,
  tunnelAll: 65,
  tunnelBlocks: 70,
  ipFilters: 80,
  nat: 90,
  ipsec: 100,
  ipv6Filters: 130,
  syslog: 140,
  auth: 145,
  services: 150,
  dhcp: 160,
  dns: 170,
  other: 180,
  unknown: 190,
} as const;

/** Name orders inside sections (see orderIndex). */
const NAME_ORDER: readonly string[] = [
  // accounts and system
  'login password',
  'administrator password',
  'login user',
  'user attribute',
  'security class',
  'timezone',
  'console character',
  'console columns',
  'console lines',
  'console prompt',
  'console info',
  'login timer',
  // routes
  'ip routing',
  'ip route',
  'ip keepalive',
  'ip filter directed-broadcast',
  'ip filter source-route',
  // interfaces
  'description *',
  'ip * address',
  'ip * secondary address',
  'ip * mtu',
  'ip * rip',
  'ip * proxyarp',
  'ip * secure filter',
  'ip * intrusion',
  'ip * nat descriptor',
  'ip * tcp mss limit',
  'ip *',
  'ipv6 *',
  // ip filters
  'ip filter',
  'ip filter dynamic',
  // ipsec (global)
  'ipsec use',
  'ipsec sa policy',
  'ipsec ike mode-cfg address pool',
  'ipsec auto refresh',
  'ipsec transport',
  // syslog
  'syslog host',
  'syslog local address',
  'syslog srcport',
  'syslog facility',
  'syslog notice',
  'syslog info',
  'syslog debug',
  'syslog execute command',
  // auth
  'auth user',
  'auth user attribute',
  'auth user group',
  'auth user group attribute',
  // services
  'telnetd',
  'sshd',
  'sftpd',
  'httpd',
  'tftp',
];

/** Gateway settings inside a tunnel block, as the seed's capture orders them. */
const GATEWAY_ORDER: readonly string[] = [
  'ipsec ike always-on',
  'ipsec ike auth method',
  'ipsec ike auto received-id-route-add',
  'ipsec ike backward-compatibility',
  'ipsec ike child-exchange type',
  'ipsec ike duration',
  'ipsec ike encryption',
  'ipsec ike esp-encapsulation',
  'ipsec ike group',
  'ipsec ike hash',
  'ipsec ike keepalive log',
  'ipsec ike keepalive use',
  'ipsec ike license-key use',
  'ipsec ike local address',
  'ipsec ike local id',
  'ipsec ike local name',
  'ipsec ike log',
  'ipsec ike message-id-control',
  'ipsec ike nat-traversal',
  'ipsec ike negotiate-strictly',
  'ipsec ike negotiation receive',
  'ipsec ike payload type',
  'ipsec ike pfs',
  'ipsec ike pre-shared-key',
  'ipsec ike proposal-limitation',
  'ipsec ike remote address',
  'ipsec ike remote id',
  'ipsec ike remote name',
  'ipsec ike restrict-dangling-sa',
  'ipsec ike send info',
  'ipsec ike version',
  'ipsec ike xauth myname',
  'ipsec ike xauth request',
  'ipsec ike mode-cfg address',
  'ipsec ike mode-cfg method',
  'ipsec auto refresh',
];

/** Tunnel-scope commands before `ipsec tunnel`, then after it. */
const TUNNEL_HEAD_ORDER: readonly string[] = ['description tunnel', 'tunnel template', 'tunnel encapsulation', 'tunnel endpoint'];
const TUNNEL_TAIL_ORDER: readonly string[] = ['ipsec tunnel', 'l2tp', 'pptp', 'ip tunnel', 'ipv6 tunnel'];

const INTERFACE_PATTERN = /^(lan|vlan|bridge|loopback|wan|bri|null)/;

/** The most specific (longest) entry that is a prefix of the name; unlisted names go last. */
function orderIndex(order: readonly string[], words: readonly string[]): number {
  let best = order.length;
  let bestLength = 0;
  order.forEach((entry, index) => {
    const pattern = entry.split(' ');
    if (pattern.length > bestLength && matchesPrefix(pattern, words)) {
      best = index;
      bestLength = pattern.length;
    }
  });
  return best;
}

function matchesPrefix(pattern: readonly string[], words: readonly string[]): boolean {
  return pattern.length <= words.length && pattern.every((p, i) => p === '*' || p === words[i]);
}

function interfaceOf(command: ConfigCommand): string | undefined {
  const [first, second] = command.nameWords;
  if (second === undefined || !INTERFACE_PATTERN.test(second)) return undefined;
  return first === 'ip' || first === 'ipv6' || first === 'description' || first === 'ethernet' ? second : undefined;
}

/** `lan1` < `lan1.2` < `lan2` < `vlan1` < `bridge1` < `loopback1` ... */
function interfaceSortKey(name: string): [number, number, number] {
  const kinds = ['lan', 'vlan', 'bridge', 'loopback', 'wan', 'bri', 'null'];
  const match = /^([a-z]+)(\d*)(?:[./](\d+))?/.exec(name);
  const kind = kinds.indexOf(match?.[1] ?? '');
  return [kind < 0 ? kinds.length : kind, Number(match?.[2] ?? 0), Number(match?.[3] ?? 0)];
}

function globalRank(command: ConfigCommand): number {
  const [first = '', second = '', third = ''] = command.nameWords;
  if (interfaceOf(command) !== undefined) return RANK.interfaces;
  switch (first) {
    case 'description':
      return RANK.systemDescription;
    case 'login':
    case 'administrator':
    case 'user':
    case 'security':
    case 'timezone':
    case 'console':
      return RANK.accounts;
    case 'ip':
      if (second === 'filter') {
        return third === 'directed-broadcast' || third === 'source-route' ? RANK.routes : RANK.ipFilters;
      }
      return second === 'route' || second === 'keepalive' || second === 'routing' ? RANK.routes : RANK.unknown;
    case 'ipv6':
      return second === 'prefix' ? RANK.ipv6Prefix : second === 'filter' ? RANK.ipv6Filters : RANK.unknown;
    case 'vlan':
    case 'lan':
    case 'bridge':
      return RANK.ports;
    case 'ngn':
      return RANK.ngn;
    case 'pp':
      return RANK.ppAll;
    case 'tunnel':
      return RANK.tunnelAll;
    case 'nat':
      return RANK.nat;
    case 'ipsec':
      return RANK.ipsec;
    case 'syslog':
      return RANK.syslog;
    case 'auth':
    case 'radius':
      return RANK.auth;
    case 'telnetd':
    case 'sshd':
    case 'sftpd':
    case 'httpd':
    case 'tftp':
      return RANK.services;
    case 'dhcp':
      return RANK.dhcp;
    case 'dns':
      return RANK.dns;
    case 'snmp':
    case 'schedule':
    case 'l2tp':
    case 'statistics':
    case 'dashboard':
    case 'analog':
    case 'embedded':
      return RANK.other;
    default:
      return RANK.unknown;
  }
}

/**
 * Identity words of two keys compared as the RTX lists them: `default` first, then numbers and
 * addresses numerically, then words alphabetically.
 */
function compareIdentity(a: ConfigCommand, b: ConfigCommand): number {
  const wordsOf = (c: ConfigCommand): string[] => c.key.slice(c.key.lastIndexOf('|') + 1).split(' ');
  const x = wordsOf(a);
  const y = wordsOf(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const order = compareWord(x[i] ?? '', y[i] ?? '');
    if (order !== 0) return order;
  }
  return 0;
}

function sortKeyOf(word: string): [number, ...number[]] | [number, string] {
  if (word === 'default') return [0, 0];
  if (/^\d+$/.test(word)) return [1, Number(word)];
  const address = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(word);
  if (address) return [2, ...address.slice(1, 5).map(Number), Number(address[5] ?? 32)];
  return [3, word];
}

function compareWord(p: string, q: string): number {
  if (p === q) return 0;
  const x = sortKeyOf(p);
  const y = sortKeyOf(q);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [u, v] = [x[i], y[i]];
    if (u === v) continue;
    if (u === undefined) return -1;
    if (v === undefined) return 1;
    return u < v ? -1 : 1;
  }
  return 0;
}

function sortWithin(commands: ConfigCommand[], order: readonly string[]): ConfigCommand[] {
  const position = new Map(commands.map((c, i) => [c, i]));
  return [...commands].sort(
    (a, b) =>
      orderIndex(order, a.nameWords) - orderIndex(order, b.nameWords) ||
      (a.name === b.name ? compareIdentity(a, b) : 0) ||
      position.get(a)! - position.get(b)!,
  );
}

const isEnableSwitch = (command: ConfigCommand, kind: 'tunnel' | 'pp'): boolean =>
  command.nameWords[0] === kind && (command.nameWords[1] === 'enable' || command.nameWords[1] === 'disable');

/** The numbered target of `tunnel enable N` / `pp enable N` (not `all`). */
function enableTarget(command: ConfigCommand): string | undefined {
  const word = command.words[0]?.value.toLowerCase();
  return word === undefined || word === 'all' ? undefined : word;
}

function gatewayOf(command: ConfigCommand): number | undefined {
  if (command.family !== 'ipsec' || command.name === 'ipsec sa policy') return undefined;
  const gateway = (command.params as { gateway?: unknown }).gateway;
  return typeof gateway === 'number' ? gateway : undefined;
}

function layOut(model: ConfigModel): Section[] {
  const commands = model.commands;
  const tunnelPolicies = new Map<number, number>(); // policy id -> first tunnel using it
  for (const command of commands) {
    if (command.name === 'ipsec tunnel' && command.context.kind === 'tunnel') {
      const policy = (command.params as { policyId: number }).policyId;
      if (!tunnelPolicies.has(policy)) tunnelPolicies.set(policy, command.context.tunnel);
    }
  }

  // A gateway's settings print under the tunnel that uses it: the tunnel whose `ipsec tunnel`
  // names a policy of that gateway (S3, the seed's capture); the lowest such tunnel if several do
  // (assumed). A gateway no tunnel uses prints among the global ipsec lines (assumed: no capture
  // shows one; the RTX never invents a `tunnel select` for it).
  const gatewayTunnels = new Map<number, number>();
  for (const command of commands) {
    if (command.name !== 'ipsec sa policy' || command.context.kind !== 'global') continue;
    const { policyId, gateway } = command.params as { policyId: number; gateway: number };
    const tunnel = tunnelPolicies.get(policyId);
    const known = gatewayTunnels.get(gateway);
    if (tunnel !== undefined && (known === undefined || tunnel < known)) gatewayTunnels.set(gateway, tunnel);
  }

  const tunnelBlocks = new Map<number, ConfigCommand[]>();
  const ppBlocks = new Map<string, ConfigCommand[]>();
  const addTo = <K>(blocks: Map<K, ConfigCommand[]>, key: K, command: ConfigCommand): void => {
    const list = blocks.get(key);
    if (list) list.push(command);
    else blocks.set(key, [command]);
  };
  const global: ConfigCommand[] = [];
  for (const command of commands) {
    const gateway = gatewayOf(command);
    const policyTunnel =
      command.name === 'ipsec sa policy' ? tunnelPolicies.get((command.params as { policyId: number }).policyId) : undefined;
    const enabled = enableTarget(command);
    if (command.context.kind === 'tunnel') addTo(tunnelBlocks, command.context.tunnel, command);
    else if (command.context.kind === 'pp') addTo(ppBlocks, String(command.context.peer), command);
    else if (gateway !== undefined && gatewayTunnels.has(gateway)) addTo(tunnelBlocks, gatewayTunnels.get(gateway)!, command);
    else if (policyTunnel !== undefined) addTo(tunnelBlocks, policyTunnel, command);
    else if (isEnableSwitch(command, 'tunnel') && enabled !== undefined) addTo(tunnelBlocks, Number(enabled), command);
    else if (isEnableSwitch(command, 'pp') && enabled !== undefined) addTo(ppBlocks, enabled, command);
    else global.push(command);
  }

  const ranked = new Map<number, ConfigCommand[]>();
  for (const command of global) addTo(ranked, globalRank(command), command);
  const sections: Section[] = [];
  const ranks = [...new Set([...ranked.keys(), RANK.ppBlocks, RANK.tunnelBlocks])].sort((a, b) => a - b);
  for (const rank of ranks) {
    if (rank === RANK.ppBlocks) sections.push(...ppSections(ppBlocks));
    else if (rank === RANK.tunnelBlocks) sections.push(...tunnelSections(tunnelBlocks));
    else if (rank === RANK.interfaces) sections.push({ kind: 'commands', commands: sortInterfaces(ranked.get(rank)!) });
    else if (rank === RANK.unknown) sections.push({ kind: 'commands', commands: ranked.get(rank)! });
    else sections.push({ kind: 'commands', commands: sortWithin(ranked.get(rank)!, NAME_ORDER) });
  }
  return sections;
}

function sortInterfaces(commands: ConfigCommand[]): ConfigCommand[] {
  const byInterface = new Map<string, ConfigCommand[]>();
  for (const command of commands) {
    const name = interfaceOf(command)!;
    byInterface.set(name, [...(byInterface.get(name) ?? []), command]);
  }
  const names = [...byInterface.keys()].sort((a, b) => {
    const [x, y] = [interfaceSortKey(a), interfaceSortKey(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || (a < b ? -1 : a > b ? 1 : 0);
  });
  return names.flatMap((name) => sortWithin(byInterface.get(name)!, NAME_ORDER));
}

function ppSections(blocks: Map<string, ConfigCommand[]>): Section[] {
  // Numbered peers ascending, `pp select anonymous` last (rtx-config-forms.md B.2).
  const peers = [...blocks.keys()].sort((a, b) =>
    a === 'anonymous' ? 1 : b === 'anonymous' ? -1 : Number(a) - Number(b),
  );
  return peers.map((peer) => {
    const commands = blocks.get(peer)!;
    const enables = commands.filter((c) => isEnableSwitch(c, 'pp'));
    const body = commands.filter((c) => !isEnableSwitch(c, 'pp'));
    return {
      kind: 'block',
      header: `pp select ${peer}`,
      commands: [...body, ...enables].map((command) => ({ command, depth: 1 })),
    };
  });
}

function tunnelSections(blocks: Map<number, ConfigCommand[]>): Section[] {
  return [...blocks.keys()]
    .sort((a, b) => a - b)
    .map((tunnel) => {
      const commands = blocks.get(tunnel)!;
      const ofTunnel = commands.filter((c) => c.context.kind === 'tunnel');
      const head = sortWithin(
        ofTunnel.filter((c) => orderIndex(TUNNEL_HEAD_ORDER, c.nameWords) < TUNNEL_HEAD_ORDER.length),
        TUNNEL_HEAD_ORDER,
      );
      const ipsecTunnel = ofTunnel.filter((c) => c.name === 'ipsec tunnel');
      const tail = sortWithin(
        ofTunnel.filter((c) => !head.includes(c) && !ipsecTunnel.includes(c)),
        TUNNEL_TAIL_ORDER,
      );
      const policies = sortWithin(commands.filter((c) => c.name === 'ipsec sa policy'), []);
      const gatewaySettings = sortWithin(
        commands.filter((c) => c.context.kind !== 'tunnel' && gatewayOf(c) !== undefined),
        GATEWAY_ORDER,
      );
      const enables = commands.filter((c) => isEnableSwitch(c, 'tunnel'));
      const lines: { command: ConfigCommand; depth: number }[] = [
        ...head.map((command) => ({ command, depth: 1 })),
        ...ipsecTunnel.map((command) => ({ command, depth: 1 })),
        ...[...policies, ...gatewaySettings].map((command) => ({ command, depth: 2 })),
        ...tail.map((command) => ({ command, depth: 1 })),
        ...enables.map((command) => ({ command, depth: 1 })),
      ];
      return { kind: 'block', header: `tunnel select ${tunnel}`, commands: lines };
    });
}
