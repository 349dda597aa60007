# Tunnel interface commands (command reference chapters 14 and 15.49; §56.2 for `tunnel select`).
# Params are documented in src/config/families/tunnel.ts (TunnelParams).
@preprocessor typescript
@{%
import { lexer, int, intOrRange, ipAddress, plainWord, wordExcept } from '../grammar-support.js';

const nonFqdn = wordExcept('a name', ['fqdn']);

const num = (token: { value: string }): number => Number(token.value);
const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
%}
@lexer lexer

command ->
    "tunnel" "select" %int                          {% (d) => cmd('tunnel select', { tunnel: num(d[2]) }) %}
  | "tunnel" "select" "none"                        {% () => cmd('tunnel select', { tunnel: 'none' }) %}
  | "tunnel" "enable" %int                          {% (d) => cmd('tunnel enable', { tunnel: num(d[2]) }) %}
  | "tunnel" "enable" "all"                         {% () => cmd('tunnel enable', { tunnel: 'all' }) %}
  | "tunnel" "disable" %int                         {% (d) => cmd('tunnel disable', { tunnel: num(d[2]) }) %}
  | "tunnel" "disable" "all"                        {% () => cmd('tunnel disable', { tunnel: 'all' }) %}
  | "tunnel" "template" %intOrRange:+               {% (d) => cmd('tunnel template', { targets: d[2].map((t: { value: string }) => t.value) }) %}
  | "tunnel" "encapsulation" encapsulation          {% (d) => cmd('tunnel encapsulation', { type: d[2] }) %}
  | "tunnel" "endpoint" "address" %ipAddress        {% (d) => cmd('tunnel endpoint address', { remote: d[3].value }) %}
  | "tunnel" "endpoint" "address" %ipAddress %ipAddress {% (d) => cmd('tunnel endpoint address', { local: d[3].value, remote: d[4].value }) %}
  | "tunnel" "endpoint" "remote" "address" %plainWord   {% (d) => cmd('tunnel endpoint remote address', { remote: d[4].value }) %}
  | "tunnel" "endpoint" "local" "address" %plainWord    {% (d) => cmd('tunnel endpoint local address', { local: d[4].value }) %}
  | "tunnel" "endpoint" "name" endpointNames        {% (d) => cmd('tunnel endpoint name', d[3]) %}

encapsulation -> ("ipsec" | "ipip" | "l2tp" | "l2tpv3" | "l2tpv3-raw" | "pptp" | "map-e" | "nat46" | "ipip6") {% (d) => d[0][0].text %}

# [local_name] remote_name [fqdn]
endpointNames ->
    %nonFqdn                      {% (d) => ({ remote: d[0].value }) %}
  | %plainWord "fqdn"             {% (d) => ({ remote: d[0].value, type: 'fqdn' }) %}
  | %plainWord %nonFqdn           {% (d) => ({ local: d[0].value, remote: d[1].value }) %}
  | %plainWord %nonFqdn "fqdn"  {% (d) => ({ local: d[0].value, remote: d[1].value, type: 'fqdn' }) %}
