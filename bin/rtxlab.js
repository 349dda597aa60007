#!/usr/bin/env node
// Entry point of the `rtxlab` command. Single DES (an RTX1500 IKE/ESP algorithm) lives in
// OpenSSL 3's legacy provider, which node only loads when started with --openssl-legacy-provider:
// re-run ourselves with it when it is missing.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const flag = '--openssl-legacy-provider';
if (!process.execArgv.includes(flag) && !(process.env.NODE_OPTIONS ?? '').includes(flag)) {
  const child = spawn(process.execPath, [...process.execArgv, flag, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
} else {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}
