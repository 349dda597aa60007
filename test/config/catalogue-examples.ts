/**
 * Builds a plausible command line from a catalogue syntax line (`syntax` of CatalogueSyntaxLine):
 * keywords as written, each `<parameter>` filled with a value of the kind its name suggests,
 * optional `[...]` parts left out. Used by the catalogue walk: every line must be recognised by
 * name; the lines of fully checked families are also worth checking, so the values try to be
 * valid (documentation addresses only, RFC 5737 / RFC 3849).
 */

/** Parameter names that are the keyword itself (the reference marks `dhcp`, `any`, `ipcp` … like parameters). */
const KEYWORD_PARAMETERS = new Set([
  'any', 'none', 'lan', 'all', 'auto', 'off', 'on', 'dhcp', 'dhcpc', 'ipcp', 'lcp-echo', 'icmp-echo',
  'esp', 'ah', 'proxy', 'redirect', 'dynamic', 'except', 'fingerprint', 'detail', 'no-confirm', 'force',
]);

/** Values by parameter name. */
const BY_NAME: Record<string, string> = {
  'ip_address-ip_address': '192.0.2.10-192.0.2.20',
  mask: '24',
  netmask: '24',
  prefix_len: '64',
  mac_address: '00:a0:de:00:00:01',
  src_mac: '00:a0:de:00:00:01',
  dst_mac: '00:a0:de:00:00:02',
  direction: 'in',
  dir: 'in',
  protocol: 'tcp',
  port: '80',
  url: 'http://www.example.com/',
  timezone: '+09:00',
  date: '2024/01/01',
  time: '3000',
  pass_reject: 'pass',
  gateway_id: '1',
  kind: 'pass',
  algorithm: 'aes-cbc',
  group: 'modp1024',
  type: '1',
  action: 'reject',
  mode: '1',
  level: '1',
  sip: 'on',
};

/** Values by the shape of the name, tried in order. */
const BY_PATTERN: readonly (readonly [RegExp, string])[] = [
  [/^bridge_interface$/, 'bridge1'],
  [/^loopback$/, 'loopback1'],
  [/^wan$/, 'wan1'],
  [/interface|^if_/, 'lan1'],
  [/ipv6/, '2001:db8::1'],
  [/(^|_)(ip\d?|ipaddress|addr|address|gateway|server\d?|host\d?|nexthop|gw_ip|ex_ip|dest_ip|router_id|range)($|_)|^(src|dest|dst)addr$|address/, '192.0.2.1'],
  [/^(switch\d?|sw|use|log|send|receive|permit|spoof|resolv|msext|acfc|pfc|magicnumber|compression|negotiation|prohibit|divide|notice|debug|info|remove|pfs|mru|syslog|prompt|lines|rip_hold|encap)$/, 'on'],
  [/name|user|pass|key|text|secret|community|string|description|apn|agent/, 'example'],
  [/domain|fqdn|query/, 'example.com'],
  [/path|file|directory|module/, 'usb1:/example.lua'],
];

/** Per-section values where a name means something specific (`time` is a clock time in a schedule). */
const BY_SECTION: Record<string, Record<string, string>> = {
  '11.2': { accept: 'chap' },
  '11.3': { auth: 'chap' },
  '17.1.7': { auth: 'chap' },
  '17.1.8': { auth: 'chap' },
  '11.11.1': { type: 'none' },
  '11.16.11': { length: '1400' },
  '12.1.1': { type: 'server' },
  '12.1.2': { comp: 'on', function: 'remain-silent' },
  '12.1.5': { id: '01 00 a0 de 00 00 01' },
  '12.1.6': { type: 'bind-priority' },
  '12.1.8': { option: 'dns', value: '192.0.2.53' },
  '12.1.13': { type: 'hash' },
  '12.2.5': { option: '50', value: 'c0,a8,00,80' },
  '23.3': { type: 'masquerade' },
  '23.10': { action: 'reject' },
  '24.1': { service: 'recursive' },
  '24.6': { protocol: 'dhcp', server: 'me' },
  '24.11': { type: 'a' },
  '37.1': { time: '12:00', command: 'ntpdate ntp.example.com' },
};

/** Unmarked placeholders (the marking missed them) to fill, per section. */
const UNMARKED_BY_SECTION: Record<string, Record<string, string>> = {
  '24.11': { name: 'host.example.com', value: '192.0.2.1' },
  '37.1': { '+timer': '+60' },
};

export function valueFor(parameter: string, section = ''): string {
  const special = BY_SECTION[section]?.[parameter];
  if (special !== undefined) return special;
  if (KEYWORD_PARAMETERS.has(parameter)) return parameter;
  const named = BY_NAME[parameter];
  if (named !== undefined) return named;
  for (const [pattern, value] of BY_PATTERN) if (pattern.test(parameter)) return value;
  return '1';
}

/** Removes the bracketed optional parts (nested brackets included). */
function withoutOptionalParts(syntax: string): string {
  let out = '';
  let depth = 0;
  for (const ch of syntax) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** One example line for a catalogue syntax line. */
export function exampleLine(syntax: string, section = ''): string {
  return withoutOptionalParts(syntax)
    .split(/\s+/)
    .filter((word) => word.length > 0 && word !== '...' && word !== '..')
    .map((word) => {
      const unmarked = UNMARKED_BY_SECTION[section]?.[word];
      if (unmarked !== undefined) return unmarked;
      return (
        word
          // `<x>=<x>`: the option is called x (`<retry-interval>=<retry-interval>` -> `retry-interval=1`).
          .replace(/<([^<>]+)>=<\1>/g, (_, name: string) => `${name}=${valueFor(name, section)}`)
          .replace(/<<eo[fm]"?/i, '<<EOF')
          .replace(/<([^<>]+)>/g, (_, name: string) => valueFor(name, section))
          .replace(/\.\.\.$/, '')
      );
    })
    .join(' ');
}
