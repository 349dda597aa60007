/**
 * `rtxlab doctor --pcap`: a capture judged against a config as far as it travels in clear. The
 * captures are rtxlab's own `--pcap` output of a bundled client's run.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeCapture, readPcapIke } from '../../src/doctor/index.js';
import { readDecryptionTable } from '../../src/doctor/capture-decrypt.js';
import { runTunnelSession } from '../../src/initiator/index.js';
import { CLIENT_PROFILES, SEED_CLIENT_INPUTS, profileTunnel, type ProfileInputs, type ProfileName, type ProfileOverrides } from '../../src/initiator/profiles/index.js';
import { MATRIX_TIMING } from '../../src/matrix/run-row.js';
import { seedRouterConfig } from '../../src/matrix/router-configs.js';
import { RtxRouter } from '../../src/router/rtx-router.js';

const TYPE_2 = seedRouterConfig({ payloadType3: false });
const TYPE_3 = seedRouterConfig({ payloadType3: true });

/** A client's run against a router with this config, captured as `rtxlab start --pcap --keys` would. */
async function captureWithKeys(profile: ProfileName, config: string, inputs: Partial<ProfileInputs> = {}, overrides: ProfileOverrides = {}): Promise<{ pcap: Buffer; keys: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'rtxlab-capture-'));
  const pcapFile = join(directory, 'run.pcap');
  const keysFile = join(directory, 'run.keys');
  const router = await RtxRouter.create({ config: { text: config }, bind: '127.0.0.1', ikePort: 0, nattPort: 0, pcapFile, keysFile });
  const listening = await router.start();
  try {
    const built = profileTunnel(CLIENT_PROFILES[profile], { ...SEED_CLIENT_INPUTS, localAddress: '127.0.0.1', ...inputs }, overrides);
    if (!built.ok) throw new Error(built.text);
    await runTunnelSession({ gateway: { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port }, local: { address: '127.0.0.1' }, tunnel: built.options, timing: MATRIX_TIMING, whenEstablished: 'delete' });
  } finally {
    await router.stop();
  }
  return { pcap: await readFile(pcapFile), keys: await readFile(keysFile, 'utf8').catch(() => '') };
}

async function capture(profile: ProfileName, config: string, inputs: Partial<ProfileInputs> = {}): Promise<Buffer> {
  return (await captureWithKeys(profile, config, inputs)).pcap;
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

  it('with the keys: strongSwan pull = yes is seen pulling its address, and the fix is pull = no on the client', async () => {
    const { pcap, keys } = await captureWithKeys('strongswan-5.9', TYPE_3, {}, { pull: true });
    const withoutKeys = await judgeCapture(datagramsOf(pcap), TYPE_3);
    expect(withoutKeys.verdict.kind).toBe('no-divergence-in-clear');
    const report = await judgeCapture(datagramsOf(pcap), TYPE_3, readDecryptionTable(keys));
    expect(report.verdict).toMatchObject({ kind: 'diverges', point: { kind: 'mode-cfg-pull', refusesPushedSet: false }, fixes: [{ side: 'client', change: expect.stringMatching(/pull = no/) }] });
    expect(report.seen.join('\n')).toMatch(/client: TRANSACTION .*REQUEST/);
  });

  it("with the keys: OpenSWAN's valued mode-cfg ACK is seen, and the fix is `set openswan` on the router", async () => {
    const { pcap, keys } = await captureWithKeys('openswan-2.6.16-xauth-mode-cfg', TYPE_3);
    const report = await judgeCapture(datagramsOf(pcap), TYPE_3, readDecryptionTable(keys));
    expect(report.verdict).toMatchObject({ kind: 'diverges', point: { kind: 'mode-cfg-ack-with-values' }, fixes: [{ side: 'router', lines: ['tunnel select 1', 'ipsec ike mode-cfg method 1 set openswan'] }] });
  });

  it('with the keys, a client that connects shows no divergence', async () => {
    const { pcap, keys } = await captureWithKeys('yms-vpn1', TYPE_3);
    const report = await judgeCapture(datagramsOf(pcap), TYPE_3, readDecryptionTable(keys));
    expect(report.verdict).toEqual({ kind: 'no-divergence-in-clear' });
    expect(report.seen.join('\n')).toMatch(/QUICK-MODE/);
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
