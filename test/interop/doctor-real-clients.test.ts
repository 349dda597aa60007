/**
 * `rtxlab doctor` and the router's hints against a real strongSwan 5.9 in the lab's namespaces,
 * with `rtxlab start` running the seed config at 192.0.2.254:
 *
 * - strongSwan with `pull = yes`: rtxlab's own capture (`--pcap`) and keys (`--keys`) of the run,
 *   fed to `rtxlab doctor --pcap --keys --config`, name the mode-cfg pull and the `pull = no` fix;
 * - strongSwan with a wrong pre-shared key: rtxlab's stdout carries the wrong-key `rtxlab:` hint,
 *   and `show log` over the telnet console does not (hints are rtxlab's words, never RTX text).
 */
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { assertLabPrerequisites, interopSkipReason, runCommand, startStrongSwanClient, withLab, type Lab } from './lab/index.js';
import { rtxlabArgv } from './lab/rtxlab.js';
import { rtxStrongSwanClient } from './peers/rtx-shaped.js';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();
const suiteName = `rtxlab doctor and hints against a real strongSwan 5.9${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`;

/** The console's login password for these runs (the seed config masks its own). */
const LOGIN_PASSWORD = 'lab-login';
const TELNET_PORT = 2323;

function writeConfig(lab: Lab): string {
  const configFile = lab.path('rtx.conf');
  writeFileSync(configFile, DEFAULT_CONFIG_TEXT.replace('login password *\n', `login password ${LOGIN_PASSWORD}\n`));
  return configFile;
}

/**
 * `show log` typed at the telnet console, from inside the router's namespace (the console listens
 * on its loopback). A plain TCP client: telnet negotiation is ignored, the pager is paged with a
 * space, and it gives up after 10 s.
 */
const SHOW_LOG_SCRIPT = `
const net = require('node:net');
const [port, password] = process.argv.slice(1);
let text = '';
let step = 0;
let idle;
const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
const give = setTimeout(() => { process.stdout.write(text); process.exit(3); }, 10000);
// After the command: page on with a space while the pager asks; 500 ms of quiet ends the output.
const quiet = () => {
  if (/More/.test(text.slice(-80))) { socket.write(' '); return; }
  clearTimeout(give); process.stdout.write(text); socket.end('quit\\r\\n'); setTimeout(() => process.exit(0), 200);
};
socket.on('data', (chunk) => {
  text += chunk.toString('latin1');
  if (step === 0 && /Password: $/.test(text)) { step = 1; socket.write(password + '\\r\\n'); }
  else if (step === 1 && /> $/.test(text)) { step = 2; text = ''; socket.write('show log\\r\\n'); }
  if (step === 2) { clearTimeout(idle); idle = setTimeout(quiet, 500); }
});
socket.on('error', (error) => { process.stdout.write(String(error)); process.exit(2); });
`;

