/** argv that runs `rtxlab ARGS` from this checkout's sources, from any current directory. */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
export const SOURCE_CLI = fileURLToPath(new URL('./rtxlab-cli.ts', import.meta.url));
/** Node flags for a process that runs TypeScript sources: the legacy provider (single DES) and tsx. */
export const SOURCE_EXEC_ARGV: readonly string[] = ['--openssl-legacy-provider', '--import', tsxLoader];

export function sourceCliArgv(args: readonly string[]): string[] {
  return [process.execPath, ...SOURCE_EXEC_ARGV, SOURCE_CLI, ...args];
}
