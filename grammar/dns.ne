# DNS resolver, recursive server and static records (Yamaha command reference §24), plus
# `dns private name` (seen in NVR510 configs, rtx-config-forms.md S5; not in the current reference).
# Ranges are checked in src/config/families/dns.ts.
#
# Parameter shapes:
#   dns service                  { service: 'recursive' | 'off' }
#   dns service fallback|aaaa filter, dns private address spoof, dns cache use, dns syslog resolv { enabled }
#   dns server                   { servers: Server[] }                 Server = { address, edns?, nat46? }
#   dns server pp                { pp, edns? }                         dns server dhcp { interface, edns?, nat46? }
#   dns server select            { id, via: Via, type?, query, sender?, restrictPp? }
#        Via = { servers: Server[] } | { pp, edns?, fallback?: Server } | { dhcp: interface, edns?, nat46?, fallback?: Server } | { reject: true }
#   dns domain                   { domain }                            dns private name { name }
#   dns host                     { hosts: string[] } | { keyword: 'any' | 'none' | 'lan' }
#   dns cache max entry          { entries }
#   dns static                   { type, name, value, ttl? }
#   dns srcport                  { from, to }
#   dns notice order             { protocol, servers: string[] }
@preprocessor typescript
@{%
import { lexer, int, ipv4, keyValueOf, valueAfterEquals } from '../grammar-support.js';
import { ipv4or6, ipv4Network, ipv4AddressList, domainName, hostOrAddress, lanSide, portRange } from '../families/matchers.js';

const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const num = (t: { value: string }) => Number(t.value);
const edns = keyValueOf('edns');
const nat46 = keyValueOf('nat46');
const RECORD_TYPES = ['a', 'aaaa', 'ptr', 'mx', 'ns', 'cname', 'any'];
/** A query pattern of `dns server select`: a domain suffix or `.`, never a record type or `restrict`. */
const selectQuery = { expects: 'a domain name or .', test: (t: { value: string; text: string; quoted: boolean }) => domainName.test(t as never) && (t.quoted || (!RECORD_TYPES.includes(t.text) && t.text !== 'restrict')) };
/** The pattern of a `reject` entry: exact, with `*` for prefix/suffix matching (`NetVolante.*`, `*example.com`). */
const rejectQuery = { expects: 'a name pattern', test: (t: { value: string; text: string }) => /^[\w.*-]+$/.test(t.value) && !RECORD_TYPES.includes(t.text) };
/** `dns host` items: addresses, ranges, and interface mnemonics (lanN, lanN/M, vlanN, bridge1, wan1). */
const hostItem = { expects: 'an address, range or interface', test: (t: { value: string; text: string }) => ipv4AddressList.test(t as never) || lanSide.test(t as never), mismatch: 'unrecognized-ip-address' };
/** The `edns=` / `nat46=` options that follow a server. */
const serverOptionsOf = (opts: { text: string }[]) => {
  const out: Record<string, unknown> = {};
  for (const o of opts) {
    const value = o.text.slice(o.text.indexOf('=') + 1);
    if (o.text.startsWith('edns=')) out.edns = value;
    else out.nat46 = /^\d+$/.test(value) ? Number(value) : value;
  }
  return out;
};
const server = (address: string, opts: { text: string }[]) => ({ address, ...serverOptionsOf(opts) });
%}
@lexer lexer

command -> "dns" dnsCommand {% (d) => d[1] %}

dnsCommand ->
    "service" ("recursive" | "off")                {% (d) => cmd('dns service', { service: d[1][0].text }) %}
  | "service" "fallback" onoff                     {% (d) => cmd('dns service fallback', { enabled: d[2] }) %}
  | "service" "aaaa" "filter" onoff                {% (d) => cmd('dns service aaaa filter', { enabled: d[3] }) %}
  | "server" serverSpec:+                          {% (d) => cmd('dns server', { servers: d[1] }) %}
  | "server" "pp" %int (%edns):?                   {% (d) => cmd('dns server pp', { pp: num(d[2]), ...(d[3] ? { edns: valueAfterEquals(d[3][0]).toLowerCase() } : {}) }) %}
  | "server" "dhcp" %lanSide serverOptions         {% (d) => cmd('dns server dhcp', { interface: d[2].text, ...serverOptionsOf(d[3]) }) %}
  | "server" "select" %int selectVia selectTail    {% (d) => cmd('dns server select', { id: num(d[2]), via: d[3], ...d[4] }) %}
  | "server" "select" %int "reject" recordType:? %rejectQuery (%ipv4AddressList):?
                                                   {% (d) => cmd('dns server select', { id: num(d[2]), via: { reject: true }, ...(d[4] ? { type: d[4] } : {}), query: d[5].value, ...(d[6] ? { sender: d[6][0].value } : {}) }) %}
  | "domain" %domainName                           {% (d) => cmd('dns domain', { domain: d[1].value }) %}
  | "private" "address" "spoof" onoff              {% (d) => cmd('dns private address spoof', { enabled: d[3] }) %}
  | "private" "name" %domainName                   {% (d) => cmd('dns private name', { name: d[2].value }) %}
  | "host" hostSpec                                {% (d) => cmd('dns host', d[1]) %}
  | "cache" "use" onoff                            {% (d) => cmd('dns cache use', { enabled: d[2] }) %}
  | "cache" "max" "entry" %int                     {% (d) => cmd('dns cache max entry', { entries: num(d[3]) }) %}
  | "static" staticRecord (%ttl):?                 {% (d) => cmd('dns static', { ...d[1], ...(d[2] ? { ttl: Number(valueAfterEquals(d[2][0])) } : {}) }) %}
  | "srcport" %portRange                           {% (d) => cmd('dns srcport', srcport(d[1].value)) %}
  | "notice" "order" ("dhcp" | "dhcpv6" | "msext") noticeServer noticeServer:?
                                                   {% (d) => cmd('dns notice order', { protocol: d[2][0].text, servers: [d[3], ...(d[4] ? [d[4]] : [])] }) %}
  | "syslog" "resolv" onoff                        {% (d) => cmd('dns syslog resolv', { enabled: d[2] }) %}

