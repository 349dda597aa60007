// The administrator's download of a ladder: the peer's packets as pcap and the keys that decrypt
// them (Wireshark's ikev1_decryption_table and esp_sa), proved by tshark; nobody else gets either.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEspChannel, pingThroughTunnel } from '../../src/initiator/index.js';
import { connectClient } from '../../src/initiator/connect-client.js';
import type { KeyMaterialRecord } from '../../src/router/rtx-router-api.js';
import type { LadderView, ServerMessage } from '../../src/web/messages.js';
import { runCommand } from '../interop/lab/process.js';
import { parseFieldRows } from '../interop/lab/tshark.js';
import { ADMIN_PASSWORD, LOGIN_PASSWORD, LOOPBACK_CLIENT_TIMING, openSocket, startWebRouter, type RecordingSocket, type WebRouter } from './support/web-router.js';

const tsharkMissing = process.env.CI !== 'true' && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0; // required in CI

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The router on 127.0.0.2, the client on 127.0.0.1 (Wireshark tells the two ends apart by address); every key the router derived. */
async function routerWithKeys(): Promise<{ running: WebRouter; keys: KeyMaterialRecord[] }> {
  const running = await startWebRouter({ bind: '127.0.0.2' });
  cleanups.push(() => running.dispose());
  const keys: KeyMaterialRecord[] = [];
  running.router.onKeyMaterial((record) => keys.push(record));
  return { running, keys };
}

async function loggedIn(running: WebRouter): Promise<RecordingSocket> {
  const socket = await openSocket(running.web);
  cleanups.push(() => socket.close());
  await socket.until(() => socket.terminal().includes('Password: '), 'the password prompt');
  socket.send(`${LOGIN_PASSWORD}\r`);
  await socket.until((messages) => messages.some((message) => message.type === 'logged-in'), 'logged-in');
  return socket;
}

/** A client that connects, pings through its tunnel twice (ESP both ways) and deletes it. */
async function clientWithTraffic(running: WebRouter): Promise<void> {
  const result = await connectClient({ gateway: running.router.listening!, localAddress: '127.0.0.1', timing: LOOPBACK_CLIENT_TIMING });
  if (result.outcome !== 'established') throw new Error(result.failure.text);
  const opened = openEspChannel(result);
  if (!opened.ok) throw new Error(opened.problem.text);
  const report = await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 2, intervalMs: 20, timeoutMs: 1000 });
  expect(report.results.map((echo) => echo.kind)).toEqual(['reply', 'reply']);
  await result.tunnel!.close();
}

async function closedLadder(socket: RecordingSocket): Promise<LadderView> {
  let ladder: LadderView | undefined;
  await socket.until((messages) => {
    ladder = messages.flatMap((message) => (message.type === 'ladders' ? message.ladders : [])).find((view) => view.outcome === 'closed');
    return ladder !== undefined;
  }, 'a closed ladder');
  return ladder!;
}

const requestCapture = (socket: RecordingSocket, ladderId: string, administratorPassword: string) =>
  socket.raw(JSON.stringify({ type: 'capture-request', ladderId, administratorPassword }));

/** Every key line the router derived, as the text any message would have to contain to leak it. */
const keyLines = (keys: readonly KeyMaterialRecord[]) => keys.flatMap((record) => (record.kind === 'ikev1' ? [record.decryptionTableLine.split(',')[1]!] : [...record.espSaLines]));

