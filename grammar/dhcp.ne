# DHCP server, relay agent and client (Yamaha command reference §12). Per-interface
# `ip <if> dhcp …` commands belong to the ip family. Ranges are checked in src/config/families/dhcp.ts.
#
# Parameter shapes:
#   dhcp service                      { type: 'server' | 'relay' }
#   dhcp server rfc2131 compliant     { compliant: boolean } | { except: boolean, functions: string[] }
#   dhcp duplicate check              { lan: number | 'off', relayed: number | 'off' }
#   dhcp scope                        { scope, from, to, mask, except: string[], gateway?, expire?, maxexpire? }   (times: minutes | 'h:mm' | 'infinity' as written)
#   dhcp scope bind                   { scope, address: string | '*', client: Client }
#        Client = { kind: 'ethernet', mac } | { kind: 'text', id } | { kind: 'hex', bytes: string[] } | { kind: 'mac', mac } | { kind: 'ipcp' }
#   dhcp scope lease type             { scope, type: 'bind-priority' | 'bind-only', fallback? }
#   dhcp scope option                 { scope, options: { option, value }[] }
#   dhcp relay server                 { servers: string[] }      dhcp relay select { type }   dhcp relay threshold|srcport { value }
#   dhcp client hostname              { target: Target, host }
#   dhcp client client-identifier     { target: Target, type?: number, id: string[] }
#   dhcp client option                { target: Target, option: number, bytes: string[] }
#        Target = { interface, address: 'primary' | 'secondary' } | { pp: number | 'anonymous' } | { pool: number }
#   dhcp client release linkdown      { enabled, seconds? }
@preprocessor typescript
@{%
import { lexer, int, ipv4, word, keyValueOf, valueAfterEquals } from '../grammar-support.js';
import { ipv4SpanWithMask, ipv4OrSpan, ipv4Span, leaseTime, macAddress, macOrVendor, hexByte, dhcpOption, dhcpClientOption, lanSide } from '../families/matchers.js';

const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const num = (t: { value: string }) => Number(t.value);
const fallback = keyValueOf('fallback');
const rfc2131Function = { expects: 'an RFC 2131 function', test: (t: { text: string }) => ['broadcast-nak', 'none-domain-null', 'remain-silent', 'reply-ack', 'use-clientid'].includes(t.text) };
/** `a-b/mask` split into its parts. */
const scopeRange = (text: string) => {
  const slash = text.indexOf('/');
  const [from, to] = text.slice(0, slash).split('-') as [string, string];
  return { from, to, mask: text.slice(slash + 1) };
};
const clientText = { expects: 'a client identifier', test: (t: { value: string }) => !/^[0-9a-f]{2}$/i.test(t.value) || t.quoted };
%}
@lexer lexer

command -> "dhcp" dhcpCommand {% (d) => d[1] %}

dhcpCommand ->
    "service" ("server" | "relay")                 {% (d) => cmd('dhcp service', { type: d[1][0].text }) %}
  | "server" "rfc2131" "compliant" rfc2131         {% (d) => cmd('dhcp server rfc2131 compliant', d[3]) %}
  | "duplicate" "check" checkWait checkWait        {% (d) => cmd('dhcp duplicate check', { lan: d[2], relayed: d[3] }) %}
  | "scope" %int %ipv4SpanWithMask scopeOptions    {% (d) => cmd('dhcp scope', { scope: num(d[1]), ...scopeRange(d[2].value), ...d[3] }) %}
  | "scope" "bind" %int bindTarget                 {% (d) => cmd('dhcp scope bind', { scope: num(d[2]), ...d[3] }) %}
  | "scope" "lease" "type" %int ("bind-priority" | "bind-only") (%fallback):?
                                                   {% (d) => cmd('dhcp scope lease type', { scope: num(d[3]), type: d[4][0].text, ...(d[5] ? { fallback: Number(valueAfterEquals(d[5][0])) } : {}) }) %}
  | "scope" "option" %int %dhcpOption:+            {% (d) => cmd('dhcp scope option', { scope: num(d[2]), options: d[3].map(optionOf) }) %}
  | "relay" "server" %ipv4:+                       {% (d) => cmd('dhcp relay server', { servers: d[2].map((t) => t.value) }) %}
  | "relay" "select" ("hash" | "all")              {% (d) => cmd('dhcp relay select', { type: d[2][0].text }) %}
  | "relay" "threshold" %int                       {% (d) => cmd('dhcp relay threshold', { value: num(d[2]) }) %}
  | "relay" "srcport" %int                         {% (d) => cmd('dhcp relay srcport', { value: num(d[2]) }) %}
  | "client" "hostname" clientTarget %word         {% (d) => cmd('dhcp client hostname', { target: d[2], host: d[3].value }) %}
  | "client" "client-identifier" clientTarget ("type" %int):? clientId
                                                   {% (d) => cmd('dhcp client client-identifier', { target: d[2], ...(d[3] ? { type: num(d[3][1]) } : {}), id: d[4] }) %}
  | "client" "option" clientTarget %dhcpClientOption {% (d) => cmd('dhcp client option', { target: d[2], ...clientOptionOf(d[3].value) }) %}
  | "client" "release" "linkdown" onoff (%int):?   {% (d) => cmd('dhcp client release linkdown', { enabled: d[3], ...(d[4] ? { seconds: num(d[4][0]) } : {}) }) %}

