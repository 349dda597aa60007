/**
 * `rtxlab doctor` as a specification: for each row of the seed's matrix and for the usual ways a
 * client fails (pull mode, wrong key, wrong password, proposals, too few addresses), doctor names
 * where the client stops and a fix; the fix, applied here independently of doctor, makes a fresh
 * run connect, or doctor says no fix exists (vpnc 0.5, pull only) and names the seed's workaround.
 */
import { describe, expect, it } from 'vitest';
import { applyFix, diagnose, formatDoctorReport, runScenario, type DoctorReport, type DoctorScenario, type StoppingKind } from '../../src/doctor/index.js';
import { SEED_CLIENT_INPUTS, type ProfileInputs, type ProfileName, type ProfileOverrides } from '../../src/initiator/profiles/index.js';
import { SEED_MATRIX } from '../../src/matrix/index.js';
import { seedRouterConfig } from '../../src/matrix/router-configs.js';

const SEED_TYPE_3 = seedRouterConfig({ payloadType3: true });

function scenario(configText: string, profile: ProfileName, change: { inputs?: Partial<ProfileInputs>; overrides?: ProfileOverrides; count?: number } = {}): DoctorScenario {
  return { configText, routerLines: [], client: { profile, inputs: { ...SEED_CLIENT_INPUTS, ...change.inputs }, overrides: change.overrides ?? {}, count: change.count ?? 1 } };
}

/** Every kept fix applied at once, run afresh: the proof that does not rely on doctor's own judgement. */
async function connectsWithAllFixes(report: DoctorReport): Promise<boolean> {
  return (await runScenario(report.fixes.reduce(applyFix, report.scenario))).connected;
}

function explain(report: DoctorReport): string {
  return formatDoctorReport(report, 'test config').join('\n');
}

/** What doctor must find for each seed row that does not connect: the stops in order and the side of each fix. */
const SEED_ROW_DIAGNOSES: Readonly<Record<string, { stops: StoppingKind[]; fixes: ('router' | 'client')[]; connects: boolean }>> = {
  vpnc: { stops: ['encrypted-message3-refused', 'mode-cfg-pull'], fixes: ['router'], connects: false },
  'racoon-mode-cfg': { stops: ['mode-cfg-pull'], fixes: ['client'], connects: true },
  'openswan-type-2': { stops: ['encrypted-message3-refused'], fixes: ['router'], connects: true },
  'openswan-xauth-mode-cfg': { stops: ['mode-cfg-ack-with-values'], fixes: ['router'], connects: true },
};

describe.concurrent('rtxlab doctor on the seed matrix', () => {
  for (const row of SEED_MATRIX) {
    const expected = SEED_ROW_DIAGNOSES[row.id];
    if (!expected) {
      it(`${row.id}: connects as configured, so there is nothing to fix`, async () => {
        const report = await diagnose(scenario(seedRouterConfig(row.router), row.profile));
        expect(report.connectsAsConfigured, explain(report)).toBe(true);
        expect(report.steps).toEqual([]);
      });
      continue;
    }
    it(`${row.id}: stops at ${expected.stops.join(', then ')}; ${expected.connects ? 'the fix makes it connect' : 'no fix on the router side'}`, async () => {
      const report = await diagnose(scenario(seedRouterConfig(row.router), row.profile));
      expect(report.connectsAsConfigured).toBe(false);
      expect(report.steps.map((step) => step.stop.kind), explain(report)).toEqual(expected.stops);
      expect(report.fixes.map((fix) => fix.side)).toEqual(expected.fixes);
      expect(report.connectsWithFixes).toBe(expected.connects);
      expect(await connectsWithAllFixes(report)).toBe(expected.connects);
    });
  }

  it('vpnc 0.5: says no router change exists for its pull-only mode-cfg and names the static inner address', async () => {
    const report = await diagnose(scenario(SEED_TYPE_3, 'vpnc-0.5'));
    const last = report.steps.at(-1)!;
    expect(last.stop).toEqual({ kind: 'mode-cfg-pull', refusesPushedSet: true });
    expect(last.noFix?.why).toMatch(/no fix on the router side/);
    expect(last.noFix?.workaround).toMatch(/static inner address/);
  });

  it('the payload type fix is the seed\'s line, under tunnel select', async () => {
    const report = await diagnose(scenario(seedRouterConfig({ payloadType3: false }), 'openswan-2.6.16'));
    expect(report.fixes).toMatchObject([{ side: 'router', lines: ['tunnel select 1', 'ipsec ike payload type 1 3'] }]);
  });
});

