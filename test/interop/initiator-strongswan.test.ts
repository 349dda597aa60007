/**
 * The bundled initiator against an implementation we did not write: a strongSwan 5.9 responder
 * shaped like the seed's RTX1500 (Aggressive Mode, PSK for id `myid`, XAUTH user1/password,
 * mode-cfg push from 10.1.1.110-10.1.1.112, 3DES/SHA1/MODP1024, ESP 3DES/SHA1, 10.1.1.0/24), in
 * the lab's router namespace. `rtxlab connect` runs in the client namespace, as a user would.
 */
import { describe, beforeEach, expect, it } from 'vitest';
import { assertLabPrerequisites, interopSkipReason, startStrongSwanResponder, withLab } from './lab/index.js';
import { rtxlabArgv } from './lab/rtxlab.js';
import { RTX_LAN_ADDRESS, rtxStrongSwanResponder } from './peers/rtx-shaped.js';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();
const suiteName = `bundled initiator against a strongSwan 5.9 responder${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`;

describe.skipIf(skipReason !== undefined)(suiteName, () => {
  beforeEach(() => assertLabPrerequisites());

  it("connects as yms-vpn1 (XAUTH, pushed address from strongSwan's pool, Quick Mode) and pings the LAN address through ESP in UDP", async () => {
    // The responder needs an address inside its local_ts to route to (lab README).
    await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
      const responder = await startStrongSwanResponder(lab.router, lab.path('responder'), rtxStrongSwanResponder());
      const run = await lab.client.run(
        rtxlabArgv(['connect', lab.router.address, '--json', '--timeout', '20', '--ping', RTX_LAN_ADDRESS, '--ping-count', '2']),
        { timeoutMs: 40_000 },
      );
      const log = `rtxlab connect:\n${run.stdout}\n${run.stderr}\nstrongSwan:\n${responder.log()}`;
      expect(run.exitCode, log).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.outcome, log).toBe('established');
      expect(report.xauth, log).toMatchObject({ status: 'ok' });
      expect(report.modeCfg.address, log).toMatch(/^10\.1\.1\.11[0-2]$/);
      expect(report.esp, log).toMatchObject({ encryption: '3des-cbc' });
      expect(report.ping.summary, log).toMatchObject({ transmitted: 2, received: 2 });
      // strongSwan's side of the story: the Quick Mode it accepted, and the client's Deletes at the end.
      expect(responder.log(), log).toMatch(/CHILD_SA rtx\{\d+\} established .* 10\.1\.1\.0\/24 === 10\.1\.1\.11[0-2]\/32/);
      expect(responder.log(), log).toMatch(/received DELETE for IKE_SA/);
    });
  });

  it('negotiates Main Mode (--exchange main, PSK, no XAUTH) and Quick Mode with a strongSwan responder that knows the client by address', async () => {
    await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
      const responder = await startStrongSwanResponder(
        lab.router,
        lab.path('responder'),
        // pull: strongSwan would otherwise push a mode-cfg SET, which a PSK-only client does not take.
        rtxStrongSwanResponder({ aggressive: false, peerId: lab.client.address, psk: 'SITEKEY', xauthUsers: [], pull: true, remoteTs: [`${lab.client.address}/32`] }),
      );
      const run = await lab.client.run(
        rtxlabArgv([
          'connect', lab.router.address, '--json', '--timeout', '20',
          '--exchange', 'main', '--auth', 'psk', '--id', lab.client.address, '--id-type', 'ipv4', '--psk', 'SITEKEY', '--nat-t', 'force',
        ]),
        { timeoutMs: 40_000 },
      );
      const log = `rtxlab connect:\n${run.stdout}\n${run.stderr}\nstrongSwan:\n${responder.log()}`;
      const report = JSON.parse(run.stdout);
      // strongSwan's view: Main Mode messages (ID_PROT), authenticated by the client's address ID.
      expect(responder.log(), log).toMatch(/generating ID_PROT response 0 \[ ID HASH \]/);
      expect(responder.log(), log).toMatch(/IKE_SA rtx\[\d+\] established between 192\.0\.2\.254\[192\.0\.2\.254\]\.\.\.192\.0\.2\.132\[192\.0\.2\.132\]/);
      expect(report.phase1, log).toMatchObject({ responderIdentity: '192.0.2.254' });
      // Quick Mode under the Main Mode SA: strongSwan verified HASH(1) and HASH(3) (IVs chained
      // from message 6). Its kernel-libipsec then cannot route a tunnel whose inner address is
      // the IKE peer's own ("conflicts with IKE traffic": a lab limit, no ping here; the
      // responder-side interop test pings through rtxlab in Main Mode).
      expect(responder.log(), log).toMatch(/parsed QUICK_MODE request \d+ \[ HASH \]/);
    });
  });
});
