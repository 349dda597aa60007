# IPsec and IKE commands (command reference chapter 15; rtx-behaviour.md sections 1-4).
# Each alternative returns {name, params}; params are documented in src/config/families/ipsec.ts
# (IpsecParams). Ranges and lengths are checked there, not here.
@preprocessor typescript
@{%
import {
  lexer, int, ipv4, ipv4OptionalMask, ipv4Range, ipAddress, hexKey, word, plainWord, percent,
  keyValueOf, valueAfterEquals, intOrRange, lanInterfaceName, hostNameExcept,
} from '../grammar-support.js';

const host = hostNameExcept(['any']);
const nat_keepalive = keyValueOf('keepalive');
const nat_force = keyValueOf('force');
const nat_type = keyValueOf('type');
const anti_replay = keyValueOf('anti-replay-check');
const local_id = keyValueOf('local-id');
const remote_id = keyValueOf('remote-id');
const ka_length = keyValueOf('length');
const ka_down = keyValueOf('down');
const ka_new_sa = keyValueOf('send-only-new-sa');
const forced_reduction = keyValueOf('forced-reduction');

const num = (token: { value: string }): number => Number(token.value);
const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const addressWithMask = (text: string): { address: string; mask?: string } => {
  const slash = text.indexOf('/');
  return slash < 0 ? { address: text } : { address: text.slice(0, slash), mask: text.slice(slash + 1) };
};
const options = (tokens: { value: string; text: string }[]): Record<string, string> =>
  Object.fromEntries(tokens.map((t) => [t.text.slice(0, t.text.indexOf('=')), valueAfterEquals(t as never)]));
%}
@lexer lexer

