/**
 * Splits one RTX command line into parameter tokens.
 *
 * RTX rules (command reference §1.5): parameters are separated by runs of spaces; a parameter may
 * be quoted with "..." or '...' to hold spaces and the console's special characters (? # | >);
 * a backslash escapes the next character inside or outside quotes (`\ `, `\"`, `\\`, `\#`).
 * Quotes may also start in the middle of a token (`prefix="9#"`): the quoted part joins the token.
 *
 * Comments: an unquoted, unescaped `#` starts a comment that runs to the end of the line, wherever
 * it stands. §1.5 lists `#` among the characters a parameter can only hold escaped or quoted, so a
 * bare one is never part of a parameter; the console treats it as a comment (rtx-config-forms.md
 * A.2: "`#` starts a comment"), and a line that starts with `#` is the whole-line case of the same
 * rule (docs/config.md "Reading", the comment rule).
 */
export interface ConfigToken {
  /** The parameter as the router sees it: quotes removed, escapes resolved, case kept. */
  value: string;
  /** Lower-case `value`: keywords are case-insensitive, and nearley literals match this field. */
  text: string;
  /** The characters as written, quotes and backslashes included (for printing back). */
  raw: string;
  /** True when any part of the token was quoted or escaped (it cannot be a keyword then). */
  quoted: boolean;
  /** 0-based column of the token's first character in the line. */
  column: number;
}

export type TokenizeResult =
  | { ok: true; tokens: ConfigToken[] }
  | { ok: false; problem: 'unterminated-quote' | 'dangling-backslash'; column: number };

export function tokenizeLine(line: string): TokenizeResult {
  const tokens: ConfigToken[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && isSpace(line[i]!)) i++;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let value = '';
    let quoted = false;
    let comment = false;
    while (i < line.length && !isSpace(line[i]!)) {
      const ch = line[i]!;
      if (ch === '\\') {
        if (i + 1 >= line.length) return { ok: false, problem: 'dangling-backslash', column: i };
        value += line[i + 1];
        quoted = true;
        i += 2;
      } else if (ch === '"' || ch === "'") {
        const quoteStart = i;
        i++;
        while (i < line.length && line[i] !== ch) {
          if (line[i] === '\\' && i + 1 < line.length) {
            value += line[i + 1];
            i += 2;
          } else {
            value += line[i];
            i++;
          }
        }
        if (i >= line.length) return { ok: false, problem: 'unterminated-quote', column: quoteStart };
        i++; // closing quote
        quoted = true;
      } else if (ch === '#') {
        comment = true;
        break;
      } else {
        value += ch;
        i++;
      }
    }
    tokens.push({ value, text: value.toLowerCase(), raw: line.slice(start, i), quoted, column: start });
    if (comment) break;
  }
  return { ok: true, tokens };
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t';
}
