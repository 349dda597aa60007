/**
 * The sshd on a real RtxRouter, reached over 127.0.0.1 by ssh2's client: password authentication
 * against the console's passwords, the shell with its pty, the SSH log lines, `sshd service` /
 * `sshd host`, and the host key kept in a file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../../src/config/default-config.js';
import { loadOrCreateHostKey } from '../../../src/console/servers/ssh-host-key.js';
import { startSshServer } from '../../../src/console/servers/ssh-server.js';
import type { ManagementServer } from '../../../src/console/servers/management-server.js';
import { RawClient } from '../support/raw-client.js';
import { testRouter, type TestRouter } from '../support/routers.js';

const CONFIG = DEFAULT_CONFIG_TEXT.replace('login password *\n', 'login password lab-pass\nadministrator password admin-pass\nsshd service on\n');

const dir = mkdtempSync(join(tmpdir(), 'rtxlab-sshd-test-'));
const hostKey = loadOrCreateHostKey(join(dir, 'host_key')).privateKey;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sshd(config = CONFIG): Promise<{ test: TestRouter; server: ManagementServer }> {
  const test = testRouter(config);
  cleanups.push(() => test.dispose());
  const server = await startSshServer({ router: test.router, host: '127.0.0.1', port: 0, clock: test.clock, hostKey });
  cleanups.push(() => server.close());
  return { test, server };
}

interface ShellResult {
  readonly text: string;
  readonly error?: string;
}

/** Connects, opens a shell with an 80x24 pty, sends `input` after the first prompt, collects until the connection ends. */
function shell(server: ManagementServer, password: string, input: (string | Buffer)[], username = 'user'): Promise<ShellResult> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let text = '';
    const timer = setTimeout(() => client.end(), 5000);
    const finish = (error?: string) => {
      clearTimeout(timer);
      resolve(error === undefined ? { text } : { text, error });
    };
    client.on('error', (error) => finish(error.message));
    client.on('close', () => finish());
    client.on('ready', () => {
      client.shell({ cols: 80, rows: 24, term: 'vt100' }, (error, stream) => {
        if (error) return finish(error.message);
        const pending = [...input];
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (/[>#] $/.test(text) && pending.length > 0) stream.write(pending.shift() ?? '');
        });
      });
    });
    client.connect({ host: '127.0.0.1', port: server.port, username, password, tryKeyboard: false });
  });
}


describe('sshd', () => {
  it('lets in the login password, opens the console at the prompt without asking it again, logs SSH login and logout', async () => {
    const { test, server } = await sshd();
    const result = await shell(server, 'lab-pass', ['show status boot\r', 'exit\r']);
    expect(result.error).toBeUndefined();
    expect(result.text).not.toContain('Password:');
    expect(result.text).toMatch(/^\r\nRTX1500 Rev\.8\.03\.75|^RTX1500 Rev\.8\.03\.75/);
    expect(result.text).toMatch(/> show status boot\r\n[\s\S]*Restart by[\s\S]*> exit/);
    const messages = test.router.logEntries().map((entry) => entry.message);
    expect(messages).toEqual(expect.arrayContaining(['Login succeeded for SSH: 127.0.0.1', 'Logout from SSH: 127.0.0.1']));
  });

  it('refuses a wrong password and logs the failure', async () => {
    const { test, server } = await sshd();
    const result = await shell(server, 'wrong', []);
    expect(result.error).toMatch(/authentication methods failed/i);
    expect(test.router.logEntries().map((entry) => entry.message)).toContain('Login failed for SSH: 127.0.0.1');
  });

  it('checks a `login user` password by the SSH user name', async () => {
    const { server } = await sshd(CONFIG + 'login user alice alice-pass\n');
    expect((await shell(server, 'alice-pass', ['exit\r'], 'alice')).error).toBeUndefined();
    expect((await shell(server, 'lab-pass', [], 'alice')).error).toMatch(/authentication/i);
  });

  it('turns clients away when `sshd service` is off (the RTX default) or `sshd host` excludes them', async () => {
    for (const config of [CONFIG.replace('sshd service on\n', ''), CONFIG + 'sshd host 192.0.2.1\n']) {
      const { server } = await sshd(config);
      const result = await shell(server, 'lab-pass', []);
      expect(result.text).toBe('');
    }
  });

  it('keeps the host key in its file, readable by its owner only, and reads the same key next time', () => {
    const path = join(dir, 'kept_key');
    const first = loadOrCreateHostKey(path);
    const again = loadOrCreateHostKey(path);
    expect(first.generated).toBe(true);
    expect(again.generated).toBe(false);
    expect(again.privateKey).toBe(readFileSync(path, 'utf8'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('sshd against hostile input', () => {
  it('drops a client that speaks no SSH (telnet bytes, junk) and keeps serving', async () => {
    const { server } = await sshd();
    const junk = await RawClient.open(server.port);
    cleanups.push(() => junk.close());
    junk.send(Buffer.concat([Buffer.from([255, 253, 1, 255, 251, 3]), Buffer.alloc(64 * 1024, 0xfe), Buffer.from('\r\n')]));
    await junk.until((client) => client.closed, 5000);
    expect((await shell(server, 'lab-pass', ['exit\r'])).text).toMatch(/> exit/);
  });

  it('survives a 100 KB line, control characters and broken UTF-8/Shift_JIS, and still answers', async () => {
    const { server } = await sshd();
    const junk = Buffer.concat([
      Buffer.alloc(100 * 1024, 0x61),
      Buffer.from('\x15'),
      Buffer.from([1, 2, 3, 4, 5, 6, 7, 0x0b, 0x0c, 0x0e, 0x1c, 0x1d, 0x1e, 0x1f, 0xc3, 0x28, 0xff, 0x81, 0xe0, 0x82, 0xa0, 0xed, 0xa0, 0x80]),
      Buffer.from('\x15show status boot\r'),
    ]);
    const result = await shell(server, 'lab-pass', [junk, 'exit\r']);
    expect(result.text).toMatch(/Restart by[\s\S]*> exit/);
  });

});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