command ->
    "ipsec" "use" switch                                   {% (d) => cmd('ipsec use', { enabled: d[2] }) %}
  | "ipsec" "log" "illegal-spi" switch                     {% (d) => cmd('ipsec log illegal-spi', { enabled: d[3] }) %}
  | "ipsec" "auto" "refresh" switch                        {% (d) => cmd('ipsec auto refresh', { enabled: d[3] }) %}
  | "ipsec" "auto" "refresh" gw switch                     {% (d) => cmd('ipsec auto refresh', { gateway: d[3], enabled: d[4] }) %}
  | "ipsec" "ike" "version" gw %int                        {% (d) => cmd('ipsec ike version', { gateway: d[3], version: num(d[4]) }) %}
  | "ipsec" "ike" "auth" "method" gw authMethod            {% (d) => cmd('ipsec ike auth method', { gateway: d[4], method: d[5] }) %}
  | "ipsec" "ike" "pre-shared-key" gw preSharedKey         {% (d) => cmd('ipsec ike pre-shared-key', { gateway: d[3], key: d[4] }) %}
  | "ipsec" "ike" "negotiate-strictly" gw switch           {% (d) => cmd('ipsec ike negotiate-strictly', { gateway: d[3], enabled: d[4] }) %}
  | "ipsec" "ike" "always-on" gw switch                    {% (d) => cmd('ipsec ike always-on', { gateway: d[3], enabled: d[4] }) %}
  | "ipsec" "ike" "retry" %int %int                        {% (d) => cmd('ipsec ike retry', { count: num(d[3]), intervalSeconds: num(d[4]) }) %}
  | "ipsec" "ike" "retry" %int %int %int                   {% (d) => cmd('ipsec ike retry', { count: num(d[3]), intervalSeconds: num(d[4]), maxSessions: num(d[5]) }) %}
  | "ipsec" "ike" "remote" "name" gw %plainWord idType:?   {% (d) => cmd('ipsec ike remote name', { gateway: d[4], name: d[5].value, ...(d[6] ? { idType: d[6] } : {}) }) %}
  | "ipsec" "ike" "remote" "address" gw remoteAddress      {% (d) => cmd('ipsec ike remote address', { gateway: d[4], address: d[5] }) %}
  | "ipsec" "ike" "remote" "id" gw %ipv4OptionalMask       {% (d) => cmd('ipsec ike remote id', { gateway: d[4], ...addressWithMask(d[5].value) }) %}
  | "ipsec" "ike" "local" "name" gw %plainWord idType:?    {% (d) => cmd('ipsec ike local name', { gateway: d[4], name: d[5].value, ...(d[6] ? { idType: d[6] } : {}) }) %}
  | "ipsec" "ike" "local" "address" gw localAddress        {% (d) => cmd('ipsec ike local address', { gateway: d[4], address: d[5] }) %}
  | "ipsec" "ike" "local" "id" gw %ipv4OptionalMask        {% (d) => cmd('ipsec ike local id', { gateway: d[4], ...addressWithMask(d[5].value) }) %}
  | "ipsec" "ike" "keepalive" "use" gw keepaliveUse        {% (d) => cmd('ipsec ike keepalive use', { gateway: d[4], ...d[5] }) %}
  | "ipsec" "ike" "keepalive" "log" gw switch              {% (d) => cmd('ipsec ike keepalive log', { gateway: d[4], enabled: d[5] }) %}
  | "ipsec" "ike" "encryption" gw ikeEncryption            {% (d) => cmd('ipsec ike encryption', { gateway: d[3], algorithm: d[4] }) %}
  | "ipsec" "ike" "queue" "length" %int                    {% (d) => cmd('ipsec ike queue length', { length: num(d[4]) }) %}
  | "ipsec" "ike" "group" gw dhGroup dhGroup:?             {% (d) => cmd('ipsec ike group', { gateway: d[3], phase1: d[4], phase2: d[5] ?? d[4] }) %}
  | "ipsec" "ike" "hash" gw ikeHash                        {% (d) => cmd('ipsec ike hash', { gateway: d[3], algorithm: d[4] }) %}
  | "ipsec" "ike" "payload" "type" gw %int %int:?          {% (d) => cmd('ipsec ike payload type', { gateway: d[4], ikev1: num(d[5]), ...(d[6] ? { ikev2: num(d[6]) } : {}) }) %}
  | "ipsec" "ike" "backward-compatibility" gw %int         {% (d) => cmd('ipsec ike backward-compatibility', { gateway: d[3], type: num(d[4]) }) %}
  | "ipsec" "ike" "send" "info" gw switch                  {% (d) => cmd('ipsec ike send info', { gateway: d[4], enabled: d[5] }) %}
  | "ipsec" "ike" "pfs" gw switch                          {% (d) => cmd('ipsec ike pfs', { gateway: d[3], enabled: d[4] }) %}
  | "ipsec" "ike" "xauth" "myname" gw %word %word          {% (d) => cmd('ipsec ike xauth myname', { gateway: d[4], name: d[5].value, password: d[6].value }) %}
  | "ipsec" "ike" "xauth" "request" gw switch              {% (d) => cmd('ipsec ike xauth request', { gateway: d[4], enabled: d[5] }) %}
  | "ipsec" "ike" "xauth" "request" gw switch %int         {% (d) => cmd('ipsec ike xauth request', { gateway: d[4], enabled: d[5], groupId: num(d[6]) }) %}
  | "ipsec" "ike" "mode-cfg" "address" "pool" %int %ipv4Range {% (d) => cmd('ipsec ike mode-cfg address pool', { poolId: num(d[5]), range: d[6].value }) %}
  | "ipsec" "ike" "mode-cfg" "method" gw "set"             {% (d) => cmd('ipsec ike mode-cfg method', { gateway: d[4], method: 'set', openswan: false }) %}
  | "ipsec" "ike" "mode-cfg" "method" gw "set" "openswan"  {% (d) => cmd('ipsec ike mode-cfg method', { gateway: d[4], method: 'set', openswan: true }) %}
  | "ipsec" "ike" "mode-cfg" "address" gw %int             {% (d) => cmd('ipsec ike mode-cfg address', { gateway: d[4], poolId: num(d[5]) }) %}
  | "ipsec" "ike" "log" logType:+                          {% (d) => cmd('ipsec ike log', { types: d[3] }) %}
  | "ipsec" "ike" "log" gw logType:+                       {% (d) => cmd('ipsec ike log', { gateway: d[3], types: d[4] }) %}
  | "ipsec" "ike" "esp-encapsulation" gw switch            {% (d) => cmd('ipsec ike esp-encapsulation', { gateway: d[3], enabled: d[4] }) %}
  | "ipsec" "ike" "duration" saKind gw %int duration       {% (d) => cmd('ipsec ike duration', { sa: d[3], gateway: d[4], seconds: num(d[5]), ...d[6] }) %}
  | "ipsec" "ike" "restrict-dangling-sa" gw danglingAction {% (d) => cmd('ipsec ike restrict-dangling-sa', { gateway: d[3], action: d[4] }) %}
  | "ipsec" "ike" "nat-traversal" gw switch natOption:*    {% (d) => cmd('ipsec ike nat-traversal', { gateway: d[3], enabled: d[4], options: options(d[5]) }) %}
  | "ipsec" "ike" "auto" "received-id-route-add" gw switch {% (d) => cmd('ipsec ike auto received-id-route-add', { gateway: d[4], enabled: d[5] }) %}
  | "ipsec" "ike" "proposal-limitation" gw switch          {% (d) => cmd('ipsec ike proposal-limitation', { gateway: d[3], enabled: d[4] }) %}
  | "ipsec" "ike" "message-id-control" gw switch           {% (d) => cmd('ipsec ike message-id-control', { gateway: d[3], enabled: d[4] }) %}
  | "ipsec" "ike" "negotiation" "receive" gw switch        {% (d) => cmd('ipsec ike negotiation receive', { gateway: d[4], enabled: d[5] }) %}
  | "ipsec" "ike" "child-exchange" "type" gw %int          {% (d) => cmd('ipsec ike child-exchange type', { gateway: d[4], type: num(d[5]) }) %}
  | "ipsec" "ike" "license-key" %int %plainWord            {% (d) => cmd('ipsec ike license-key', { licenseId: num(d[3]), key: d[4].value }) %}
  | "ipsec" "ike" "license-key" "use" gw switch            {% (d) => cmd('ipsec ike license-key use', { gateway: d[4], enabled: d[5] }) %}
  | "ipsec" "sa" "policy" %int gw "esp" espAlgorithms saOption:*  {% (d) => cmd('ipsec sa policy', { policyId: num(d[3]), gateway: d[4], protocol: 'esp', ...d[6], options: options(d[7]) }) %}
  | "ipsec" "sa" "policy" %int gw "ah" ahAlgorithm:? saOption:*   {% (d) => cmd('ipsec sa policy', { policyId: num(d[3]), gateway: d[4], protocol: 'ah', ...(d[6] ? { authentication: d[6] } : {}), options: options(d[7]) }) %}
  | "ipsec" "tunnel" %int                                  {% (d) => cmd('ipsec tunnel', { policyId: num(d[2]) }) %}
  | "ipsec" "tunnel" "outer" "df-bit" dfBitMode            {% (d) => cmd('ipsec tunnel outer df-bit', { mode: d[4] }) %}
  | "ipsec" "ipcomp" "type" ("deflate" | "none")           {% (d) => cmd('ipsec ipcomp type', { type: d[3][0].text }) %}
  | "ipsec" "transport" %int %int transportFilter:?        {% (d) => cmd('ipsec transport', { transportId: num(d[2]), policyId: num(d[3]), ...(d[4] ?? {}) }) %}
  | "ipsec" "transport" "template" %int %intOrRange:+      {% (d) => cmd('ipsec transport template', { transportId: num(d[3]), targets: d[4].map((t: { value: string }) => t.value) }) %}

