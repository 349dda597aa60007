/**
 * The Phase 1 responder against a real strongSwan 5.9 client (Aggressive Mode, PSK, id `myid`,
 * 3des-sha1-modp1024), with `rtxlab start` running the seed config in the lab's router namespace:
 *
 * - with `ipsec ike payload type 1 3` (the seed's line) Phase 1 completes: strongSwan encrypts
 *   message 3 and rtxlab decrypts and accepts it;
 * - without it, rtxlab refuses the encrypted message 3 with the seed's `payload malformed : no
 *   message` line and keeps no SA, so strongSwan's attempt fails;
 * - with a wrong PSK strongSwan rejects message 2 (HASH_R) and rtxlab's half-open SA times out;
 * - every packet rtxlab sent decodes in tshark, decrypted with the keys from `--keys`, without a
 *   malformed-packet complaint.
 *
 * strongSwan runs PSK only (no XAUTH round, so rtxlab asks for none and pushes no address:
 * responder-xauth-modecfg.test.ts covers those); the tests tell Phase 1's outcome from the two
 * logs, whatever happens to the Quick Mode strongSwan starts afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import {
  PacketCapture,
  assertLabPrerequisites,
  decoderComplaints,
  interopSkipReason,
  readFields,
  startStrongSwanClient,
  withLab,
  type Charon,
  type Daemon,
  type Ikev1DecryptionKey,
  type Lab,
} from './lab/index.js';
import { rtxlabArgv } from './lab/rtxlab.js';
import { rtxStrongSwanClient } from './peers/rtx-shaped.js';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();
const suiteName = `RTX Phase 1 responder against strongSwan 5.9${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`;

const PAYLOAD_TYPE_LINE = 'ipsec ike payload type 1 3\n';
const MALFORMED_LINE = '[IKE] payload malformed : no message (192.0.2.132)';
/** Short, so the wrong-PSK case sees the half-open SA go (the default is 30 s). */
const HALF_OPEN_TIMEOUT_SECONDS = 3;

interface Scenario {
  readonly rtxlab: Daemon;
  readonly client: Charon;
  readonly pcap: string;
  readonly keysFile: string;
  readonly initiateExitCode: number | null;
}

/** rtxlab with `configText`, a capture on the client, strongSwan initiating once; all stopped after. */
async function runScenario(lab: Lab, configText: string, clientPsk: string): Promise<Scenario> {
  const configFile = lab.path('rtx.conf');
  const keysFile = lab.path('ikev1_decryption_table');
  writeFileSync(configFile, configText);
  writeFileSync(keysFile, '');
  const rtxlab = lab.router.spawn(
    rtxlabArgv([
      'start',
      '--bind', lab.router.address,
      '--config', configFile,
      '--keys', keysFile,
      '--half-open-timeout', String(HALF_OPEN_TIMEOUT_SECONDS),
    ]),
  );
  await lab.router.waitForUdpListener(500);
  const capture = await PacketCapture.start(lab.client, { iface: lab.client.iface, file: lab.path('client.pcap') });
  const client = await startStrongSwanClient(
    lab.client,
    lab.path('client'),
    rtxStrongSwanClient({ psk: clientPsk, xauth: undefined, vips: [], remoteId: '%any' }),
  );
  const initiated = await client.initiate('rtx', { timeoutMs: 15_000 });
  const pcap = await capture.stop();
  return { rtxlab, client, pcap, keysFile, initiateExitCode: initiated.exitCode };
}

/** The keys file rtxlab wrote (`--keys`), as tshark decryption records. */
function keysFromFile(path: string): Ikev1DecryptionKey[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [initiatorCookie = '', encryptionKey = ''] = line.split(',');
      return { initiatorCookie, encryptionKey };
    });
}

/** tshark's complaints about the frames rtxlab sent (source 192.0.2.254), decrypted with rtxlab's keys. */
async function complaintsAboutRtxlabPackets(scenario: Scenario, routerAddress: string) {
  const decryption = { ikev1: keysFromFile(scenario.keysFile) };
  const frames = await readFields(scenario.pcap, ['frame.number', 'ip.src', 'isakmp.exchangetype'], { decryption });
  const sentByRtxlab = new Set(frames.filter((row) => row['ip.src']?.[0] === routerAddress).map((row) => Number(row['frame.number']![0])));
  const complaints = await decoderComplaints(scenario.pcap, decryption);
  return { sentByRtxlab, complaints: complaints.filter((item) => sentByRtxlab.has(item.frame)) };
}

