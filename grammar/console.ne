# Login, accounts, console and management services (command reference chapter 4).
# Params: src/config/families/console.ts (ConsoleParams).
@preprocessor typescript
@{%
import { lexer, int, word, plainWord, keyValue, wordExcept, valueAfterEquals } from '../grammar-support.js';

const secretWord = wordExcept('a password', ['*']);
const timezoneOffset = { expects: '+hh:mm', test: (t: { value: string }) => /^[+-]?\d{1,2}:\d{2}$/.test(t.value) };
const num = (token: { value: string }): number => Number(token.value);
const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const pairs = (tokens: { value: string; text: string }[]): [string, string][] =>
  tokens.map((t) => [t.text.slice(0, t.text.indexOf('=')), valueAfterEquals(t as never)]);
%}
@lexer lexer

command ->
    "login" "password" storedSecret                  {% (d) => cmd('login password', d[2]) %}
  | "administrator" "password" storedSecret          {% (d) => cmd('administrator password', d[2]) %}
  | "login" "user" %plainWord                        {% (d) => cmd('login user', { user: d[2].value }) %}
  | "login" "user" %plainWord storedSecret           {% (d) => cmd('login user', { user: d[2].value, ...d[3] }) %}
  | "login" "timer" %int                             {% (d) => cmd('login timer', { seconds: num(d[2]) }) %}
  | "login" "timer" "clear"                          {% () => cmd('login timer', { seconds: 'clear' }) %}
  | "user" "attribute" %keyValue:+                   {% (d) => cmd('user attribute', { pairs: pairs(d[2]) }) %}
  | "user" "attribute" %plainWord %keyValue:+        {% (d) => cmd('user attribute', { user: d[2].value, pairs: pairs(d[3]) }) %}
  | "security" "class" %int onoff                    {% (d) => cmd('security class', { level: num(d[2]), forget: d[3] }) %}
  | "security" "class" %int onoff onoff              {% (d) => cmd('security class', { level: num(d[2]), forget: d[3], telnet: d[4] }) %}
  | "security" "class" %int onoff onoff onoff        {% (d) => cmd('security class', { level: num(d[2]), forget: d[3], telnet: d[4], ssh: d[5] }) %}
  | "timezone" timezone                              {% (d) => cmd('timezone', { timezone: d[1] }) %}
  | "console" "prompt" %word                         {% (d) => cmd('console prompt', { prompt: d[2].value }) %}
  # en.ascii / ja.* came with Rev.14.01: parsed, then warned about and not applied (rev803-values.ts).
  | "console" "character" ("ascii" | "sjis" | "euc" | "en.ascii" | "ja.sjis" | "ja.euc" | "ja.utf8") {% (d) => cmd('console character', { code: d[2][0].text }) %}
  | "console" "columns" %int                         {% (d) => cmd('console columns', { columns: num(d[2]) }) %}
  | "console" "lines" %int                           {% (d) => cmd('console lines', { lines: num(d[2]) }) %}
  | "console" "lines" "infinity"                     {% () => cmd('console lines', { lines: 'infinity' }) %}
  | "console" "info" onoff                           {% (d) => cmd('console info', { enabled: d[2] }) %}
  | service "service" onoff                          {% (d) => cmd(`${d[0]} service`, { enabled: d[2] }) %}
  | service "listen" %int                            {% (d) => cmd(`${d[0]} listen`, { port: num(d[2]) }) %}
  | service "session" %int                           {% (d) => cmd(`${d[0]} session`, { sessions: num(d[2]) }) %}
  | hostService "host" %plainWord:+                  {% (d) => cmd(`${d[0]} host`, { hosts: d[2].map((t: { value: string }) => t.value) }) %}
  | "sshd" "host" "key" "generate" %word:*           {% (d) => cmd('sshd host key generate', { words: d[4].map((t: { value: string }) => t.value) }) %}
  | "httpd" "timeout" %int                           {% (d) => cmd('httpd timeout', { seconds: num(d[2]) }) %}

# `*` (masked by show config), `encrypted X` (as TFTP/SFTP files store it), or a plain password.
storedSecret ->
    "*"                          {% () => ({ encrypted: false, secret: { kind: 'masked' } }) %}
  | %secretWord                  {% (d) => ({ encrypted: false, secret: { kind: 'value', value: d[0].value } }) %}
  | "encrypted" "*"              {% () => ({ encrypted: true, secret: { kind: 'masked' } }) %}
  | "encrypted" %secretWord      {% (d) => ({ encrypted: true, secret: { kind: 'value', value: d[1].value } }) %}

onoff -> "on" {% () => true %} | "off" {% () => false %}
timezone -> ("jst" | "utc") {% (d) => d[0][0].text %} | %timezoneOffset {% (d) => d[0].value %}
service -> ("telnetd" | "sshd" | "httpd") {% (d) => d[0][0].text %}
hostService -> ("telnetd" | "sshd" | "sftpd" | "httpd" | "tftp") {% (d) => d[0][0].text %}
