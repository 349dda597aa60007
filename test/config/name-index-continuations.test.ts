/**
 * What the console's `?` and TAB list for a configuration command: the keywords that may follow
 * the words typed so far, walking `*` slots as any word.
 */
import { describe, expect, it } from 'vitest';
import { interpreterFor } from '../../src/config/read-config.js';

const index = interpreterFor().index;

describe('NameIndex.continuations', () => {
  it('lists the next keywords of a name', () => {
    const next = index.continuations(['ipsec', 'ike', 'mode-cfg']);
    expect(next.keywords).toEqual(expect.arrayContaining(['address', 'method']));
    expect(next.nameEnds).toBe(false);
  });

  it('walks a parameter slot inside a name with any word', () => {
    const next = index.continuations(['ip', 'lan1']);
    expect(next.keywords).toContain('address');
  });

  it('says when the typed words already hold a whole name (parameters follow)', () => {
    expect(index.continuations(['tunnel', 'select']).nameEnds).toBe(true);
    expect(index.continuations(['tunnel', 'select', '1']).nameEnds).toBe(true);
  });

  it('lists first words at the start and nothing after an unknown word', () => {
    expect(index.continuations([]).keywords).toEqual(expect.arrayContaining(['ipsec', 'tunnel', 'console']));
    expect(index.continuations(['frobnicate'])).toEqual({ keywords: [], parameterSlot: false, nameEnds: false });
  });
});