gw -> %int {% (d) => Number(d[0].value) %}
switch -> "on" {% () => true %} | "off" {% () => false %}

authMethod -> ("auto" | "pre-shared-key" | "certificate" | "eap-md5") {% (d) => d[0][0].text %}

# `0x...` hex key, `text KEY`, or `*` (a key masked by whoever captured the config).
preSharedKey ->
    %hexKey          {% (d) => ({ kind: 'hex', hex: d[0].value.slice(2).toLowerCase() }) %}
  | "text" %word     {% (d) => ({ kind: 'text', text: d[1].value }) %}
  | "*"              {% () => ({ kind: 'masked' }) %}

idType -> ("ipv4-addr" | "fqdn" | "user-fqdn" | "rfc822-addr" | "ipv6-addr" | "key-id" | "tel" | "tel-key") {% (d) => d[0][0].text %}

remoteAddress ->
    %ipv4   {% (d) => ({ kind: 'ip', address: d[0].value }) %}
  | "any"   {% () => ({ kind: 'any' }) %}
  | %host   {% (d) => ({ kind: 'host', name: d[0].value }) %}

localAddress ->
    %ipv4                                  {% (d) => ({ kind: 'ip', address: d[0].value }) %}
  | "vrrp" %lanInterfaceName %int          {% (d) => ({ kind: 'vrrp', interface: d[1].text, vrid: num(d[2]) }) %}
  | "ipcp" "pp" %int                       {% (d) => ({ kind: 'ipcp', peer: num(d[2]) }) %}
  | "ipv6" "prefix" %word "on" %lanInterfaceName {% (d) => ({ kind: 'ipv6-prefix', prefix: d[2].value, interface: d[4].text }) %}

