import { afterEach, describe, expect, it } from 'vitest';
import { runMatrix } from '../../src/matrix/index.js';
import type { MatrixRowView, ServerMessage } from '../../src/web/messages.js';
import { runMatrixForPage } from '../../src/web/matrix-run.js';
import { LOGIN_PASSWORD, openSocket, startWebRouter, type WebRouter } from './support/web-router.js';

const rowsOf = (messages: readonly ServerMessage[]): MatrixRowView[] => messages.flatMap((message) => (message.type === 'matrix-row' ? [message.row] : []));

describe('the seed matrix for the page', () => {
  it("sends each row as rtxlab matrix judges it, with its client's ladder from the row's own router", async () => {
    const rowIds = ['racoon', 'openswan-type-2'];
    const messages: ServerMessage[] = [];
    await runMatrixForPage((message) => messages.push(message), { rowIds });
    expect(messages[0]).toEqual({ type: 'matrix-started', rows: [expect.objectContaining({ id: 'racoon' }), expect.objectContaining({ id: 'openswan-type-2' })] });
    expect(messages.at(-1)).toEqual({ type: 'matrix-finished', done: 2, matched: 2, total: 2 });
    const [racoon, openswan] = rowsOf(messages);
    const reference = await runMatrix({ rowIds });
    expect([racoon?.matches, openswan?.matches]).toEqual(reference.rows.map((row) => row.verdict.matches));
    // racoon connects: one ladder, Aggressive Mode through Quick Mode, established and closed by the client at the row's end.
    expect(racoon?.ladders).toHaveLength(1);
    expect(racoon?.ladders[0]?.outcome).toBe('closed');
    expect(racoon?.ladders[0]?.rungs.map((rung) => rung.label)).toEqual(expect.arrayContaining(['AM 1', 'AM 2', 'AM 3', 'XAUTH REQUEST', 'QM 1', 'QM 3']));
    // OpenSWAN encrypting message 3 against payload type 2: the ladder stops with the write-up's line.
    expect(openswan?.decisiveLine).toMatch(/payload malformed : no message/);
    // Half-open when the row's router stopped: it can go no further, so it failed.
    expect(openswan?.ladders[0]?.outcome).toBe('failed');
    expect(openswan?.ladders[0]?.stop?.decisiveLine).toMatch(/payload malformed/);
  });
});

describe('the matrix button over the WebSocket', () => {
  let running: WebRouter;
  afterEach(async () => {
    await running?.dispose();
  });

  it('runs once at a time per page (a second request is refused politely), after the login only, and leaves the live router alone', async () => {
    running = await startWebRouter();
    const stranger = await openSocket(running.web);
    await stranger.until(() => stranger.terminal().includes('Password: '), 'the password prompt');
    stranger.raw(JSON.stringify({ type: 'matrix-run' }));

    const socket = await openSocket(running.web);
    await socket.until(() => socket.terminal().includes('Password: '), 'the password prompt');
    socket.send(`${LOGIN_PASSWORD}\r`);
    await socket.until((messages) => messages.some((message) => message.type === 'logged-in'), 'logged-in');
    const liveMessages: unknown[] = [];
    running.router.on('ike-message', (event) => liveMessages.push(event));
    running.router.on('datagram', (event) => liveMessages.push(event));

    socket.raw(JSON.stringify({ type: 'matrix-run' }));
    await socket.until((messages) => messages.some((message) => message.type === 'matrix-started'), 'the run to start');
    socket.raw(JSON.stringify({ type: 'matrix-run' }));
    await socket.until((messages) => messages.some((message) => message.type === 'matrix-refused'), 'the refusal');
    expect(socket.messages.find((message) => message.type === 'matrix-refused')).toMatchObject({ reason: expect.stringContaining('already running') });
    await socket.until((messages) => messages.some((message) => message.type === 'matrix-finished'), 'the run to end', 60_000);
    expect(socket.messages.filter((message) => message.type === 'matrix-started')).toHaveLength(1);
    const finished = socket.messages.find((message) => message.type === 'matrix-finished');
    expect(finished).toMatchObject({ matched: 8, total: 8, done: 8 });
    expect(rowsOf(socket.messages)).toHaveLength(8);
    // Every row had a router of its own: the live one saw no IKE at all and has no SA.
    expect(liveMessages).toEqual([]);
    expect(running.router.ipsecState().isakmpSas).toEqual([]);
    // The page that never logged in got nothing but its prompt.
    expect(stranger.messages.filter((message) => message.type !== 'terminal-output')).toEqual([]);
    stranger.close();
    socket.close();
  }, 90_000);
});
