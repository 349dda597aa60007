/** Helpers for the config-engine tests: read text, pick commands, compare models. */
import type { RtxErrorId } from '../../src/config/errors.js';
import type { ConfigCommand, ConfigModel } from '../../src/config/model.js';
import { expect } from 'vitest';
import type { InterpretedCommand, LineOutcome } from '../../src/config/interpret-line.js';
import { GLOBAL_CONTEXT, type ConfigContext } from '../../src/config/model.js';
import { ConfigSession, interpreterFor, readConfig, type ConfigProblem, type ReadResult } from '../../src/config/read-config.js';
import { tokenizeLine } from '../../src/config/tokenize.js';

export const lines = (...text: string[]): string => `${text.join('\n')}\n`;

export function read(...text: string[]): ReadResult {
  return readConfig(lines(...text));
}

/** The only command of a one-command config (fails the test when the line was refused). */
export function only(...text: string[]): ConfigCommand {
  const result = read(...text);
  if (result.problems.length > 0) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  const commands = result.model.commands;
  if (commands.length !== 1) throw new Error(`expected one command, got ${commands.length}`);
  return commands[0]!;
}

/** `[line, error]` of every problem. */
export function problemsOf(...text: string[]): [number, RtxErrorId][] {
  return read(...text).problems.map((p: ConfigProblem) => [p.line, p.error]);
}

/** The error one line gets, after optional setup lines (undefined when accepted). */
export function errorOf(line: string, ...setup: string[]): RtxErrorId | undefined {
  const session = new ConfigSession();
  for (const s of setup) session.execute(s);
  const result = session.execute(line);
  return result.kind === 'error' ? result.error : undefined;
}

/** What identifies a model: every command's key, name, params, context and here-document. */
export function signature(model: ConfigModel): string[] {
  return model.commands
    .map((c) =>
      JSON.stringify([c.key, c.name, c.nameWords, c.params, c.context, c.checked, c.heredoc ?? null]),
    )
    .sort();
}

const lineInterpreter = interpreterFor();

/** One line through the command interpreter, in `context` (global by default). */
export function interpretLine(line: string, context: ConfigContext = GLOBAL_CONTEXT): LineOutcome {
  const tokens = tokenizeLine(line);
  if (!tokens.ok) throw new Error(`cannot tokenize ${line}`);
  return lineInterpreter.interpret(tokens.tokens, context);
}

/** The command an accepted line sets, checked to come from `family` (fails the test otherwise). */
export function acceptedBy(family: string, line: string, context: ConfigContext = GLOBAL_CONTEXT): InterpretedCommand {
  const result = interpretLine(line, context);
  if (result.kind !== 'set') throw new Error(`${line}: ${JSON.stringify(result)}`);
  expect(result.command.family).toBe(family);
  return result.command;
}

/** The RTX error one line gets, or the outcome's kind when it is accepted. */
export function lineError(line: string, context: ConfigContext = GLOBAL_CONTEXT): RtxErrorId | LineOutcome['kind'] {
  const result = interpretLine(line, context);
  return result.kind === 'error' ? result.error : result.kind;
}
