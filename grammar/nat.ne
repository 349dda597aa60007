# NAT descriptors (Yamaha command reference §23). The interface binding `ip <if> nat descriptor`
# belongs to the ip family. Ranges are checked in src/config/families/nat.ts.
#
# Parameter shapes:
#   nat descriptor type                    { descriptor, type: 'none'|'nat'|'masquerade'|'nat-masquerade', hairpin?: boolean }
#   nat descriptor address outer           { descriptor, addresses: string[] } | { descriptor, mnemonic: 'ipcp'|'primary'|'secondary'|'map-e'|'hb46pp' }
#   nat descriptor address inner           { descriptor, addresses: string[] } | { descriptor, mnemonic: 'auto' }
#   nat descriptor static                  { descriptor, id, outer, inner, count?, mask? }
#   nat descriptor masquerade static       { descriptor, id, inner, protocol: string|number, ports: { outer?, inner }[] }
#   nat descriptor masquerade incoming     { descriptor, action: 'through'|'reject'|'discard'|'forward', forwardTo? }
#   nat descriptor masquerade rlogin       { descriptor, enabled }
#   nat descriptor masquerade port range   { descriptor, ranges: string[] }
#   nat descriptor masquerade unconvertible port { descriptor, ifPossible: true } | { descriptor, protocol, port }
#   nat descriptor masquerade remove df-bit { enabled }
#   nat descriptor masquerade session limit { descriptor, id, limit }   … session limit total { descriptor, limit }
#   nat descriptor timer                   { descriptor, seconds } | { descriptor, protocol, port?, seconds } | { descriptor, tcpfin: seconds }
#   nat descriptor ftp port                { descriptor, ports: number[] }
#   nat descriptor log                     { enabled }
#   nat descriptor sip                     { descriptor, mode: 'on'|'off'|'auto' }
#   nat descriptor backward-compatibility  { type }
@preprocessor typescript
@{%
import { lexer, int, ipv4, keyValueOf, valueAfterEquals } from '../grammar-support.js';
import { ipv4OrSpan, portMap, portRange } from '../families/matchers.js';

const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const num = (t: { value: string }) => Number(t.value);
const staticPair = {
  expects: 'outer=inner[/mask]',
  test: (t: { value: string }) => /^(\d{1,3}\.){3}\d{1,3}=(\d{1,3}\.){3}\d{1,3}(\/(\d{1,2}|(\d{1,3}\.){3}\d{1,3}|0x[0-9a-f]{8}))?$/i.test(t.value),
  mismatch: 'unrecognized-ip-address',
};
const protocolNumber = { expects: 'a protocol number', test: (t: { value: string }) => /^\d+$/.test(t.value), mismatch: 'illegal-keyword' };
const hairpin = keyValueOf('hairpin');
const protocolOption = keyValueOf('protocol');
const portOption = keyValueOf('port');
/** `8009=https,8089` -> [{ outer: '8009', inner: 'https' }, { inner: '8089' }] */
const portItems = (text: string) =>
  text.split(',').map((item) => {
    const at = item.indexOf('=');
    return at < 0 ? { inner: item } : { outer: item.slice(0, at), inner: item.slice(at + 1) };
  });
%}
@lexer lexer

command -> "nat" "descriptor" natCommand {% (d) => d[2] %}

natCommand ->
    "type" %int natType (%hairpin):?                {% (d) => cmd('nat descriptor type', { descriptor: num(d[1]), type: d[2], ...(d[3] ? { hairpin: valueAfterEquals(d[3][0]).toLowerCase() } : {}) }) %}
  | "address" "outer" %int outerAddresses          {% (d) => cmd('nat descriptor address outer', { descriptor: num(d[2]), ...d[3] }) %}
  | "address" "inner" %int innerAddresses          {% (d) => cmd('nat descriptor address inner', { descriptor: num(d[2]), ...d[3] }) %}
  | "static" %int %int %staticPair (%int):?        {% (d) => cmd('nat descriptor static', { descriptor: num(d[1]), id: num(d[2]), ...staticAddresses(d[3].value), ...(d[4] ? { count: num(d[4][0]) } : {}) }) %}
  | "masquerade" masqueradeCommand                 {% (d) => d[1] %}
  | "timer" %int timerSpec                         {% (d) => cmd('nat descriptor timer', { descriptor: num(d[1]), ...d[2] }) %}
  | "ftp" "port" %int %int:+                       {% (d) => cmd('nat descriptor ftp port', { descriptor: num(d[2]), ports: d[3].map(num) }) %}
  | "log" onoff                                    {% (d) => cmd('nat descriptor log', { enabled: d[1] }) %}
  | "sip" %int ("on" | "off" | "auto")             {% (d) => cmd('nat descriptor sip', { descriptor: num(d[1]), mode: d[2][0].text }) %}
  | "backward-compatibility" %int                  {% (d) => cmd('nat descriptor backward-compatibility', { type: num(d[1]) }) %}

