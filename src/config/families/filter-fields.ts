/**
 * The fields of `ip filter` and `ip filter dynamic` (command reference §8.1.10, §8.1.14), checked
 * as RTX1500 Rev.8.03 takes them. The current reference also lets an address be an FQDN, `map-e`,
 * `hb46pp` or an `@application`; those came with Rev.14.01 and later (the reference says from
 * which revision), so on Rev.8.03 a word there is a bad address.
 *
 * Errors (text evidence as in docs/config.md "Which error a line gets"): a bad address or mask
 * `Unrecognized IP address parameter`; an unknown protocol, port or service word `Illegal
 * keyword`; a number out of range `Parameter out of range`.
 */
import type { ValidationProblem } from '../family.js';

type Check = ValidationProblem | undefined;

const badAddress = (what: string, text: string): ValidationProblem => ({ error: 'unrecognized-ip-address', detail: `${what} ${text}` });
const badWord = (what: string, text: string): ValidationProblem => ({ error: 'illegal-keyword', detail: `${what} ${text}` });
const outOfRange = (what: string, text: string): ValidationProblem => ({ error: 'parameter-out-of-range', detail: `${what} ${text}` });

/** `A.B.C.D` where each part is 0..255 or `*` (every value of that octet). */
function isWildcardIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => p === '*' || (/^\d{1,3}$/.test(p) && Number(p) <= 255));
}

/** A mask: dotted quad, `0x` and hexadecimal, or a bit count (§8.1.10 mask). */
function isMask(text: string): boolean {
  if (/^\d{1,2}$/.test(text)) return Number(text) <= 32;
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return true;
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * An address field: `*`, or a comma list of addresses and ranges (`A-B`, `-A`, `A-`), each
 * address an `A.B.C.D` with `*` octets allowed, with an optional `/mask` after the field.
 */
export function addressFieldProblem(text: string, what: string): Check {
  if (text === '*') return undefined;
  const slash = text.indexOf('/');
  const body = slash < 0 ? text : text.slice(0, slash);
  if (slash >= 0) {
    // A mask only after a network address (§8.1.10 mask): one dotted quad, no `*`, range or list.
    if (!isMask(text.slice(slash + 1))) return badAddress(`${what} mask`, text);
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(body) || !isWildcardIpv4(body)) return badAddress(`${what} (a mask needs a network address)`, text);
  }
  for (const item of body.split(',')) {
    const dash = item.indexOf('-');
    const ends = dash < 0 ? [item] : [item.slice(0, dash), item.slice(dash + 1)];
    if (dash >= 0 && ends[0] === '' && ends[1] === '') return badAddress(what, text);
    if (!ends.every((end) => end === '' || isWildcardIpv4(end)) || (dash < 0 && item === '')) return badAddress(what, text);
  }
  return undefined;
}

/** Protocol mnemonics of §8.1.10 with their numbers. */
const PROTOCOLS = new Set(['icmp', 'tcp', 'udp', 'ipv6', 'gre', 'esp', 'ah', 'icmp6']);
/** The special protocol forms of §8.1.10 (besides `tcpflag=` / `tcpflag!=`). */
const SPECIAL_PROTOCOLS = new Set(['icmp-error', 'icmp-info', 'tcpsyn', 'tcpfin', 'tcprst', 'established']);
const TCPFLAG = /^tcpflag!?=0x[0-9a-f]{1,4}\/0x[0-9a-f]{1,4}$/i;

/** `*`, a number 0..255, a mnemonic, a special form, or a comma list of them (assumed: specials may be listed too). */
export function protocolFieldProblem(text: string): Check {
  if (text === '*') return undefined;
  for (const item of text.toLowerCase().split(',')) {
    if (/^\d+$/.test(item)) {
      if (Number(item) > 255) return outOfRange('protocol', text);
      continue;
    }
    if (PROTOCOLS.has(item) || SPECIAL_PROTOCOLS.has(item)) continue;
    if (item.startsWith('tcpflag')) {
      if (TCPFLAG.test(item)) continue;
      return badWord('tcpflag (0xVALUE/0xMASK, 0x0000..0xffff)', text);
    }
    return badWord('protocol', text);
  }
  return undefined;
}

/**
 * Port mnemonics: the reference lists "some" (§8.1.10); the service names of §8.1.14 that are
 * TCP/UDP ports are taken too (assumed: the reference's list is marked partial).
 */
const PORT_NAMES = new Set([
  'ftp', 'ftpdata', 'telnet', 'smtp', 'domain', 'gopher', 'finger', 'www', 'pop3', 'sunrpc', 'ident',
  'ntp', 'nntp', 'snmp', 'syslog', 'printer', 'talk', 'route', 'uucp', 'submission',
  'echo', 'discard', 'daytime', 'chargen', 'ssh', 'time', 'whois', 'dns', 'tftp', 'http', 'netbios_ns',
  'netbios_dgm', 'netbios_ssn', 'imap', 'snmptrap', 'bgp', 'imap3', 'ldap', 'https', 'ms-ds', 'ike',
  'rlogin', 'rwho', 'rsh', 'rip', 'ripng', 'ms-sql', 'radius', 'l2tp', 'pptp', 'nfs', 'ipsec-nat-t', 'sip',
  'bootps', 'bootpc',
]);
const MAX_PORT_ITEMS = 10;

