import { describe, expect, it } from 'vitest';
import { tokenizeLine, type ConfigToken } from '../../src/config/tokenize.js';

const values = (line: string): string[] => {
  const result = tokenizeLine(line);
  if (!result.ok) throw new Error(result.problem);
  return result.tokens.map((t: ConfigToken) => t.value);
};

describe('tokenizeLine (command reference §1.5)', () => {
  it('separates parameters by runs of spaces and tabs, ignoring indentation and trailing spaces', () => {
    expect(values('   ipsec sa policy 101 1 esp aes-cbc  sha-hmac   ')).toEqual(['ipsec', 'sa', 'policy', '101', '1', 'esp', 'aes-cbc', 'sha-hmac']);
    expect(values('\tip\tlan1 \t address 10.0.0.1/24')).toEqual(['ip', 'lan1', 'address', '10.0.0.1/24']);
  });

  it('keeps the case of values and lower-cases the text keywords are matched against', () => {
    const result = tokenizeLine('IPsec IKE Remote Name 1 MyPeer');
    expect(result.ok && result.tokens.map((t) => [t.value, t.text])).toEqual([
      ['IPsec', 'ipsec'],
      ['IKE', 'ike'],
      ['Remote', 'remote'],
      ['Name', 'name'],
      ['1', '1'],
      ['MyPeer', 'mypeer'],
    ]);
  });

  it('takes double- and single-quoted parameters whole, with their spaces and special characters', () => {
    expect(values('console prompt "[RTX1500] "')).toEqual(['console', 'prompt', '[RTX1500] ']);
    expect(values("description 1 'a ? # | > b'")).toEqual(['description', '1', 'a ? # | > b']);
    expect(values('console prompt ""')).toEqual(['console', 'prompt', '']);
  });

  it('resolves backslash escapes inside and outside quotes', () => {
    expect(values('a\\ b c\\#d "x\\"y" \'p\\\\q\'')).toEqual(['a b', 'c#d', 'x"y', 'p\\q']);
  });

  it('joins a quoted part to the token it starts in (key="value")', () => {
    const result = tokenizeLine('analog extension dial prefix sip prefix="9#"');
    expect(result.ok && result.tokens.at(-1)).toMatchObject({ value: 'prefix=9#', raw: 'prefix="9#"', quoted: true });
  });

  it('records where each token starts', () => {
    const result = tokenizeLine('  no  ip');
    expect(result.ok && result.tokens.map((t) => t.column)).toEqual([2, 6]);
  });

  it('reports an unterminated quote and a dangling backslash with their column', () => {
    expect(tokenizeLine('console prompt "abc')).toEqual({ ok: false, problem: 'unterminated-quote', column: 15 });
    expect(tokenizeLine('console prompt abc\\')).toEqual({ ok: false, problem: 'dangling-backslash', column: 18 });
  });
});