@{%
const staticAddresses = (text: string) => {
  const [outer, rest] = text.split('=') as [string, string];
  const slash = rest.indexOf('/');
  return slash < 0 ? { outer, inner: rest } : { outer, inner: rest.slice(0, slash), mask: rest.slice(slash + 1) };
};
%}

natType -> ("none" | "nat" | "masquerade" | "nat-masquerade") {% (d) => d[0][0].text %}

# Mnemonics cannot be mixed with addresses (reference §23.4 note): either one mnemonic or a list.
outerAddresses ->
    ("ipcp" | "primary" | "secondary" | "map-e" | "hb46pp") {% (d) => ({ mnemonic: d[0][0].text }) %}
  | %ipv4OrSpan:+                                  {% (d) => ({ addresses: d[0].map((t) => t.value) }) %}
innerAddresses ->
    "auto"                                         {% () => ({ mnemonic: 'auto' }) %}
  | %ipv4OrSpan:+                                  {% (d) => ({ addresses: d[0].map((t) => t.value) }) %}

masqueradeCommand ->
    "static" %int %int %ipv4 masqueradeProtocol    {% (d) => cmd('nat descriptor masquerade static', { descriptor: num(d[1]), id: num(d[2]), inner: d[3].value, ...d[4] }) %}
  | "incoming" %int incomingAction                 {% (d) => cmd('nat descriptor masquerade incoming', { descriptor: num(d[1]), ...d[2] }) %}
  | "rlogin" %int onoff                            {% (d) => cmd('nat descriptor masquerade rlogin', { descriptor: num(d[1]), enabled: d[2] }) %}
  | "port" "range" %int %portRange:+               {% (d) => cmd('nat descriptor masquerade port range', { descriptor: num(d[2]), ranges: d[3].map((t) => t.value) }) %}
  | "unconvertible" "port" %int unconvertible      {% (d) => cmd('nat descriptor masquerade unconvertible port', { descriptor: num(d[2]), ...d[3] }) %}
  | "remove" "df-bit" onoff                        {% (d) => cmd('nat descriptor masquerade remove df-bit', { enabled: d[2] }) %}
  | "session" "limit" %int %int %int               {% (d) => cmd('nat descriptor masquerade session limit', { descriptor: num(d[2]), id: num(d[3]), limit: num(d[4]) }) %}
  | "session" "limit" "total" %int %int            {% (d) => cmd('nat descriptor masquerade session limit total', { descriptor: num(d[3]), limit: num(d[4]) }) %}

# TCP and UDP need the ports to pin; ESP and ICMP have none; a protocol number may carry them.
masqueradeProtocol ->
    ("tcp" | "udp") %portMap                       {% (d) => ({ protocol: d[0][0].text, ports: portItems(d[1].text) }) %}
  | ("esp" | "icmp")                               {% (d) => ({ protocol: d[0][0].text, ports: [] }) %}
  | %protocolNumber (%portMap):?                   {% (d) => ({ protocol: num(d[0]), ports: d[1] ? portItems(d[1][0].text) : [] }) %}

incomingAction ->
    ("through" | "reject" | "discard")             {% (d) => ({ action: d[0][0].text }) %}
  | "forward" %ipv4                                {% (d) => ({ action: 'forward', forwardTo: d[1].value }) %}

unconvertible ->
    "if-possible"                                  {% () => ({ ifPossible: true }) %}
  | ("tcp" | "udp") %portRange                     {% (d) => ({ protocol: d[0][0].text, port: d[1].value }) %}

timerSpec ->
    %int                                           {% (d) => ({ seconds: num(d[0]) }) %}
  | %protocolOption (%portOption):? %int           {% (d) => ({ protocol: valueAfterEquals(d[0]).toLowerCase(), ...(d[1] ? { port: valueAfterEquals(d[1][0]) } : {}), seconds: num(d[2]) }) %}
  | "tcpfin" %int                                  {% (d) => ({ tcpfin: num(d[1]) }) %}

onoff -> "on" {% () => true %} | "off" {% () => false %}
