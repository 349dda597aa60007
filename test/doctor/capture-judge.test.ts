/**
 * `rtxlab doctor --pcap`: a capture judged against a config as far as it travels in clear. The
 * captures are rtxlab's own `--pcap` output of a bundled client's run.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeCapture, readPcapIke } from '../../src/doctor/index.js';
import { runTunnelSession } from '../../src/initiator/index.js';
import { CLIENT_PROFILES, SEED_CLIENT_INPUTS, profileTunnel, type ProfileInputs, type ProfileName } from '../../src/initiator/profiles/index.js';
import { MATRIX_TIMING } from '../../src/matrix/run-row.js';
import { seedRouterConfig } from '../../src/matrix/router-configs.js';
import { RtxRouter } from '../../src/router/rtx-router.js';

const TYPE_2 = seedRouterConfig({ payloadType3: false });
const TYPE_3 = seedRouterConfig({ payloadType3: true });

/** A client's run against a router with this config, captured as `rtxlab start --pcap` would. */
async function capture(profile: ProfileName, config: string, inputs: Partial<ProfileInputs> = {}): Promise<Buffer> {
  const pcapFile = join(await mkdtemp(join(tmpdir(), 'rtxlab-capture-')), 'run.pcap');
  const router = await RtxRouter.create({ config: { text: config }, bind: '127.0.0.1', ikePort: 0, nattPort: 0, pcapFile });
  const listening = await router.start();
  try {
    const built = profileTunnel(CLIENT_PROFILES[profile], { ...SEED_CLIENT_INPUTS, localAddress: '127.0.0.1', ...inputs });
    if (!built.ok) throw new Error(built.text);
    await runTunnelSession({ gateway: { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port }, local: { address: '127.0.0.1' }, tunnel: built.options, timing: MATRIX_TIMING, whenEstablished: 'delete' });
  } finally {
    await router.stop();
  }
  return readFile(pcapFile);
}

function datagramsOf(file: Buffer) {
  const reading = readPcapIke(file);
  if (!reading.ok) throw new Error(reading.problem);
  return reading.datagrams;
}

describe('rtxlab doctor --pcap', () => {
  it("OpenSWAN's encrypted message 3 against payload type 2: diverges at message 3, fixed by the seed's line", async () => {
    const report = await judgeCapture(datagramsOf(await capture('openswan-2.6.16', TYPE_2)), TYPE_2);
    expect(report.verdict).toMatchObject({ kind: 'diverges', point: { kind: 'encrypted-message3-refused' }, fixes: [{ side: 'router', lines: ['tunnel select 1', 'ipsec ike payload type 1 3'] }] });
    expect(report.seen.join('\n')).toMatch(/message 3: encrypted/);
  });

  it('the same capture against the config with payload type 3: nothing diverges in clear, and doctor says what it could not see', async () => {
    const report = await judgeCapture(datagramsOf(await capture('openswan-2.6.16', TYPE_2)), TYPE_3);
    expect(report.verdict).toEqual({ kind: 'no-divergence-in-clear' });
    expect(report.unseen).toMatch(/without the keys/);
  });

  it('an ID no gateway names: the replayed message 1 is refused by the router itself, fix: the remote name', async () => {
    const report = await judgeCapture(datagramsOf(await capture('strongswan-5.9', TYPE_3, { identity: { kind: 'fqdn', name: 'laptop7' } })), TYPE_3);
    expect(report.verdict).toMatchObject({ kind: 'diverges', point: { kind: 'unknown-id', id: 'laptop7' }, fixes: [{ side: 'router', lines: ['tunnel select 1', 'ipsec ike remote name 1 laptop7'] }] });
  });

  it('refuses what is not a libpcap file, without reading past its end', () => {
    expect(readPcapIke(Buffer.from('not a capture at all, too short?'))).toMatchObject({ ok: false });
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt32LE(101, 20);
    const truncatedRecord = Buffer.concat([header, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0, 0x45])]);
    expect(readPcapIke(truncatedRecord)).toEqual({ ok: true, datagrams: [] });
  });
});
