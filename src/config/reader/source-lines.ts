/**
 * Text -> the logical lines the router would execute, with their 1-based source line numbers,
 * and what became of every other physical line. Linear in the size of the text whatever it holds.
 *
 * Rules (docs/config.md "Reading"; rtx-config-forms.md A.1, A.2):
 * - CRLF, LF and lone CR end lines; a final line ending starts no line. Blank lines and lines
 *   whose first non-blank character is `#` (the `show config` header, comments) are no commands.
 * - A console transcript has prompts (`NAME> `, `NAME# `, `[NAME] > `, `tunnel1# `) on any line:
 *   a command typed after a prompt is read when the router accepts it as a config command; what
 *   follows a prompt up to the next prompt is that command's output, skipped and counted, except
 *   after `show config` (or `less config`), whose output is the config. A first line
 *   `show config` without a prompt is such an echo too.
 * - A console capture (a transcript, or text with a `show config` header line) is un-wrapped:
 *   the console cuts every line after `console columns` − 1 display columns (79 for the default
 *   80: the last column stays empty; a `console columns N` line in the capture says otherwise)
 *   and carries on at column 0 with no marker, even inside a token. A row that fills the width
 *   (or stops one column short of a full-width character) is joined to the next row unless that
 *   row stands alone as a command. Rows of the full N columns join likewise (other terminals and
 *   tools wrap there; assumed). A logical line stops growing past the longest command the
 *   router takes, so no content can make joining quadratic.
 * - `... <<WORD` ends a command the router accepts: the following lines up to a line `WORD`
 *   are its here-document body, kept raw; in a capture, a body row that fills the width is
 *   joined to the next row unless that is the terminator (assumed: nothing else tells).
 */
import { MAX_COMMAND_LENGTH } from '../limits.js';
import { displayWidth, startsWide } from '../text/display-width.js';
import { tokenizeLine } from '../tokenize.js';

export type SourceLine =
  | { readonly kind: 'command'; readonly line: number; readonly text: string }
  | {
      readonly kind: 'heredoc';
      readonly line: number;
      readonly text: string;
      readonly terminator: string;
      readonly body: readonly string[];
      /** False when the file ended before the terminator line. */
      readonly terminated: boolean;
    };

/** What became of the physical lines that are not (the first line of) a command. */
export interface SkippedLines {
  readonly blank: number;
  /** `#` lines other than a capture's `show config` header. */
  readonly comment: number;
  /** The `show config` header lines (`# RTX1500 Rev.…`, `# MAC Address :`, …). */
  readonly header: number;
  /** Console prompts: bare, or with a command that is no config command (`show config` too). */
  readonly prompt: number;
  /** Console output between prompts that is not config (never read as commands). */
  readonly output: number;
  /** Rows joined to the line above (console wrap). */
  readonly wrapped: number;
  /** Here-document bodies and their terminator lines. */
  readonly heredoc: number;
}

export interface SourceLines {
  readonly lines: readonly SourceLine[];
  /** True when the text was recognised as a console capture (and un-wrapped). */
  readonly capture: boolean;
  /** Physical lines in the text (a final line ending starts no line). */
  readonly physicalLines: number;
  readonly skipped: SkippedLines;
}

/** Tells whether a line, on its own, is a command the router accepts (used to find wraps). */
export type StandaloneJudge = (text: string) => boolean;

export const DEFAULT_CONSOLE_COLUMNS = 80;

