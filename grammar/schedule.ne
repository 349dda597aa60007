# `schedule at` (Yamaha command reference §37.1): run a command at a date and time, at start-up,
# or after a delay, optionally as if a peer, tunnel or switch were selected. The command itself
# is kept as written: the router checks it only when it runs (reference §37.1 note), and so does
# the emulator. Ranges are checked in src/config/families/schedule.ts.
#
# Parameter shape:
#   schedule at  { id, date?, time?, delay?, target: Target, command: string[] }
#     date  `month/day` as written, lower-cased (`*/*`, `1/1`, `*/mon-fri`, `*/wed`)
#     time  `hh:mm[:ss]` (`*` allowed for hh and mm) or 'startup' | 'usb-attached' | 'sd-attached'
#     delay seconds of the `+timer` form
#     Target = { kind: 'none' } | { kind: 'pp', peer: number | 'anonymous' } | { kind: 'tunnel', tunnel } | { kind: 'switch', switch }
@preprocessor typescript
@{%
import { lexer, int, word } from '../grammar-support.js';
import { scheduleDate, scheduleTime, scheduleTimer } from '../families/matchers.js';

const num = (t: { value: string }) => Number(t.value);
%}
@lexer lexer

command -> "schedule" "at" %int when target %word:+
  {% (d) => ({ name: 'schedule at', params: { id: num(d[2]), ...d[3], target: d[4], command: d[5].map((t) => t.value) } }) %}

when ->
    (%scheduleDate):? %scheduleTime                {% (d) => ({ ...(d[0] ? { date: d[0][0].text } : {}), time: d[1].text }) %}
  | %scheduleTimer                                 {% (d) => ({ delay: Number(d[0].value.slice(1)) }) %}

target ->
    "*"                                            {% () => ({ kind: 'none' }) %}
  | "pp" (%int | "anonymous")                      {% (d) => ({ kind: 'pp', peer: d[1][0].text === 'anonymous' ? 'anonymous' : num(d[1][0]) }) %}
  | "tunnel" %int                                  {% (d) => ({ kind: 'tunnel', tunnel: num(d[1]) }) %}
  | "switch" %word                                 {% (d) => ({ kind: 'switch', switch: d[1].text }) %}
