import { describe, expect, it } from 'vitest';
import { quoteValue } from '../../../src/config/show-config/format-command.js';
import { tokenizeLine } from '../../../src/config/tokenize.js';

describe('quoteValue', () => {
  it('leaves plain values alone', () => {
    expect(quoteValue('10.1.1.1/24')).toBe('10.1.1.1/24');
    expect(quoteValue('インターネット接続')).toBe('インターネット接続');
  });

  it('double-quotes values with spaces or console characters, escaping \\ and "', () => {
    expect(quoteValue('branch office')).toBe('"branch office"');
    expect(quoteValue('a?b')).toBe('"a?b"');
    expect(quoteValue('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
    expect(quoteValue('')).toBe('""');
  });

  it('quotes only the value of key=value', () => {
    expect(quoteValue('prefix=9#')).toBe('prefix="9#"');
  });

  it('every quoted form reads back as the same value', () => {
    for (const value of ['a b', 'x#y', "it's", 'q"q', 'back\\slash', 'prefix=9#', '', '|>?']) {
      const result = tokenizeLine(quoteValue(value));
      expect(result.ok && result.tokens.map((t) => t.value)).toEqual([value]);
    }
  });
});
