import { describe, expect, it } from 'vitest';
import { formatImpairRule, IMPAIR_RULE_FORMS, parseImpairRule } from '../../../src/router/impair/impair-rule.js';

describe('--impair rule grammar', () => {
  it('reads each form into its tagged rule', () => {
    expect(parseImpairRule('drop:out:aggressive:1')).toEqual({ ok: true, rule: { kind: 'drop', target: { direction: 'out', exchange: 'aggressive', ordinal: { nth: 1, andLater: false } } } });
    expect(parseImpairRule('delay:in:quick:2+:800')).toEqual({ ok: true, rule: { kind: 'delay', delayMs: 800, target: { direction: 'in', exchange: 'quick', ordinal: { nth: 2, andLater: true } } } });
    expect(parseImpairRule('answer-twice:transaction:3')).toEqual({ ok: true, rule: { kind: 'answer-twice', target: { direction: 'in', exchange: 'transaction', ordinal: { nth: 3, andLater: false } } } });
    expect(parseImpairRule('stale-cookie:out:informational:1')).toMatchObject({ ok: true, rule: { kind: 'stale-cookie' } });
    expect(parseImpairRule('Withhold-Mode-Cfg-Set')).toEqual({ ok: true, rule: { kind: 'withhold-mode-cfg-set' } });
  });

  it.each([
    'drop:out:aggressive:1',
    'duplicate:in:transaction:2+',
    'corrupt:out:quick:1',
    'delay:out:informational:3:1500',
    'stale-cookie:out:transaction:1+',
    'answer-twice:aggressive:2',
    'withhold-mode-cfg-set',
  ])('%s reads back as written', (text) => {
    const parsed = parseImpairRule(text);
    expect(parsed.ok && formatImpairRule(parsed.rule)).toBe(text);
  });

  it.each([
    ['explode:out:aggressive:1', 'unknown fault'],
    ['drop:sideways:aggressive:1', 'DIR must be in or out'],
    ['drop:out:main:1', 'EXCHANGE must be one of'],
    ['drop:out:aggressive:0', 'NTH must be N or N+'],
    ['drop:out:aggressive:first', 'NTH must be N or N+'],
    ['drop:out:aggressive', 'must be drop:DIR:EXCHANGE:NTH'],
    ['delay:out:aggressive:1', 'must be delay:DIR:EXCHANGE:NTH:MS'],
    ['delay:out:aggressive:1:0', 'MS must be'],
    ['stale-cookie:in:aggressive:1', 'DIR must be out'],
    ['answer-twice:out:aggressive:1', 'must be answer-twice:EXCHANGE:NTH'],
    ['withhold-mode-cfg-set:now', 'takes no fields'],
  ])('refuses %s, saying why (%s)', (text, why) => {
    const parsed = parseImpairRule(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(why);
    expect(!parsed.ok && parsed.error).toContain(JSON.stringify(text));
  });

  it('the forms listed for --help are the forms the parser knows', () => {
    const kinds = IMPAIR_RULE_FORMS.map((form) => form.split(':')[0]);
    expect(new Set(kinds)).toEqual(new Set(['drop', 'duplicate', 'corrupt', 'delay', 'stale-cookie', 'answer-twice', 'withhold-mode-cfg-set']));
  });
});
