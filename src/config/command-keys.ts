/**
 * Where a command's setting lives (its scope) and which earlier command it replaces (its key).
 *
 * Scope: commands of the selected interface (`ip pp ...`, `ppp ...`, `ip tunnel ...`,
 * `ipsec tunnel`, `l2tp ...`) belong to the selected pp/tunnel and need one selected; the
 * others are global, whatever is selected: `ipsec ike ... N` names its gateway itself, which is
 * why a paste script may leave `tunnel select` on and carry on with global commands.
 *
 * Key: `<scope>|<setting>|<identity>`, where the setting is the name as entered (or the spec's
 * shared slot) and the identity the parameter words that name one instance (filter numbers,
 * gateway ids, ...), lower-cased with leading zeros dropped.
 */
import type { CommandScope, CommandSpec } from './family.js';
import type { ConfigContext } from './model.js';
import type { ConfigToken } from './tokenize.js';

const SELECTION_COMMANDS = new Set(['select', 'enable', 'disable']);

/** The scope a command has when its family gives none (see the module comment). */
export function inferScope(nameWords: readonly string[]): CommandScope {
  const [first, second] = nameWords;
  switch (first) {
    case 'tunnel':
      return second !== undefined && SELECTION_COMMANDS.has(second) ? 'global' : 'tunnel';
    case 'pp':
      return second !== undefined && SELECTION_COMMANDS.has(second) ? 'global' : 'pp';
    case 'ppp':
    case 'pppoe':
    case 'mp':
      return 'pp';
    case 'ip':
    case 'ipv6':
    case 'description':
      return second === 'pp' ? 'pp' : second === 'tunnel' ? 'tunnel' : 'global';
    case 'ipsec':
      return second === 'tunnel' || second === 'ipcomp' ? 'tunnel' : 'global';
    case 'l2tp':
    case 'pptp':
      return second === 'service' ? 'global' : 'tunnel';
    default:
      return 'global';
  }
}

export function scopeOf(spec: CommandSpec | undefined, nameWords: readonly string[]): CommandScope {
  return spec?.scope ?? inferScope(nameWords);
}

/**
 * The identifying words of a command, or undefined when the words do not name an instance.
 * Without a spec: the first parameter when it is an integer (filter, scope, descriptor ids).
 */
export function identityOf(spec: CommandSpec | undefined, words: readonly ConfigToken[]): readonly string[] | undefined {
  const identity = spec?.identity;
  if (identity === undefined) {
    const first = words[0];
    return first !== undefined && /^\d+$/.test(first.value) ? [first.value] : [];
  }
  if (typeof identity === 'number') {
    return words.length < identity ? undefined : words.slice(0, identity).map((w) => w.value);
  }
  return identity(words);
}

function normaliseWord(word: string): string {
  return /^\d+$/.test(word) ? String(Number(word)) : word.toLowerCase();
}

export function contextKey(context: ConfigContext): string {
  switch (context.kind) {
    case 'global':
      return 'global';
    case 'tunnel':
      return `tunnel ${context.tunnel}`;
    case 'pp':
      return `pp ${context.peer}`;
  }
}

export function commandKey(
  context: ConfigContext,
  setting: string,
  identity: readonly string[],
): string {
  return `${contextKey(context)}|${setting}|${identity.map(normaliseWord).join(' ')}`;
}
