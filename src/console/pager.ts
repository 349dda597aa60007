/**
 * The pager of long output (command reference §2, rtx-behaviour.md §5.5): after a screenful
 * (`console lines` rows, one kept for the `--- More ---` / `--- つづく ---` line) it waits;
 * SPACE shows the next screenful, ENTER the next line, `q` ends the output. `console lines
 * infinity` turns it off. A line wider than `console columns` takes several rows.
 * Keys other than those three are ignored (assumed).
 */
import { displayWidth } from '../config/text/display-width.js';

export type PagerStep =
  /** Lines to print now; `more` when the pager then waits for a key. */
  | { readonly kind: 'show'; readonly lines: readonly string[]; readonly more: boolean }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'quit' };

export class Pager {
  private next = 0;

  constructor(
    private readonly lines: readonly string[],
    /** Rows of output per screen (console lines - 1). */
    private readonly rowsPerPage: number,
    private readonly columns: number,
  ) {}

  first(): PagerStep & { kind: 'show' } {
    return this.take(this.rowsPerPage);
  }

  key(ch: string): PagerStep {
    if (ch === ' ') return this.take(this.rowsPerPage);
    if (ch === '\r' || ch === '\n') return this.take(1);
    if (ch === 'q' || ch === 'Q') return { kind: 'quit' };
    return { kind: 'ignored' };
  }

  private take(rows: number): PagerStep & { kind: 'show' } {
    const shown: string[] = [];
    let used = 0;
    while (this.next < this.lines.length) {
      const line = this.lines[this.next]!;
      const height = Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, this.columns)));
      // A line taller than a whole page still goes out, alone.
      if (used > 0 && used + height > rows) break;
      shown.push(line);
      used += height;
      this.next++;
      if (used >= rows) break;
    }
    return { kind: 'show', lines: shown, more: this.next < this.lines.length };
  }
}
