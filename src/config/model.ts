/**
 * The configuration model: the ordered list of accepted commands, each with its parsed params,
 * the tunnel/pp it belongs to, and the source line it came from.
 *
 * Entering a command again replaces the earlier one with the same key (scope + setting +
 * identifying parameters, see command-keys.ts), in place; `no <command>` removes it, which
 * restores the default (command reference §1.4). Typed views over the model are in views/.
 */
import type { PrintWord } from './family.js';

/** What `tunnel select` / `pp select` has selected (`none`: nothing, the global level). */
export type ConfigContext =
  | { readonly kind: 'global' }
  | { readonly kind: 'tunnel'; readonly tunnel: number }
  | { readonly kind: 'pp'; readonly peer: number | 'anonymous' };

export const GLOBAL_CONTEXT: ConfigContext = { kind: 'global' };

export interface SourceRef {
  /** 1-based line number in the file (the first physical line of an un-wrapped line). */
  readonly line: number;
  /** The line as read (un-wrapped, without the line ending). */
  readonly text: string;
}

/** The body of `embedded file NAME <<EOF` ... `EOF`, kept raw. */
export interface Heredoc {
  readonly terminator: string;
  readonly body: readonly string[];
}

export interface ConfigCommand {
  /** The name pattern, e.g. `ip * address`. */
  readonly name: string;
  /** The name as entered, lower-case: `*` filled in (`ip lan1 address`). */
  readonly nameWords: readonly string[];
  /** The family's parsed params; for commands recognised by name only: `{ slots, args }` as written. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The parameter words after the name, as `show config` prints them. */
  readonly words: readonly PrintWord[];
  readonly family: string;
  /** False for commands of Yamaha's catalogue recognised by name only (parameters unchecked). */
  readonly checked: boolean;
  /** The tunnel/pp the setting belongs to (global for commands that ignore the selection). */
  readonly context: ConfigContext;
  /** Same key, same setting: the later command replaces the earlier one. */
  readonly key: string;
  readonly source: SourceRef;
  readonly heredoc?: Heredoc;
  /** A `no` line the router keeps as a setting (stored-negations.ts): printed with `no`. */
  readonly negated?: true;
}

/** The word that makes a command apply to every instance of its setting (`tunnel enable all`). */
const ALL = 'all';

export class ConfigModel {
  private readonly byKey = new Map<string, ConfigCommand>();

  /** The accepted commands in the order they were first entered. */
  get commands(): readonly ConfigCommand[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Adds a command, replacing the one with the same key; returns the replaced one. */
  set(command: ConfigCommand): ConfigCommand | undefined {
    if (identityOfKey(command.key) === ALL) this.removeSlot(slotOfKey(command.key));
    const previous = this.byKey.get(command.key);
    this.byKey.set(command.key, command);
    return previous;
  }

  /** `no <command>`: removes the setting with this key (`... all`: every instance of it). */
  remove(key: string): number {
    if (identityOfKey(key) === ALL) return this.removeSlot(slotOfKey(key));
    return this.byKey.delete(key) ? 1 : 0;
  }

  get(key: string): ConfigCommand | undefined {
    return this.byKey.get(key);
  }

  /** Commands with this name pattern, in model order. */
  byName(name: string): ConfigCommand[] {
    return this.commands.filter((c) => c.name === name);
  }

  private removeSlot(slot: string): number {
    let removed = 0;
    for (const key of [...this.byKey.keys()]) {
      if (slotOfKey(key) === slot) {
        this.byKey.delete(key);
        removed++;
      }
    }
    return removed;
  }
}

// Keys are `<scope>|<setting>|<identity>` (command-keys.ts builds them).
function slotOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('|'));
}

function identityOfKey(key: string): string {
  return key.slice(key.lastIndexOf('|') + 1);
}
