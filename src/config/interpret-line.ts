/**
 * One tokenized line -> what it does: select a tunnel/pp, set a command, remove one (`no`), or
 * the RTX error the router would print. Pure: the caller applies the outcome to a model.
 */
import type { CompiledRules } from 'nearley';
import { commandKey, identityOf, scopeOf } from './command-keys.js';
import type { RtxErrorId } from './errors.js';
import type { CommandFamily, CommandSpec, ParsedCommand, PrintWord } from './family.js';
import { runGrammar } from './grammar-support.js';
import { isStoredNegation } from './stored-negations.js';
import { GLOBAL_CONTEXT, type ConfigContext } from './model.js';
import { NameIndex, type CommandRegistry, type NameEntry } from './name-index.js';
import type { ConfigToken } from './tokenize.js';
import { RTX_CONFIG_LIMITS, type ConfigLimits } from './limits.js';

/** A command as the line defines it (the reader adds its source line). */
export interface InterpretedCommand {
  readonly name: string;
  readonly nameWords: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly words: readonly PrintWord[];
  readonly family: string;
  readonly checked: boolean;
  readonly context: ConfigContext;
  readonly key: string;
  /** A `no` line kept as a setting (stored-negations.ts): `no tunnel enable all`. */
  readonly negated?: true;
}

export type LineOutcome =
  | { readonly kind: 'select'; readonly context: ConfigContext }
  | {
      readonly kind: 'set';
      readonly command: InterpretedCommand;
      /** Why Rev.8.03 lacks the command: warned about, never applied. */
      readonly absentOnRtx1500?: string;
      /** Why Rev.8.03 lacks a value the line uses: warned about, applied only when newer values are accepted. */
      readonly laterValue?: string;
    }
  | {
      readonly kind: 'remove';
      readonly name: string;
      /** Candidate keys, most likely first: the first one present in the model is removed. */
      readonly keys: readonly string[];
      readonly absentOnRtx1500?: string;
    }
  | { readonly kind: 'error'; readonly error: RtxErrorId; readonly detail?: string };

const error = (id: RtxErrorId, detail?: string): LineOutcome =>
  detail === undefined ? { kind: 'error', error: id } : { kind: 'error', error: id, detail };

/** The context switches of §56.1-56.2 (families parse them; the interpreter switches). */
const SELECT_COMMANDS = new Set(['tunnel select', 'pp select']);

export class CommandInterpreter {
  readonly index: NameIndex;
  private readonly keywordSets = new WeakMap<CompiledRules, ReadonlySet<string>>();

  constructor(
    readonly registry: CommandRegistry,
    /** Value bounds in force: the RTX's, or as rtxlab's `--max-tunnels` lifts them. */
    readonly limits: ConfigLimits = RTX_CONFIG_LIMITS,
  ) {
    this.index = new NameIndex(registry);
  }

  interpret(tokens: readonly ConfigToken[], context: ConfigContext): LineOutcome {
    const first = tokens[0];
    if (first === undefined) return error('invalid-command-name');
    const negated = first.text === 'no' && !first.quoted;
    const body = negated ? tokens.slice(1) : tokens;
    const choice = this.index.choose(body);
    if (choice === undefined) return error('invalid-command-name');
    if (negated) {
      if (!isStoredNegation(body.map((t) => t.text))) return this.removal(body, context, [...choice.checkedFallbacks, choice.primary]);
      // Kept as a line under the key of the setting it negates: `tunnel enable all` replaces it.
      const outcome = this.interpret(body, context);
      return outcome.kind === 'set' ? { ...outcome, command: { ...outcome.command, negated: true } } : outcome;
    }

    for (const fallback of choice.checkedFallbacks) {
      const run = runGrammar<ParsedCommand>(fallback.family.grammar, body);
      if (run.ok) return this.accepted(fallback, pickResult(run.results, fallback.pattern), body, context);
    }
    const entry = choice.primary;
    const run = runGrammar<ParsedCommand>(entry.family.grammar, body);
    // The catalogue's grammar recognises a name-only command by its name and takes any
    // parameters; its result is not value-checked, so the command stays `checked: false`.
    if (!entry.checked) return run.ok ? this.accepted(entry, undefined, body, context) : error('invalid-command-name');
    if (!run.ok) return error(run.error, `at word ${run.tokenIndex + 1}; expected ${run.expected.join(' | ') || 'no more words'}`);
    return this.accepted(entry, pickResult(run.results, entry.pattern), body, context);
  }

  private accepted(
    entry: NameEntry,
    parsed: ParsedCommand | undefined,
    tokens: readonly ConfigToken[],
    context: ConfigContext,
  ): LineOutcome {
    let laterValue: string | undefined;
    if (parsed !== undefined) {
      const problem = entry.family.validate?.(parsed, this.limits);
      if (problem) return error(problem.error, problem.detail);
      laterValue = entry.family.laterThanRev803?.(parsed);
    }
    const nameLength = entry.words.length;
    const nameWords = tokens.slice(0, nameLength).map((t) => t.text);
    const words = tokens.slice(nameLength);
    if (SELECT_COMMANDS.has(entry.pattern)) return selection(entry.pattern, words[0]);

    const spec = specOf(entry.family, entry.pattern);
    const placed = placeIn(scopeOf(spec, nameWords), context);
    if (placed.kind === 'error') return placed;
    const identity = identityOf(spec, words) ?? [];
    const command: InterpretedCommand = {
      name: entry.pattern,
      nameWords,
      params: parsed?.params ?? nameOnlyParams(entry, tokens),
      words: parsed === undefined ? words.map(valueWord) : this.printWords(entry.family, words, parsed.params),
      family: entry.family.name,
      checked: parsed !== undefined,
      context: placed.context,
      key: commandKey(placed.context, spec?.slot ?? nameWords.join(' '), identity),
    };
    const absent = this.registry.absentOnRtx1500.get(entry.pattern);
    return {
      kind: 'set',
      command,
      ...(absent === undefined ? {} : { absentOnRtx1500: absent }),
      ...(laterValue === undefined ? {} : { laterValue }),
    };
  }

