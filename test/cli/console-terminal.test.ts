/**
 * Issue 12's terminal-level check: `rtxlab console --config FILE` in a real pseudo-terminal
 * (tmux): log in, `administrator`, change the mode-cfg pool, `save`; while that router still
 * runs, the bundled client connects to its IKE port and gets an address from the new pool, and
 * `show ipsec sa` at the console shows its SAs; then `quit` twice ends it, and the saved file
 * re-reads to the same config.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { readConfig } from '../../src/config/read-config.js';
import { showConfig } from '../../src/config/show-config/show-config.js';
import { connectClient } from '../../src/initiator/connect-client.js';
import { repoRoot } from '../support/paths.js';
import { ensureBuilt } from './built-cli.js';
import { TmuxSession } from './tmux-session.js';

/** Two UDP ports free on 127.0.0.1 right now (the console is told them, so the test knows them). */
async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => {
      const socket = createSocket('udp4');
      return new Promise<ReturnType<typeof createSocket>>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
    }),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

const CONFIG = DEFAULT_CONFIG_TEXT.replace('login password *\n', 'login password LOGINPW\nadministrator password ADMINPW\n');
const NEW_POOL = 'ipsec ike mode-cfg address pool 1 10.1.1.120-10.1.1.129/32';

let dir: string;
let session: TmuxSession | undefined;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rtxlab-console-tty-'));
}, 180_000);
afterAll(() => {
  session?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('rtxlab console in a terminal', () => {
  it('changes the pool live; the bundled client gets an address from it; the saved file re-reads the same', async () => {
    const file = join(dir, 'router.conf');
    writeFileSync(file, CONFIG);
    const [ikePort, nattPort] = await freeUdpPorts(2);
    session = TmuxSession.start(
      [process.execPath, join(repoRoot, 'bin', 'rtxlab.js'), 'console', '--config', file, '--ike-port', String(ikePort), '--natt-port', String(nattPort)],
      { cwd: repoRoot },
    );
    await session.waitFor(/Password: $/);
    session.typeLine('LOGINPW');
    await session.waitFor(/Memory 128Mbytes, 3LAN, 2BRI\n> $/);
    session.typeLine('administrator');
    await session.waitFor(/> administrator\nPassword: $/);
    session.typeLine('ADMINPW');
    await session.waitFor(/\n# $/);
    session.typeLine(NEW_POOL);
    await session.waitFor(new RegExp(`# ${NEW_POOL.replaceAll('.', '\\.')}\\n# $`));
    session.typeLine('save');
    await session.waitFor(/# save\nSaving \.\.\. CONFIG0 Done \.\n# $/);

    const gateway = { ike: { address: '127.0.0.1', port: ikePort! }, natt: { address: '127.0.0.1', port: nattPort! } };
    const connected = await connectClient({ gateway });
    expect(connected.outcome).toBe('established');
    if (connected.outcome !== 'established') return;
    try {
      expect(connected.modeCfg?.address).toMatch(/^10\.1\.1\.12\d$/);
      session.typeLine('show ipsec sa');
      await session.waitFor(/Total: isakmp:1 send:1 recv:1\n[\s\S]*tun\[001\]esp[\s\S]*\n# $/);
    } finally {
      await connected.tunnel?.close();
    }

    session.typeLine('quit');
    await session.waitFor(/# quit\n> $/);
    session.typeLine('quit');
    await session.waitForExit();

    const saved = readFileSync(file, 'utf8');
    const render = (text: string) => showConfig(readConfig(text).model, { now: new Date(0) });
    expect(render(saved)).toBe(render(CONFIG.replace('ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32', NEW_POOL)));
  }, 60_000);
});
