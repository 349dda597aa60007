/**
 * Reading a config: bytes or text -> the model, every bad line with its line number and the RTX
 * error, and warnings for commands RTX1500 Rev.8.03 did not have. Good lines are applied, bad
 * ones skipped, as the router does with a config file (command reference §2.3). Never throws.
 *
 * `ConfigSession` is the same engine one line at a time (a selected tunnel/pp carries over), for
 * the console.
 */
import type { RtxErrorId } from './errors.js';
import { registry as defaultRegistry } from './families/index.js';
import { CommandInterpreter, type LineOutcome } from './interpret-line.js';
import { ConfigModel, GLOBAL_CONTEXT, type ConfigContext, type Heredoc } from './model.js';
import type { CommandRegistry } from './name-index.js';
import { MAX_COMMAND_LENGTH, RTX_MAX_TUNNEL_NUMBER } from './limits.js';
import { splitSourceLines, type SkippedLines } from './reader/source-lines.js';
import { decodeConfigBytes, type ConfigEncoding } from './text/decode.js';
import { displayWidth } from './text/display-width.js';
import { tokenizeLine } from './tokenize.js';

export { MAX_COMMAND_LENGTH } from './limits.js';

export interface ConfigProblem {
  /** 1-based line number of the (first physical line of the) bad line. */
  readonly line: number;
  /** The line as read, without its indentation. */
  readonly text: string;
  readonly error: RtxErrorId;
  /** Which part was wrong (for people; never part of the RTX message). */
  readonly detail?: string;
}

export interface ConfigWarning {
  readonly line: number;
  readonly text: string;
  /** The command name pattern. */
  readonly name: string;
  /** How we know RTX1500 Rev.8.03 lacked the command. */
  readonly reason: string;
}

/**
 * What became of every physical line of the file: the counts add up to `read`. A command counts
 * once, on its first physical line; the rows that belong to it (console-wrapped rows, a
 * here-document's body and terminator) count in `partOfLineAbove`.
 */
export interface LineTally {
  /** Physical lines read. */
  readonly read: number;
  /** Commands in the model at the end, selections (`tunnel select`) and `no` lines. */
  readonly applied: number;
  /** Commands a later line replaced (same key) or removed (`no`). */
  readonly replaced: number;
  /** Lines the router refuses (an error). */
  readonly rejected: number;
  /** Commands RTX1500 Rev.8.03 lacks: warned about, not applied. */
  readonly warned: number;
  /** Lines that are no command: blank, comments, capture headers, prompts, console output. */
  readonly notCommand: Pick<SkippedLines, 'blank' | 'comment' | 'header' | 'prompt' | 'output'>;
  /** Rows that belong to the command above: console-wrapped rows, here-document bodies. */
  readonly partOfLineAbove: Pick<SkippedLines, 'wrapped' | 'heredoc'>;
}

export interface ReadResult {
  readonly model: ConfigModel;
  /** What became of each line read (counts that add up to `lines.read`). */
  readonly lines: LineTally;
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigWarning[];
  readonly encoding: ConfigEncoding;
  /** True when the text was a console capture (un-wrapped at the console width). */
  readonly capture: boolean;
}

export interface ReadOptions {
  readonly registry?: CommandRegistry;
  /**
   * Apply values later than Rev.8.03 (`aes256-cbc`, `sha256`, `modp2048`, `console character
   * ja.utf8`, ...) instead of warning about them and leaving them out. Commands Rev.8.03 lacks
   * are never applied.
   */
  readonly acceptNewerValues?: boolean;
  /**
   * rtxlab option `--max-tunnels N`, not RTX behaviour: tunnel and security gateway numbers up to
   * N (default and at least the RTX1500's 100, RTX_MAX_TUNNEL_NUMBER).
   */
  readonly maxTunnels?: number;
}

/** The outcome of one line in a session. */
export type LineResult =
  /** `set`: the line set a command (false: it removed one, `no ...`). */
  | { readonly kind: 'applied'; readonly set: boolean }
  | { readonly kind: 'selected'; readonly context: ConfigContext }
  | { readonly kind: 'skipped-absent'; readonly name: string; readonly reason: string }
  | { readonly kind: 'error'; readonly error: RtxErrorId; readonly detail?: string };

/** Per registry, one interpreter per tunnel limit in force (the RTX's, or `--max-tunnels N`). */
const interpreters = new WeakMap<CommandRegistry, Map<number, CommandInterpreter>>();

export function interpreterFor(registry: CommandRegistry = defaultRegistry, maxTunnels = RTX_MAX_TUNNEL_NUMBER): CommandInterpreter {
  const maxTunnelNumber = Math.max(RTX_MAX_TUNNEL_NUMBER, maxTunnels);
  let byLimit = interpreters.get(registry);
  if (byLimit === undefined) {
    byLimit = new Map();
    interpreters.set(registry, byLimit);
  }
  let interpreter = byLimit.get(maxTunnelNumber);
  if (interpreter === undefined) {
    interpreter = new CommandInterpreter(registry, { maxTunnelNumber });
    byLimit.set(maxTunnelNumber, interpreter);
  }
  return interpreter;
}

/** Applies config lines to a model one at a time, keeping the `tunnel select`/`pp select` state. */
export class ConfigSession {
  context: ConfigContext = GLOBAL_CONTEXT;