function portProblem(port: string, text: string, what: string, max: number): Check {
  if (/^\d+$/.test(port)) return Number(port) > max ? outOfRange(what, text) : undefined;
  return PORT_NAMES.has(port.toLowerCase()) ? undefined : badWord(what, text);
}

/**
 * A port (or ICMP type/code) list: `*`, or up to 10 comma-separated ports and ranges (`A-B`,
 * `-A`, `A-`), each a number or a port mnemonic. With `icmp` alone as the protocol the fields are
 * the ICMP type and code, numbers 0..255.
 */
export function portFieldProblem(text: string, what: string, icmpOnly: boolean): Check {
  if (text === '*') return undefined;
  const items = text.split(',');
  if (items.length > MAX_PORT_ITEMS) return outOfRange(`${what} (at most ${MAX_PORT_ITEMS})`, text);
  for (const item of items) {
    const dash = item.indexOf('-');
    const ends = dash < 0 ? [item] : [item.slice(0, dash), item.slice(dash + 1)].filter((e) => e !== '');
    if (ends.length === 0 || ends.some((e) => e === '')) return badWord(what, text);
    for (const end of ends) {
      const problem = icmpOnly
        ? /^\d+$/.test(end)
          ? Number(end) > 255
            ? outOfRange(what, text)
            : undefined
          : badWord(what, text)
        : portProblem(end, text, what, 65535);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Services a dynamic filter knows (§8.1.14); `dhcpc`/`dhcps`/... are accepted and inert there. */
const DYNAMIC_SERVICES = new Set([
  'tcp', 'udp', 'ftp', 'tftp', 'domain', 'www', 'smtp', 'pop3', 'telnet', 'netmeeting', 'echo', 'discard',
  'daytime', 'chargen', 'ssh', 'time', 'whois', 'dns', 'gopher', 'finger', 'http', 'sunrpc', 'ident',
  'nntp', 'ntp', 'ms-rpc', 'netbios_ns', 'netbios_dgm', 'netbios_ssn', 'imap', 'snmp', 'snmptrap', 'bgp',
  'imap3', 'ldap', 'https', 'ms-ds', 'ike', 'rlogin', 'rwho', 'rsh', 'syslog', 'printer', 'rip', 'ripng',
  'ms-sql', 'radius', 'l2tp', 'pptp', 'nfs', 'msblast', 'ipsec-nat-t', 'sip', 'ping', 'ping6', 'submission',
  'dhcpc', 'dhcps', 'dhcpv6c', 'dhcpv6s',
]);

export function dynamicServiceProblem(text: string): Check {
  return DYNAMIC_SERVICES.has(text.toLowerCase()) ? undefined : badWord('service', text);
}

/** `syslog=on|off`, `timeout=SECONDS` (§8.1.14). */
export function dynamicOptionProblem(key: string, value: string): Check {
  if (key === 'syslog') return value === 'on' || value === 'off' ? undefined : badWord('syslog=', value);
  if (key === 'timeout') return /^\d+$/.test(value) ? undefined : { error: 'parameter-must-be-integer', detail: `timeout=${value}` };
  return badWord('option', `${key}=`);
}

export interface StaticFilterFields {
  readonly source: string;
  readonly destination?: string;
  readonly protocol?: string;
  readonly sourcePorts?: string;
  readonly destinationPorts?: string;
}

// ---------------------------------------------------------------------------------------------
// IPv6 (§30.7.1, §30.7.3) and Ethernet (§9.1)

/**
 * An IPv6 address, loosely: hexadecimal groups and colons, one `::` at most, an IPv4 tail
 * allowed; the dynamic forms `ra-prefix@lan2::1`, `dhcp-prefix@lan2::/64` name an interface
 * before `@` (§30 "静的または動的 IPv6 アドレス").
 */
function isIpv6(text: string): boolean {
  const address = text.replace(DYNAMIC_IPV6_PREFIX, '');
  if (!/^[0-9a-f:.]+$/i.test(address) || !address.includes(':') || address.split('::').length > 2) return false;
  const groups = address.split(':').filter((g) => g !== '');
  const last = groups.at(-1) ?? '';
  const v4Tail = last.includes('.') && isWildcardIpv4(last) && !last.includes('*');
  const hexGroups = v4Tail ? groups.slice(0, -1) : groups;
  return hexGroups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) && hexGroups.length + (v4Tail ? 2 : 0) <= 8;
}

/** `ra-prefix@lan2` / `dhcp-prefix@lan2` before the address part. */
const DYNAMIC_IPV6_PREFIX = /^(ra-prefix|dhcp-prefix)@[a-z]+\d*(\.\d+)?(?=:)/i;

/** `*`, or a comma list of IPv6 addresses, with an optional `/prefix_len` (0..128) after the field. */
export function ipv6AddressFieldProblem(text: string, what: string): Check {
  if (text === '*') return undefined;
  const slash = text.lastIndexOf('/');
  const body = slash < 0 ? text : text.slice(0, slash);
  if (slash >= 0) {
    const length = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(length) || Number(length) > 128) return badAddress(`${what} prefix length`, text);
  }
  return body.split(',').every(isIpv6) ? undefined : badAddress(what, text);
}

/** §30.7.1 adds `icmp-nd` and `icmp4`; `icmp` and `icmp6` both mean ICMPv6 there. */
export function ipv6ProtocolFieldProblem(text: string): Check {
  if (text === '*') return undefined;
  const rest = text
    .split(',')
    .filter((item) => !['icmp-nd', 'icmp4'].includes(item.toLowerCase()))
    .join(',');
  return rest === '' ? undefined : protocolFieldProblem(rest);
}

/** `xx:xx:xx:xx:xx:xx`, each `xx` two hexadecimal digits or `*`; or `*` (§9.1 src_mac). */
export function macFieldProblem(text: string, what: string): Check {
  if (text === '*') return undefined;
  const parts = text.split(':');
  return parts.length === 6 && parts.every((p) => p === '*' || /^[0-9a-f]{2}$/i.test(p)) ? undefined : badWord(what, text);
}

/** Up to 16 comma-separated bytes, each two hexadecimal digits or `*` (§9.1 byte_list). */
export function byteListProblem(text: string): Check {
  const bytes = text.split(',');
  if (bytes.length > 16) return outOfRange('byte list (at most 16)', text);
  return bytes.every((b) => b === '*' || /^[0-9a-f]{2}$/i.test(b)) ? undefined : badWord('byte list', text);
}

/** A DHCP scope: its number (1..65535) or an address in it (§9.1 scope). */
export function dhcpScopeProblem(text: string): Check {
  if (/^\d+$/.test(text)) return Number(text) >= 1 && Number(text) <= 65535 ? undefined : outOfRange('DHCP scope', text);
  return isWildcardIpv4(text) && !text.includes('*') ? undefined : badAddress('DHCP scope', text);
}

// ---------------------------------------------------------------------------------------------
// Whole lines: the IPv4 and IPv6 filters share their shape and differ in these rules.

export interface FilterFieldRules {
  readonly address: (text: string, what: string) => Check;
  readonly protocol: (text: string) => Check;
  /** Protocols that, alone, make the port fields an ICMP type and code. */
  readonly icmp: ReadonlySet<string>;
  readonly icmpName: string;
}

export const IPV4_FILTER_FIELDS: FilterFieldRules = {
  address: addressFieldProblem,
  protocol: protocolFieldProblem,
  icmp: new Set(['icmp']),
  icmpName: 'ICMP',
};

export const IPV6_FILTER_FIELDS: FilterFieldRules = {
  address: ipv6AddressFieldProblem,
  protocol: ipv6ProtocolFieldProblem,
  icmp: new Set(['icmp', 'icmp6']),
  icmpName: 'ICMPv6',
};

/** Every field of one `ip filter` / `ipv6 filter` line, in order; the first problem. */
export function staticFilterProblem(f: StaticFilterFields, rules: FilterFieldRules): Check {
  const icmpOnly = f.protocol !== undefined && rules.icmp.has(f.protocol.toLowerCase());
  const port = (text: string | undefined, icmpWhat: string, what: string): Check =>
    text === undefined ? undefined : portFieldProblem(text, icmpOnly ? `${rules.icmpName} ${icmpWhat}` : what, icmpOnly);
  return (
    rules.address(f.source, 'source address') ??
    (f.destination === undefined ? undefined : rules.address(f.destination, 'destination address')) ??
    (f.protocol === undefined ? undefined : rules.protocol(f.protocol)) ??
    port(f.sourcePorts, 'type', 'source port') ??
    port(f.destinationPorts, 'code', 'destination port')
  );
}

export interface DynamicFilterFields {
  readonly source: string;
  readonly destination: string;
  readonly service?: string;
  readonly filters?: { readonly filter: readonly number[]; readonly in: readonly number[]; readonly out: readonly number[] };
  readonly options: Readonly<Record<string, string>>;
}

/** Every field of one `ip filter dynamic` / `ipv6 filter dynamic` line after its number. */
export function dynamicFilterProblem(p: DynamicFilterFields, rules: FilterFieldRules, filterNumber: (n: number) => Check): Check {
  const listed = [...(p.filters?.filter ?? []), ...(p.filters?.in ?? []), ...(p.filters?.out ?? [])];
  return (
    rules.address(p.source, 'source address') ??
    rules.address(p.destination, 'destination address') ??
    (p.service === undefined ? undefined : dynamicServiceProblem(p.service)) ??
    listed.map(filterNumber).find((problem) => problem !== undefined) ??
    Object.entries(p.options)
      .map(([key, value]) => dynamicOptionProblem(key, value))
      .find((problem) => problem !== undefined)
  );
}
