import { describe, expect, it } from 'vitest';
import grammar from '../../src/config/generated/ipsec.js';
import {
  grammarOf,
  hexKey,
  intOrRange,
  ipv4,
  ipv4Prefix,
  ipv4Range,
  ipv4WithMask,
  runGrammar,
  type TokenMatcher,
} from '../../src/config/grammar-support.js';
import { tokenizeLine, type ConfigToken } from '../../src/config/tokenize.js';

const tokens = (line: string): ConfigToken[] => {
  const result = tokenizeLine(line);
  if (!result.ok) throw new Error(result.problem);
  return result.tokens;
};
const accepts = (m: TokenMatcher, text: string): boolean => m.test(tokens(`"${text}"`)[0]!);

describe('token matchers', () => {
  it('ipv4 takes dotted quads of 0..255 only', () => {
    expect(accepts(ipv4, '172.16.0.254')).toBe(true);
    expect(accepts(ipv4, '256.1.1.1')).toBe(false);
    expect(accepts(ipv4, '10.1.1')).toBe(false);
  });

  it('prefix, mask and range shapes', () => {
    expect(accepts(ipv4Prefix, '10.0.0.0/24')).toBe(true);
    expect(accepts(ipv4Prefix, '10.0.0.0/33')).toBe(false);
    expect(accepts(ipv4WithMask, '10.0.0.0/255.255.255.0')).toBe(true);
    expect(accepts(ipv4Range, '10.1.1.110-10.1.1.112/32')).toBe(true);
    expect(accepts(ipv4Range, '10.1.1.110')).toBe(true);
    expect(accepts(ipv4Range, '10.1.1.110-')).toBe(false);
  });

  it('hex keys are 0x and whole bytes; id ranges are N or N-M', () => {
    expect(accepts(hexKey, '0xCDEEEDC0CDEDCD')).toBe(true);
    expect(accepts(hexKey, '0xABC')).toBe(false);
    expect(accepts(intOrRange, '107-110')).toBe(true);
    expect(accepts(intOrRange, '107-')).toBe(false);
  });
});

describe('grammarOf', () => {
  it('builds one nearley Grammar per compiled grammar and reuses it', () => {
    expect(grammarOf(grammar)).toBe(grammarOf(grammar));
  });
});

describe('runGrammar: which RTX error a line that does not fit gets', () => {
  const run = (line: string) => runGrammar(grammar, tokens(line));

  it('returns the parse of a fitting line', () => {
    expect(run('ipsec ike encryption 1 aes-cbc')).toMatchObject({
      ok: true,
      results: [{ name: 'ipsec ike encryption', params: { gateway: 1, algorithm: 'aes-cbc' } }],
    });
  });

  it('an unknown word where keywords were expected: Illegal keyword', () => {
    expect(run('ipsec ike encryption 1 blowfish')).toMatchObject({ ok: false, error: 'illegal-keyword', tokenIndex: 4 });
  });

  it('a word where a number was expected: Parameter must be an integer', () => {
    expect(run('ipsec ike encryption one aes-cbc')).toMatchObject({ ok: false, error: 'parameter-must-be-integer', tokenIndex: 3 });
  });

  it('a bad address where an address was expected: Unrecognized IP address parameter', () => {
    expect(run('ipsec ike local address 1 172.16.0.999')).toMatchObject({ ok: false, error: 'unrecognized-ip-address' });
  });

  it('too many or too few words: Insufficient or too many parameters', () => {
    expect(run('ipsec ike encryption 1 aes-cbc extra')).toMatchObject({ ok: false, error: 'insufficient-or-too-many-parameters', tokenIndex: 5 });
    expect(run('ipsec ike encryption 1')).toMatchObject({ ok: false, error: 'insufficient-or-too-many-parameters', tokenIndex: 4 });
  });
});

describe('runGrammar: narrowing to the line’s leading keywords and remembering results change nothing', () => {
  it('gives the same outcome as the full grammar for every line of the fixtures, in every family', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { checkedFamilies } = await import('../../src/config/families/index.js');
    const { decodeConfigBytes } = await import('../../src/config/text/decode.js');
    const { repoRoot } = await import('../support/paths.js');
    const dirs = [join(repoRoot, 'test', 'config', 'fixtures'), join(repoRoot, 'test', 'fixtures', 'config', 'forms')];
    const lines = dirs.flatMap((dir) =>
      readdirSync(dir)
        .filter((f: string) => /\.(conf|txt)$/.test(f))
        .flatMap((f: string) => decodeConfigBytes(new Uint8Array(readFileSync(join(dir, f)))).text.split(/\r?\n/)),
    );
    const candidates = [...lines, 'ipsec ike encryption 1 blowfish', 'telnetd service on', 'ip lan1 address', 'auth user'];
    let compared = 0;
    for (const line of candidates) {
      const tokenized = tokenizeLine(line);
      if (!tokenized.ok || tokenized.tokens.length === 0) continue;
      for (const family of checkedFamilies) {
        const full = runGrammar(grammarOf(family.grammar), tokenized.tokens);
        expect(runGrammar(family.grammar, tokenized.tokens)).toEqual(full);
        expect(runGrammar(family.grammar, tokenized.tokens)).toEqual(full); // from the memo
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