  constructor(
    readonly model: ConfigModel = new ConfigModel(),
    readonly interpreter: CommandInterpreter = interpreterFor(),
    /** Apply values later than Rev.8.03 (ReadOptions.acceptNewerValues). */
    readonly acceptNewerValues = false,
  ) {}

  /** Runs one command line (no comments, no here-documents) as the router would. */
  execute(text: string, line = 0, heredoc?: Heredoc): LineResult {
    if (displayWidth(text.trim()) > MAX_COMMAND_LENGTH) return { kind: 'error', error: 'command-line-too-long' };
    const tokenized = tokenizeLine(text);
    if (!tokenized.ok) {
      return { kind: 'error', error: 'illegal-keyword', detail: `${tokenized.problem} at column ${tokenized.column + 1}` };
    }
    let outcome: LineOutcome;
    try {
      outcome = this.interpreter.interpret(tokenized.tokens, this.context);
    } catch (caught) {
      return { kind: 'error', error: 'illegal-keyword', detail: `internal error: ${String(caught)}` };
    }
    return this.apply(outcome, text.trim(), line, heredoc);
  }

  private apply(outcome: LineOutcome, text: string, line: number, heredoc: Heredoc | undefined): LineResult {
    switch (outcome.kind) {
      case 'error':
        return outcome.detail === undefined
          ? { kind: 'error', error: outcome.error }
          : { kind: 'error', error: outcome.error, detail: outcome.detail };
      case 'select':
        this.context = outcome.context;
        return { kind: 'selected', context: outcome.context };
      case 'set': {
        if (outcome.absentOnRtx1500 !== undefined) {
          return { kind: 'skipped-absent', name: outcome.command.name, reason: outcome.absentOnRtx1500 };
        }
        if (outcome.laterValue !== undefined && !this.acceptNewerValues) {
          return { kind: 'skipped-absent', name: outcome.command.name, reason: outcome.laterValue };
        }
        const source = { line, text };
        this.model.set(heredoc === undefined ? { ...outcome.command, source } : { ...outcome.command, source, heredoc });
        return { kind: 'applied', set: true };
      }
      case 'remove': {
        if (outcome.absentOnRtx1500 !== undefined) {
          return { kind: 'skipped-absent', name: outcome.name, reason: outcome.absentOnRtx1500 };
        }
        const key = outcome.keys.find((k) => this.model.get(k) !== undefined) ?? outcome.keys[0]!;
        this.model.remove(key);
        return { kind: 'applied', set: false };
      }
    }
  }

  /** True when the line reads as a command on its own (un-wrapping captures asks this). */
  standsAlone(text: string): boolean {
    const tokenized = tokenizeLine(text);
    if (!tokenized.ok || tokenized.tokens.length === 0) return false;
    const outcome = this.interpreter.interpret(tokenized.tokens, GLOBAL_CONTEXT);
    return (
      outcome.kind !== 'error' ||
      outcome.error === 'execute-select-beforehand' ||
      outcome.error === 'execute-tunnel-select-beforehand'
    );
  }
}

/** Reads a whole config (file bytes, or text already decoded). */
export function readConfig(input: string | Uint8Array, options: ReadOptions = {}): ReadResult {
  const decoded = typeof input === 'string' ? { text: input, encoding: 'utf-8' as const } : decodeConfigBytes(input);
  const session = new ConfigSession(new ConfigModel(), interpreterFor(options.registry, options.maxTunnels), options.acceptNewerValues === true);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigWarning[] = [];
  const source = splitSourceLines(decoded.text, (text) => session.standsAlone(text));
  /** Source lines of the commands that were set (whether a later line replaced them is known at the end). */
  const setLines: number[] = [];
  let otherApplied = 0;
  for (const sourceLine of source.lines) {
    const text = sourceLine.text.trim();
    let result: LineResult;
    if (sourceLine.kind === 'heredoc' && !sourceLine.terminated) {
      result = { kind: 'error', error: 'insufficient-or-too-many-parameters', detail: `no ${sourceLine.terminator} line` };
    } else {
      const heredoc =
        sourceLine.kind === 'heredoc' ? { terminator: sourceLine.terminator, body: sourceLine.body } : undefined;
      result = session.execute(sourceLine.text, sourceLine.line, heredoc);
    }
    if (result.kind === 'error') {
      problems.push(
        result.detail === undefined
          ? { line: sourceLine.line, text, error: result.error }
          : { line: sourceLine.line, text, error: result.error, detail: result.detail },
      );
    } else if (result.kind === 'skipped-absent') {
      warnings.push({ line: sourceLine.line, text, name: result.name, reason: result.reason });
    } else if (result.kind === 'applied' && result.set) {
      setLines.push(sourceLine.line);
    } else {
      otherApplied++;
    }
  }
  const surviving = new Set(session.model.commands.map((c) => c.source.line));
  const survivors = setLines.filter((line) => surviving.has(line)).length;
  const { blank, comment, header, prompt, output, wrapped, heredoc } = source.skipped;
  const lines: LineTally = {
    read: source.physicalLines,
    applied: survivors + otherApplied,
    replaced: setLines.length - survivors,
    rejected: problems.length,
    warned: warnings.length,
    notCommand: { blank, comment, header, prompt, output },
    partOfLineAbove: { wrapped, heredoc },
  };
  return { model: session.model, lines, problems, warnings, encoding: decoded.encoding, capture: source.capture };
}
