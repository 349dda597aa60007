/**
 * The console settings one session sees: the router's, with what a user changed for this session
 * only. A user may run `console lines|columns|character|prompt` at `>` (automation tools send
 * `console lines infinity` before `administrator`); the line is checked by the config reader and
 * kept for the session, never in the router's config. An administrator's change of the same
 * setting goes to the router, and the router's value rules again.
 */
import type { RtxErrorId } from '../config/errors.js';
import { ConfigSession } from '../config/read-config.js';
import { consoleSettings, type ConsoleSettings } from '../config/views/console.js';

type SessionField = 'character' | 'language' | 'lines' | 'columns' | 'prompt';

const FIELDS_OF: Readonly<Record<string, readonly SessionField[]>> = {
  'console character': ['character', 'language'],
  'console lines': ['lines'],
  'console columns': ['columns'],
  'console prompt': ['prompt'],
};

export class SessionSettings {
  private overrides: Partial<Pick<ConsoleSettings, SessionField>> = {};

  constructor(private readonly routerSettings: () => ConsoleSettings) {}

  /** Whether a user may set this configuration command (by name pattern) for the session. */
  static userMaySet(pattern: string): boolean {
    return FIELDS_OF[pattern] !== undefined;
  }

  current(): ConsoleSettings {
    return { ...this.routerSettings(), ...this.overrides };
  }

  /** A user's line: the RTX error when the reader refuses it. */
  setForSession(text: string, pattern: string): RtxErrorId | undefined {
    const scratch = new ConfigSession();
    const result = scratch.execute(text);
    if (result.kind === 'error') return result.error;
    const changed = consoleSettings(scratch.model);
    this.overrides = { ...this.overrides, ...pick(changed, FIELDS_OF[pattern] ?? []) };
    return undefined;
  }

  /** The administrator applied `pattern` to the router: its value rules from now on. */
  routerChanged(pattern: string | undefined): void {
    for (const field of (pattern === undefined ? undefined : FIELDS_OF[pattern]) ?? []) delete this.overrides[field];
  }
}

function pick<T, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}
