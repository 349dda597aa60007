import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/initiator/connect-client.js';
import type { LadderView, ServerMessage } from '../../src/web/messages.js';
import { MAX_SESSIONS_AT_LOGIN, upgradeAllowed } from '../../src/web/web-server.js';
import { ADMIN_PASSWORD, LOGIN_PASSWORD, LOOPBACK_CLIENT_TIMING, openSocket, SEED_PSK, startWebRouter, type WebRouter } from './support/web-router.js';

let running: WebRouter;
beforeEach(async () => {
  running = await startWebRouter();
});
afterEach(async () => {
  await running.dispose();
});

const notTerminal = (messages: readonly ServerMessage[]) => messages.filter((message) => message.type !== 'terminal-output');

describe('the web server', () => {
  it('serves the page and xterm.js from the npm package, every response with a policy forbidding inline and foreign script', async () => {
    for (const path of ['/', '/app.js', '/app.css', '/vendor/xterm/xterm.js', '/vendor/xterm/xterm.css', '/vendor/addon-fit/addon-fit.js']) {
      const response = await fetch(`${running.web.url.replace(/\/$/, '')}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy'), path).toMatch(/script-src 'self'(;|$)/);
    }
    expect((await fetch(`${running.web.url}tsconfig.json`)).status).toBe(404);
  });

  it('refuses a WebSocket opened by another site\'s page (Origin, or Host a name: DNS rebinding) and any path but /ws', async () => {
    await expect(openSocket(running.web, 'http://evil.example')).rejects.toThrow('HTTP 403');
    expect(upgradeAllowed({ url: '/ws', headers: { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' } })).toBe(true);
    expect(upgradeAllowed({ url: '/ws', headers: { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:9090' } })).toBe(false);
    expect(upgradeAllowed({ url: '/other', headers: { host: '127.0.0.1:8080' } })).toBe(false);
    expect(upgradeAllowed({ url: '/ws', headers: { host: '[::1]:8080', origin: 'http://[::1]:8080' } })).toBe(true);
    expect(upgradeAllowed({ url: '/ws', headers: { host: 'localhost:8080', origin: 'http://localhost:8080' } })).toBe(true);
    // DNS rebinding: a site whose name now points at 127.0.0.1 sends its own name as Host and Origin.
    expect(upgradeAllowed({ url: '/ws', headers: { host: 'evil.example:8080', origin: 'http://evil.example:8080' } })).toBe(false);
  });

  it('admits only a few pages at the login prompt at once (no parallel password guessing); a page that logs in frees its place', async () => {
    const waiting = [];
    for (let count = 0; count < MAX_SESSIONS_AT_LOGIN; count++) waiting.push(await openSocket(running.web));
    await expect(openSocket(running.web)).rejects.toThrow('HTTP 503');
    const first = waiting[0]!;
    await first.until(() => first.terminal().includes('Password: '), 'the password prompt');
    first.send(`${LOGIN_PASSWORD}\r`);
    await first.until((messages) => messages.some((message) => message.type === 'logged-in'), 'logged-in');
    const next = await openSocket(running.web);
    for (const socket of [...waiting, next]) socket.close();
  });

  it('before the console login sends terminal output only, and a wrong password gets no state', async () => {
    const socket = await openSocket(running.web);
    await socket.until(() => socket.terminal().includes('Password: '), 'the password prompt');
    socket.send('not-the-password\r');
    await socket.until(() => socket.terminal().includes('Incorrect password'), 'the refusal');
    // Router events happen meanwhile: none reaches a page that has not logged in.
    await connectClient({ gateway: running.router.listening!, whenEstablished: 'delete', timing: LOOPBACK_CLIENT_TIMING });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(notTerminal(socket.messages)).toEqual([]);
    socket.close();
  });

  it('after the login pushes state, log and ladders as the router changes, never a pre-shared key or password outside the terminal', async () => {
    const socket = await openSocket(running.web);
    await socket.until(() => socket.terminal().includes('Password: '), 'the password prompt');
    socket.send(`${LOGIN_PASSWORD}\r`);
    await socket.until((messages) => messages.some((message) => message.type === 'logged-in'), 'logged-in');
    const client = await connectClient({ gateway: running.router.listening!, timing: LOOPBACK_CLIENT_TIMING });
    await socket.until(
      (messages) => messages.some((message) => message.type === 'state' && message.state.tunnels.some((tunnel) => tunnel.up && tunnel.virtualAddress === '10.1.1.110')),
      'the tunnel up with its virtual address',
    );
    await socket.until(
      (messages) => messages.some((message) => message.type === 'ladders' && message.ladders.some((ladder) => ladder.outcome === 'established')),
      'an established ladder',
    );
    // The terminal shows what the RTX console shows (show config prints the key on an RTX)...
    socket.send('console lines infinity\r');
    socket.send('show config\r');
    await socket.until(() => socket.terminal().includes(`pre-shared-key 1 text ${SEED_PSK}`), 'show config');
    // ...every other message never carries it, nor the passwords.
    const others = JSON.stringify(notTerminal(socket.messages));
    expect(others).toContain('XAUTH-USER-PASSWORD=***');
    for (const secret of [SEED_PSK, LOGIN_PASSWORD]) expect(others).not.toContain(secret);
    if (client.outcome !== 'failed') await client.tunnel?.close();
    socket.close();
  });

  it('gives a ladder\'s packets as pcap only for the administrator password', async () => {
    const socket = await openSocket(running.web);
    await socket.until(() => socket.terminal().includes('Password: '), 'the password prompt');
    socket.send(`${LOGIN_PASSWORD}\r`);
    await socket.until((messages) => messages.some((message) => message.type === 'logged-in'), 'logged-in');
    await connectClient({ gateway: running.router.listening!, whenEstablished: 'delete', timing: LOOPBACK_CLIENT_TIMING });
    let ladder: LadderView | undefined;
    await socket.until((messages) => {
      ladder = messages.flatMap((message) => (message.type === 'ladders' ? message.ladders : [])).find((view) => view.outcome === 'closed');
      return ladder !== undefined;
    }, 'a closed ladder');
    const request = (administratorPassword: string) => socket.raw(JSON.stringify({ type: 'capture-request', ladderId: ladder!.id, administratorPassword }));
    request('not-it');
    await socket.until((messages) => messages.some((message) => message.type === 'capture-refused'), 'the refusal');
    expect(socket.messages.find((message) => message.type === 'capture-refused')).toMatchObject({ reason: 'Incorrect administrator password' });
    request(ADMIN_PASSWORD);
    await socket.until((messages) => messages.some((message) => message.type === 'capture'), 'the capture');
    const capture = socket.messages.find((message) => message.type === 'capture');
    if (capture?.type !== 'capture') throw new Error('no capture');
    const file = Buffer.from(capture.pcapBase64, 'base64');
    expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4);
    // Every IKE message of the ladder was one datagram (plus the ESP and keepalives of its NAT-T float).
    expect(capture.datagrams).toBeGreaterThanOrEqual(ladder!.rungs.length);
    socket.close();
  });
});
