/**
 * A real client program (telnet, ssh) driven as a script would: its output collected, waits for
 * text bounded in time, lines typed on its standard input.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** True when `program` cannot be run here (the caller skips unless CI). */
export function programMissing(program: string): boolean {
  return spawnSync('which', [program], { stdio: 'ignore' }).status !== 0;
}

export class SpawnedClient {
  private output = '';
  private readonly waiters = new Set<() => void>();
  exited = false;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(command: string, args: readonly string[]) {
    this.child = spawn(command, args, { stdio: 'pipe' });
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString('latin1');
      for (const wake of this.waiters) wake();
    };
    this.child.stdout.on('data', collect);
    this.child.stderr.on('data', collect);
    this.child.on('exit', () => {
      this.exited = true;
      for (const wake of this.waiters) wake();
    });
  }

  get text(): string {
    return this.output;
  }

  /** Resolves when the output from `from` on matches `pattern`; rejects after `timeoutMs`. */
  until(pattern: RegExp, from = 0, timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const seen = this.output.slice(from);
        if (!pattern.test(seen) && !this.exited) return;
        this.waiters.delete(wake);
        clearTimeout(timer);
        if (pattern.test(seen)) resolve(seen);
        else reject(new Error(`${pattern} never came; the client exited after: ${JSON.stringify(seen.slice(-400))}`));
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`${pattern} never came; received: ${JSON.stringify(this.output.slice(from).slice(-400))}`));
      }, timeoutMs);
      this.waiters.add(wake);
      wake();
    });
  }

  /** Types `line` and Enter (CR, as a terminal sends it); returns where the answer starts in `text`. */
  line(line: string): number {
    const from = this.output.length;
    this.child.stdin.write(`${line}\r`);
    return from;
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
