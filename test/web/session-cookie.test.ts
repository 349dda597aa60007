import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/web/messages.js';
import { ADMIN_PASSWORD, LOGIN_PASSWORD, openSocket, SEED_PSK, startWebRouter, type RecordingSocket, type WebRouter } from './support/web-router.js';

let running: WebRouter;
const sockets: RecordingSocket[] = [];
beforeEach(async () => {
  running = await startWebRouter();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await running.dispose();
});

const origin = () => `http://127.0.0.1:${running.web.port}`;
const open = async (cookie?: string) => {
  const socket = await openSocket(running.web, origin(), cookie);
  sockets.push(socket);
  return socket;
};
const loggedInMessage = (messages: readonly ServerMessage[]) => messages.find((message): message is Extract<ServerMessage, { type: 'logged-in' }> => message.type === 'logged-in');

async function loginWithPassword(): Promise<{ socket: RecordingSocket; claim: string }> {
  const socket = await open();
  await socket.until(() => socket.terminal().includes('Password: '), 'the password prompt');
  socket.send(`${LOGIN_PASSWORD}\r`);
  await socket.until((messages) => loggedInMessage(messages) !== undefined, 'logged-in');
  return { socket, claim: loggedInMessage(socket.messages)!.sessionClaim! };
}

const trade = (claim: string, headers: Record<string, string> = { origin: origin() }) =>
  fetch(`${running.web.url}session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ claim }) });

/** The Set-Cookie header's attributes, lower-cased names. */
function cookieAttributes(header: string | null): { name: string; value: string; attributes: Map<string, string> } {
  const [pair = '', ...rest] = (header ?? '').split(';').map((part) => part.trim());
  const [name = '', value = ''] = pair.split('=');
  return { name, value, attributes: new Map(rest.map((part) => [part.split('=')[0]!.toLowerCase(), part.split('=')[1] ?? ''])) };
}

describe('the session cookie', () => {
  it('is set after the console login, for the one-time claim: HttpOnly, SameSite=Strict, Path=/, no expiry date, a random id and nothing else', async () => {
    const { claim } = await loginWithPassword();
    expect(claim).toMatch(/^[0-9a-f]{32}$/);
    const response = await trade(claim);
    expect(response.status).toBe(204);
    const setCookie = response.headers.get('set-cookie');
    const cookie = cookieAttributes(setCookie);
    expect(cookie.name).toBe('rtxlab-session');
    expect(cookie.value).toMatch(/^[0-9a-f]{32}$/);
    expect(cookie.value).not.toBe(claim);
    expect([...cookie.attributes.keys()].sort()).toEqual(['httponly', 'path', 'samesite']);
    expect(cookie.attributes.get('samesite')).toBe('Strict');
    expect(cookie.attributes.get('path')).toBe('/');
    for (const secret of [LOGIN_PASSWORD, ADMIN_PASSWORD, SEED_PSK]) expect(setCookie).not.toContain(secret);
    // A claim is good once.
    expect((await trade(claim)).status).toBe(403);
  });

  it('is refused to another site (Origin), to a made-up claim, and to a body that is no JSON', async () => {
    const { claim } = await loginWithPassword();
    const foreign = await trade(claim, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    expect((await trade('0'.repeat(32))).status).toBe(403);
    const broken = await fetch(`${running.web.url}session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: origin() }, body: '{"claim":' });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toBe('');
    // The refused trade did not spend the claim: the page's own request still gets the cookie.
    expect((await trade(claim)).status).toBe(204);
  });

  it('opens the console logged in on a reload (login level, no Password: prompt), and no more after a logout', async () => {
    const { socket: first, claim } = await loginWithPassword();
    const cookie = cookieAttributes((await trade(claim)).headers.get('set-cookie'));
    const header = `${cookie.name}=${cookie.value}`;
    // The page goes (a reload closes its socket): a hang-up, logged as a logout; the session stays.
    first.close();
    await running.router.waitFor('log', (event) => event.entry.message === 'Logout from HTTP: 127.0.0.1', 5_000);

    const logins = () => running.router.logEntries().filter((entry) => entry.message === 'Login succeeded for HTTP: 127.0.0.1').length;
    const loginsBefore = logins();
    const reloaded = await open(header);
    await reloaded.until((messages) => loggedInMessage(messages) !== undefined, 'logged-in without a password');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Logged as a login, once.
    expect(logins()).toBe(loginsBefore + 1);
    expect(loggedInMessage(reloaded.messages)).toEqual({ type: 'logged-in', resumed: true });
    await reloaded.until(() => reloaded.terminal().includes('> '), 'the prompt');
    expect(reloaded.terminal()).not.toContain('Password:');
    expect(reloaded.messages.some((message) => message.type === 'state')).toBe(true);
    // Administrator mode is not kept: it asks its password.
    reloaded.send('administrator\r');
    await reloaded.until(() => reloaded.terminal().includes('Password: '), 'the administrator password prompt');
    reloaded.send('\r');
    await reloaded.until(() => reloaded.terminal().includes('Incorrect password'), 'the refusal');

    // exit on the console is a logout: the session goes, the cookie logs nobody in any more.
    reloaded.send('exit\r');
    await reloaded.until((messages) => messages.some((message) => message.type === 'terminal-closed'), 'the logout');
    const afterLogout = await open(header);
    await afterLogout.until(() => afterLogout.terminal().includes('Password: '), 'the password prompt again');
    expect(afterLogout.messages.filter((message) => message.type !== 'terminal-output')).toEqual([]);
  });

  it('is removed by DELETE /session (the page asks after a logout), which also ends the session', async () => {
    const { claim } = await loginWithPassword();
    const cookie = cookieAttributes((await trade(claim)).headers.get('set-cookie'));
    const header = `${cookie.name}=${cookie.value}`;
    const removed = await fetch(`${running.web.url}session`, { method: 'DELETE', headers: { origin: origin(), cookie: header } });
    expect(removed.status).toBe(204);
    const expired = cookieAttributes(removed.headers.get('set-cookie'));
    expect(expired.value).toBe('');
    expect(expired.attributes.get('max-age')).toBe('0');
    const after = await open(header);
    await after.until(() => after.terminal().includes('Password: '), 'the password prompt');
  });

  it('a page without the cookie still gets nothing but its login prompt', async () => {
    await loginWithPassword();
    const stranger = await open('rtxlab-session=' + 'f'.repeat(32));
    await stranger.until(() => stranger.terminal().includes('Password: '), 'the password prompt');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stranger.messages.filter((message) => message.type !== 'terminal-output')).toEqual([]);
  });
});
