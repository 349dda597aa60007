# SYSLOG output (command reference §4.25-4.36). Params: src/config/families/syslog.ts (SyslogParams).
@preprocessor typescript
@{%
import { lexer, int, ipv4, ipAddress, word, hostNameExcept } from '../grammar-support.js';

const host = hostNameExcept([]);
const num = (token: { value: string }): number => Number(token.value);
const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
%}
@lexer lexer

command -> "syslog" "debug" onoff                      {% (d) => cmd('syslog debug', { enabled: d[2] }) %}
         | "syslog" "info" onoff                       {% (d) => cmd('syslog info', { enabled: d[2] }) %}
         | "syslog" "notice" onoff                     {% (d) => cmd('syslog notice', { enabled: d[2] }) %}
         | "syslog" "host" hostlist                    {% (d) => cmd('syslog host', { hosts: d[2] }) %}
         | "syslog" "facility" facility                {% (d) => cmd('syslog facility', { facility: d[2] }) %}
         | "syslog" "local" "address" %ipAddress       {% (d) => cmd('syslog local address', { address: d[3].value }) %}
         | "syslog" "srcport" %int                     {% (d) => cmd('syslog srcport', { port: num(d[2]) }) %}
         | "syslog" "execute" "command" onoff          {% (d) => cmd('syslog execute command', { enabled: d[3] }) %}
         | "syslog" "format" "type" ("rfc3164" | "rfc5424" | "yamaha") {% (d) => cmd('syslog format type', { type: d[3][0].text }) %}

onoff -> "on" {% () => true %} | "off" {% () => false %}
hostlist -> syslogHost {% (d) => [d[0]] %} | hostlist syslogHost {% (d) => [...d[0], d[1]] %}
syslogHost -> %ipAddress {% (d) => d[0].value %} | %host {% (d) => d[0].value %}
# user, local0..local7, or the facility number 0..23
facility -> %int {% (d) => Number(d[0].value) %}
          | ("user" | "local0" | "local1" | "local2" | "local3" | "local4" | "local5" | "local6" | "local7") {% (d) => d[0][0].text %}
