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
});
