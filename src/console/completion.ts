/**
 * `?` and TAB: what may come at the end of the line typed so far. Operational commands answer
 * from their declarations (name words, then parameter slots); configuration commands from the
 * config reader's name index (command name words; their parameters are not listed). A leading
 * `no` is offered at the start and skipped when walking config names.
 */
import type { NameIndex } from '../config/name-index.js';
import { nextParameterWords } from './command-syntax.js';
import { isOperationalName, OPERATIONAL_COMMANDS } from './operational-commands.js';

export interface Completions {
  /** The word being completed (empty after a space). */
  readonly partial: string;
  /** Keywords that complete it, sorted. */
  readonly candidates: readonly string[];
  /** Where a value is due, how `?` shows it (`<1-100>`). */
  readonly labels: readonly string[];
}

export function completionsFor(line: string, index: NameIndex): Completions {
  const words = line.trimStart().split(/\s+/).filter((w) => w !== '');
  const endsWithSpace = line === '' || /\s$/.test(line);
  const partial = endsWithSpace ? '' : (words.pop() ?? '');
  const typed = words.map((w) => w.toLowerCase());
  const found = new Set<string>();
  const labels = new Set<string>();

  for (const command of OPERATIONAL_COMMANDS) {
    const shared = Math.min(command.name.length, typed.length);
    if (!command.name.slice(0, shared).every((word, i) => typed[i] === word)) continue;
    if (typed.length < command.name.length) {
      found.add(command.name[typed.length]!);
    } else {
      const next = nextParameterWords(command.parameters, typed.slice(command.name.length));
      next.keywords.forEach((k) => found.add(k));
      next.labels.forEach((l) => labels.add(l));
    }
  }

  const configWords = typed[0] === 'no' ? typed.slice(1) : typed;
  if (typed.length === 0) found.add('no');
  if (!isOperationalName(configWords)) index.continuations(configWords).keywords.forEach((k) => found.add(k));

  const lowered = partial.toLowerCase();
  return {
    partial,
    candidates: [...found].filter((word) => word.startsWith(lowered)).sort(),
    labels: lowered === '' ? [...labels] : [],
  };
}

export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0]!;
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
