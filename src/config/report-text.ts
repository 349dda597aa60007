/**
 * Text for people about a read config: the line tally as one sentence, one line per rejected or
 * warned line, and config text quoted safely (control characters escaped, long text shortened) so
 * that a report never echoes raw bytes to a terminal. Shared by `config check`, `config show` and
 * the start-up report.
 */
import { rtxErrorMessage, type ConsoleLanguage } from './errors.js';
import type { ConfigProblem, ConfigWarning, LineTally } from './read-config.js';

/** `line N: <command>: Error: ...` (with what was wrong when `verbose`). */
export function problemLine(problem: ConfigProblem, language: ConsoleLanguage, verbose: boolean): string {
  const detail = verbose && problem.detail !== undefined ? ` (${quoteConfigText(problem.detail)})` : '';
  return `line ${problem.line}: ${quoteConfigText(problem.text)}: ${rtxErrorMessage(problem.error, language)}${detail}`;
}

/** `line N: <command>: warning: not on RTX1500 Rev.8.03, not applied (<reason>)`. */
export function warningLine(warning: ConfigWarning): string {
  return `line ${warning.line}: ${quoteConfigText(warning.text)}: warning: not on RTX1500 Rev.8.03, not applied (${warning.reason})`;
}

/** `120 lines read: 80 applied, 3 replaced by a later line, ...` (every count, even 0: they add up). */
export function lineTallyText(tally: LineTally): string {
  const { blank, comment, header, prompt, output } = tally.notCommand;
  const { wrapped, heredoc } = tally.partOfLineAbove;
  const notCommand = blank + comment + header + prompt + output;
  return (
    `${tally.read} lines read: ${tally.applied} applied, ${tally.replaced} replaced by a later line, ` +
    `${tally.rejected} rejected, ${tally.warned} warned and not applied, ` +
    `${notCommand} not a command (${blank} blank, ${comment} comments, ${header} capture header, ` +
    `${prompt} prompts, ${output} command output skipped), ` +
    `${wrapped + heredoc} part of the line above (${wrapped} wrapped rows, ${heredoc} here-document lines)`
  );
}

/** The most characters of config text a report quotes (then `...`). */
export const QUOTE_LIMIT = 120;

/**
 * Config text as a report may print it: C0/C1 controls, DEL, lone surrogates and the Unicode
 * line/paragraph separators become `\xNN` / `\uNNNN`, a backslash stays a backslash (the text is
 * for reading, not for parsing back), and text longer than `limit` characters is cut with `...`.
 */
export function quoteConfigText(text: string, limit = QUOTE_LIMIT): string {
  const chars = Array.from(text);
  const shown = chars.length > limit ? chars.slice(0, limit) : chars;
  const escaped = shown.map(escapeChar).join('');
  return chars.length > limit ? `${escaped}... (${chars.length} characters)` : escaped;
}

function escapeChar(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if ((code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xfffd) {
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return char;
}
