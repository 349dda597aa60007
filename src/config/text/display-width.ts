/**
 * Console display width: a full-width (East Asian Wide/Fullwidth) character takes two columns
 * on the RTX console, everything else one. The console hard-wraps output one column short of
 * `console columns` (default 80) with no marker (rtx-config-forms.md A.2 #2), so captures need these widths to be
 * un-wrapped, and `show config` needs them to be wrapped the same way.
 */

// Code point ranges of East Asian Wide and Fullwidth characters (Unicode UAX #11), the ones
// Shift_JIS text can contain plus the CJK extension planes. Half-width katakana (U+FF61-FF9F)
// is narrow.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

export function charWidth(codePoint: number): 1 | 2 {
  if (codePoint < 0x1100) return 1;
  for (const [from, to] of WIDE_RANGES) if (codePoint >= from && codePoint <= to) return 2;
  return 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

/** True when the text begins with a two-column character. */
export function startsWide(text: string): boolean {
  const first = text.codePointAt(0);
  return first !== undefined && charWidth(first) === 2;
}

/**
 * Cuts one line into rows as an N-column console does: at most `columns` − 1 display columns per
 * row, the last column staying empty (every real 80-column capture wraps after its 79th
 * character, rtx-config-forms.md A.2 #2); a two-column character that would not fit moves to the
 * next row (assumed: no capture shows one at the edge).
 */
export function hardWrap(line: string, columns: number): string[] {
  const usable = columns - 1;
  const pieces: string[] = [];
  let piece = '';
  let width = 0;
  for (const ch of line) {
    const w = charWidth(ch.codePointAt(0)!);
    if (width + w > usable) {
      pieces.push(piece);
      piece = '';
      width = 0;
    }
    piece += ch;
    width += w;
  }
  pieces.push(piece);
  return pieces;
}
