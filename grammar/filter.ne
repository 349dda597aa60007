# IPv6 and Ethernet filters (command reference §30.7.1, §30.7.3, §9.1). IPv4 filters are in ip.ne.
# Every field is taken as a word here; src/config/families/filter.ts checks each against the
# reference's forms (filter-fields.ts), so a bad field gets its own RTX error.
#
# Parameter shape:
#   ipv6 filter          { filterId, action, source, destination?, protocol?, sourcePorts?, destinationPorts? }
#   ipv6 filter dynamic  { filterId, source, destination, service? | filters?: { filter, in, out }, options }
#   ethernet filter      { filterId, kind, source, destination?, offset?, bytes? }   (MAC form)
#                        { filterId, kind, type: 'dhcp-bind' | 'dhcp-not-bind', scope?, offset?, bytes? }
@preprocessor typescript
@{%
import { lexer, int, word, plainWord, keyValue, wordExcept, valueAfterEquals } from '../grammar-support.js';

const macWord = wordExcept('a MAC address', ['dhcp-bind', 'dhcp-not-bind']);

const service = wordExcept('a protocol or service', ['filter']);
const num = (token: { value: string }): number => Number(token.value);
const nums = (tokens: { value: string }[]): number[] => tokens.map(num);
const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const options = (tokens: { value: string; text: string }[]): Record<string, string> =>
  Object.fromEntries(tokens.map((t) => [t.text.slice(0, t.text.indexOf('=')), valueAfterEquals(t as never)]));
%}
@lexer lexer

command ->
    "ipv6" "filter" %int filterAction %word filterRest:?
      {% (d) => cmd('ipv6 filter', { filterId: num(d[2]), action: d[3], source: d[4].value, ...(d[5] ?? {}) }) %}
  | "ipv6" "filter" "dynamic" %int %plainWord %plainWord dynamicRule
      {% (d) => cmd('ipv6 filter dynamic', { filterId: num(d[3]), source: d[4].value, destination: d[5].value, ...d[6] }) %}
  | "ethernet" "filter" %int ethernetKind ("dhcp-bind" | "dhcp-not-bind") dhcpScopeAndBytes
      {% (d) => cmd('ethernet filter', { filterId: num(d[2]), kind: d[3], type: d[4][0].text, ...d[5] }) %}
  | "ethernet" "filter" %int ethernetKind %macWord macRest:?
      {% (d) => cmd('ethernet filter', { filterId: num(d[2]), kind: d[3], source: d[4].value, ...(d[5] ?? {}) }) %}

filterAction -> ("pass" | "pass-log" | "pass-nolog" | "reject" | "reject-log" | "reject-nolog" | "restrict" | "restrict-log" | "restrict-nolog") {% (d) => d[0][0].text %}

# [dst [proto [src_ports [dst_ports]]]]
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

# The reference lists the -log/-nolog kinds only; `pass` and `reject` appear in a real published
# config (rtx-config-forms.md A.1), so the router took them (assumed: as ip filter's).
ethernetKind -> ("pass" | "reject" | "pass-log" | "pass-nolog" | "reject-log" | "reject-nolog") {% (d) => d[0][0].text %}

# [dst_mac [offset byte_list]]
macRest ->
    %word                                 {% (d) => ({ destination: d[0].value }) %}
  | %word %int %word                      {% (d) => ({ destination: d[0].value, offset: num(d[1]), bytes: d[2].value }) %}

# [scope] [offset byte_list]: a scope is a number or an address, an offset always comes with bytes.
dhcpScopeAndBytes ->
    null                                  {% () => ({}) %}
  | %word                                 {% (d) => ({ scope: d[0].value }) %}
  | %int %word                            {% (d) => ({ offset: num(d[0]), bytes: d[1].value }) %}
  | %word %int %word                      {% (d) => ({ scope: d[0].value, offset: num(d[1]), bytes: d[2].value }) %}
