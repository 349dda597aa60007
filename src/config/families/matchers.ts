/**
 * Token matchers and value checks shared by the pp, nat, dhcp, dns, schedule, description and
 * catalogue grammars (the general ones live in ../grammar-support.ts).
 *
 * A matcher only decides the *shape* of one token; numeric ranges are checked by each family's
 * `validate` (with ./checks.ts), because the router reports them as a separate error
 * (`Parameter out of range`) after the shape was accepted.
 */
import type { TokenMatcher } from '../grammar-support.js';
import type { RtxErrorId } from '../errors.js';
import type { ConfigToken } from '../tokenize.js';

const matcher = (expects: string, test: (token: ConfigToken) => boolean, mismatch?: RtxErrorId): TokenMatcher =>
  mismatch === undefined ? { expects, test } : { expects, test, mismatch };

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;
const MASK = `(${IPV4}|3[0-2]|[12]?\\d|0x[0-9a-f]{8})`;
const ipv4Only = new RegExp(`^${IPV4}$`);

// ---------------------------------------------------------------------------------------------
// Catalogue (name-only) grammar

/** Any token whose lower-case text is not one of `keywords` (the keywords continue the name). */
export const notIn = (keywords: readonly string[]): TokenMatcher => {
  const set = new Set(keywords);
  return matcher(`anything but ${keywords.join(', ')}`, (t) => t.quoted || !set.has(t.text));
};

// ---------------------------------------------------------------------------------------------
// Addresses

/** `a.b.c.d-e.f.g.h`: an address range (both ends required). */
export const ipv4Span = matcher(
  'an IPv4 address range a-b',
  (t) => new RegExp(`^${IPV4}-${IPV4}$`).test(t.value),
  'unrecognized-ip-address',
);
/** `a.b.c.d-e.f.g.h/mask`: a DHCP scope (the mask may be a length, dotted or `0x…`). */
export const ipv4SpanWithMask = matcher(
  'an IPv4 address range a-b/mask',
  (t) => new RegExp(`^${IPV4}-${IPV4}/${MASK}$`, 'i').test(t.value),
  'unrecognized-ip-address',
);
/** One address or an `a-b` range. */
export const ipv4OrSpan = matcher(
  'an IPv4 address or range',
  (t) => new RegExp(`^${IPV4}(-${IPV4})?$`).test(t.value),
  'unrecognized-ip-address',
);
/** An IPv6 address (letters, digits, colons; at least two colons) such as `2001:db8::53`. */
export const ipv6 = matcher(
  'an IPv6 address',
  (t) => /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i.test(t.value) && !t.value.includes(':::'),
  'unrecognized-ip-address',
);
/** An IPv4 or IPv6 address. */
export const ipv4or6 = matcher(
  'an IP address',
  (t) => ipv4Only.test(t.value) || ipv6.test(t),
  'unrecognized-ip-address',
);
/** `a.b.c.d` or `a.b.c.d/len`: a PTR query or an original-sender network. */
export const ipv4Network = matcher(
  'an IPv4 address[/len]',
  (t) => new RegExp(`^${IPV4}(/(3[0-2]|[12]?\\d))?$`).test(t.value),
  'unrecognized-ip-address',
);
/** `a.b.c.d`, `a-b`, `a/len` or comma lists of those: the sender-address shape of filters. */
export const ipv4AddressList = matcher(
  'IPv4 addresses',
  (t) =>
    t.value
      .split(',')
      .every((part) => new RegExp(`^(${IPV4})?(-(${IPV4})?)?(/(3[0-2]|[12]?\\d))?$`).test(part) && /\d/.test(part)),
  'unrecognized-ip-address',
);
/** `xx:xx:xx:xx:xx:xx`. */
export const macAddress = matcher('a MAC address', (t) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(t.value));
/** `xx:xx:xx:*`: a vendor (OUI) wildcard, accepted by `dhcp scope bind` with an address range. */
export const macOrVendor = matcher('a MAC address or xx:xx:xx:*', (t) =>
  /^(([0-9a-f]{2}:){5}[0-9a-f]{2}|([0-9a-f]{2}:){3}\*)$/i.test(t.value),
);
/** Two hexadecimal digits: one byte of a client identifier (`01 00 a0 de 01 23 45`). */
export const hexByte = matcher('a hexadecimal byte', (t) => /^[0-9a-f]{2}$/i.test(t.value));

// ---------------------------------------------------------------------------------------------
// Interfaces and names

