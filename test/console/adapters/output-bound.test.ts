/**
 * The telnet and SSH session adapters on a stream that never drains (a client that never reads):
 * the output backlog is bounded, the session is hung up and logged out instead of buffering on.
 */
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../../src/config/default-config.js';
import { runSshShell } from '../../../src/console/adapters/ssh.js';
import { runTelnetSession } from '../../../src/console/adapters/telnet.js';
import { testRouter, type TestRouter } from '../support/routers.js';

/** A connection whose peer never reads: every write stays pending. */
class StalledConnection extends Duplex {
  override _read(): void {}
  override _write(_chunk: Buffer, _encoding: BufferEncoding, _done: (error?: Error | null) => void): void {
    // never calls `_done`: the bytes stay in writableLength
  }
}

let test: TestRouter | undefined;
afterEach(async () => {
  await test?.dispose();
});

describe('session output bound', () => {
  it('hangs up a client that never reads once its backlog passes the bound, logging it out', async () => {
    test = testRouter(DEFAULT_CONFIG_TEXT.replace('login password *\n', 'console lines infinity\n'));
    const connection = new StalledConnection({ highWaterMark: 1024 });
    const ended = runTelnetSession({ router: test.router, stream: connection, clientAddress: '127.0.0.1', clock: test.clock, maxOutputBacklog: 16 * 1024 });
    for (let i = 0; i < 100 && !connection.destroyed; i++) connection.push(Buffer.from('show config\r\n'));
    await ended;
    expect(connection.destroyed).toBe(true);
    expect(connection.writableLength).toBeLessThanOrEqual(16 * 1024);
    expect(test.router.logEntries().map((entry) => entry.message)).toContain('Logout from TELNET: 127.0.0.1');
  });

  it('does the same for an SSH shell channel', async () => {
    test = testRouter(DEFAULT_CONFIG_TEXT.replace('login password *\n', 'console lines infinity\n'));
    const channel = new StalledConnection({ highWaterMark: 1024 });
    let loggedOut = false;
    const shell = runSshShell({
      router: test.router,
      channel,
      clientAddress: '127.0.0.1',
      clock: test.clock,
      maxOutputBacklog: 16 * 1024,
      onLogout: () => (loggedOut = true),
    });
    for (let i = 0; i < 100 && !channel.destroyed; i++) channel.push(Buffer.from('show config\r'));
    await shell.closed;
    expect(channel.destroyed).toBe(true);
    expect(loggedOut).toBe(false); // hung up, not an `exit`
    expect(test.router.logEntries().map((entry) => entry.message)).toContain('Logout from SSH: 127.0.0.1');
  });
});
