# IPv4 commands (command reference chapter 8, `ip <if> nat descriptor` §23.2, `ip host` §24.11).
# Interface commands are named `ip * <rest>`: `*` is the interface (lan1, lan1.2, pp, tunnel, ...).
# Params: src/config/families/ip.ts (IpParams).
@preprocessor typescript
@{%
import {
  lexer, int, ipv4, ipv4OptionalMask, ipv4Range, word, plainWord, keyValue, interfaceName,
  lanInterfaceName, wordExcept, valueAfterEquals,
} from '../grammar-support.js';

const service = wordExcept('a protocol or service', ['filter']);
const num = (token: { value: string }): number => Number(token.value);
const nums = (tokens: { value: string }[]): number[] => tokens.map(num);
const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const addressWithMask = (text: string): { address: string; mask?: string } => {
  const slash = text.indexOf('/');
  return slash < 0 ? { address: text } : { address: text.slice(0, slash), mask: text.slice(slash + 1) };
};
const options = (tokens: { value: string; text: string }[]): Record<string, string> =>
  Object.fromEntries(tokens.map((t) => [t.text.slice(0, t.text.indexOf('=')), valueAfterEquals(t as never)]));
const iface = (token: { text: string }): string => token.text;
%}
@lexer lexer

command ->
    "ip" "routing" onoff                                     {% (d) => cmd('ip routing', { enabled: d[2] }) %}
  | "ip" "routing" "process" ("fast" | "normal")             {% (d) => cmd('ip routing process', { process: d[3][0].text }) %}
  | "ip" %interfaceName "address" interfaceAddress           {% (d) => cmd('ip * address', { interface: iface(d[1]), address: d[3] }) %}
  | "ip" %interfaceName "secondary" "address" interfaceAddress {% (d) => cmd('ip * secondary address', { interface: iface(d[1]), address: d[4] }) %}
  | "ip" %interfaceName "mtu" %int                           {% (d) => cmd('ip * mtu', { interface: iface(d[1]), mtu: num(d[3]) }) %}
  | "ip" %interfaceName "proxyarp" onoff                     {% (d) => cmd('ip * proxyarp', { interface: iface(d[1]), enabled: d[3] }) %}
  | "ip" %interfaceName "proxyarp" "vrrp" %int               {% (d) => cmd('ip * proxyarp', { interface: iface(d[1]), enabled: true, vrid: num(d[4]) }) %}
  | "ip" %interfaceName "secure" "filter" direction %int:* dynamicFilters:? {% (d) => cmd('ip * secure filter', { interface: iface(d[1]), direction: d[4], filters: nums(d[5]), dynamic: d[6] ?? [] }) %}
  | "ip" %interfaceName "secure" "filter" "name" %plainWord  {% (d) => cmd('ip * secure filter name', { interface: iface(d[1]), set: d[5].value }) %}
  | "ip" %interfaceName "nat" "descriptor" %int:+ reverseDescriptors:? {% (d) => cmd('ip * nat descriptor', { interface: iface(d[1]), descriptors: nums(d[4]), reverse: d[5] ?? [] }) %}
  | "ip" %interfaceName "tcp" "mss" "limit" mssLimit         {% (d) => cmd('ip * tcp mss limit', { interface: iface(d[1]), limit: d[5] }) %}
  | "ip" %interfaceName "remote" "address" remoteAddress     {% (d) => cmd('ip * remote address', { interface: iface(d[1]), address: d[4] }) %}
  | "ip" %interfaceName "remote" "address" "pool" remotePool {% (d) => cmd('ip * remote address pool', { interface: iface(d[1]), pool: d[5] }) %}
  | "ip" "route" routeDestination routeGateway:+             {% (d) => cmd('ip route', { destination: d[2], gateways: d[3] }) %}
  | "ip" "route" "change" "log" onoff                        {% (d) => cmd('ip route change log', { enabled: d[4] }) %}
  | "ip" "filter" %int filterAction %word filterRest:?       {% (d) => cmd('ip filter', { filterId: num(d[2]), action: d[3], source: d[4].value, ...(d[5] ?? {}) }) %}
  | "ip" "filter" "dynamic" %int %plainWord %plainWord dynamicRule {% (d) => cmd('ip filter dynamic', { filterId: num(d[3]), source: d[4].value, destination: d[5].value, ...d[6] }) %}
  | "ip" "filter" "directed-broadcast" onoff                 {% (d) => cmd('ip filter directed-broadcast', { mode: d[3] ? 'on' : 'off' }) %}
  | "ip" "filter" "directed-broadcast" "filter" %int:+       {% (d) => cmd('ip filter directed-broadcast', { mode: 'filter', filters: nums(d[4]) }) %}
  | "ip" "filter" "source-route" onoff                       {% (d) => cmd('ip filter source-route', { enabled: d[3] }) %}
  | "ip" "keepalive" %int %plainWord %int %int %plainWord:+ %keyValue:* {% (d) => cmd('ip keepalive', { keepaliveId: num(d[2]), kind: d[3].text, intervalSeconds: num(d[4]), count: num(d[5]), gateways: d[6].map((t: { value: string }) => t.value), options: options(d[7]) }) %}
  | "ip" "host" %plainWord %ipv4:+ %keyValue:?               {% (d) => cmd('ip host', { fqdn: d[2].value, addresses: d[3].map((t: { value: string }) => t.value), ...(d[4] ? { options: options([d[4]]) } : {}) }) %}

