/**
 * `--impair RULE` (repeatable) on `rtxlab start` and `rtxlab console`: faults the router injects
 * on purpose (src/router/impair/impair-rule.ts has the grammar; docs/robustness.md §6 each rule).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { formatImpairRule, IMPAIR_RULE_FORMS, parseImpairRule, type ImpairRule } from '../router/impair/impair-rule.js';

export interface ImpairFlags {
  /** `--impair RULE`, in the order given. */
  readonly impair?: readonly ImpairRule[];
}

export const IMPAIR_HELP =
  'rtxlab option, not RTX behaviour (default: none): inject a fault, repeatable; RULE is one of ' +
  `${IMPAIR_RULE_FORMS.join(', ')} (DIR in|out as the router sees it; EXCHANGE aggressive|transaction|quick|informational; ` +
  'NTH N or N+, counting that exchange\'s datagrams in that direction per ISAKMP SA, resends included), ' +
  'e.g. drop:out:aggressive:1, delay:in:quick:2:800, withhold-mode-cfg-set';

export function addImpairOption(command: Command): Command {
  return command.option('--impair <rule>', IMPAIR_HELP, collectImpairRule);
}

/** Said at start on stderr: a client team must not mistake injected faults for the router's behaviour. */
export function impairNotice(rules: readonly ImpairRule[]): string {
  return `rtxlab: --impair: injecting faults on purpose (not RTX behaviour): ${rules.map(formatImpairRule).join(', ')}\n`;
}

function collectImpairRule(value: string, previous: readonly ImpairRule[] | undefined): readonly ImpairRule[] {
  const parsed = parseImpairRule(value);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.error}.`);
  return [...(previous ?? []), parsed.rule];
}
