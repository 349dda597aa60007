// An independent decoder reads rtxlab's captures: the datagrams of a real strongSwan exchange
// (test/fixtures/captures/strongswan-push: IKE on 500, IKE behind the non-ESP marker on 4500,
// ESP in UDP) plus a NAT-T keepalive, written by PcapWriter, decoded by tshark with the key
// tables KeysFile and EspSaFile write, using the command documented in src/router/pcap-writer.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstalledIpsecSa } from '../../src/ike-responder/port.js';
import { EspSaFile, espSaFilePath } from '../../src/router/esp-sa-file.js';
import { KeysFile } from '../../src/router/keys-file.js';
import { PcapWriter, type CapturedUdpDatagram } from '../../src/router/pcap-writer.js';
import { loadCapturedEsp, type CapturedEsp } from '../esp/support/captured-esp.js';
import { runCommand } from '../interop/lab/process.js';
import { expertItemsFromRows, parseFieldRows, parseIkev1DecryptionTable } from '../interop/lab/tshark.js';
import { capturesDir } from '../support/paths.js';
import { readUdpCapture, type CapturedDatagram } from '../support/pcap.js';

const tsharkMissing = process.env.CI !== 'true' && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0; // required in CI

const FIXTURE = 'strongswan-push';
/** The fixture's XAUTH user (test/fixtures/captures/README.md). */
const FIXTURE_XAUTH_USER = 'user1';

type Kind = CapturedDatagram['content']['kind'];

/** The fixture's datagrams as the router's sockets would report them, plus one NAT-T keepalive. */
function datagramsOf(captured: readonly CapturedDatagram[], address: (original: string) => string): Array<CapturedUdpDatagram & { kind: Kind }> {
  const start = 1_764_900_000_000;
  const datagrams = captured.map((datagram, index) => ({
    time: start + index * 10,
    from: { address: address(datagram.srcAddress), port: datagram.srcPort },
    to: { address: address(datagram.dstAddress), port: datagram.dstPort },
    bytes: datagram.udpPayload,
    kind: datagram.content.kind,
  }));
  const client = captured[0]!;
  return [
    ...datagrams,
    { time: start + 1_000, from: { address: address(client.srcAddress), port: 4500 }, to: { address: address(client.dstAddress), port: 4500 }, bytes: Buffer.from([0xff]), kind: 'natt-keepalive' as const },
  ];
}

/** What tshark should find in each kind of datagram (Raw IP link type: `raw:ip`). */
function expectedProtocols(kind: Kind, onNattPort: boolean, family: 'ip' | 'ipv6'): string {
  const udp = `raw:${family}:udp`;
  switch (kind) {
    case 'ike':
      return onNattPort ? `${udp}:udpencap:isakmp` : `${udp}:isakmp`;
    case 'natt-keepalive':
      return `${udp}:udpencap`;
    case 'esp':
      return `${udp}:udpencap:esp:ip:icmp:data`; // the echo's data, too
  }
}

/** The router's view of the fixture's pair: it is the responder (192.0.2.254). */
function installedPair(esp: CapturedEsp): InstalledIpsecSa {
  const keys = (sa: CapturedEsp['initiatorToResponder']) => {
    const spi = Buffer.alloc(4);
    spi.writeUInt32BE(sa.spi);
    return { spi, encryptionKey: sa.encryptionKey, integrityKey: sa.integrityKey };
  };
  if (esp.transform.encryption !== '3des-cbc' || esp.transform.integrity !== 'hmac-sha1-96') throw new Error('fixture transform changed');
  return {
    tunnelId: 1,
    gatewayId: 1,
    peer: { address: esp.clientAddress, port: 4500 },
    local: { address: esp.responderAddress, port: 4500 },
    udpEncapsulated: true,
    encryption: esp.transform.encryption,
    integrity: esp.transform.integrity,
    inbound: keys(esp.initiatorToResponder),
    outbound: keys(esp.responderToInitiator),
    lifeSeconds: 28_800,
    establishedAt: 0,
  };
}

