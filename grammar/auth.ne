# XAUTH users and groups (command reference §15.32-15.35). Attribute pairs are kept as written
# and checked in src/config/families/auth.ts (a repeated attribute is an error there).
@preprocessor typescript
@{%
import { lexer, int, intOrRange, keyValue, plainWord, valueAfterEquals } from '../grammar-support.js';

const num = (token: { value: string }): number => Number(token.value);
const cmd = (name: string, params: Record<string, unknown>) => ({ name, params });
const pairs = (tokens: { value: string; text: string }[]): [string, string][] =>
  tokens.map((t) => [t.text.slice(0, t.text.indexOf('=')), valueAfterEquals(t as never)]);
%}
@lexer lexer

command ->
    "auth" "user" %int %plainWord %plainWord               {% (d) => cmd('auth user', { userId: num(d[2]), username: d[3].value, password: d[4].value }) %}
  | "auth" "user" "attribute" %int %keyValue:+             {% (d) => cmd('auth user attribute', { userId: num(d[3]), pairs: pairs(d[4]) }) %}
  | "auth" "user" "group" %int %intOrRange:+               {% (d) => cmd('auth user group', { groupId: num(d[3]), members: d[4].map((t: { value: string }) => t.value) }) %}
  | "auth" "user" "group" "attribute" %int %keyValue:+     {% (d) => cmd('auth user group attribute', { groupId: num(d[4]), pairs: pairs(d[5]) }) %}