describe.concurrent('rtxlab doctor on common mistakes', () => {
  it('strongSwan with pull = yes: stops at mode-cfg, fixed by pull = no on the client', async () => {
    const report = await diagnose(scenario(SEED_TYPE_3, 'strongswan-5.9', { overrides: { pull: true } }));
    expect(report.steps[0]!.stop.kind).toBe('mode-cfg-pull');
    expect(report.fixes).toMatchObject([{ side: 'client', change: expect.stringMatching(/^pull = no/) }]);
    expect(await connectsWithAllFixes(report)).toBe(true);
  });

  it("a wrong pre-shared key: stops in Phase 1 at the HASH check, fixed by the router's key on the client", async () => {
    const report = await diagnose(scenario(SEED_TYPE_3, 'strongswan-5.9', { inputs: { preSharedKey: Buffer.from('not-the-key') } }));
    expect(report.steps[0]!.stop).toEqual({ kind: 'pre-shared-key-mismatch', seenBy: 'client' });
    expect(report.fixes).toMatchObject([{ side: 'client' }]);
    expect(await connectsWithAllFixes(report)).toBe(true);
  });

  it('a wrong XAUTH password: stops at XAUTH with the router\'s reason, fixed on the client', async () => {
    const report = await diagnose(scenario(SEED_TYPE_3, 'strongswan-5.9', { inputs: { xauth: { userName: 'user1', password: 'guess' } } }));
    expect(report.steps[0]!.stop).toEqual({ kind: 'xauth-refused', user: 'user1', reason: 'wrong password' });
    expect(report.steps[0]!.routerLine).toMatch(/XAUTH user user1 refused/);
    expect(await connectsWithAllFixes(report)).toBe(true);
  });

  it('a proposal the router does not take (negotiate-strictly): fixed on the router with the one line that differs', async () => {
    const strict = SEED_TYPE_3.replace('ipsec ike hash 1 sha', 'ipsec ike hash 1 sha\nipsec ike negotiate-strictly 1 on');
    const report = await diagnose(scenario(strict, 'strongswan-5.9', { overrides: { ike: { encryption: 'aes128-cbc', hash: 'sha1', group: 2 } } }));
    expect(report.steps[0]!.stop.kind).toBe('phase1-no-proposal-chosen');
    expect(report.fixes).toMatchObject([{ side: 'router', lines: ['tunnel select 1', 'ipsec ike encryption 1 aes-cbc'] }]);
    expect(await connectsWithAllFixes(report)).toBe(true);
  });

  it('a group the RTX1500 cannot do (modp2048): the router line is refused as config, the client proposal fixes it', async () => {
    const report = await diagnose(scenario(SEED_TYPE_3, 'strongswan-5.9', { overrides: { ike: { encryption: 'aes128-cbc', hash: 'sha1', group: 14 } } }));
    const step = report.steps[0]!;
    expect(step.attempts.map((attempt) => attempt.result.kind)).toEqual(['not-valid-config', 'connects']);
    expect(report.fixes).toMatchObject([{ side: 'client', change: 'proposal 3des-cbc-sha1-modp1024' }]);
    expect(await connectsWithAllFixes(report)).toBe(true);
  });

  it('two clients and a one-address pool: a tunnel template for the second, then a bigger pool', async () => {
    const onePool = SEED_TYPE_3.replace(/ipsec ike mode-cfg address pool .*/, 'ipsec ike mode-cfg address pool 1 10.1.1.110/32');
    const report = await diagnose(scenario(onePool, 'yms-vpn1', { count: 2 }));
    expect(report.steps.map((step) => step.stop.kind), explain(report)).toEqual(['unknown-id', 'address-pool-exhausted']);
    expect(report.fixes).toMatchObject([
      { side: 'router', lines: ['tunnel select 1', 'tunnel template 2'] },
      { side: 'router', lines: ['ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.111/32'] },
    ]);
    expect(report.steps[1]!.routerLine).toMatch(/address pool 1 exhausted/);
    expect(await connectsWithAllFixes(report)).toBe(true);
  });
});

describe.concurrent('libreswan 4.10: its padded ACK is read (padding, ledger §4) and then judged by H3', () => {
  const withModp1024: ProfileOverrides = { ike: { encryption: '3des-cbc', hash: 'sha1', group: 2 } };

  it('under the default mode-cfg method the padded ACK with values is refused with H3\'s line, not dropped', async () => {
    const run = await runScenario(scenario(SEED_TYPE_3, 'libreswan-4.10', { overrides: withModp1024 }));
    expect(run.connected).toBe(false);
    expect(run.router.logLines).toContain('[IKE] payload malformed (127.0.0.1): mode-cfg ACK attribute INTERNAL-IP4-ADDRESS carries a value');
    expect(run.sessions[0]?.failure?.text).toMatch(/PAYLOAD-MALFORMED/);
  });

  it('under `set openswan` the same ACK is taken and the tunnel comes up', async () => {
    const run = await runScenario({ ...scenario(SEED_TYPE_3, 'libreswan-4.10', { overrides: withModp1024 }), routerLines: ['tunnel select 1', 'ipsec ike mode-cfg method 1 set openswan'] });
    expect(run.connected).toBe(true);
    expect(run.router.leases).toEqual(['10.1.1.110']);
  });

  it('doctor: MODP1536 is no RTX1500 group (the router line is refused), a MODP1024 build fixes Phase 1, then `set openswan`', async () => {
    const report = await diagnose(scenario(SEED_TYPE_3, 'libreswan-4.10'));
    expect(report.steps.map((step) => step.stop.kind), explain(report)).toEqual(['phase1-no-proposal-chosen', 'mode-cfg-ack-with-values']);
    expect(report.steps[0]!.attempts.map((attempt) => attempt.result.kind)).toEqual(['not-valid-config', 'gets-further']);
    expect(report.fixes).toMatchObject([
      { side: 'client', change: expect.stringMatching(/^proposal 3des-cbc-sha1-modp1024 \(Debian 12's libreswan 4\.10 offers no MODP1024/) },
      { side: 'router', lines: ['tunnel select 1', 'ipsec ike mode-cfg method 1 set openswan'] },
    ]);
    expect(await connectsWithAllFixes(report)).toBe(true);
  });
});
