/**
 * The console's input line, one typed character at a time: printable characters join the line
 * (echoed unless a password is being typed), BS/DEL erase the last one, Ctrl-U the whole line,
 * CR or LF (CRLF counted once) ends it, TAB asks for completion and `?` for the candidates (as
 * on the RTX, without Enter; rtx-behaviour.md §5.5). A `?` inside quotes or after a backslash is
 * a literal character (command reference §1.5). Terminal escape sequences (arrow keys) are
 * swallowed; the RTX's history keys are not modelled.
 */
import { displayWidth } from '../config/text/display-width.js';
import { MAX_COMMAND_LENGTH } from '../config/read-config.js';

export type EditorEvent =
  | { readonly kind: 'echo'; readonly text: string }
  | { readonly kind: 'submit'; readonly line: string }
  | { readonly kind: 'complete'; readonly line: string }
  | { readonly kind: 'list-candidates'; readonly line: string }
  | { readonly kind: 'bell' };

const BELL = '\x07';
const ESC = '\x1b';

export class LineEditor {
  private text = '';
  private lastWasCr = false;
  /** Inside an escape sequence: `ESC [ ... final` or `ESC x`. */
  private escape: 'none' | 'start' | 'csi' = 'none';
  /** The line reached its limit: one bell, then silence until it changes (a pasted 100 KB line rings once). */
  private full = false;

  /** Whether typed characters are echoed (off for passwords). */
  echo = true;

  get line(): string {
    return this.text;
  }

  /** Replaces the line (completion); returns what to echo to show the change. */
  replace(text: string): string {
    this.full = false;
    const common = commonPrefixLength(this.text, text);
    const erased = this.text.slice(common);
    this.text = text;
    return eraseText(erased) + text.slice(common);
  }

  clear(): void {
    this.text = '';
    this.full = false;
  }

  key(ch: string): EditorEvent | undefined {
    const afterCr = this.lastWasCr;
    this.lastWasCr = ch === '\r';
    if (this.escape !== 'none') return this.inEscape(ch);
    switch (ch) {
      case '\r':
        return this.submit();
      case '\n':
        return afterCr ? undefined : this.submit();
      case '\x00':
        return undefined;
      case ESC:
        this.escape = 'start';
        return undefined;
      case '\b':
      case '\x7f':
        return this.eraseLast();
      case '\x15': {
        const erased = this.text;
        this.clear();
        return this.echo ? { kind: 'echo', text: eraseText(erased) } : undefined;
      }
      case '\t':
        return this.echo ? { kind: 'complete', line: this.text } : undefined;
      case '?':
        if (this.echo && !this.inLiteral()) return { kind: 'list-candidates', line: this.text };
        return this.insert(ch);
      default:
        if (ch < ' ') return undefined;
        return this.insert(ch);
    }
  }

  private submit(): EditorEvent {
    const line = this.text;
    this.clear();
    return { kind: 'submit', line };
  }

  private insert(ch: string): EditorEvent | undefined {
    // One more than the RTX's limit, so that the reader answers `Command line too long`.
    if (this.text.length > MAX_COMMAND_LENGTH) {
      if (this.full) return undefined;
      this.full = true;
      return { kind: 'bell' };
    }
    this.text += ch;
    return this.echo ? { kind: 'echo', text: ch } : undefined;
  }

  private eraseLast(): EditorEvent {
    if (this.text.length === 0) return { kind: 'bell' };
    const last = [...this.text].at(-1)!;
    this.text = this.text.slice(0, this.text.length - last.length);
    this.full = false;
    return this.echo ? { kind: 'echo', text: eraseText(last) } : { kind: 'echo', text: '' };
  }

  private inEscape(ch: string): undefined {
    if (this.escape === 'start') {
      this.escape = ch === '[' || ch === 'O' ? 'csi' : 'none';
      return undefined;
    }
    // CSI parameters are 0x30-0x3f, intermediates 0x20-0x2f; the final byte ends the sequence.
    if (ch >= '@' && ch <= '~') this.escape = 'none';
    return undefined;
  }

  /** Inside an open quote or right after a backslash, `?` is part of the parameter. */
  private inLiteral(): boolean {
    let quote: string | undefined;
    for (let i = 0; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '\\') {
        if (i === this.text.length - 1) return true;
        i++;
      } else if (quote === undefined && (c === '"' || c === "'")) quote = c;
      else if (c === quote) quote = undefined;
    }
    return quote !== undefined;
  }
}

/** Backspace over `text` on the screen (wide characters take two columns). */
function eraseText(text: string): string {
  const width = displayWidth(text);
  return '\b'.repeat(width) + ' '.repeat(width) + '\b'.repeat(width);
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export { BELL };
