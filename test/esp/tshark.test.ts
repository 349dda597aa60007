// esp_sa records as tshark reads them. The format is checked field by field; then, when tshark
// is installed (the interop lab installs it), tshark itself decrypts packets this module sealed
// with the records this module wrote: an independent decoder agreeing on both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NextHeader, formatEspSaRecord, sealEspPacket, type EspTransform } from '../../src/esp/index.js';
import { buildIcmpEchoRequest } from '../../src/esp/ip/index.js';
import { runCommand } from '../interop/lab/process.js';
import { pcapOfEspPackets } from './support/pcap-writer.js';
import { testSa } from './support/test-sas.js';

describe('formatEspSaRecord', () => {
  it('writes the eight quoted fields of the esp_sa table for 3DES / HMAC-SHA1-96', () => {
    const sa = testSa({ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }, 0xd5866ebf);
    expect(formatEspSaRecord('192.0.2.132', '192.0.2.254', sa)).toBe(
      `"IPv4","192.0.2.132","192.0.2.254","0xd5866ebf","TripleDES-CBC [RFC2451]","0x${sa.encryptionKey.toString('hex')}",` +
        `"HMAC-SHA-1-96 [RFC2404]","0x${sa.integrityKey.toString('hex')}"`,
    );
  });

  it('names each algorithm as Wireshark does', () => {
    const names = (transform: EspTransform) => formatEspSaRecord('*', '*', testSa(transform)).split(',').filter((_, i) => i === 4 || i === 6);
    expect(names({ encryption: 'des-cbc', integrity: 'hmac-md5-96' })).toEqual(['"DES-CBC [RFC2405]"', '"HMAC-MD5-96 [RFC2403]"']);
    expect(names({ encryption: 'aes128-cbc', integrity: 'hmac-sha256-128' })).toEqual(['"AES-CBC [RFC3602]"', '"HMAC-SHA-256-128 [RFC4868]"']);
    expect(names({ encryption: 'aes256-cbc', integrity: 'none' })).toEqual(['"AES-CBC [RFC3602]"', '"NULL"']);
    expect(names({ encryption: 'null', integrity: 'hmac-sha1-96' })).toEqual(['"NULL"', '"HMAC-SHA-1-96 [RFC2404]"']);
  });

  it('leaves an empty key field for NULL, pads small SPIs to 8 digits and says IPv6 for IPv6 addresses', () => {
    const record = formatEspSaRecord('2001:db8::1', '*', testSa({ encryption: 'null', integrity: 'hmac-sha1-96' }, 0x1234));
    expect(record.split(',').slice(0, 6)).toEqual(['"IPv6"', '"2001:db8::1"', '"*"', '"0x00001234"', '"NULL"', '""']);
  });
});

const tsharkMissing = process.env.CI !== 'true' && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0; // required in CI

describe.skipIf(tsharkMissing)(`tshark decrypts what the esp module sealed${tsharkMissing ? ' (SKIPPED: tshark not installed)' : ''}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'rtxlab-esp-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const transforms: EspTransform[] = [
    { encryption: '3des-cbc', integrity: 'hmac-sha1-96' },
    { encryption: 'des-cbc', integrity: 'hmac-md5-96' },
    { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' },
    { encryption: 'aes192-cbc', integrity: 'hmac-md5-96' },
    { encryption: 'aes256-cbc', integrity: 'hmac-sha256-128' },
    { encryption: 'null', integrity: 'hmac-sha1-96' },
    { encryption: 'aes128-cbc', integrity: 'none' },
  ];

  it('every transform, ESP in UDP 4500 and raw ESP: the ICV checks out and the inner pings decode', async () => {
    const client = '192.0.2.132';
    const router = '192.0.2.254';
    const sas = transforms.map((transform, index) => testSa(transform, 0x10000 + index));
    const packets = sas.flatMap((sa, index) =>
      [true, false].map((udpEncapsulated, copy) => ({
        source: client,
        destination: router,
        udpEncapsulated,
        espPacket: sealEspPacket(
          sa,
          copy + 1,
          buildIcmpEchoRequest({ source: '10.1.1.110', destination: '10.1.1.1', identifier: 0x4242, sequenceNumber: index * 2 + copy, data: Buffer.alloc(56, index) }),
          NextHeader.IPV4,
        ),
      })),
    );
    const pcap = join(folder, 'sealed.pcap');
    writeFileSync(pcap, pcapOfEspPackets(packets));
    const records = sas.flatMap((sa) => ['-o', `uat:esp_sa:${formatEspSaRecord(client, router, sa)}`]);
    const result = await runCommand(
      [
        'tshark', '-n', '-r', pcap,
        '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE', ...records,
        '-T', 'fields', '-E', 'separator=/t', '-e', 'esp.spi', '-e', 'esp.icv_good', '-e', 'ip.dst', '-e', 'icmp.type', '-e', 'icmp.seq',
      ],
      { timeoutMs: 30_000 },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = result.stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(rows).toHaveLength(packets.length);
    rows.forEach((row, frame) => {
      const sa = sas[Math.floor(frame / 2)]!;
      expect({ frame, spi: Number(row[0]), icvGood: row[1], innerDestination: row[2]!.split(',').pop(), icmpType: row[3], icmpSequence: row[4] }).toEqual({
        frame,
        spi: sa.spi,
        icvGood: sa.integrity === 'none' ? '' : '1',
        innerDestination: '10.1.1.1',
        icmpType: '8',
        icmpSequence: String(frame),
      });
    });
  });
});
