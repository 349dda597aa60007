/**
 * The contract between the config engine (reader, dispatcher, model) and the grammar families.
 *
 * A line is tokenized (tokenize.ts), its command name is found (the longest known name pattern
 * that matches the leading tokens), then the family that owns that name parses the whole line
 * with its nearley grammar (grammar/<family>.ne, compiled to src/config/generated/<family>.ts)
 * and validates values the grammar cannot express (ranges, lengths).
 */
import type { CompiledRules } from 'nearley';
import type { RtxErrorId } from './errors.js';
import type { ConfigToken } from './tokenize.js';
import type { ConfigLimits } from './limits.js';

/** What a family grammar's start rule returns for one command line (without a leading `no`). */
export interface ParsedCommand {
  /**
   * The command-name pattern: lower-case keywords joined by single spaces, `*` for a parameter
   * inside the name, e.g. `ipsec ike encryption`, `ip * address`, `tunnel select`.
   */
  readonly name: string;
  /** The parameters, shaped per command (documented in the family's grammar file). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** A value the grammar accepted by shape but the router refuses (e.g. a number out of range). */
export interface ValidationProblem {
  readonly error: RtxErrorId;
  /** Which parameter, for the log/CLI detail; never part of the RTX error text itself. */
  readonly detail?: string;
}

/**
 * Where a command's setting lives while a tunnel or a pp is selected: `tunnel` and `pp` commands
 * belong to the selected interface (and need one selected); `global` ones ignore the selection.
 */
export type CommandScope = 'global' | 'tunnel' | 'pp';

/** One parameter word as `show config` prints it. */
export interface PrintWord {
  readonly value: string;
  /** Keywords print in lower case and never quoted; values print as entered, quoted if needed. */
  readonly keyword: boolean;
  /** The value was quoted or escaped where it was entered: it is printed quoted again. */
  readonly quoted?: boolean;
}

/**
 * How the model files a command. Everything is optional: without a spec, a command's scope is
 * inferred from its name (`ip pp ...`, `ppp ...` -> pp; `ip tunnel ...`, `l2tp ...` -> tunnel),
 * and its identity is its first parameter when that is an integer (filter, scope and descriptor
 * numbers), so that entering it again replaces the earlier one.
 */
export interface CommandSpec {
  /**
   * The parameter words after the name that tell one instance from another: a count of leading
   * words, or a function of the words (undefined: the words are not enough to name an instance,
   * which a `no` line answers with `Error: Insufficient or too many parameters`).
   */
  readonly identity?: number | ((words: readonly ConfigToken[]) => readonly string[] | undefined);
  /** Commands that set the same thing share a slot (`tunnel enable N` / `tunnel disable N`). */
  readonly slot?: string;
  readonly scope?: CommandScope;
  /** Rewrites the printed parameters, e.g. to print a password as `*`. */
  readonly printWords?: (words: readonly PrintWord[]) => readonly PrintWord[];
}

export interface CommandFamily {
  readonly name: string;
  /** Lower-case first keywords of the commands this family owns. */
  readonly firstKeywords: readonly string[];
  /** Name patterns this family parses with full parameter checking. */
  readonly commands: readonly string[];
  readonly grammar: CompiledRules;
  /** `limits`: the bounds in force (the RTX's, or as rtxlab options lift them). */
  readonly validate?: (command: ParsedCommand, limits: ConfigLimits) => ValidationProblem | undefined;
  /** Per command name (pattern): identity, scope, printing. */
  readonly specs?: Readonly<Record<string, CommandSpec>>;
  /**
   * Why a valid line uses a value RTX1500 Rev.8.03 did not have (`aes256-cbc`, `ja.utf8`), or
   * undefined: such a line is warned about and not applied, like a command Rev.8.03 lacks.
   */
  readonly laterThanRev803?: (command: ParsedCommand) => string | undefined;
}