@{%
const ttl = keyValueOf('ttl');
const srcport = (text: string) => {
  const [from, to] = text.split('-');
  return { from: Number(from), to: Number(to ?? from) };
};
%}

serverSpec -> %ipv4or6 serverOptions {% (d) => server(d[0].value, d[1]) %}
serverOptions -> (%edns):? (%nat46):? {% (d) => [...(d[0] ? [d[0][0]] : []), ...(d[1] ? [d[1][0]] : [])] %}

# Where the answer comes from: one or two servers, the DNS servers learnt on a PP or by DHCP on
# an interface (each with a fallback server for when none was learnt).
selectVia ->
    serverSpec serverSpec:?                        {% (d) => ({ servers: [d[0], ...(d[1] ? [d[1]] : [])] }) %}
  | "pp" %int (%edns):? serverSpec:?               {% (d) => ({ pp: num(d[1]), ...(d[2] ? { edns: valueAfterEquals(d[2][0]).toLowerCase() } : {}), ...(d[3] ? { fallback: d[3] } : {}) }) %}
  | "dhcp" %lanSide serverOptions serverSpec:?     {% (d) => ({ dhcp: d[1].text, ...serverOptionsOf(d[2]), ...(d[3] ? { fallback: d[3] } : {}) }) %}

# [type] query [original-sender] [restrict pp connection-pp]; a PTR query is an address[/len].
selectTail ->
    recordTypeNotPtr:? %selectQuery (%ipv4AddressList):? restrictPp:?
                                                   {% (d) => ({ ...(d[0] ? { type: d[0] } : {}), query: d[1].value, ...(d[2] ? { sender: d[2][0].value } : {}), ...(d[3] !== null ? { restrictPp: d[3] } : {}) }) %}
  | "ptr" %ipv4Network (%ipv4AddressList):? restrictPp:?
                                                   {% (d) => ({ type: 'ptr', query: d[1].value, ...(d[2] ? { sender: d[2][0].value } : {}), ...(d[3] !== null ? { restrictPp: d[3] } : {}) }) %}
restrictPp -> "restrict" "pp" %int {% (d) => num(d[2]) %}

recordType -> recordTypeNotPtr {% id %} | "ptr" {% () => 'ptr' %}
recordTypeNotPtr -> ("a" | "aaaa" | "mx" | "ns" | "cname" | "any") {% (d) => d[0][0].text %}

hostSpec ->
    ("any" | "none" | "lan")                       {% (d) => ({ keyword: d[0][0].text }) %}
  | %hostItem:+                                    {% (d) => ({ hosts: d[0].map((t) => t.text) }) %}

# name/value depend on the type: a/aaaa name -> address, ptr address -> name, mx/ns/cname name -> name.
staticRecord ->
    "a" %domainName %ipv4                          {% (d) => ({ type: 'a', name: d[1].value, value: d[2].value }) %}
  | "aaaa" %domainName %ipv4or6                    {% (d) => ({ type: 'aaaa', name: d[1].value, value: d[2].value }) %}
  | "ptr" %ipv4 %domainName                        {% (d) => ({ type: 'ptr', name: d[1].value, value: d[2].value }) %}
  | ("mx" | "ns" | "cname") %domainName %hostOrAddress {% (d) => ({ type: d[0][0].text, name: d[1].value, value: d[2].value }) %}

noticeServer -> ("none" | "me" | "server") {% (d) => d[0][0].text %}

onoff -> "on" {% () => true %} | "off" {% () => false %}