/** A LAN-side interface as a parameter: `lan1`, `lan1.2`, `lan1/3`, `vlan2`, `bridge1`, `wan1`. */
export const lanSide = matcher('a LAN interface name', (t) =>
  /^(lan\d+([./]\d+)?|vlan\d+|bridge\d+|wan\d+|loopback\d+)$/.test(t.text),
);
/** What `pp bind` takes: `tunnel2`, a `tunnel1-tunnel20` template range, `bri1`, `bri1.1`, `pri1`, `usb1`, `lan2`. */
export const ppBindTarget = matcher('an interface to bind', (t) =>
  /^(tunnel\d+(-tunnel\d+)?|bri\d+(\.\d+)?|pri\d+(\/\d+)?|usb\d+|lan\d+|wan\d+)$/.test(t.text),
);
/** A domain name or `.` (the root, which matches every name). */
export const domainName = matcher(
  'a domain name',
  (t) => t.value === '.' || (/^[\w*][\w.*-]*$/.test(t.value) && /[a-z*_]/i.test(t.value) && !ipv4Only.test(t.value)),
  'illegal-keyword',
);
/** A host name or an IPv4 address (what `ntpdate` or `dns static` accept). */
export const hostOrAddress = matcher('a host name or an address', (t) => /^[\w.:-]+$/.test(t.value));

// ---------------------------------------------------------------------------------------------
// Ports and protocols

/** A port number or a mnemonic such as `www`, `https`, `netbios_ns`. */
const PORT = '(\\d+|[a-z][a-z0-9_]*)';
/**
 * A masquerade port map: `[outer=]inner` items separated by commas
 * (`500`, `tftp`, `8009=https,8089,82=www,smtp`); each side may be a range (`1024-2047`).
 */
export const portMap = matcher('a port list', (t) =>
  new RegExp(`^${PORT}(-${PORT})?(=${PORT}(-${PORT})?)?(,${PORT}(-${PORT})?(=${PORT}(-${PORT})?)?)*$`, 'i').test(t.value),
);
/** `N` or `N-M`, ports. */
export const portRange = matcher('a port range N-M', (t) => /^\d+(-\d+)?$/.test(t.value), 'parameter-must-be-integer');

// ---------------------------------------------------------------------------------------------
// DHCP and schedules

/** A lease time: minutes, `h:mm`, or `infinity`. */
export const leaseTime = matcher(
  'a lease time (minutes, h:mm or infinity)',
  (t) => /^\d+(:\d{1,2})?$/.test(t.value) || t.text === 'infinity',
  'parameter-must-be-integer',
);
/** `option=value` of `dhcp scope option`: an option number or mnemonic, then its value. */
export const dhcpOption = matcher('option=value', (t) => /^(\d+|[a-z][a-z0-9_-]*)=./i.test(t.value));
/** `option=hex,hex,…` of `dhcp client option`. */
export const dhcpClientOption = matcher('option=hex bytes', (t) => /^\d+=[0-9a-f]{1,2}(,[0-9a-f]{1,2})*$/i.test(t.value));

const WEEKDAY = '(sun|mon|tue|wed|thu|fri|sat)';
const DAY_ITEM = `(\\d{1,2}|${WEEKDAY})`;
const MONTH_ITEM = '\\d{1,2}';
const listOf = (item: string) => `(\\*|(${item})?-(${item})?|${item}(-(${item})?)?)(,((${item})?-(${item})?|${item}(-(${item})?)?))*`;
/** A schedule date `month/day`: `*\/*`, `1/1`, `*\/mon-fri`, `*\/Wed`, `1,2/2-7`, `-7/sat,sun`. */
export const scheduleDate = matcher('a date month/day', (t) =>
  new RegExp(`^${listOf(MONTH_ITEM)}/${listOf(DAY_ITEM)}$`).test(t.text),
);
/** A schedule time `hh:mm[:ss]` (hours and minutes may be `*`), or `startup`, `usb-attached`, `sd-attached`. */
export const scheduleTime = matcher('a time hh:mm[:ss] or startup', (t) =>
  /^(\d{1,2}|\*):(\d{1,2}|\*)(:\d{1,2})?$/.test(t.text) || ['startup', 'usb-attached', 'sd-attached'].includes(t.text),
);
/** `+seconds`: run after a delay. */
export const scheduleTimer = matcher('+seconds', (t) => /^\+\d+$/.test(t.value), 'parameter-must-be-integer');

// ---------------------------------------------------------------------------------------------
// Lengths

/**
 * Length of a string as the router counts it for descriptions: Shift_JIS bytes (ASCII 1, other
 * characters 2; the reference allows 64 ASCII or 32 Japanese characters).
 */
export function shiftJisLength(text: string): number {
  let length = 0;
  for (const ch of text) length += ch.charCodeAt(0) < 0x80 ? 1 : 2;
  return length;
}
