/**
 * `?` and TAB: what may come at the end of the line typed so far. Operational commands answer
 * from their declarations (name words, then parameter slots); configuration commands from the
 * config reader's name index, then their parameters from the family's grammar. A leading
 * `no` is offered at the start and skipped when walking config names.
 */
import { parameterContinuations } from '../config/grammar-support.js';
import type { NameIndex } from '../config/name-index.js';
import { tokenizeLine } from '../config/tokenize.js';
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
  if (!isOperationalName(configWords)) {
    index.continuations(configWords).keywords.forEach((k) => found.add(k));
    const parameters = configParameters(line.slice(0, line.length - partial.length), index);
    parameters.keywords.forEach((k) => found.add(k));
    parameters.values.forEach((v) => labels.add(`<${v}>`));
  }

  const lowered = partial.toLowerCase();
  return {
    partial,
    candidates: [...found].filter((word) => word.startsWith(lowered)).sort(),
    labels: lowered === '' ? [...labels] : [],
  };
}

/** After a whole configuration command name: what its family's grammar accepts next. */
function configParameters(typedText: string, index: NameIndex): { keywords: string[]; values: string[] } {
  const tokenized = tokenizeLine(typedText);
  if (!tokenized.ok) return { keywords: [], values: [] };
  const tokens = tokenized.tokens[0]?.text === 'no' ? tokenized.tokens.slice(1) : tokenized.tokens;
  const choice = index.choose(tokens);
  const entry = choice === undefined ? undefined : choice.primary.checked ? choice.primary : choice.checkedFallbacks[0];
  // Names known only from the catalogue take any words: nothing to offer.
  if (entry === undefined || tokens.length < entry.words.length) return { keywords: [], values: [] };
  return parameterContinuations(entry.family.grammar, tokens);
}

/** What TAB does with the line: complete it, list the candidates, or ring the bell. */
export type TabAnswer =
  | { readonly kind: 'replace'; readonly line: string }
  | { readonly kind: 'list'; readonly words: readonly string[] }
  | { readonly kind: 'bell' };

/** A unique word is completed with a space after it; a shared prefix is extended; else the list. */
export function tabAnswer(line: string, index: NameIndex): TabAnswer {
  const found = completionsFor(line, index);
  const base = line.slice(0, line.length - found.partial.length);
  if (found.candidates.length === 1) return { kind: 'replace', line: `${base}${found.candidates[0]!} ` };
  const prefix = commonPrefix(found.candidates);
  if (prefix.length > found.partial.length) return { kind: 'replace', line: base + prefix };
  return found.candidates.length === 0 ? { kind: 'bell' } : { kind: 'list', words: found.candidates };
}

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0]!;
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
