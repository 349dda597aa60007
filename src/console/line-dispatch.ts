/**
 * Which command a typed line is, before anyone runs it: an operational command with its parsed
 * parameters (or the error its parameters earn), a configuration line for the router's config
 * session, or an unknown command. Pure: the engine decides what the privilege allows.
 *
 * The rule: an operational declaration whose whole name starts the line wins unless the config
 * reader's name index knows a longer name (`administrator` vs `administrator password
 * encrypted`); lines starting with an operational name the console does not have (`show dpi
 * cache`, from later models in Yamaha's catalogue) are unknown, never configuration.
 */
import type { RtxErrorId } from '../config/errors.js';
import type { NameIndex } from '../config/name-index.js';
import { tokenizeLine } from '../config/tokenize.js';
import { parseArguments, type ParsedArguments } from './command-syntax.js';
import { findOperational, isOperationalName, type OperationalCommand } from './operational-commands.js';

export type LineDispatch =
  | { readonly kind: 'empty' }
  | { readonly kind: 'operational'; readonly command: OperationalCommand; readonly args: ParsedArguments }
  | { readonly kind: 'operational-error'; readonly command: OperationalCommand; readonly error: RtxErrorId }
  /** `pattern`: the config name the line starts with; undefined when the reader knows none (it will say why). */
  | { readonly kind: 'configuration'; readonly text: string; readonly pattern: string | undefined; readonly negated: boolean }
  | { readonly kind: 'unknown'; readonly error: RtxErrorId };

export function dispatchLine(line: string, index: NameIndex): LineDispatch {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  const tokenized = tokenizeLine(text);
  const tokens = tokenized.ok ? tokenized.tokens : [];
  const words = tokens.map((t) => t.text);
  const negated = words[0] === 'no';
  const configTokens = negated ? tokens.slice(1) : tokens;
  const operationalName = isOperationalName(configTokens.map((t) => t.text));
  const configChoice = tokenized.ok && !operationalName ? index.choose(configTokens) : undefined;
  const operational = negated ? undefined : findOperational(words);
  if (operational !== undefined && (configChoice === undefined || operational.name.length >= configChoice.primary.words.length)) {
    const parsed = parseArguments(operational.parameters, words.slice(operational.name.length));
    return parsed.ok
      ? { kind: 'operational', command: operational, args: parsed.args }
      : { kind: 'operational-error', command: operational, error: operational.parametersRefused ?? parsed.error };
  }
  if (operationalName) return { kind: 'unknown', error: 'invalid-command-name' };
  // An unterminated quote or a dangling backslash: what the config reader answers too.
  if (!tokenized.ok) return { kind: 'unknown', error: 'illegal-keyword' };
  return { kind: 'configuration', text, pattern: configChoice?.primary.pattern, negated };
}
