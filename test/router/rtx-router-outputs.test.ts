// What a running router writes for other tools: its own pcap (decoded by tshark with its own keys
// files) and RFC 3164 syslog to the configured hosts, within the outbound policy.
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, DEFAULT_CONFIG_TEXT, openEspChannel, pingThroughTunnel, RtxRouter, startRtxRouter } from '../../src/index.js';
import { espSaFilePath } from '../../src/router/esp-sa-file.js';
import { runCommand } from '../interop/lab/process.js';
import { expertItemsFromRows, parseFieldRows } from '../interop/lab/tshark.js';

const tsharkMissing = process.env.CI !== 'true' && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0; // required in CI

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtxlab-outputs-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe.skipIf(tsharkMissing)(`--pcap with --keys: tshark decodes rtxlab's own capture${tsharkMissing ? ' (SKIPPED: tshark not installed)' : ''}`, () => {
  it('shows the XAUTH user name, INTERNAL_IP4_ADDRESS, Quick Mode and the ICMP echo inside ESP, with nothing malformed', async () => {
    const dir = tempDir();
    const pcap = join(dir, 'rtxlab.pcap');
    const keys = join(dir, 'keys.txt');
    // Two addresses: Wireshark tells the initiator from the responder by address alone (not port),
    // so a capture where both are 127.0.0.1 cannot be decrypted (README says so).
    const router = await startRtxRouter({ bind: '127.0.0.2', ikePort: 0, nattPort: 0, pcapFile: pcap, keysFile: keys });
    cleanups.push(() => router.stop());
    const result = await connectClient({ gateway: router.listening!, localAddress: '127.0.0.1' });
    if (result.outcome !== 'established') throw new Error(result.failure.text);
    const opened = openEspChannel(result);
    if (!opened.ok) throw new Error(opened.problem.text);
    const report = await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 2, intervalMs: 20, timeoutMs: 1000 });
    expect(report.results.map((echo) => echo.kind)).toEqual(['reply', 'reply']);
    await result.tunnel!.close();
    const { ike, natt } = router.listening!;
    await router.stop();

    // The README's recipe: the two key tables as Wireshark's files, in a config folder of their own.
    const config = join(dir, 'ws');
    mkdirSync(config);
    copyFileSync(keys, join(config, 'ikev1_decryption_table'));
    copyFileSync(espSaFilePath(keys), join(config, 'esp_sa'));
    const fields = [
      'frame.number', 'isakmp.exchangetype', 'isakmp.cfg.attr.xauth.user_name', 'isakmp.cfg.attr.internal_ip4_address', 'isakmp.typepayload',
      'esp.icv_good', 'icmp.type', '_ws.expert.severity', '_ws.expert.group', '_ws.expert.message', 'esp.icv_bad',
    ];
    const argv = [
      'tshark', '-n', '-r', pcap, '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE',
      // Ephemeral ports here: tell tshark which is IKE and which NAT-T (500 and 4500 need nothing).
      '-d', `udp.port==${ike.port},isakmp`, '-d', `udp.port==${natt.port},udpencap`,
      '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=\x1e', ...fields.flatMap((field) => ['-e', field]),
    ];
    const run = await runCommand(argv, { timeoutMs: 30_000, env: { ...process.env, WIRESHARK_CONFIG_DIR: config } });
    expect(run.exitCode, run.stderr).toBe(0);
    const rows = parseFieldRows(run.stdout, fields);
    const all = (field: string) => rows.flatMap((row) => row[field] ?? []);
    expect(all('isakmp.cfg.attr.xauth.user_name')).toContain('user1');
    expect(all('isakmp.cfg.attr.internal_ip4_address')).toContain('10.1.1.110');
    const quickMode = rows.filter((row) => row['isakmp.exchangetype']?.[0] === '32');
    expect(quickMode.length).toBeGreaterThanOrEqual(2);
    expect(quickMode[0]?.['isakmp.typepayload']).toEqual(expect.arrayContaining(['1', '10']));
    // Two echo requests in and two replies out, each ICV verified.
    expect(all('icmp.type').sort()).toEqual(['0', '0', '8', '8']);
    expect(all('esp.icv_good')).toEqual(['1', '1', '1', '1']);
    const complaints = expertItemsFromRows(rows).filter((item) => item.severity === 'error' || item.group === 'malformed' || item.group === 'checksum');
    expect(complaints).toEqual([]);
  });
});

describe('syslog as the RTX sends it', () => {
  async function receiver(address: string): Promise<{ socket: Socket; port: number; lines: string[] }> {
    const socket = createSocket('udp4');
    const lines: string[] = [];
    socket.on('message', (message) => lines.push(message.toString('utf8')));
    await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    return { socket, port: socket.address().port, lines };
  }

  it('sends `<PRI>` + the log line to `syslog host` with the configured facility, per level switch', async () => {
    const sink = await receiver('127.0.0.1');
    const config = `${DEFAULT_CONFIG_TEXT}\nsyslog host 127.0.0.1\nsyslog facility local3\nsyslog notice on\n`;
    const router = await startRtxRouter({ config: { text: config }, ikePort: 0, nattPort: 0, syslogPort: sink.port });
    cleanups.push(() => router.stop());
    const result = await connectClient({ gateway: router.listening!, whenEstablished: 'delete' });
    expect(result.outcome).toBe('established');
    const deadline = Date.now() + 5000;
    while (!sink.lines.some((line) => line.includes('IP Tunnel[1] Up')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    // local3 = 19: info (6) -> <158>, debug (7) -> <159> (the seed config has `syslog debug on`).
    expect(sink.lines).toContain('<158> Power-on boot');
    expect(sink.lines).toContain('<158> [IKE] respond ISAKMP phase to 127.0.0.1');
    expect(sink.lines).toContain('<158> IP Tunnel[1] Up');
    expect(sink.lines.some((line) => line.startsWith('<159>'))).toBe(true);
    expect(sink.lines.every((line) => /^<15[6-9]>/.test(line))).toBe(true);
  });

  it('changing `syslog debug off` live stops the debug lines', async () => {
    const sink = await receiver('127.0.0.1');
    const router = await startRtxRouter({ config: { text: `${DEFAULT_CONFIG_TEXT}\nsyslog host 127.0.0.1\n` }, ikePort: 0, nattPort: 0, syslogPort: sink.port });
    cleanups.push(() => router.stop());
    expect(router.apply('syslog debug off')).toEqual({ kind: 'applied' });
    const result = await connectClient({ gateway: router.listening!, whenEstablished: 'delete' });
    expect(result.outcome).toBe('established');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.lines.some((line) => line.includes('IP Tunnel[1] Up'))).toBe(true);
    expect(sink.lines.filter((line) => line.startsWith('<15'))).toEqual([]); // facility user (1): <14> info
    expect(sink.lines.every((line) => line.startsWith('<14>'))).toBe(true);
  });

  it('never sends to an address outside this host unless allowed, and says so once', async () => {
    const problems: string[] = [];
    // 192.0.2.1 (TEST-NET-1) is no address of this host: the policy refuses it before any send.
    const router = await RtxRouter.create({ config: { text: `${DEFAULT_CONFIG_TEXT}\nsyslog host 192.0.2.1\n` }, ikePort: 0, nattPort: 0 });
    router.on('problem', (event) => problems.push(event.text));
    await router.start(); // its boot lines are the first to be refused
    cleanups.push(() => router.stop());
    router.log('info', 'one');
    router.log('info', 'two');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refusals = problems.filter((text) => text.includes('192.0.2.1'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('--allow-outbound');
  });
});