describe.skipIf(skipReason !== undefined)(suiteName, () => {
  beforeAll(() => assertLabPrerequisites());

  it('with `ipsec ike payload type 1 3`: strongSwan\'s encrypted message 3 is accepted and Phase 1 completes', async () => {
    expect(DEFAULT_CONFIG_TEXT).toContain(PAYLOAD_TYPE_LINE);
    await withLab({}, async (lab) => {
      const scenario = await runScenario(lab, DEFAULT_CONFIG_TEXT, 'PSKEY1');
      const clientLog = scenario.client.log();
      expect(clientLog).toMatch(/IKE_SA rtx\[\d+\] established between 192\.0\.2\.132\[myid\]\.\.\.192\.0\.2\.254\[172\.16\.0\.254\]/);
      const output = scenario.rtxlab.output();
      expect(output).toContain('[IKE] respond ISAKMP phase to 192.0.2.132');
      expect(output).toContain('[IKE] ISAKMP SA established with 192.0.2.132 (gateway 1, message 3 encrypted)');
      expect(output).not.toContain('payload malformed');
      // One decryption-table record per ISAKMP SA rtxlab answered (strongSwan retries after its
      // unanswered Quick Mode, so there may be several).
      const answered = output.split('\n').filter((line) => line.endsWith('[IKE] respond ISAKMP phase to 192.0.2.132')).length;
      const keys = keysFromFile(scenario.keysFile);
      expect(keys).toHaveLength(answered);
      for (const key of keys) expect(key).toEqual({ initiatorCookie: expect.stringMatching(/^[0-9a-f]{16}$/), encryptionKey: expect.stringMatching(/^[0-9a-f]{48}$/) });

      // With those keys tshark reads strongSwan's encrypted message 3s: Ka and the IV chain agree.
      const rows = await readFields(scenario.pcap, ['ip.src', 'isakmp.exchangetype', 'isakmp.flags', 'isakmp.typepayload'], { decryption: { ikev1: keys } });
      const encryptedMessage3s = rows.filter(
        (row) => row['ip.src']?.[0] === lab.client.address && row['isakmp.exchangetype']?.[0] === '4' && (Number(row['isakmp.flags']?.[0]) & 0x01) === 1,
      );
      expect(encryptedMessage3s.length).toBeGreaterThan(0);
      for (const row of encryptedMessage3s) expect(row['isakmp.typepayload']).toEqual(['8', '20', '20']); // HASH_I, NAT-D, NAT-D

      const { sentByRtxlab, complaints } = await complaintsAboutRtxlabPackets(scenario, lab.router.address);
      expect(sentByRtxlab.size).toBeGreaterThan(0);
      expect(complaints).toEqual([]);
    });
  }, 60_000);

  it('without it: rtxlab logs `payload malformed : no message`, keeps no SA, and strongSwan\'s attempt fails', async () => {
    const configText = DEFAULT_CONFIG_TEXT.replace(PAYLOAD_TYPE_LINE, '');
    expect(configText).not.toContain('payload type');
    await withLab({}, async (lab) => {
      const scenario = await runScenario(lab, configText, 'PSKEY1');
      expect(scenario.initiateExitCode).not.toBe(0);
      const output = scenario.rtxlab.output();
      expect(output).toContain('[IKE] respond ISAKMP phase to 192.0.2.132');
      expect(output).toContain(MALFORMED_LINE);
      expect(output).not.toContain('ISAKMP SA established');
      // strongSwan did send message 3 encrypted: an Aggressive Mode message of the client with the E flag.
      const rows = await readFields(scenario.pcap, ['ip.src', 'isakmp.exchangetype', 'isakmp.flags']);
      const fromClient = rows.filter((row) => row['ip.src']?.[0] === lab.client.address && row['isakmp.exchangetype']?.[0] === '4');
      expect(fromClient.some((row) => (Number(row['isakmp.flags']?.[0]) & 0x01) === 1)).toBe(true);

      const { complaints } = await complaintsAboutRtxlabPackets(scenario, lab.router.address);
      expect(complaints).toEqual([]);
    });
  }, 60_000);

  it('with a wrong PSK: strongSwan rejects HASH_R, and rtxlab drops the half-open SA after the time-out', async () => {
    await withLab({}, async (lab) => {
      const scenario = await runScenario(lab, DEFAULT_CONFIG_TEXT, 'WRONGKEY');
      expect(scenario.initiateExitCode).not.toBe(0);
      expect(scenario.client.log()).toMatch(/calculated HASH does not match HASH payload/);
      await scenario.rtxlab.waitForOutput(/\[IKE\] ISAKMP phase with 192\.0\.2\.132 timed out/, (HALF_OPEN_TIMEOUT_SECONDS + 5) * 1000);
      expect(scenario.rtxlab.output()).not.toContain('ISAKMP SA established');

      const { complaints } = await complaintsAboutRtxlabPackets(scenario, lab.router.address);
      expect(complaints).toEqual([]);
    });
  }, 60_000);
});