@{%
const optionOf = (t: { value: string }) => {
  const at = t.value.indexOf('=');
  const option = t.value.slice(0, at);
  return { option: /^\d+$/.test(option) ? Number(option) : option.toLowerCase(), value: t.value.slice(at + 1) };
};
const clientOptionOf = (text: string) => {
  const at = text.indexOf('=');
  return { option: Number(text.slice(0, at)), bytes: text.slice(at + 1).split(',') };
};
%}

rfc2131 ->
    onoff                                          {% (d) => ({ compliant: d[0] }) %}
  | ("except"):? %rfc2131Function:+                {% (d) => ({ except: d[0] !== null, functions: d[1].map((t) => t.text) }) %}

checkWait -> %int {% (d) => num(d[0]) %} | "off" {% () => 'off' %}

# [except ex_ip ...] [gateway gw_ip] [expire time] [maxexpire time], in this order.
scopeOptions -> ("except" %ipv4OrSpan:+):? ("gateway" %ipv4):? ("expire" %leaseTime):? ("maxexpire" %leaseTime):?
  {% (d) => ({
    except: d[0] ? d[0][1].map((t) => t.value) : [],
    ...(d[1] ? { gateway: d[1][1].value } : {}),
    ...(d[2] ? { expire: d[2][1].text } : {}),
    ...(d[3] ? { maxexpire: d[3][1].text } : {}),
  }) %}

# An address (or `*`: any free address) and the client: `ethernet <mac>`, `text <id>`, hex bytes
# whose first byte is the type (`01 00 a0 de 01 23 45`), a bare MAC (chaddr), or `ipcp`.
# An address range only takes a MAC or a vendor prefix `xx:xx:xx:*` (reference §12.1.5, form E).
bindTarget ->
    bindAddress bindClient                         {% (d) => ({ address: d[0], client: d[1] }) %}
  | %ipv4Span %macOrVendor                         {% (d) => ({ address: d[0].value, client: { kind: 'mac', mac: d[1].text } }) %}
bindAddress -> %ipv4 {% (d) => d[0].value %} | "*" {% () => '*' %}
bindClient ->
    "ethernet" %macAddress                         {% (d) => ({ kind: 'ethernet', mac: d[1].text }) %}
  | "text" %word                                   {% (d) => ({ kind: 'text', id: d[1].value }) %}
  | %hexByte %hexByte:+                            {% (d) => ({ kind: 'hex', bytes: [d[0], ...d[1]].map((t) => t.text) }) %}
  | %macOrVendor                                   {% (d) => ({ kind: 'mac', mac: d[0].text }) %}
  | "ipcp"                                         {% () => ({ kind: 'ipcp' }) %}

clientTarget ->
    %lanSide ("primary" | "secondary")             {% (d) => ({ interface: d[0].text, address: d[1][0].text }) %}
  | "pp" (%int | "anonymous")                      {% (d) => ({ pp: d[1][0].text === 'anonymous' ? 'anonymous' : num(d[1][0]) }) %}
  | "pool" %int                                    {% (d) => ({ pool: num(d[1]) }) %}

# An ASCII identifier (one token) or hex bytes (two or more two-digit tokens).
clientId -> %clientText {% (d) => [d[0].value] %} | %hexByte:+ {% (d) => d[0].map((t) => t.text) %}

onoff -> "on" {% () => true %} | "off" {% () => false %}
