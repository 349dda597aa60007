# PP (peer) commands: selecting and enabling peers, PPP authentication, keepalive, backup, and
# the LCP/PAP/CHAP/IPCP/MSCBCP/CCP/IPV6CP and PPPoE options of the selected peer.
# Syntax: Yamaha command reference §56.1 and §56.7 (pp select/enable/disable), §6.1.4/§17.1.2
# (pp bind), §6.2.1 (pp always-on), §8.2.3-8.2.5 (pp keepalive), §8.5.1-8.5.2 (pp backup),
# §11 (pp auth, ppp …, pppoe …), §33.5 (pp name). Ranges are checked in src/config/families/pp.ts.
#
# Parameter shapes (what each command's `params` holds):
#   pp select            { peer: number | 'anonymous' | 'none' }
#   pp enable|disable    { peers: (number | 'anonymous' | 'all' | { from, to })[] }
#   pp bind              { interfaces: string[] }
#   pp always-on         { enabled: boolean, time?: number }
#   pp auth accept       { methods: string[] }          pp auth request { method, arriveOnly }
#   pp auth myname       { name, password }              pp auth multi connect prohibit { enabled }
#   pp auth username     { username, password, myname?: {name, password}, isdn?, clid?: string[], mscbcp, address?, prefix? }
#   pp keepalive interval { interval, retryInterval?, count?, time? }
#   pp keepalive use     { lcpEcho: boolean, icmpEcho: { address, options: Record<string,string> }[] } | { off: true }
#   pp keepalive log     { enabled }
#   pp backup            { kind: 'none' } | { kind: 'pp', peer, ipsecFastRecovery? } | { kind: 'interface', interface, gateway } | { kind: 'tunnel', tunnel }
#   pp backup recovery time { seconds: number | 'off' }
#   pp name              { name }
#   ppp <proto> <switch> { enabled }  ppp <proto> restart|max… { value }   ppp lcp mru { enabled, length? }
#   ppp ccp type         { type }
#   pppoe use            { interface }   pppoe … { value | enabled | name | … } (see the rules)
@preprocessor typescript
@{%
import { lexer, int, ipv4, word, keyValue, plainWord } from '../grammar-support.js';
import { lanSide, ppBindTarget } from '../families/matchers.js';

const cmd = (name: string, params: Record<string, unknown> = {}) => ({ name, params });
const peerList = /^(\d+)(-(\d+))?$/;
const isdnNumber = { expects: 'an ISDN number', test: (t: { value: string }) => /^[\d*#-]+(\/[\x21-\x7e]+)?$/.test(t.value) && /\d/.test(t.value) };
const peerItem = { expects: 'a peer number, N-M, anonymous or all', test: (t: { text: string }) => peerList.test(t.text) || t.text === 'anonymous' || t.text === 'all', mismatch: 'parameter-must-be-integer' };
const toPeer = (text: string) => {
  if (text === 'anonymous' || text === 'all') return text;
  const m = peerList.exec(text)!;
  return m[3] === undefined ? Number(m[1]) : { from: Number(m[1]), to: Number(m[3]) };
};
const options = (tokens: { value: string }[]) =>
  Object.fromEntries(tokens.map((t) => [t.value.slice(0, t.value.indexOf('=')).toLowerCase(), t.value.slice(t.value.indexOf('=') + 1)]));
%}
@lexer lexer

command -> ppCommand {% id %} | pppCommand {% id %} | pppoeCommand {% id %}

ppCommand ->
    "pp" "select" peerSelect                      {% (d) => cmd('pp select', { peer: d[2] }) %}
  | "pp" "enable" %peerItem:+                      {% (d) => cmd('pp enable', { peers: d[2].map((t) => toPeer(t.text)) }) %}
  | "pp" "disable" %peerItem:+                     {% (d) => cmd('pp disable', { peers: d[2].map((t) => toPeer(t.text)) }) %}
  | "pp" "bind" %ppBindTarget:+                    {% (d) => cmd('pp bind', { interfaces: d[2].map((t) => t.text) }) %}
  | "pp" "always-on" onoff (%int):?                {% (d) => cmd('pp always-on', { enabled: d[2], ...(d[3] ? { time: Number(d[3][0].value) } : {}) }) %}
  | "pp" "auth" "accept" authMethod authMethod:?   {% (d) => cmd('pp auth accept', { methods: [d[3], ...(d[4] ? [d[4]] : [])] }) %}
  | "pp" "auth" "request" requestMethod ("arrive-only"):? {% (d) => cmd('pp auth request', { method: d[3], arriveOnly: d[4] !== null }) %}
  | "pp" "auth" "myname" %plainWord %plainWord     {% (d) => cmd('pp auth myname', { name: d[3].value, password: d[4].value }) %}
  | "pp" "auth" "username" %plainWord %plainWord usernameOptions
                                                   {% (d) => cmd('pp auth username', { username: d[3].value, password: d[4].value, ...d[5] }) %}
  | "pp" "auth" "multi" "connect" "prohibit" onoff {% (d) => cmd('pp auth multi connect prohibit', { enabled: d[5] }) %}
  | "pp" "keepalive" "interval" %int %keyValue:*   {% (d) => cmd('pp keepalive interval', keepaliveInterval(Number(d[3].value), d[4])) %}
  | "pp" "keepalive" "use" keepaliveUse            {% (d) => cmd('pp keepalive use', d[3]) %}
  | "pp" "keepalive" "log" onoff                   {% (d) => cmd('pp keepalive log', { enabled: d[3] }) %}
  | "pp" "backup" backupTarget                     {% (d) => cmd('pp backup', d[2]) %}
  | "pp" "backup" "recovery" "time" (%int | "off") {% (d) => cmd('pp backup recovery time', { seconds: d[4][0].text === 'off' ? 'off' : Number(d[4][0].value) }) %}
  | "pp" "name" %word                              {% (d) => cmd('pp name', { name: d[2].value }) %}

@{%
const keepaliveInterval = (interval: number, opts: { value: string }[]) => {
  const o = options(opts);
  const known: Record<string, string> = { 'retry-interval': 'retryInterval', count: 'count', time: 'time' };
  const out: Record<string, unknown> = { interval };
  for (const [key, value] of Object.entries(o)) out[known[key] ?? `unknown:${key}`] = /^\d+$/.test(value) ? Number(value) : value;
  return out;
};
%}

peerSelect -> %int {% (d) => Number(d[0].value) %} | "anonymous" {% () => 'anonymous' %} | "none" {% () => 'none' %}

authMethod -> "pap" {% () => 'pap' %} | "chap" {% () => 'chap' %} | "mschap" {% () => 'mschap' %} | "mschap-v2" {% () => 'mschap-v2' %}
requestMethod -> authMethod {% id %} | "chap-pap" {% () => 'chap-pap' %}

# [myname <name> <pass>] [isdn1] [clid [isdn2 ...]] [mscbcp] [ip_address] [ip6_prefix]
usernameOptions -> ("myname" %plainWord %plainWord):? (%isdnNumber):? ("clid" %isdnNumber:*):? ("mscbcp"):? (%ipv4):? (%ipv6Prefix):?
  {% (d) => ({
    ...(d[0] ? { myname: { name: d[0][1].value, password: d[0][2].value } } : {}),
    ...(d[1] ? { isdn: d[1][0].value } : {}),
    ...(d[2] ? { clid: d[2][1].map((t) => t.value) } : {}),
    mscbcp: d[3] !== null,
    ...(d[4] ? { address: d[4][0].value } : {}),
    ...(d[5] ? { prefix: d[5][0].value } : {}),
  }) %}

@{%
const ipv6Prefix = { expects: 'an IPv6 prefix', test: (t: { value: string }) => /^[0-9a-f:]+\/\d{1,3}$/i.test(t.value) && t.value.includes(':') };
%}

keepaliveUse ->
    "off"                                          {% () => ({ off: true }) %}
  | "lcp-echo"                                     {% () => ({ lcpEcho: true, icmpEcho: [] }) %}
  | "icmp-echo" icmpTargets                        {% (d) => ({ lcpEcho: false, icmpEcho: d[1] }) %}
  | "lcp-echo" "icmp-echo" icmpTargets             {% (d) => ({ lcpEcho: true, icmpEcho: d[2] }) %}
icmpTargets -> icmpTarget:+ {% id %}
icmpTarget -> %ipv4 %keyValue:* {% (d) => ({ address: d[0].value, options: options(d[1]) }) %}

backupTarget ->
    "none"                                         {% () => ({ kind: 'none' }) %}
  | "pp" %int (%keyValue):?                        {% (d) => ({ kind: 'pp', peer: Number(d[1].value), ...(d[2] ? options([d[2][0]]) : {}) }) %}
  | %lanSide %ipv4                                 {% (d) => ({ kind: 'interface', interface: d[0].text, gateway: d[1].value }) %}
  | "tunnel" %int                                  {% (d) => ({ kind: 'tunnel', tunnel: Number(d[1].value) }) %}

pppCommand ->
    "ppp" pppSwitch onoff                          {% (d) => cmd(`ppp ${d[1]}`, { enabled: d[2] }) %}
  | "ppp" pppNumber %int                           {% (d) => cmd(`ppp ${d[1]}`, { value: Number(d[2].value) }) %}
  | "ppp" "lcp" "mru" onoff (%int):?               {% (d) => cmd('ppp lcp mru', { enabled: d[3], ...(d[4] ? { length: Number(d[4][0].value) } : {}) }) %}
  | "ppp" "ccp" "type" ccpType                     {% (d) => cmd('ppp ccp type', { type: d[3] }) %}

# The on/off options of the selected peer.
pppSwitch ->
    "lcp" "acfc" {% () => 'lcp acfc' %} | "lcp" "magicnumber" {% () => 'lcp magicnumber' %} | "lcp" "pfc" {% () => 'lcp pfc' %}
  | "lcp" "silent" {% () => 'lcp silent' %}
  | "ipcp" "vjc" {% () => 'ipcp vjc' %} | "ipcp" "ipaddress" {% () => 'ipcp ipaddress' %} | "ipcp" "msext" {% () => 'ipcp msext' %}
  | "ipcp" "remote" "address" "check" {% () => 'ipcp remote address check' %}
  | "ipv6cp" "use" {% () => 'ipv6cp use' %}

# Timers (milliseconds) and counters of the PPP state machines.
pppNumber ->
    pppProtocol ("restart" | "maxterminate" | "maxconfigure" | "maxfailure") {% (d) => `${d[0]} ${d[1][0].text}` %}
  | "pap" "restart" {% () => 'pap restart' %} | "pap" "maxauthreq" {% () => 'pap maxauthreq' %}
  | "chap" "restart" {% () => 'chap restart' %} | "chap" "maxchallenge" {% () => 'chap maxchallenge' %}
  | "mscbcp" "restart" {% () => 'mscbcp restart' %} | "mscbcp" "maxretry" {% () => 'mscbcp maxretry' %}
pppProtocol -> "lcp" {% () => 'lcp' %} | "ipcp" {% () => 'ipcp' %} | "ccp" {% () => 'ccp' %}

ccpType -> ("stac0" | "stac" | "cstac" | "mppe-40" | "mppe-128" | "mppe-any" | "none") {% (d) => d[0][0].text %}

pppoeCommand ->
    "pppoe" "use" %lanSide                         {% (d) => cmd('pppoe use', { interface: d[2].text }) %}
  | "pppoe" "access" "concentrator" %word          {% (d) => cmd('pppoe access concentrator', { name: d[3].value }) %}
  | "pppoe" "auto" "connect" onoff                 {% (d) => cmd('pppoe auto connect', { enabled: d[3] }) %}
  | "pppoe" "auto" "disconnect" onoff              {% (d) => cmd('pppoe auto disconnect', { enabled: d[3] }) %}
  | "pppoe" ("padi" | "padr") ("maxretry" | "restart") %int
                                                   {% (d) => cmd(`pppoe ${d[1][0].text} ${d[2][0].text}`, { value: Number(d[3].value) }) %}
  | "pppoe" "disconnect" "time" (%int | "off")     {% (d) => cmd('pppoe disconnect time', { seconds: d[3][0].text === 'off' ? 'off' : Number(d[3][0].value) }) %}
  | "pppoe" "service-name" %word                   {% (d) => cmd('pppoe service-name', { name: d[2].value }) %}
  | "pppoe" "tcp" "mss" "limit" (%int | "auto" | "off")
                                                   {% (d) => cmd('pppoe tcp mss limit', { length: /^\d+$/.test(d[4][0].value) ? Number(d[4][0].value) : d[4][0].text }) %}
  | "pppoe" "invalid-session" "forced" "close" onoff {% (d) => cmd('pppoe invalid-session forced close', { enabled: d[4] }) %}
  | "pppoe" "pass-through" "member" %lanSide %lanSide:+
                                                   {% (d) => cmd('pppoe pass-through member', { interfaces: [d[3].text, ...d[4].map((t) => t.text)] }) %}

onoff -> "on" {% () => true %} | "off" {% () => false %}
