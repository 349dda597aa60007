/**
 * The telnetd on a real RtxRouter, reached over 127.0.0.1 by a bare TCP client: login as the
 * console does, the log lines of a TELNET session, `telnetd service` / `telnetd host`, the
 * session cap, and hostile input that must neither crash nor stall the router.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../../src/config/default-config.js';
import { connectClient } from '../../../src/initiator/connect-client.js';
import { MAX_SESSIONS_PER_SERVICE } from '../../../src/console/servers/session-cap.js';
import type { ManagementServer } from '../../../src/console/servers/management-server.js';
import { startTelnetServer } from '../../../src/console/servers/telnet-server.js';
import { IAC, DO, SB, SE, WILL } from '../../../src/console/adapters/telnet-protocol.js';
import { RawClient } from '../support/raw-client.js';
import { testRouter, type TestRouter } from '../support/routers.js';

const PASSWORDS = 'login password lab-pass\nadministrator password admin-pass\n';
const CONFIG = DEFAULT_CONFIG_TEXT.replace('login password *\n', PASSWORDS);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function telnetd(extraConfig = '', options: { maxSessions?: number; maxOutputBacklog?: number } = {}): Promise<{ test: TestRouter; server: ManagementServer }> {
  const test = testRouter(CONFIG + extraConfig);
  cleanups.push(() => test.dispose());
  const server = await startTelnetServer({ router: test.router, host: '127.0.0.1', port: 0, clock: test.clock, ...options });
  cleanups.push(() => server.close());
  return { test, server };
}

async function client(server: ManagementServer): Promise<RawClient> {
  const opened = await RawClient.open(server.port);
  cleanups.push(() => opened.close());
  return opened;
}

async function loggedIn(server: ManagementServer): Promise<RawClient> {
  const c = await client(server);
  await c.untilText(/Password: $/);
  c.send('lab-pass\r\n');
  await c.untilText(/> $/);
  return c;
}

const logMessages = (test: TestRouter): string[] => test.router.logEntries().map((entry) => entry.message);

describe('telnetd', () => {
  it('negotiates, asks the password, logs in to the user prompt and logs the TELNET login and logout', async () => {
    const { test, server } = await telnetd();
    const c = await client(server);
    await c.untilText(/Password: $/);
    expect([...c.bytes.subarray(0, 9)]).toEqual([IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 31]);
    c.send('wrong\r\n');
    await c.untilText(/Incorrect password[\s\S]*Password: $/);
    c.send('lab-pass\r\0');
    await c.untilText(/RTX1500 Rev\.8\.03\.75[\s\S]*\r\n> $/);
    c.send('exit\r\n');
    await c.until((x) => x.closed);
    expect(logMessages(test)).toEqual(
      expect.arrayContaining(['Login failed for TELNET: 127.0.0.1', 'Login succeeded for TELNET: 127.0.0.1', 'Logout from TELNET: 127.0.0.1']),
    );
  });

  it('reads the window width from NAWS: a narrow window wraps long lines, so a page holds fewer config lines', async () => {
    const { server } = await telnetd('console lines 24\n');
    const firstPage = async (columns: number): Promise<string[]> => {
      const c = await loggedIn(server);
      c.send(Buffer.from([IAC, SB, 31, 0, columns, 0, 24, IAC, SE]));
      c.send('show config\r\n');
      await c.untilText(/--- More ---/);
      const page = c.text.slice(c.text.lastIndexOf('show config\r\n') + 'show config\r\n'.length, c.text.lastIndexOf('--- More ---'));
      c.send('q');
      return page.split('\r\n').filter((row) => row !== '');
    };
    const wide = await firstPage(200);
    const narrow = await firstPage(30);
    expect(narrow.join('').length).toBeLessThan(wide.join('').length);
  });

  it('closes a connection at once when `telnetd service off` or `telnetd host` excludes the client', async () => {
    for (const extra of ['telnetd service off\n', 'telnetd host none\n', 'telnetd host 192.0.2.1-192.0.2.9\n']) {
      const { server } = await telnetd(extra);
      const c = await client(server);
      await c.until((x) => x.closed, 2000);
      expect(c.bytes.length).toBe(0);
    }
  });

  it('admits a client inside a `telnetd host` range', async () => {
    const { server } = await telnetd('telnetd host 127.0.0.0-127.0.0.255\n');
    await loggedIn(server);
  });

  it('holds at most the session cap at once; a place frees when a session ends', async () => {
    const { server } = await telnetd('', { maxSessions: 2 });
    const first = await loggedIn(server);
    await loggedIn(server);
    const third = await client(server);
    await third.until((x) => x.closed, 2000);
    expect(third.bytes.length).toBe(0);
    first.send('exit\r\n');
    await first.until((x) => x.closed);
    await loggedIn(server);
  });
});

describe('telnetd against hostile input', () => {
  it('survives a 100 KB line, control characters, an IAC flood and broken UTF-8/Shift_JIS, and still answers', async () => {
    const { server } = await telnetd();
    const c = await loggedIn(server);
    c.send(Buffer.alloc(100 * 1024, 0x61));
    c.send('\x15'); // Ctrl-U: drop the line
    const controls = Buffer.from(Array.from({ length: 32 }, (_, i) => i).filter((b) => b !== 13 && b !== 10 && b !== 9 && b !== 0x3f && b !== 0x1b));
    c.send(controls);
    c.send('\x15');
    const flood = Buffer.alloc(3 * 20_000);
    for (let i = 0; i < 20_000; i++) flood.set([IAC, i % 2 === 0 ? DO : WILL, i % 256 === 255 ? 0 : i % 256], i * 3);
    c.send(flood);
    c.send(Buffer.from([0xc3, 0x28, 0xff, 0xff, 0x81, 0xe0, 0x82, 0xa0, 0xa0, 0xed, 0xa0, 0x80]));
    c.send('\x15show status boot\r\n');
    await c.untilText(/Restart by[\s\S]*> $/, 10_000);
    expect(c.closed).toBe(false);
  });


  it(`takes ${MAX_SESSIONS_PER_SERVICE} sessions at once by default and closes the rest of 20 connections at once`, async () => {
    const { server } = await telnetd();
    const opened = await Promise.all(Array.from({ length: 20 }, () => client(server)));
    await Promise.all(opened.map((c) => c.until((x) => x.closed || /Password: $/.test(x.text))));
    expect(opened.filter((c) => /Password: $/.test(c.text) && !c.closed)).toHaveLength(MAX_SESSIONS_PER_SERVICE);
    expect(opened.filter((c) => c.closed && c.bytes.length === 0)).toHaveLength(20 - MAX_SESSIONS_PER_SERVICE);
  });

  it('keeps the IKE service answering while every session floods the console', async () => {
    const { test, server } = await telnetd();
    const listening = await test.router.start();
    const flooders = await Promise.all(Array.from({ length: MAX_SESSIONS_PER_SERVICE }, () => loggedIn(server)));
    const flood = Buffer.concat([Buffer.alloc(16 * 1024, 0x62), Buffer.from('\x15'), Buffer.alloc(3 * 10_000, 0)]);
    for (let i = 0; i < 3 * 10_000; i += 3) flood.set([IAC, DO, (i / 3) % 250], 16 * 1024 + 1 + i);
    for (const flooder of flooders) flooder.send(flood);
    const connected = await connectClient({ gateway: listening });
    expect(connected.outcome).toBe('established');
    if (connected.outcome === 'established') await connected.tunnel?.close();
    for (const flooder of flooders) flooder.send('\x15show status boot\r\n');
    await Promise.all(flooders.map((f) => f.untilText(/Restart by[\s\S]*> $/, 15_000)));
  }, 30_000);
});
