/**
 * Main Mode with a pre-shared key against a real strongSwan 5.9 initiator (`aggressive = no`, no
 * XAUTH, no virtual IP): `rtxlab start` runs a site-to-site config whose gateway names the
 * client's fixed address (`ipsec ike remote address 1 192.0.2.132`), as an RTX chooses its Main
 * Mode peer. Phase 1 and Quick Mode complete, the client pings the router's lan1 address through
 * the tunnel (UDP-encapsulated: kernel-libipsec), and tshark reads the encrypted messages 5 and 6
 * with the keys rtxlab wrote. With a wrong key rtxlab refuses message 5 and keeps no SA; with
 * `remote address any` it has no Main Mode peer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PacketCapture, assertLabPrerequisites, interopSkipReason, readFields, startStrongSwanClient, withLab, type Ikev1DecryptionKey, type Lab } from './lab/index.js';
import { rtxlabArgv } from './lab/rtxlab.js';
import { RTX_LAN_ADDRESS, rtxStrongSwanClient } from './peers/rtx-shaped.js';
import { siteToSiteConfig } from '../support/site-to-site-config.js';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();
const suiteName = `Main Mode responder against strongSwan 5.9${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`;

const CLIENT_ADDRESS = '192.0.2.132';

/** A site-to-site tunnel in the form of Yamaha's examples: fixed peer address, PSK, no XAUTH. */
function siteToSite(remoteAddress: string, tunnelLines: string[] = []): string {
  return siteToSiteConfig({ lanAddress: RTX_LAN_ADDRESS, remoteAddress, preSharedKey: 'SITEKEY', tunnelLines, globalLines: ['syslog debug on'] });
}

function keysFromFile(path: string): Ikev1DecryptionKey[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [initiatorCookie = '', encryptionKey = ''] = line.split(',');
      return { initiatorCookie, encryptionKey };
    });
}

async function startRtxlab(lab: Lab, configText: string) {
  const configFile = lab.path('rtx.conf');
  const keysFile = lab.path('ikev1_decryption_table');
  writeFileSync(configFile, configText);
  writeFileSync(keysFile, '');
  const rtxlab = lab.router.spawn(rtxlabArgv(['start', '--bind', lab.router.address, '--config', configFile, '--keys', keysFile, '--half-open-timeout', '3']));
  await lab.router.waitForUdpListener(500);
  return { rtxlab, keysFile };
}

const mainModeClient = (psk: string) =>
  rtxStrongSwanClient({ aggressive: false, localId: CLIENT_ADDRESS, remoteId: '%any', psk, xauth: undefined, vips: [] });

