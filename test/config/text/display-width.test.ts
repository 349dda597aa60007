import { describe, expect, it } from 'vitest';
import { displayWidth, hardWrap, startsWide } from '../../../src/config/text/display-width.js';

describe('display width on the console', () => {
  it('counts full-width characters as two columns, ASCII and half-width katakana as one', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('接続')).toBe(4);
    expect(displayWidth('ｶﾅ')).toBe(2);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(startsWide('接a')).toBe(true);
    expect(startsWide('a接')).toBe(false);
  });

  it('hard-wraps after column 79 of an 80-column console: the last column stays empty', () => {
    const line = 'x'.repeat(170);
    expect(hardWrap(line, 80).map((p) => p.length)).toEqual([79, 79, 12]);
    expect(hardWrap('x'.repeat(79), 80)).toEqual(['x'.repeat(79)]);
    expect(hardWrap('short', 80)).toEqual(['short']);
    expect(hardWrap('x'.repeat(200), 120).map((p) => p.length)).toEqual([119, 81]);
  });

  it('moves a full-width character that would not fit in the 79 columns to the next row', () => {
    const pieces = hardWrap(`${'x'.repeat(78)}接続`, 80);
    expect(pieces).toEqual(['x'.repeat(78), '接続']);
    expect(displayWidth(pieces[0]!)).toBe(78);
  });
});