# switch [method [interval count [upwait]]] [down=disconnect] [send-only-new-sa=...]
keepaliveUse -> keepaliveSwitch keepaliveMethod:? keepaliveOption:*
  {% (d) => ({ mode: d[0], ...(d[1] ?? {}), options: options(d[2]) }) %}
keepaliveSwitch -> ("on" | "off" | "auto") {% (d) => d[0][0].text %}
keepaliveMethod ->
    ("heartbeat" | "dpd" | "rfc4306") keepaliveTiming:?
      {% (d) => ({ method: { kind: d[0][0].text }, ...(d[1] ? { timing: d[1] } : {}) }) %}
  | "icmp-echo" %ipAddress %ka_length:? keepaliveTiming:?
      {% (d) => ({ method: { kind: 'icmp-echo', target: d[1].value, ...(d[2] ? { length: Number(valueAfterEquals(d[2])) } : {}) }, ...(d[3] ? { timing: d[3] } : {}) }) %}
keepaliveTiming ->
    %int %int       {% (d) => ({ intervalSeconds: num(d[0]), count: num(d[1]) }) %}
  | %int %int %int  {% (d) => ({ intervalSeconds: num(d[0]), count: num(d[1]), upwaitSeconds: num(d[2]) }) %}
keepaliveOption -> %ka_down {% id %} | %ka_new_sa {% id %}

ikeEncryption -> ("3des-cbc" | "des-cbc" | "aes-cbc" | "aes256-cbc") {% (d) => d[0][0].text %}
ikeHash -> ("md5" | "sha" | "sha256" | "sha384" | "sha512") {% (d) => d[0][0].text %}
dhGroup -> ("modp768" | "modp1024" | "modp1536" | "modp2048") {% (d) => d[0][0].text %}
logType -> ("message-info" | "payload-info" | "key-info") {% (d) => d[0][0].text %}
saKind ->
    ("ipsec-sa" | "child-sa") {% () => 'ipsec-sa' %}
  | ("isakmp-sa" | "ike-sa")  {% () => 'isakmp-sa' %}
danglingAction -> ("auto" | "off") {% (d) => d[0][0].text %}
dfBitMode -> ("copy" | "set" | "clear") {% (d) => d[0][0].text %}

# seconds [kbytes|off] [rekey N%|off] [forced-reduction=S]
duration -> durationBytes:? durationRekey:? %forced_reduction:?
  {% (d) => ({ ...(d[0] !== null ? { kilobytes: d[0] } : {}), ...(d[1] !== null ? { rekey: d[1] } : {}), ...(d[2] ? { forcedReductionSeconds: Number(valueAfterEquals(d[2])) } : {}) }) %}
durationBytes -> %int {% (d) => Number(d[0].value) %} | "off" {% () => 'off' %}
durationRekey ->
    "rekey" %percent {% (d) => Number(d[1].value.slice(0, -1)) %}
  | "rekey" "off"    {% () => 'off' %}

natOption -> %nat_keepalive {% id %} | %nat_force {% id %} | %nat_type {% id %}

espAlgorithms ->
    null                       {% () => ({}) %}
  | espEncryption              {% (d) => ({ encryption: d[0] }) %}
  | espEncryption ahAlgorithm  {% (d) => ({ encryption: d[0], authentication: d[1] }) %}
  | ahAlgorithm                {% (d) => ({ authentication: d[0] }) %}
espEncryption -> ("3des-cbc" | "des-cbc" | "aes-cbc" | "aes256-cbc" | "null") {% (d) => d[0][0].text %}
ahAlgorithm -> ("md5-hmac" | "sha-hmac" | "sha256-hmac" | "sha384-hmac" | "sha512-hmac") {% (d) => d[0][0].text %}
saOption -> %anti_replay {% id %} | %local_id {% id %} | %remote_id {% id %}

transportFilter ->
    %plainWord                       {% (d) => ({ protocol: d[0].value }) %}
  | %plainWord %word                 {% (d) => ({ protocol: d[0].value, sourcePorts: d[1].value }) %}
  | %plainWord %word %word           {% (d) => ({ protocol: d[0].value, sourcePorts: d[1].value, destinationPorts: d[2].value }) %}