/** `RTX1500# cmd`, `tunnel1# `, `[RTX1210] > cmd`, `int-router:> `: a name, the prompt mark, the rest. */
const PROMPT_PATTERN = /^([^\s#]\S*?) ?([#>])(?:[ \t]+(.*))?$/;
/** A prompt without a name: `> cmd`, and `# show config` (the administrator's default prompt). */
const NAMELESS_PROMPT_PATTERN = /^>(?:[ \t]+(.*))?$/;
const SHOW_CONFIG_PATTERN = /^(show|less)\s+config(\s.*)?$/i;
const NAMELESS_ECHO_PATTERN = /^#\s*(show|less)\s+config(\s.*)?$/i;
/** Header lines that make a text a capture (they only come from `show config`). */
const CAPTURE_HEADER_PATTERN = /^#\s*(MAC Address\s*:|Memory \d+Mbytes|main:\s|Reporting Date:)/;
/** Header lines for the tally (`# RTX1500 Rev.8.03.75 (...)` also opens saved config files). */
const HEADER_PATTERN = /^#\s*(\S+\s+Rev\.\d|MAC Address\s*:|Memory \d+Mbytes|main:\s|Reporting Date:)/;
const COLUMNS_PATTERN = /^\s*console\s+columns\s+(\d+)\s*$/i;

type Tally = { -readonly [K in keyof SkippedLines]: number };

/** A console prompt line: the command typed after it ('' for a bare prompt). */
interface Prompt {
  readonly command: string;
}

function promptOf(raw: string, index: number, firstContent: number): Prompt | undefined {
  const line = raw.trimEnd();
  const named = PROMPT_PATTERN.exec(line);
  if (named) return { command: (named[3] ?? '').trim() };
  const nameless = NAMELESS_PROMPT_PATTERN.exec(line);
  if (nameless) return { command: (nameless[1] ?? '').trim() };
  if (NAMELESS_ECHO_PATTERN.test(line.trim())) return { command: line.trim().replace(/^#\s*/, '') };
  if (index === firstContent && SHOW_CONFIG_PATTERN.test(line.trim())) return { command: line.trim() };
  return undefined;
}

export function splitSourceLines(text: string, standsAlone: StandaloneJudge): SourceLines {
  const physical = text.split(/\r\n|\r|\n/);
  const count = physical.length - (physical.at(-1) === '' ? 1 : 0);
  const firstContent = physical.findIndex((l) => l.trim() !== '');
  const prompts = physical.map((l, i) => (i < count ? promptOf(l, i, firstContent) : undefined));
  const capture = prompts.some((p) => p !== undefined) || physical.some((l) => CAPTURE_HEADER_PATTERN.test(l.trim()));
  const columns = capture ? consoleColumns(physical) : 0;
  const fills = (row: string, next: string): boolean => fillsWidth(row, next, columns);

  const skipped: Tally = { blank: 0, comment: 0, header: 0, prompt: 0, output: 0, wrapped: 0, heredoc: 0 };
  const lines: SourceLine[] = [];
  /** False between a prompt's command (not `show config`) and the next prompt: its output. */
  let readingConfig = true;

  /** Joins the rows after `i` that continue the logical line (captures only); returns the last row used. */
  const unwrap = (i: number, first: string, isComment: boolean): { text: string; last: number } => {
    const pieces = [first];
    let width = displayWidth(first);
    let row = physical[i]!;
    let j = i;
    while (capture && j + 1 < count && width <= MAX_COMMAND_LENGTH && fills(row, physical[j + 1]!)) {
      const next = physical[j + 1]!;
      if (prompts[j + 1] !== undefined || !continues(pieces, next, isComment, standsAlone)) break;
      pieces.push(next);
      width += displayWidth(next);
      row = next;
      j++;
      skipped.wrapped++;
    }
    return { text: pieces.join(''), last: j };
  };

  for (let i = 0; i < count; i++) {
    const raw = physical[i]!;
    const trimmed = raw.trim();
    const prompt = prompts[i];
    if (prompt !== undefined) {
      const start = i;
      const { text: command, last } = unwrap(i, prompt.command, false);
      i = last;
      if (SHOW_CONFIG_PATTERN.test(command.trim())) {
        skipped.prompt++;
        readingConfig = true;
      } else if (command.trim() !== '' && standsAlone(command)) {
        lines.push({ kind: 'command', line: start + 1, text: command });
        readingConfig = false;
      } else {
        skipped.prompt++;
        readingConfig = false;
      }
      continue;
    }
    if (trimmed === '') {
      skipped.blank++;
      continue;
    }
    if (!readingConfig) {
      skipped.output++;
      continue;
    }
    // Only a command the router accepts reads a here-document: a junk line ending in `<<X` is
    // one rejected line, not the start of a body that swallows the rest of the file.
    const terminator = trimmed.startsWith('#') ? undefined : heredocTerminator(trimmed);
    if (terminator !== undefined && standsAlone(trimmed)) {
      const body: string[] = [];
      let j = i + 1;
      for (; j < count && physical[j]!.trim() !== terminator; j++) {
        const rows = [physical[j]!];
        while (capture && j + 1 < count && physical[j + 1]!.trim() !== terminator && fills(rows.at(-1)!, physical[j + 1]!)) {
          rows.push(physical[++j]!);
        }
        body.push(rows.join(''));
      }
      const terminated = j < count;
      skipped.heredoc += (terminated ? j : count - 1) - i;
      lines.push({ kind: 'heredoc', line: i + 1, text: raw, terminator, body, terminated });
      i = terminated ? j : count;
      continue;
    }
    const isComment = trimmed.startsWith('#');
    const start = i;
    const { text: logical, last } = unwrap(i, raw, isComment);
    i = last;
    if (!isComment) lines.push({ kind: 'command', line: start + 1, text: logical });
    else if (HEADER_PATTERN.test(trimmed)) skipped.header++;
    else skipped.comment++;
  }
  return { lines, capture, physicalLines: count, skipped };
}

/** `... <<EOF`: the last word, unquoted, is `<<` and the terminator. */
function heredocTerminator(line: string): string | undefined {
  if (!line.includes('<<')) return undefined;
  const tokenized = tokenizeLine(line);
  const last = tokenized.ok ? tokenized.tokens.at(-1) : undefined;
  return last !== undefined && !last.quoted && /^<<\S+$/.test(last.raw) ? last.raw.slice(2) : undefined;
}

/**
 * A row the console cut: it fills the usable width (`columns` − 1), or stops one column short of a
 * full-width character that did not fit; rows of the full `columns` count too (assumed, above).
 */
function fillsWidth(row: string, next: string, columns: number): boolean {
  const width = displayWidth(row);
  return width === columns - 1 || width === columns || (width === columns - 2 && startsWide(next));
}

/** Whether `next` carries on the logical line made of `pieces` (rather than starting a line). */
function continues(pieces: readonly string[], next: string, isComment: boolean, standsAlone: StandaloneJudge): boolean {
  const nextTrimmed = next.trim();
  if (nextTrimmed === '' || nextTrimmed.startsWith('#')) return false;
  if (!standsAlone(next)) return true;
  if (isComment) return false;
  // Both halves read as commands: join only when the whole reads as one and the first does not.
  const logical = pieces.join('');
  return !standsAlone(logical) && standsAlone(logical + next);
}

function consoleColumns(physical: readonly string[]): number {
  for (const line of physical) {
    const match = COLUMNS_PATTERN.exec(line);
    if (match) return Number(match[1]);
  }
  return DEFAULT_CONSOLE_COLUMNS;
}
