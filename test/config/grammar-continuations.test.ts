/**
 * parameterContinuations: what a family grammar accepts after the words typed so far (the
 * console's `?` and TAB for configuration parameters).
 */
import { describe, expect, it } from 'vitest';
import { parameterContinuations } from '../../src/config/grammar-support.js';
import { interpreterFor } from '../../src/config/read-config.js';
import { tokenizeLine, type ConfigToken } from '../../src/config/tokenize.js';

const tokens = (line: string): ConfigToken[] => {
  const result = tokenizeLine(line);
  if (!result.ok) throw new Error(result.problem);
  return result.tokens;
};
const grammarOf = (line: string) => interpreterFor().index.choose(tokens(line))!.primary.family.grammar;
const after = (line: string) => parameterContinuations(grammarOf(line), tokens(line));

describe('parameterContinuations', () => {
  it('lists the keywords that may come next', () => {
    expect(after('ipsec ike pfs 1')).toEqual({ keywords: ['off', 'on'], values: [], complete: false });
  });

  it('describes a value that is due', () => {
    expect(after('ipsec ike pfs')).toMatchObject({ keywords: [], values: ['an integer'] });
  });

  it('says when the words are already a whole command', () => {
    expect(after('ipsec ike pfs 1 on').complete).toBe(true);
  });

  it('offers nothing when the words do not parse', () => {
    expect(after('ipsec ike pfs x')).toEqual({ keywords: [], values: [], complete: false });
  });
});
