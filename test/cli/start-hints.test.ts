/**
 * `rtxlab start` prints rtxlab's hints on stdout as `rtxlab:` lines among the log, and
 * `--no-hints` (hints: false) leaves them out; the router's `show log` never holds them.
 */
import { describe, expect, it } from 'vitest';
import { startRouter } from '../../src/cli/start.js';
import { connectClient } from '../../src/initiator/connect-client.js';

async function pullingClientAgainstStart(hints: boolean | undefined) {
  let stdout = '';
  const router = await startRouter({ bind: '127.0.0.1', ikePort: 0, nattPort: 0, ...(hints === undefined ? {} : { hints }) }, { stdout: (text) => void (stdout += text), stderr: () => {} });
  try {
    await connectClient({ gateway: router.listening!, profile: 'strongswan-5.9', overrides: { pull: true }, whenEstablished: 'delete', timing: { retransmitTimeoutsMs: [300, 600], message3QuietMs: 600, peerWaitMs: 1500 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { stdout, showLog: router.logEntries().map((entry) => entry.line).join('\n') };
  } finally {
    await router.stop();
  }
}

describe('rtxlab start: hints', () => {
  it('prints one rtxlab: line for a client that pulls mode-cfg, which show log does not hold', async () => {
    const { stdout, showLog } = await pullingClientAgainstStart(undefined);
    expect(stdout.split('\n').filter((line) => /^rtxlab: .*pulls its address/.test(line))).toHaveLength(1);
    expect(showLog).not.toMatch(/pulls its address/);
  });

  it('--no-hints: none', async () => {
    const { stdout } = await pullingClientAgainstStart(false);
    expect(stdout).not.toMatch(/pulls its address/);
    expect(stdout).toMatch(/mode-cfg REQUEST from 127\.0\.0\.1 not answered/);
  });
});