describe.skipIf(tsharkMissing)(`tshark reads rtxlab's captures${tsharkMissing ? ' (SKIPPED: tshark not installed)' : ''}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'rtxlab-pcap-tshark-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const captured = readUdpCapture(join(capturesDir, FIXTURE, 'capture.pcap'));
  const keysPath = join(folder, 'keys.txt');
  const configDir = join(folder, 'ws');

  beforeAll(() => {
    // What `rtxlab start --keys keys.txt` writes: the IKE table, and the ESP table next to it.
    const keys = KeysFile.open(keysPath);
    for (const record of parseIkev1DecryptionTable(readFileSync(join(capturesDir, FIXTURE, 'ikev1_decryption_table'), 'utf8'))) {
      keys.append(Buffer.from(record.initiatorCookie, 'hex'), Buffer.from(record.encryptionKey, 'hex'));
    }
    keys.close();
    const espSas = EspSaFile.open(espSaFilePath(keysPath));
    espSas.append(installedPair(loadCapturedEsp(FIXTURE)));
    espSas.close();
    // The README's recipe: the two tables as the files Wireshark reads, in their own config folder.
    mkdirSync(configDir);
    copyFileSync(keysPath, join(configDir, 'ikev1_decryption_table'));
    copyFileSync(espSaFilePath(keysPath), join(configDir, 'esp_sa'));
  });

  function capture(name: string, datagrams: readonly CapturedUdpDatagram[]): string {
    const path = join(folder, name);
    const writer = PcapWriter.open(path, {
      onError: (error) => {
        throw error;
      },
    });
    for (const datagram of datagrams) expect(writer.write(datagram)).toBe(true);
    writer.close();
    return path;
  }

  /** The documented command (with checksum validation on), printing `fields` per frame. */
  async function tsharkFields(pcap: string, fields: readonly string[], withKeys: boolean): Promise<Array<Record<string, string[]>>> {
    const argv = [
      'tshark', '-n', '-r', pcap,
      '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE',
      '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
      '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=\x1e',
      ...fields.flatMap((field) => ['-e', field]),
    ];
    // An empty config folder when keys are not wanted, so the user's own Wireshark tables never count.
    const dir = withKeys ? configDir : mkdtempSync(join(folder, 'empty-'));
    const result = await runCommand(argv, { timeoutMs: 30_000, env: { ...process.env, WIRESHARK_CONFIG_DIR: dir } });
    expect(result.exitCode, result.stderr).toBe(0);
    return parseFieldRows(result.stdout, fields);
  }

  const EXPERT = ['frame.number', '_ws.expert.severity', '_ws.expert.group', '_ws.expert.message', 'esp.icv_bad'];
  async function complaints(pcap: string, withKeys: boolean) {
    const items = expertItemsFromRows(await tsharkFields(pcap, EXPERT, withKeys));
    return items.filter((item) => item.severity === 'warning' || item.severity === 'error' || item.group === 'malformed' || item.group === 'checksum');
  }

  it('IPv4: every frame decodes to the layers its datagram carries; no malformed packet, no bad checksum', async () => {
    const datagrams = datagramsOf(captured, (address) => address);
    const pcap = capture('ipv4.pcap', datagrams);
    const rows = await tsharkFields(pcap, ['frame.protocols', 'ip.checksum.status', 'udp.checksum.status'], true);
    expect(rows.map((row) => row['frame.protocols']?.[0])).toEqual(datagrams.map((d) => expectedProtocols(d.kind, d.to.port === 4500, 'ip')));
    // Status 1 = good. ESP frames hold a second (inner) IP header, checked as well.
    for (const row of rows) {
      expect(row['ip.checksum.status']?.every((status) => status === '1')).toBe(true);
      expect(row['udp.checksum.status']?.[0]).toBe('1');
    }
    expect(await complaints(pcap, true)).toEqual([]);
    expect(await complaints(pcap, false)).toEqual([]);
  });

  it('with the keys: the XAUTH user name, the mode-cfg address, Quick Mode and the ping inside ESP decode', async () => {
    const pcap = capture('decrypt.pcap', datagramsOf(captured, (address) => address));
    const rows = await tsharkFields(
      pcap,
      ['isakmp.exchangetype', 'isakmp.cfg.attr.xauth.user_name', 'isakmp.cfg.attr.internal_ip4_address', 'isakmp.typepayload', 'esp.icv_good', 'icmp.type', 'ip.src'],
      true,
    );
    const all = (field: string) => rows.flatMap((row) => row[field] ?? []);
    expect(all('isakmp.cfg.attr.xauth.user_name')).toContain(FIXTURE_XAUTH_USER);
    const leases = [...new Set(all('isakmp.cfg.attr.internal_ip4_address'))];
    expect(leases).toHaveLength(1);
    // Quick Mode (exchange 32) decrypted: its SA (1) and nonce (10) payloads are visible.
    const quickMode = rows.filter((row) => row['isakmp.exchangetype']?.[0] === '32');
    expect(quickMode.length).toBeGreaterThan(0);
    expect(quickMode[0]?.['isakmp.typepayload']).toEqual(expect.arrayContaining(['1', '10']));
    // ESP: the ICV verifies and the inner packet is an echo request from the leased address.
    const esp = rows.filter((row) => (row['esp.icv_good'] ?? []).length > 0);
    expect(esp.length).toBe(captured.filter((d) => d.content.kind === 'esp').length);
    for (const row of esp) {
      expect(row['esp.icv_good']).toEqual(['1']);
      expect(row['icmp.type']).toEqual(['8']);
      expect(row['ip.src']?.[1]).toBe(leases[0]);
    }
  });

  it('IPv6 (`--bind ::1` style endpoints): the same layers, no malformed packet, no bad checksum', async () => {
    const v6 = (address: string) => `2001:db8::${address.split('.').pop()}`;
    const datagrams = datagramsOf(captured, v6);
    const pcap = capture('ipv6.pcap', datagrams);
    const rows = await tsharkFields(pcap, ['frame.protocols', 'udp.checksum.status', 'ipv6.src'], false);
    // Without an esp_sa for these addresses tshark stops at ESP: the layers end there.
    const expected = datagrams.map((d) => expectedProtocols(d.kind, d.to.port === 4500, 'ipv6').replace(':esp:ip:icmp:data', ':esp'));
    expect(rows.map((row) => row['frame.protocols']?.[0])).toEqual(expected);
    expect(rows.map((row) => row['udp.checksum.status']?.[0])).toEqual(datagrams.map(() => '1'));
    expect(rows[0]?.['ipv6.src']).toEqual([datagrams[0]!.from.address]);
    expect(await complaints(pcap, false)).toEqual([]);
  });
});
