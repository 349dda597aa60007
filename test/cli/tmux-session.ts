/**
 * A program running in a real pseudo-terminal, driven as a person would: tmux (Debian's) on a
 * private server socket of its own (never the user's tmux), keys sent literally, the screen read
 * back. Waits are bounded in time.
 */
import { execFileSync } from 'node:child_process';

let sessions = 0;

export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly name: string,
  ) {}

  /** Starts `command` (argv) in a detached session of `columns` x `rows`; the pane stays after it exits. */
  static start(command: readonly string[], { columns = 100, rows = 40, cwd }: { columns?: number; rows?: number; cwd?: string } = {}): TmuxSession {
    const socket = `rtxlab-test-${process.pid}-${++sessions}`;
    const session = new TmuxSession(socket, 'console');
    const shellCommand = command.map(shellQuote).join(' ');
    session.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'console', '-x', String(columns), '-y', String(rows), ...(cwd ? ['-c', cwd] : []), shellCommand);
    session.tmux('set-option', '-t', 'console', 'remain-on-exit', 'on');
    return session;
  }

  /** Types `text` literally (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Presses a named key (`Enter`, `Space`, `Tab`, `C-c`). */
  press(key: string): void {
    this.tmux('send-keys', '-t', this.name, key);
  }

  typeLine(text: string): void {
    this.type(text);
    this.press('Enter');
  }

  /** The screen and its scrollback, trailing blank lines removed. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.name, '-S', '-2000').replace(/\n+$/, '');
  }

  exited(): boolean {
    return this.tmux('display-message', '-p', '-t', this.name, '#{pane_dead}').trim() === '1';
  }

  /** Waits until the screen matches `pattern` (checked every 100 ms, at most `timeoutMs`). */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async waitForExit(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.exited()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the program to exit; screen:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  }
}

function shellQuote(word: string): string {
  return /^[\w./=:@-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
