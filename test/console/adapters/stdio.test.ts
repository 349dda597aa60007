/**
 * The console on piped streams (a script feeding `rtxlab console`): lines in, the console's
 * answers out with `\n` line ends and no pager, a save finishing before the next line runs, and
 * the end of the input logging out.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../../src/config/default-config.js';
import { runStdioConsole } from '../../../src/console/adapters/stdio.js';
import { testRouter } from '../support/routers.js';

describe('runStdioConsole on piped input', () => {
  it('runs a script to its end, then logs out', async () => {
    const { router, clock, saved } = testRouter(DEFAULT_CONFIG_TEXT.replace('login password *\n', 'login password secret\n'));
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = runStdioConsole({ router, input, output, clock });
    input.end('secret\nadministrator\nip lan1 proxyarp off\nsave\nshow config\nquit\n');
    await done;
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.startsWith('Password: \n')).toBe(true);
    expect(text).not.toContain('secret');
    expect(text).toContain('\n# save\nSaving ... CONFIG0 Done .\n# show config\n# RTX1500 Rev.8.03.75');
    expect(text).not.toContain('--- More ---');
    expect(text).toContain('ip lan1 proxyarp off\n');
    expect(text).not.toContain('\r');
    expect(saved()).toContain('ip lan1 proxyarp off\n');
    expect(router.logEntries().map((e) => e.message)).toEqual([
      'Login succeeded for Serial',
      "'administrator' succeeded for Serial user",
      'Logout from Serial',
    ]);
  });
});
