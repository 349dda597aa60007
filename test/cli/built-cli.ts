/**
 * Runs the real `rtxlab` binary (bin/rtxlab.js -> dist/cli/main.js). `npm test` builds first;
 * when dist is missing or older than the sources, this builds it once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

const entry = join(repoRoot, 'dist', 'cli', 'config-command.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const isFresh = (): boolean => {
  // Every module the CLI reaches (the console and the router too), and the grammars.
  const sources = Math.max(newestSource(join(repoRoot, 'src')), newestSource(join(repoRoot, 'grammar')));
  return existsSync(entry) && statSync(entry).mtimeMs >= sources;
};

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Builds dist/ when stale; test files run in parallel workers, so one builds while the others wait. */
export function ensureBuilt(): void {
  const lock = join(repoRoot, '.tmp', 'cli-build.lock');
  mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
  for (let waited = 0; !isFresh(); waited += 500) {
    try {
      mkdirSync(lock);
    } catch {
      if (waited > 120_000) throw new Error('timed out waiting for another worker to build dist/');
      sleep(500);
      continue;
    }
    try {
      spawnSync(process.execPath, ['scripts/build-grammar.mjs'], { cwd: repoRoot, stdio: 'ignore' });
      // tsc emits even when files of other parts of the tree do not type-check.
      spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'ignore' });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    if (!existsSync(entry)) throw new Error('could not build dist/ for the CLI tests');
    return;
  }
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function rtxlab(args: readonly string[], input?: string | Uint8Array): CliRun {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'rtxlab.js'), ...args], {
    cwd: repoRoot,
    input,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
