/**
 * ESP as IP protocol 50 through the router, on loopback: a client that turns NAT traversal off
 * agrees tunnel mode without UDP encapsulation, and `rtxlab connect --ping` carries its echo
 * requests and the router's replies as raw ESP through the raw ESP helper (src/netio). Needs
 * root and the built helper; under CI both are there, so it is never skipped there.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConnectCommand } from '../../src/cli/connect.js';
import type { CliIo } from '../../src/cli/io.js';
import { NETIO_HELPER } from '../../src/netio/raw-esp-socket.js';
import { DEFAULT_CONFIG_TEXT, startRtxRouter, type RtxRouter } from '../../src/index.js';

/** The IP packets of a pcap file (24-byte global header, 16-byte record headers, raw IP). */
function readPcapPackets(file: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  for (let offset = 24; offset + 16 <= file.length; ) {
    const length = file.readUInt32LE(offset + 8);
    packets.push(file.subarray(offset + 16, offset + 16 + length));
    offset += 16 + length;
  }
  return packets;
}

const canRun = process.getuid?.() === 0 && existsSync(NETIO_HELPER);
const skip = !canRun && process.env.CI !== 'true';

async function connect(router: RtxRouter, args: string[]) {
  let stdout = '';
  let exitCode: number | undefined;
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stdout += text), readStdin: async () => new Uint8Array(), setExitCode: (code) => void (exitCode = code) };
  const command = buildConnectCommand(io).exitOverride();
  await command.parseAsync([`127.0.0.2:${router.listening!.ike.port}`, '--natt-port', String(router.listening!.natt.port), ...args], { from: 'user' });
  return { stdout, exitCode };
}

describe.skipIf(skip)('raw ESP (IP protocol 50) through the router (root, built helper)', () => {
  let router: RtxRouter;
  const log: string[] = [];
  const pcapPath = join(mkdtempSync(join(tmpdir(), 'rtxlab-raw-esp-')), 'router.pcap');
  beforeAll(async () => {
    router = await startRtxRouter({ bind: '127.0.0.2', ikePort: 0, nattPort: 0, pcapFile: pcapPath });
    router.on('log', (event) => void log.push(event.entry.message));
  });
  afterAll(async () => {
    await router?.stop();
  });

  it('--nat-t off: tunnel mode without UDP encapsulation, and the router answers pings as raw ESP', async () => {
    const run = await connect(router, ['--local', '127.0.0.3', '--nat-t', 'off', '--ping', '10.1.1.1', '--ping-count', '3', '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.esp, run.stdout).toMatchObject({ mode: 'tunnel' });
    expect(report.ping.summary, run.stdout).toMatchObject({ transmitted: 3, received: 3 });
    expect(run.exitCode).toBe(0);
    const traffic = router.tunnels().find((tunnel) => tunnel.tunnelId === 1);
    expect(traffic?.traffic).toMatchObject({ packetsIn: 3, packetsOut: 3 });
    expect(log.join('\n')).toMatch(/IP Tunnel\[1\] Up/);
    expect(log.join('\n')).not.toMatch(/cannot carry/);
  });

  it('--pcap records the raw ESP as IP protocol 50 between the two addresses', async () => {
    const records = readPcapPackets(readFileSync(pcapPath));
    const esp = records.filter((packet) => packet[9] === 50);
    expect(esp.length).toBeGreaterThanOrEqual(6);
    const addresses = new Set(esp.map((packet) => `${[...packet.subarray(12, 16)].join('.')}>${[...packet.subarray(16, 20)].join('.')}`));
    expect([...addresses].sort()).toEqual(['127.0.0.2>127.0.0.3', '127.0.0.3>127.0.0.2']);
  });
});

describe('raw ESP unavailable (rawEsp: false, as without root)', () => {
  it('one NOTICE per SA pair says why (with `syslog notice on`), and the tunnel still comes up', async () => {
    const router = await startRtxRouter({ config: { text: `${DEFAULT_CONFIG_TEXT}syslog notice on\n` }, bind: '127.0.0.2', ikePort: 0, nattPort: 0, rawEsp: false });
    const log: string[] = [];
    router.on('log', (event) => void log.push(event.entry.message));
    try {
      const run = await connect(router, ['--local', '127.0.0.3', '--nat-t', 'off', '--json']);
      expect(JSON.parse(run.stdout).esp, run.stdout).toMatchObject({ mode: 'tunnel' });
      expect(log.filter((line) => line.includes('cannot carry'))).toEqual([
        'tunnel 1: the SA pair uses raw ESP (IP protocol 50), which this rtxlab cannot carry (raw ESP needs root (it is opened only when rtxlab runs as root)); run as root, or enable NAT traversal on the client (ESP in UDP)',
      ]);
    } finally {
      await router.stop();
    }
  });
});
