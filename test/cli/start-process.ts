import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** A running `rtxlab start` (the built CLI), with everything it wrote to stdout and stderr. */
export interface StartedRtxlab {
  readonly child: ChildProcess;
  readonly output: () => string;
}

const started: ChildProcess[] = [];

/** `rtxlab start ARGS` from the repository root, its output collected; `stopStartedRtxlabs` ends it. */
export function startRtxlab(args: readonly string[]): StartedRtxlab {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'rtxlab.js'), 'start', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output };
}

/** SIGTERM to every process `startRtxlab` started that is still running. */
export function stopStartedRtxlabs(): void {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
}

/** Waits until `condition` holds, at most `timeoutMs` (the test's assertions then say what did not happen). */
export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const since = Date.now(); !condition(); ) {
    if (Date.now() - since > timeoutMs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