  private removal(tokens: readonly ConfigToken[], context: ConfigContext, entries: readonly NameEntry[]): LineOutcome {
    const primary = entries[entries.length - 1]!;
    const primaryWords = tokens.slice(0, primary.words.length).map((t) => t.text);
    if (SELECT_COMMANDS.has(primary.pattern)) return { kind: 'select', context: GLOBAL_CONTEXT };
    const keys: string[] = [];
    for (const entry of entries) {
      const nameWords = tokens.slice(0, entry.words.length).map((t) => t.text);
      const spec = specOf(entry.family, entry.pattern);
      const placed = placeIn(scopeOf(spec, nameWords), context);
      if (placed.kind === 'error') return placed;
      // Extra words after the identifying ones are accepted and ignored (reference §1.4).
      const identity = identityOf(spec, tokens.slice(entry.words.length));
      if (identity === undefined) continue;
      keys.push(commandKey(placed.context, spec?.slot ?? nameWords.join(' '), identity));
    }
    if (keys.length === 0) return error('insufficient-or-too-many-parameters', `no ${primaryWords.join(' ')} needs its identifying parameters`);
    const absent = this.registry.absentOnRtx1500.get(primary.pattern);
    const name = entries[0]!.pattern;
    return absent === undefined ? { kind: 'remove', name, keys } : { kind: 'remove', name, keys, absentOnRtx1500: absent };
  }

  /** Keywords print in lower case; a word that is a keyword only by accident (a name) stays. */
  private printWords(family: CommandFamily, words: readonly ConfigToken[], params: Readonly<Record<string, unknown>>): PrintWord[] {
    const keywords = this.keywordsOf(family.grammar);
    return words.map((w) => {
      const keyword = !w.quoted && keywords.has(w.text) && (w.value === w.text || !containsString(params, w.value));
      return keyword ? { value: w.text, keyword } : { value: w.value, keyword, quoted: w.quoted };
    });
  }

  private keywordsOf(grammar: CompiledRules): ReadonlySet<string> {
    let set = this.keywordSets.get(grammar);
    if (set === undefined) {
      const found = new Set<string>();
      for (const rule of grammar.ParserRules) {
        for (const symbol of rule.symbols as unknown[]) {
          if (symbol !== null && typeof symbol === 'object' && 'literal' in symbol) found.add(String(symbol.literal));
        }
      }
      set = found;
      this.keywordSets.set(grammar, set);
    }
    return set;
  }
}

function pickResult(results: readonly ParsedCommand[], pattern: string): ParsedCommand {
  return results.find((r) => r.name === pattern) ?? results[0]!;
}

function specOf(family: CommandFamily, pattern: string): CommandSpec | undefined {
  return family.specs?.[pattern];
}

const valueWord = (token: ConfigToken): PrintWord => ({ value: token.value, keyword: false, quoted: token.quoted });

/**
 * A command known by name only keeps what filled the name's `*` slots and its arguments as
 * written (the catalogue family's CatalogueParams).
 */
function nameOnlyParams(entry: NameEntry, tokens: readonly ConfigToken[]): { slots: string[]; args: string[] } {
  return {
    slots: entry.words.flatMap((word, i) => (word === '*' ? [tokens[i]!.value] : [])),
    args: tokens.slice(entry.words.length).map((t) => t.value),
  };
}

function selection(pattern: string, target: ConfigToken | undefined): LineOutcome {
  if (target === undefined || target.text === 'none') return { kind: 'select', context: GLOBAL_CONTEXT };
  if (pattern === 'tunnel select') return { kind: 'select', context: { kind: 'tunnel', tunnel: Number(target.value) } };
  if (target.text === 'anonymous') return { kind: 'select', context: { kind: 'pp', peer: 'anonymous' } };
  return { kind: 'select', context: { kind: 'pp', peer: Number(target.value) } };
}

type Placement = { readonly kind: 'placed'; readonly context: ConfigContext } | Extract<LineOutcome, { kind: 'error' }>;

function placeIn(scope: 'global' | 'tunnel' | 'pp', context: ConfigContext): Placement {
  if (scope === 'global') return { kind: 'placed', context: GLOBAL_CONTEXT };
  if (scope === context.kind) return { kind: 'placed', context };
  return scope === 'tunnel'
    ? { kind: 'error', error: 'execute-tunnel-select-beforehand' }
    : { kind: 'error', error: 'execute-select-beforehand' };
}

function containsString(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value === text;
  if (Array.isArray(value)) return value.some((v) => containsString(v, text));
  if (value !== null && typeof value === 'object') return Object.values(value).some((v) => containsString(v, text));
  return false;
}
