import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Single DES lives in OpenSSL's legacy provider (node 20 / OpenSSL 3): the workers need it.
    pool: 'forks',
    execArgv: ['--openssl-legacy-provider'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
