/**
 * `--impair RULE`: faults the router injects on purpose, so a client team can test its client's
 * retransmission and error paths (in the spirit of libreswan's `--impair`). Not RTX behaviour;
 * off unless a rule is given (docs/robustness.md §6, docs/fidelity.md).
 *
 * Grammar (one rule per `--impair`; fields separated by `:`):
 *
 *   drop:DIR:EXCHANGE:NTH             the datagram never arrives (in) / never leaves (out)
 *   duplicate:DIR:EXCHANGE:NTH        it is delivered / sent twice
 *   corrupt:DIR:EXCHANGE:NTH          its last byte is inverted (a payload, or the last cipher block)
 *   delay:DIR:EXCHANGE:NTH:MS         it is held back MS milliseconds
 *   stale-cookie:out:EXCHANGE:NTH     it goes out with an earlier ISAKMP SA's responder cookie
 *   answer-twice:EXCHANGE:NTH         what the router sends in answer to it goes out twice (DIR is in)
 *   withhold-mode-cfg-set             the router assigns the address but never sends the mode-cfg SET
 *
 *   DIR       in (the router receives it) | out (the router sends it)
 *   EXCHANGE  aggressive | transaction | quick | informational
 *   NTH       N (the Nth) or N+ (the Nth and every later one): datagrams of that exchange type in
 *             that direction under one ISAKMP SA, counted from 1, resends included
 *
 * Every ISAKMP SA is counted on its own, so a rule applies to every connection.
 */

export type ImpairDirection = 'in' | 'out';

export type ImpairExchange = 'aggressive' | 'transaction' | 'quick' | 'informational';

/** Which datagrams of an exchange: the `nth` only, or (`andLater`) it and every later one. */
export interface ImpairOrdinal {
  readonly nth: number;
  readonly andLater: boolean;
}

/** Where a datagram rule applies. */
export interface ImpairTarget {
  readonly direction: ImpairDirection;
  readonly exchange: ImpairExchange;
  readonly ordinal: ImpairOrdinal;
}

export type ImpairRule =
  | { readonly kind: 'drop'; readonly target: ImpairTarget }
  | { readonly kind: 'duplicate'; readonly target: ImpairTarget }
  | { readonly kind: 'corrupt'; readonly target: ImpairTarget }
  | { readonly kind: 'delay'; readonly target: ImpairTarget; readonly delayMs: number }
  /** Only router-sent datagrams (`target.direction` is `out`). */
  | { readonly kind: 'stale-cookie'; readonly target: ImpairTarget }
  /** Only router-received datagrams (`target.direction` is `in`). */
  | { readonly kind: 'answer-twice'; readonly target: ImpairTarget }
  | { readonly kind: 'withhold-mode-cfg-set' };

export type ImpairRuleKind = ImpairRule['kind'];

export type ParsedImpairRule = { readonly ok: true; readonly rule: ImpairRule } | { readonly ok: false; readonly error: string };

const EXCHANGES: readonly ImpairExchange[] = ['aggressive', 'transaction', 'quick', 'informational'];
const DIRECTIONS: readonly ImpairDirection[] = ['in', 'out'];
/** A delay longer than this is a drop (and would hold a timer for hours). */
export const MAX_IMPAIR_DELAY_MS = 600_000;

/** The rule grammar in one line per form, for `--help` and error messages. */
export const IMPAIR_RULE_FORMS: readonly string[] = [
  'drop:DIR:EXCHANGE:NTH',
  'duplicate:DIR:EXCHANGE:NTH',
  'corrupt:DIR:EXCHANGE:NTH',
  'delay:DIR:EXCHANGE:NTH:MS',
  'stale-cookie:out:EXCHANGE:NTH',
  'answer-twice:EXCHANGE:NTH',
  'withhold-mode-cfg-set',
];

export function parseImpairRule(text: string): ParsedImpairRule {
  const fields = text.trim().toLowerCase().split(':');
  const [kind, ...rest] = fields;
  const fail = (why: string): ParsedImpairRule => ({ ok: false, error: `impair rule ${JSON.stringify(text)}: ${why}` });
  switch (kind) {
    case 'withhold-mode-cfg-set':
      return rest.length === 0 ? { ok: true, rule: { kind } } : fail('takes no fields');
    case 'answer-twice': {
      if (rest.length !== 2) return fail('must be answer-twice:EXCHANGE:NTH');
      const target = parseTarget(['in', ...rest]);
      return typeof target === 'string' ? fail(target) : { ok: true, rule: { kind, target } };
    }
    case 'stale-cookie': {
      if (rest.length !== 3) return fail('must be stale-cookie:out:EXCHANGE:NTH');
      if (rest[0] !== 'out') return fail('a stale cookie is one the router sends: DIR must be out');
      const target = parseTarget(rest);
      return typeof target === 'string' ? fail(target) : { ok: true, rule: { kind, target } };
    }
    case 'drop':
    case 'duplicate':
    case 'corrupt': {
      if (rest.length !== 3) return fail(`must be ${kind}:DIR:EXCHANGE:NTH`);
      const target = parseTarget(rest);
      return typeof target === 'string' ? fail(target) : { ok: true, rule: { kind, target } };
    }
    case 'delay': {
      if (rest.length !== 4) return fail('must be delay:DIR:EXCHANGE:NTH:MS');
      const target = parseTarget(rest.slice(0, 3));
      if (typeof target === 'string') return fail(target);
      const delay = rest[3]!;
      const delayMs = Number(delay);
      if (!/^\d+$/.test(delay) || delayMs < 1 || delayMs > MAX_IMPAIR_DELAY_MS) return fail(`MS must be a whole number of milliseconds, 1-${MAX_IMPAIR_DELAY_MS}`);
      return { ok: true, rule: { kind, target, delayMs } };
    }
    default:
      return fail(`unknown fault ${JSON.stringify(kind)}; one of ${IMPAIR_RULE_FORMS.join(', ')}`);
  }
}

/** `[DIR, EXCHANGE, NTH]` to a target, or why not. */
function parseTarget([direction, exchange, ordinal]: readonly string[]): ImpairTarget | string {
  if (!DIRECTIONS.includes(direction as ImpairDirection)) return `DIR must be in or out, not ${JSON.stringify(direction)}`;
  if (!EXCHANGES.includes(exchange as ImpairExchange)) return `EXCHANGE must be one of ${EXCHANGES.join(', ')}, not ${JSON.stringify(exchange)}`;
  const match = /^(\d+)(\+?)$/.exec(ordinal ?? '');
  const nth = match ? Number(match[1]) : 0;
  if (!match || nth < 1 || !Number.isSafeInteger(nth)) return `NTH must be N or N+ with N from 1, not ${JSON.stringify(ordinal)}`;
  return { direction: direction as ImpairDirection, exchange: exchange as ImpairExchange, ordinal: { nth, andLater: match[2] === '+' } };
}

/** The rule as it is written on the command line (parseImpairRule's inverse). */
export function formatImpairRule(rule: ImpairRule): string {
  if (rule.kind === 'withhold-mode-cfg-set') return rule.kind;
  const { direction, exchange, ordinal } = rule.target;
  const nth = `${ordinal.nth}${ordinal.andLater ? '+' : ''}`;
  switch (rule.kind) {
    case 'answer-twice':
      return `${rule.kind}:${exchange}:${nth}`;
    case 'delay':
      return `${rule.kind}:${direction}:${exchange}:${nth}:${rule.delayMs}`;
    default:
      return `${rule.kind}:${direction}:${exchange}:${nth}`;
  }
}