describe.skipIf(tsharkMissing)(`a ladder's download for the administrator${tsharkMissing ? ' (SKIPPED: tshark not installed)' : ''}`, () => {
  it('gives the pcap with the keys file and its esp_sa records, and tshark decrypts the capture with them: XAUTH, mode-cfg, Quick Mode, the echoes inside ESP', async () => {
    const { running, keys } = await routerWithKeys();
    const socket = await loggedIn(running);
    await clientWithTraffic(running);
    const ladder = await closedLadder(socket);
    requestCapture(socket, ladder.id, ADMIN_PASSWORD);
    await socket.until((messages) => messages.some((message) => message.type === 'capture'), 'the capture');
    const capture = socket.messages.find((message): message is Extract<ServerMessage, { type: 'capture' }> => message.type === 'capture')!;

    // The keys are the router's own records for this ISAKMP SA and its ESP pair (as --keys writes them).
    const ikeRecord = keys.find((record) => record.kind === 'ikev1' && record.initiatorCookie === ladder.initiatorCookie);
    expect(capture.keys.ikev1DecryptionTable).toEqual([ikeRecord?.kind === 'ikev1' ? ikeRecord.decryptionTableLine : 'missing']);
    expect(capture.keys.ikev1DecryptionTable[0]).toMatch(/^[0-9a-f]{16},[0-9a-f]{48}$/);
    expect(capture.keys.espSa).toHaveLength(2);
    expect(capture.keys.fileName).toBe(capture.fileName.replace(/\.pcap$/, '.keys'));
    expect(capture.keys.espSaFileName).toBe(`${capture.keys.fileName}.esp_sa`);

    // What the page saves: the three files; tshark reads the tables from a config folder of their own.
    const dir = mkdtempSync(join(tmpdir(), 'rtxlab-web-keys-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const pcap = join(dir, capture.fileName);
    writeFileSync(pcap, Buffer.from(capture.pcapBase64, 'base64'));
    const config = join(dir, 'ws');
    mkdirSync(config);
    writeFileSync(join(config, 'ikev1_decryption_table'), capture.keys.ikev1DecryptionTable.map((line) => `${line}\n`).join(''));
    writeFileSync(join(config, 'esp_sa'), capture.keys.espSa.map((line) => `${line}\n`).join(''));
    const { ike, natt } = running.router.listening!;
    const fields = ['isakmp.exchangetype', 'isakmp.cfg.attr.xauth.user_name', 'isakmp.cfg.attr.internal_ip4_address', 'isakmp.typepayload', 'esp.icv_good', 'icmp.type'];
    const decode = async (configDir: string) => {
      const result = await runCommand(
        [
          'tshark', '-n', '-r', pcap, '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE',
          '-d', `udp.port==${ike.port},isakmp`, '-d', `udp.port==${natt.port},udpencap`,
          '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=\x1e', ...fields.flatMap((field) => ['-e', field]),
        ],
        { timeoutMs: 30_000, env: { ...process.env, WIRESHARK_CONFIG_DIR: configDir } },
      );
      expect(result.exitCode, result.stderr).toBe(0);
      const rows = parseFieldRows(result.stdout, fields);
      return (field: string) => rows.flatMap((row) => row[field] ?? []);
    };
    const decrypted = await decode(config);
    expect(decrypted('isakmp.cfg.attr.xauth.user_name')).toContain('user1');
    expect(decrypted('isakmp.cfg.attr.internal_ip4_address')).toContain('10.1.1.110');
    expect(decrypted('isakmp.exchangetype')).toContain('32');
    expect(decrypted('esp.icv_good').filter((good) => good === '1').length).toBe(4);
    expect(decrypted('icmp.type')).toEqual(expect.arrayContaining(['8', '0']));
    // Without the downloaded keys the same file shows none of it.
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const opaque = await decode(empty);
    expect(opaque('isakmp.cfg.attr.xauth.user_name')).toEqual([]);
    expect(opaque('icmp.type')).toEqual([]);
  });
});

describe('a ladder\'s download for anyone else', () => {
  it('gives neither the pcap nor a key: a wrong administrator password is refused and logged, and no message carries a key', async () => {
    const { running, keys } = await routerWithKeys();
    const socket = await loggedIn(running);
    await clientWithTraffic(running);
    const ladder = await closedLadder(socket);
    requestCapture(socket, ladder.id, 'not-the-administrator');
    await socket.until((messages) => messages.some((message) => message.type === 'capture-refused'), 'the refusal');
    expect(socket.messages.find((message) => message.type === 'capture-refused')).toMatchObject({ reason: 'Incorrect administrator password' });
    expect(running.router.logEntries().map((entry) => entry.message)).toContain("'administrator' failed for HTTP: 127.0.0.1 user");
    expect(socket.messages.some((message) => message.type === 'capture')).toBe(false);
    // Not in the pushed state, ladders or log either, nor in the terminal.
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const everything = JSON.stringify(socket.messages);
    for (const line of keyLines(keys)) expect(everything).not.toContain(line);
  });

  it('gives a page that has not logged in nothing at all, whatever it asks', async () => {
    const { running, keys } = await routerWithKeys();
    const stranger = await openSocket(running.web);
    cleanups.push(() => stranger.close());
    await stranger.until(() => stranger.terminal().includes('Password: '), 'the password prompt');
    const watcher = await loggedIn(running);
    await clientWithTraffic(running);
    const ladder = await closedLadder(watcher);
    requestCapture(stranger, ladder.id, ADMIN_PASSWORD);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stranger.messages.filter((message) => message.type !== 'terminal-output')).toEqual([]);
    for (const line of keyLines(keys)) expect(JSON.stringify(stranger.messages)).not.toContain(line);
  });
});
