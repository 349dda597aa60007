import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // examples/ import the package by its name, as users do; here that name is this checkout's src.
  resolve: { alias: { rtxlab: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Single DES lives in OpenSSL's legacy provider (node 20 / OpenSSL 3): the workers need it.
    pool: 'forks',
    execArgv: ['--openssl-legacy-provider'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
