/**
 * ESP as IP protocol 50 through `rtxlab start` in the lab's router namespace: the bundled client
 * in the client namespace, with NAT traversal off (no NAT on the segment), agrees plain tunnel
 * mode, pings the router's lan1 address 10.1.1.1 through the tunnel as raw ESP (the raw ESP
 * helper on both sides), and tshark decrypts the captured protocol-50 packets with rtxlab's
 * `esp_sa` records. (Kernel XFRM does not work on these machines and strongSwan's userspace ESP
 * always encapsulates, so the bundled client is the raw-ESP peer here.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { PacketCapture, assertLabPrerequisites, interopSkipReason, parseEspSaTable, readFields, withLab } from './lab/index.js';
import { rtxlabArgv } from './lab/rtxlab.js';
import { RTX_LAN_ADDRESS } from './peers/rtx-shaped.js';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();
const suiteName = `raw ESP (IP protocol 50) through rtxlab with the bundled client, NAT-T off${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`;


describe.skipIf(skipReason !== undefined)(suiteName, () => {
  beforeAll(() => assertLabPrerequisites());

  it('rtxlab connect --nat-t off --ping 10.1.1.1: three replies, carried as IP protocol 50 that tshark decrypts', async () => {
    await withLab({}, async (lab) => {
      const configFile = lab.path('rtx.conf');
      const keysFile = lab.path('ikev1_decryption_table');
      writeFileSync(configFile, DEFAULT_CONFIG_TEXT);
      const rtxlab = lab.router.spawn(rtxlabArgv(['start', '--bind', lab.router.address, '--config', configFile, '--keys', keysFile]));
      await lab.router.waitForUdpListener(500);
      const capture = await PacketCapture.start(lab.client, { iface: lab.client.iface, file: lab.path('client.pcap'), filter: 'udp or esp' });

      const run = await lab.client.run(rtxlabArgv(['connect', lab.router.address, '--nat-t', 'off', '--ping', RTX_LAN_ADDRESS, '--ping-count', '3', '--json']), { timeoutMs: 40_000 });
      const log = `rtxlab connect:\n${run.stdout}\n${run.stderr}\nrtxlab start:\n${rtxlab.output()}`;
      expect(run.exitCode, log).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.esp, log).toMatchObject({ mode: 'tunnel' });
      expect(report.ping.summary, log).toMatchObject({ transmitted: 3, received: 3 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const pcap = await capture.stop();

      const rows = await readFields(pcap, ['ip.src', 'ip.proto', 'esp.icv_good', 'icmp.type'], { decryption: { esp: parseEspSaTable(readFileSync(`${keysFile}.esp_sa`, 'utf8')) }, displayFilter: 'esp' });
      expect(rows.map((row) => `${row['ip.src']?.[0] === lab.router.address ? 'rtx' : 'client'}:${row['icmp.type']?.[0]}`), log).toEqual([
        'client:8',
        'rtx:0',
        'client:8',
        'rtx:0',
        'client:8',
        'rtx:0',
      ]);
      // IP protocol 50, not ESP in UDP 4500.
      expect(rows.every((row) => row['ip.proto']?.[0] === '50')).toBe(true);
      expect(rows.every((row) => row['esp.icv_good']?.[0] === '1')).toBe(true);
      expect(rtxlab.output()).not.toMatch(/cannot carry/);
    });
  }, 90_000);
});
