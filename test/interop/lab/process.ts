import { spawn, type ChildProcess } from 'node:child_process';

/** How a finished command ended, with everything it printed. */
export interface CommandResult {
  argv: readonly string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the harness killed the command because it ran past its time limit. */
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  /** Hard limit; the whole process group is killed with SIGKILL when it passes. Default 10 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
}

/** A command that did not exit 0, with its output kept so the test failure explains itself. */
export class CommandError extends Error {
  constructor(readonly result: CommandResult) {
    super(describeFailure(result));
    this.name = 'CommandError';
  }
}

function describeFailure(result: CommandResult): string {
  const how = result.timedOut
    ? 'timed out'
    : result.signal !== null
      ? `was killed by ${result.signal}`
      : `exited ${result.exitCode}`;
  const tail = (text: string) => text.trimEnd().split('\n').slice(-15).join('\n');
  return `\`${result.argv.join(' ')}\` ${how} after ${result.durationMs} ms\n` +
    `--- stdout (tail)\n${tail(result.stdout)}\n--- stderr (tail)\n${tail(result.stderr)}`;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Output kept per stream; a chatty daemon (vpnc --debug 3) must not grow without bound. */
const MAX_KEPT_OUTPUT = 4 * 1024 * 1024;

/**
 * Kills a child's whole process group: `ip netns exec` and `unshare` exec in place, but shells
 * and daemons may fork, and a test must not leave any of them behind.
 */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function appendBounded(kept: string, chunk: string): string {
  const joined = kept + chunk;
  return joined.length > MAX_KEPT_OUTPUT ? joined.slice(joined.length - MAX_KEPT_OUTPUT) : joined;
}

/** Runs a command to completion (or its time limit) and returns what happened; never throws for a non-zero exit. */
export function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runCommand: empty argv');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout = appendBounded(stdout, chunk)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = appendBounded(stderr, chunk)));
    if (options.input !== undefined) child.stdin!.end(options.input);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ argv, exitCode, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

/** Throws a CommandError (carrying the output) unless the command exited 0. */
export function assertSucceeded(result: CommandResult): CommandResult {
  if (result.exitCode !== 0 || result.timedOut) throw new CommandError(result);
  return result;
}

export async function runChecked(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return assertSucceeded(await runCommand(argv, options));
}

export interface DaemonExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface DaemonOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface StopOptions {
  signal?: NodeJS.Signals;
  /** Time to exit after the first signal before SIGKILL. Default 3 s. */
  graceMs?: number;
}

/** A long-running process (charon, tcpdump, vpnc) with its combined output kept for assertions. */
export class Daemon {
  readonly exited: Promise<DaemonExit>;
  private combinedOutput = '';
  private exitInfo: DaemonExit | undefined;
  private readonly outputWaiters = new Set<() => void>();
  private readonly child: ChildProcess;

  constructor(readonly argv: readonly string[], options: DaemonOptions = {}) {
    const [file, ...args] = argv;
    if (file === undefined) throw new Error('Daemon: empty argv');
    this.child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: string) => {
      this.combinedOutput = appendBounded(this.combinedOutput, chunk);
      for (const wake of this.outputWaiters) wake();
    };
    this.child.stdout!.setEncoding('utf8').on('data', collect);
    this.child.stderr!.setEncoding('utf8').on('data', collect);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        collect(`\n[harness] spawn failed: ${error.message}\n`);
        this.exitInfo ??= { exitCode: null, signal: null };
        resolve(this.exitInfo);
      });
      this.child.on('close', (exitCode, signal) => {
        this.exitInfo ??= { exitCode, signal };
        for (const wake of this.outputWaiters) wake();
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  /** Everything written to stdout and stderr so far, interleaved as it arrived. */
  output(): string {
    return this.combinedOutput;
  }

  /**
   * Resolves with the first match of `pattern` in the output; rejects when the daemon exits or
   * the time limit passes first, quoting the output's tail.
   */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return waitUntil(
      () => this.combinedOutput.match(pattern) ?? undefined,
      this.outputWaiters,
      () => !this.isRunning(),
      timeoutMs,
      () => `${this.argv.join(' ')}: no ${pattern} in output\n${this.combinedOutput.slice(-2000)}`,
    );
  }

  /** Sends `signal` (default SIGTERM) to the process group, then SIGKILL after the grace time. */
  async stop(options: StopOptions = {}): Promise<DaemonExit> {
    if (!this.isRunning()) return this.exited;
    killGroup(this.child, options.signal ?? 'SIGTERM');
    const killer = setTimeout(() => killGroup(this.child, 'SIGKILL'), options.graceMs ?? 3_000);
    const exit = await this.exited;
    clearTimeout(killer);
    return exit;
  }
}

/**
 * Polls `probe` whenever `wakers` fire (and every 50 ms, for state that is not an event, such
 * as a file being written by another process) until it yields a value.
 */
export function waitUntil<T>(
  probe: () => T | undefined,
  wakers: Set<() => void> | undefined,
  hasGivenUp: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = probe();
      if (value !== undefined) return finish(() => resolve(value));
      if (hasGivenUp()) return finish(() => reject(new Error(`gave up: ${describe()}`)));
    };
    const poll = setInterval(check, 50);
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearInterval(poll);
      clearTimeout(timer);
      wakers?.delete(check);
      settle();
    };
    wakers?.add(check);
    check();
  });
}
