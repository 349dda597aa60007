/**
 * Text -> the logical lines the router would execute, with their 1-based source line numbers.
 *
 * Rules (issue 2 §2; rtx-config-forms.md A.2, B.1):
 * - CRLF, LF and lone CR end lines; blank lines and lines whose first non-blank character is `#`
 *   (the `show config` header, comments) are skipped.
 * - A console capture (a `<prompt># show config` echo as its first line, or a `show config`
 *   header) is un-wrapped: the console cuts every line at `console columns` (default 80; a
 *   `console columns N` line in the capture says otherwise) and carries on at column 0 with no
 *   marker, even inside a token. A physical line that fills the width (or stops one column short
 *   of a full-width character) is joined to the next one unless the next one stands alone as a
 *   command. The echo line and a trailing bare prompt are dropped.
 * - `... <<WORD` starts a here-document (`embedded file NAME <<EOF`): the following lines up to a
 *   line `WORD` are its body, kept raw (never un-wrapped).
 */
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
  /** The capture's `show config` echo and `#` header lines. */
  readonly header: number;
  /** Bare console prompts. */
  readonly prompt: number;
  /** Console output between prompts that is not config (counted, never read as commands). */
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

type Tally = { -readonly [K in keyof SkippedLines]: number };
const emptyTally = (): Tally => ({ blank: 0, comment: 0, header: 0, prompt: 0, output: 0, wrapped: 0, heredoc: 0 });

/** Tells whether a line, on its own, is a command the router accepts (used to find wraps). */
export type StandaloneJudge = (text: string) => boolean;

export const DEFAULT_CONSOLE_COLUMNS = 80;

const ECHO_PATTERN = /^(.*[#>])?\s*show\s+config(\s.*)?$/i;
const PROMPT_ONLY_PATTERN = /^\S*[#>]\s*$/;
const HEADER_PATTERN = /^#\s*(MAC Address\s*:|Memory \d+Mbytes|main:\s|Reporting Date:)/;
/** Header lines for the tally only (`# RTX1500 Rev.8.03.75 (...)` also opens saved config files). */
const TALLIED_HEADER_PATTERN = /^#\s*(\S+\s+Rev\.\d|MAC Address\s*:|Memory \d+Mbytes|main:\s|Reporting Date:)/;
const COLUMNS_PATTERN = /^\s*console\s+columns\s+(\d+)\s*$/i;

export function splitSourceLines(text: string, standsAlone: StandaloneJudge): SourceLines {
  const physical = text.split(/\r\n|\r|\n/);
  const firstContent = physical.findIndex((l) => l.trim() !== '');
  const echoIndex = firstContent >= 0 && ECHO_PATTERN.test(physical[firstContent]!.trim()) ? firstContent : -1;
  const capture = echoIndex >= 0 || physical.some((l) => HEADER_PATTERN.test(l));
  const lastContent = lastIndexWhere(physical, (l) => l.trim() !== '');
  const trailingPrompt =
    capture && lastContent > echoIndex && PROMPT_ONLY_PATTERN.test(physical[lastContent]!.trim()) ? lastContent : -1;
  const columns = capture ? consoleColumns(physical) : 0;

  const physicalLines = physical.length - (physical.at(-1) === '' ? 1 : 0);
  const skipped = emptyTally();
  const lines: SourceLine[] = [];
  for (let i = 0; i < physicalLines; i++) {
    if (i === echoIndex) {
      skipped.header++;
      continue;
    }
    if (i === trailingPrompt) {
      skipped.prompt++;
      continue;
    }
    const raw = physical[i]!;
    const trimmed = raw.trim();
    if (trimmed === '') {
      skipped.blank++;
      continue;
    }
    // Only a command the router accepts reads a here-document: a junk line ending in `<<X` is
    // one rejected line, not the start of a body that swallows the rest of the file.
    const terminator = trimmed.startsWith('#') ? undefined : heredocTerminator(trimmed);
    if (terminator !== undefined && standsAlone(trimmed)) {
      const end = indexFrom(physical, i + 1, physicalLines, (l) => l.trim() === terminator);
      const bodyEnd = end < 0 ? physicalLines : end;
      skipped.heredoc += Math.min(bodyEnd, physicalLines - 1) - i;
      lines.push({
        kind: 'heredoc',
        line: i + 1,
        text: raw,
        terminator,
        body: physical.slice(i + 1, bodyEnd),
        terminated: end >= 0,
      });
      i = bodyEnd;
      continue;
    }
    const start = i;
    let logical = raw;
    let piece = raw;
    while (capture && i + 1 < physicalLines && fillsWidth(piece, physical[i + 1]!, columns)) {
      const next = physical[i + 1]!;
      if (!continues(logical, next, standsAlone)) break;
      logical += next;
      piece = next;
      i++;
      skipped.wrapped++;
    }
    if (!trimmed.startsWith('#')) lines.push({ kind: 'command', line: start + 1, text: logical });
    else if (TALLIED_HEADER_PATTERN.test(trimmed)) skipped.header++;
    else skipped.comment++;
  }
  return { lines, capture, physicalLines, skipped };
}

/** `... <<EOF`: the last word, unquoted, is `<<` and the terminator. */
function heredocTerminator(line: string): string | undefined {
  if (!line.includes('<<')) return undefined;
  const tokenized = tokenizeLine(line);
  const last = tokenized.ok ? tokenized.tokens.at(-1) : undefined;
  return last !== undefined && !last.quoted && /^<<\S+$/.test(last.raw) ? last.raw.slice(2) : undefined;
}

function fillsWidth(piece: string, next: string, columns: number): boolean {
  const width = displayWidth(piece);
  return width === columns || (width === columns - 1 && startsWide(next));
}

function continues(logical: string, next: string, standsAlone: StandaloneJudge): boolean {
  const nextTrimmed = next.trim();
  if (nextTrimmed === '' || nextTrimmed.startsWith('#')) return false;
  if (logical.trim().startsWith('#')) return true;
  if (!standsAlone(next)) return true;
  // Both halves read as commands: join only when the whole reads as one and the first does not.
  return !standsAlone(logical) && standsAlone(logical + next);
}

function consoleColumns(physical: readonly string[]): number {
  for (const line of physical) {
    const match = COLUMNS_PATTERN.exec(line);
    if (match) return Number(match[1]);
  }
  return DEFAULT_CONSOLE_COLUMNS;
}

function indexFrom<T>(items: readonly T[], from: number, to: number, predicate: (item: T) => boolean): number {
  for (let i = from; i < to; i++) if (predicate(items[i]!)) return i;
  return -1;
}

function lastIndexWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}