describe.skipIf(skipReason !== undefined)(suiteName, () => {
  beforeAll(() => assertLabPrerequisites());

  it('strongSwan, pull = yes: doctor reads rtxlab\'s capture and keys of the run, names the mode-cfg pull and proposes `pull = no`', async () => {
    await withLab({}, async (lab) => {
      const configFile = writeConfig(lab);
      const keysFile = lab.path('ikev1_decryption_table');
      const pcapFile = lab.path('rtxlab.pcap');
      writeFileSync(keysFile, '');
      const rtxlab = lab.router.spawn(rtxlabArgv(['start', '--bind', lab.router.address, '--config', configFile, '--login-password', LOGIN_PASSWORD, '--keys', keysFile, '--pcap', pcapFile]));
      await lab.router.waitForUdpListener(500);
      const client = await startStrongSwanClient(lab.client, lab.path('client'), rtxStrongSwanClient({ pull: true }));
      const initiated = await client.initiate('rtx', { timeoutMs: 20_000 });
      expect(initiated.exitCode).not.toBe(0);
      await rtxlab.waitForOutput(/mode-cfg REQUEST from 192\.0\.2\.132 not answered/, 10_000);
      // The pull hint went to rtxlab's output too.
      await rtxlab.waitForOutput(/rtxlab: 192\.0\.2\.132 pulls its address with a mode-cfg REQUEST/, 5_000);
      await rtxlab.stop();

      const doctor = await runCommand(rtxlabArgv(['doctor', '--pcap', pcapFile, '--keys', keysFile, '--config', configFile, '--json']), { timeoutMs: 30_000 });
      expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(1);
      const report = JSON.parse(doctor.stdout) as { client: string; seen: string[]; verdict: { kind: string; point?: { kind: string }; fixes?: { side: string; change?: string }[] } };
      expect(report.client).toBe('192.0.2.132');
      // What doctor opened with the keys: the gateway's pushed SET and the client's REQUEST.
      expect(report.seen.some((line) => /^gateway: TRANSACTION .*SET INTERNAL-IP4-ADDRESS=10\.1\.1\.110/.test(line)), report.seen.join('\n')).toBe(true);
      expect(report.seen.some((line) => /^client: TRANSACTION .*REQUEST INTERNAL-IP4-ADDRESS/.test(line)), report.seen.join('\n')).toBe(true);
      expect(report.verdict.kind).toBe('diverges');
      expect(report.verdict.point).toEqual({ kind: 'mode-cfg-pull', refusesPushedSet: false });
      expect(report.verdict.fixes).toEqual([expect.objectContaining({ side: 'client', change: expect.stringContaining('pull = no') })]);

      // The human report says the same.
      const text = await runCommand(rtxlabArgv(['doctor', '--pcap', pcapFile, '--keys', keysFile, '--config', configFile]), { timeoutMs: 30_000 });
      expect(text.stdout).toMatch(/diverges: the client pulls its address with a mode-cfg REQUEST/);
      expect(text.stdout).toMatch(/fix +on the client: .*pull = no/);
    });
  }, 90_000);

  it('strongSwan with a wrong pre-shared key: the `rtxlab:` wrong-key hint is on rtxlab\'s stdout and not in `show log`', async () => {
    await withLab({}, async (lab) => {
      const configFile = writeConfig(lab);
      const rtxlab = lab.router.spawn(rtxlabArgv(['start', '--bind', lab.router.address, '--config', configFile, '--login-password', LOGIN_PASSWORD, '--telnet-port', String(TELNET_PORT)]));
      await lab.router.waitForUdpListener(500);
      const client = await startStrongSwanClient(lab.client, lab.path('client'), rtxStrongSwanClient({ psk: 'not-PSKEY1' }));
      const initiated = await client.initiate('rtx', { timeoutMs: 20_000 });
      expect(initiated.exitCode).not.toBe(0);
      // strongSwan's own account: its HASH_R check of message 2 failed.
      expect(client.log()).toMatch(/calculated hash does not match|integrity check failed|authentication of .* failed/i);
      const hint = await rtxlab.waitForOutput(/rtxlab: 192\.0\.2\.132 [^\n]*pre-shared keys differ[^\n]*/, 10_000);
      expect(hint[0]).toMatch(/ipsec ike pre-shared-key/);
      expect(rtxlab.output()).toContain('[IKE] respond ISAKMP phase to 192.0.2.132');

      const shown = await lab.router.run([process.execPath, '-e', SHOW_LOG_SCRIPT, String(TELNET_PORT), LOGIN_PASSWORD], { timeoutMs: 15_000 });
      expect(shown.exitCode, shown.stdout).toBe(0);
      expect(shown.stdout).toContain('[IKE] respond ISAKMP phase to 192.0.2.132');
      expect(shown.stdout).not.toContain('rtxlab:');
      expect(shown.stdout).not.toMatch(/pre-shared keys/);
      await rtxlab.stop();
    });
  }, 90_000);
});
