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

  it('hard-wraps at the column count, like an 80-column console', () => {
    const line = 'x'.repeat(170);
    expect(hardWrap(line, 80).map((p) => p.length)).toEqual([80, 80, 10]);
    expect(hardWrap('short', 80)).toEqual(['short']);
  });

  it('moves a full-width character that would straddle the edge to the next line', () => {
    const pieces = hardWrap(`${'x'.repeat(79)}接続`, 80);
    expect(pieces).toEqual(['x'.repeat(79), '接続']);
    expect(displayWidth(pieces[0]!)).toBe(79);
  });
});
