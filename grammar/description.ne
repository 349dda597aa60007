# `description` (Yamaha command reference §4.56, §49.4): free text describing the system or an
# interface. `description <text>` without an id is the older form seen in real configs
# (rtx-config-forms.md table (2) #51). `description pp|tunnel <text>` describe the selected pp or
# tunnel, so they get names of their own (their setting belongs to the selection).
# Lengths are checked in src/config/families/description.ts.
#
# Parameter shapes:
#   description          { text } | { id, text } | { interface: 'lan1' | 'lan1.2' | 'wan1' | 'bridge1' | …, text }
#   description pp       { text }     description tunnel { text }     description yno { text }
@preprocessor typescript
@{%
import { lexer, int, word } from '../grammar-support.js';
import { lanSide } from '../families/matchers.js';

/** The single-parameter form: any text that is not a number waiting for its text. */
const lonelyText = { expects: 'a description', test: (t: { value: string; quoted: boolean }) => t.quoted || !/^\d+$/.test(t.value) };
const described = (name: string, params: Record<string, unknown>) => ({ name, params });
%}
@lexer lexer

command ->
    "description" %lonelyText                      {% (d) => described('description', { text: d[1].value }) %}
  | "description" %int %word                       {% (d) => described('description', { id: Number(d[1].value), text: d[2].value }) %}
  | "description" %lanSide %word                   {% (d) => described('description', { interface: d[1].text, text: d[2].value }) %}
  | "description" "pp" %word                       {% (d) => described('description pp', { text: d[2].value }) %}
  | "description" "tunnel" %word                   {% (d) => described('description tunnel', { text: d[2].value }) %}
  | "description" "yno" %word                      {% (d) => described('description yno', { text: d[2].value }) %}