describe.skipIf(skipReason !== undefined)(suiteName, () => {
  beforeAll(() => assertLabPrerequisites());

  it('strongSwan in Main Mode establishes with a fixed-address gateway, pings 10.1.1.1 through the tunnel, and tshark reads messages 5 and 6', async () => {
    await withLab({}, async (lab) => {
      expect(lab.client.address).toBe(CLIENT_ADDRESS);
      const { rtxlab, keysFile } = await startRtxlab(lab, siteToSite(CLIENT_ADDRESS));
      const capture = await PacketCapture.start(lab.client, { iface: lab.client.iface, file: lab.path('client.pcap') });
      const client = await startStrongSwanClient(lab.client, lab.path('client'), mainModeClient('SITEKEY'));
      expect((await client.initiate('rtx', { timeoutMs: 20_000 })).exitCode).toBe(0);
      expect(client.log()).toMatch(/IKE_SA rtx\[\d+\] established between 192\.0\.2\.132\[192\.0\.2\.132\]\.\.\.192\.0\.2\.254\[192\.0\.2\.254\]/);
      expect(await lab.client.ping(RTX_LAN_ADDRESS, { count: 3 })).toBe(true);
      const pcap = await capture.stop();

      const output = rtxlab.output();
      expect(output).toContain(`[IKE] respond ISAKMP phase to ${CLIENT_ADDRESS}`);
      expect(output).toContain(`[IKE] ISAKMP SA established with ${CLIENT_ADDRESS} (gateway 1, main mode)`);
      expect(output).toContain('IP Tunnel[1] Up');

      // Identity Protection (2): six messages, the last two encrypted; with rtxlab's keys tshark
      // decrypts them and finds each side's ID.
      const rows = await readFields(pcap, ['ip.src', 'isakmp.exchangetype', 'isakmp.flags', 'isakmp.id.type'], {
        decryption: { ikev1: keysFromFile(keysFile) },
        displayFilter: 'isakmp.exchangetype == 2',
      });
      expect(rows.length).toBeGreaterThanOrEqual(6);
      const encrypted = rows.filter((row) => (Number(row['isakmp.flags']?.[0] ?? '0') & 1) === 1);
      expect(encrypted.map((row) => row['ip.src']?.[0])).toEqual([CLIENT_ADDRESS, lab.router.address]);
      expect(encrypted.every((row) => row['isakmp.id.type']?.[0] === '1')).toBe(true);
    });
  }, 90_000);

  it('DPD both ways under the Main Mode SA: rtxlab (keepalive use 1 on dpd 2 2) and strongSwan (dpd_delay 1s) each answer the other', async () => {
    await withLab({}, async (lab) => {
      const { rtxlab } = await startRtxlab(lab, siteToSite(CLIENT_ADDRESS, ['ipsec ike keepalive use 1 on dpd 2 2']));
      const client = await startStrongSwanClient(lab.client, lab.path('client'), { ...mainModeClient('SITEKEY'), dpdDelaySeconds: 1 });
      expect((await client.initiate('rtx', { timeoutMs: 20_000 })).exitCode).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      const output = rtxlab.output();
      const log = client.log();
      const count = (text: string, pattern: RegExp) => [...text.matchAll(new RegExp(pattern.source, 'g'))].length;
      const describe = `rtxlab:\n${output}\nstrongSwan:\n${log}`;
      expect(count(output, /\[IKE\] keepalive R-U-THERE sent to 192\.0\.2\.132/), describe).toBeGreaterThanOrEqual(2);
      expect(count(output, /\[IKE\] keepalive dpd-ack from 192\.0\.2\.132 \(sequence \d+\)\n/), describe).toBeGreaterThanOrEqual(2);
      expect(count(output, /\[IKE\] DPD R-U-THERE from 192\.0\.2\.132 \(sequence \d+\), R-U-THERE-ACK sent/), describe).toBeGreaterThanOrEqual(2);
      expect(log).toMatch(/generating INFORMATIONAL_V1 request \d+ \[ HASH N\(DPD_ACK\) \]/);
      expect(log).toMatch(/parsed INFORMATIONAL_V1 request \d+ \[ HASH N\(DPD_ACK\) \]/);
      expect(output).not.toContain('does not answer');
    });
  }, 90_000);

  it('with another pre-shared key strongSwan fails and rtxlab refuses message 5, keeping no SA', async () => {
    await withLab({}, async (lab) => {
      const { rtxlab } = await startRtxlab(lab, siteToSite(CLIENT_ADDRESS));
      const client = await startStrongSwanClient(lab.client, lab.path('client'), mainModeClient('WRONGKEY'));
      expect((await client.initiate('rtx', { timeoutMs: 15_000 })).exitCode).not.toBe(0);
      expect(rtxlab.output()).toContain(`[IKE] message 5 does not decrypt, pre-shared key may differ (${CLIENT_ADDRESS})`);
      expect(rtxlab.output()).not.toContain('IP Tunnel[1] Up');
    });
  }, 90_000);

  it('with `remote address any` rtxlab has no Main Mode peer: NO-PROPOSAL-CHOSEN', async () => {
    await withLab({}, async (lab) => {
      const { rtxlab } = await startRtxlab(lab, siteToSite('any'));
      const client = await startStrongSwanClient(lab.client, lab.path('client'), mainModeClient('SITEKEY'));
      expect((await client.initiate('rtx', { timeoutMs: 15_000 })).exitCode).not.toBe(0);
      expect(rtxlab.output()).toContain(`[IKE] no gateway for ${CLIENT_ADDRESS} (Main Mode needs ipsec ike remote address)`);
      expect(client.log()).toMatch(/NO_PROPOSAL_CHOSEN/);
    });
  }, 90_000);
});