onoff -> "on" {% () => true %} | "off" {% () => false %}
direction -> ("in" | "out") {% (d) => d[0][0].text %}
dynamicFilters -> "dynamic" %int:+ {% (d) => nums(d[1]) %}
reverseDescriptors -> "reverse" %int:+ {% (d) => nums(d[1]) %}

# a.b.c.d/mask [broadcast a.b.c.d] | a.b.c.d (pp, tunnel, loopback) | dhcp [autoip=on|off]
interfaceAddress ->
    %ipv4OptionalMask                       {% (d) => ({ kind: 'static', ...addressWithMask(d[0].value) }) %}
  | %ipv4OptionalMask "broadcast" %ipv4     {% (d) => ({ kind: 'static', ...addressWithMask(d[0].value), broadcast: d[2].value }) %}
  | "dhcp" %keyValue:?                      {% (d) => ({ kind: 'dhcp', ...(d[1] ? { options: options([d[1]]) } : {}) }) %}

mssLimit -> ("auto" | "off") {% (d) => d[0][0].text %} | %int {% (d) => Number(d[0].value) %}

remoteAddress ->
    %ipv4                          {% (d) => ({ kind: 'ip', address: d[0].value }) %}
  | "dhcpc"                        {% () => ({ kind: 'dhcpc' }) %}
  | "dhcpc" %lanInterfaceName      {% (d) => ({ kind: 'dhcpc', interface: d[1].text }) %}

remotePool ->
    %ipv4Range:+                   {% (d) => ({ kind: 'addresses', ranges: d[0].map((t: { value: string }) => t.value) }) %}
  | "dhcp"                         {% () => ({ kind: 'dhcp' }) %}
  | "dhcpc"                        {% () => ({ kind: 'dhcpc' }) %}
  | "dhcpc" %lanInterfaceName      {% (d) => ({ kind: 'dhcpc', interface: d[1].text }) %}

routeDestination ->
    "default"                      {% () => ({ kind: 'default' }) %}
  | %ipv4OptionalMask              {% (d) => ({ kind: 'network', ...addressWithMask(d[0].value) }) %}

routeGateway -> "gateway" gatewayTarget routeOption:*
  {% (d) => ({ target: d[1], ...Object.assign({ filters: [], hide: false }, ...d[2]) }) %}

gatewayTarget ->
    %ipv4                          {% (d) => ({ kind: 'ip', address: d[0].value }) %}
  | "pp" %int                      {% (d) => ({ kind: 'pp', peer: num(d[1]) }) %}
  | "pp" "anonymous"               {% () => ({ kind: 'pp', peer: 'anonymous' }) %}
  | "tunnel" %int                  {% (d) => ({ kind: 'tunnel', tunnel: num(d[1]) }) %}
  | "dhcp" %lanInterfaceName       {% (d) => ({ kind: 'dhcp', interface: d[1].text }) %}
  | "null"                         {% () => ({ kind: 'null' }) %}
  | %lanInterfaceName              {% (d) => ({ kind: 'interface', interface: d[0].text }) %}

routeOption ->
    "filter" %int:+                {% (d) => ({ filters: nums(d[1]) }) %}
  | "hide"                         {% () => ({ hide: true }) %}
  | "metric" %int                  {% (d) => ({ metric: num(d[1]) }) %}
  | "weight" %int                  {% (d) => ({ weight: num(d[1]) }) %}
  | "keepalive" %int               {% (d) => ({ keepalive: num(d[1]) }) %}

filterAction -> ("pass" | "pass-log" | "pass-nolog" | "reject" | "reject-log" | "reject-nolog" | "restrict" | "restrict-log" | "restrict-nolog") {% (d) => d[0][0].text %}

# [dst [proto [src_ports [dst_ports]]]]: any words (`tcpflag=0x0002/0x0017` too); ip.ts checks each field.
filterRest ->
    %word                                 {% (d) => ({ destination: d[0].value }) %}
  | %word %word                           {% (d) => ({ destination: d[0].value, protocol: d[1].value }) %}
  | %word %word %word                     {% (d) => ({ destination: d[0].value, protocol: d[1].value, sourcePorts: d[2].value }) %}
  | %word %word %word %word               {% (d) => ({ destination: d[0].value, protocol: d[1].value, sourcePorts: d[2].value, destinationPorts: d[3].value }) %}

# service [options] | filter list [in list] [out list] [options]
dynamicRule ->
    %service %keyValue:*           {% (d) => ({ service: d[0].value, options: options(d[1]) }) %}
  | "filter" %int:+ ("in" %int:+):? ("out" %int:+):? %keyValue:*
      {% (d) => ({ filters: { filter: nums(d[1]), in: d[2] ? nums(d[2][1]) : [], out: d[3] ? nums(d[3][1]) : [] }, options: options(d[4]) }) %}
