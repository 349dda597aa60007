import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { createRtxIkeResponder, policyFromConfig } from '../../src/ike-responder/policy-from-config.js';
import { RtxIkeResponder } from '../../src/ike-responder/responder.js';
import { establish, logLines, sends } from './support.js';

const modelOf = (text: string) => {
  const read = readConfig(text);
  expect(read.problems).toEqual([]);
  return read.model;
};

describe('the responder policy of a config', () => {
  it('the embedded seed config: tunnel 1 for `myid`, PSKEY1, payload type 3, NAT-T on, every IKE log with syslog debug', () => {
    const policy = policyFromConfig(modelOf(DEFAULT_CONFIG_TEXT));
    expect(policy.syslogDebug).toBe(true);
    expect(policy.gateways).toEqual([
      {
        gatewayId: 1,
        enabled: true,
        remoteAddress: { kind: 'any' },
        remoteName: 'myid',
        localAddress: '172.16.0.254',
        preSharedKey: { kind: 'text', text: 'PSKEY1' },
        encryption: '3des-cbc',
        hash: 'sha',
        group: 'modp1024',
        isakmpLifetimeSeconds: 28800,
        negotiateStrictly: false,
        payloadType: 3,
        sendInfo: true,
        natTraversal: { enabled: true, keepaliveSeconds: 300, force: false },
        keepalive: { use: 'auto', method: 'heartbeat', intervalSeconds: 10, count: 6, log: true },
        xauth: { request: true, userGroupId: 11 },
        modeCfgPoolId: 1,
        modeCfgOpenswan: false,
        log: { messageInfo: true, payloadInfo: true, keyInfo: true },
        tunnelId: 1,
        saPolicy: { policyId: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' },
        ipsecLifetimeSeconds: 28800,
        phase2Group: 'modp1024',
      },
    ]);
    expect(policy.addressPools).toEqual(new Map([[1, { poolId: 1, first: '10.1.1.110', last: '10.1.1.112', size: 3, prefixLength: 32 }]]));
    expect(policy.answerModeCfgRequests).toBe(false);
    // The XAUTH directory is the config's: user1 in group 11, xauth=on from the group.
    const user = policy.xauthUsers?.findUser('user1', 11);
    expect(user).toMatchObject({ userId: 1, username: 'user1', password: 'password' });
    expect(policy.xauthUsers?.effectiveAttributes(1, 11)).toMatchObject({ xauth: true });
  });

  it('`tunnel template 2-3`: tunnels 2 and 3 get the SA policy, pool and XAUTH group of tunnel 1, and names myid2, myid3', () => {
    const text = DEFAULT_CONFIG_TEXT.replace('tunnel select 1\n', 'tunnel select 1\ntunnel template 2-3\n');
    expect(text).toContain('tunnel template 2-3');
    const gateways = policyFromConfig(modelOf(text)).gateways;
    expect(gateways.map((gateway) => [gateway.gatewayId, gateway.tunnelId, gateway.remoteName, gateway.enabled, gateway.saPolicy?.policyId, gateway.modeCfgPoolId, gateway.xauth])).toEqual([
      [1, 1, 'myid', true, 1, 1, { request: true, userGroupId: 11 }],
      [2, 2, 'myid2', true, 2, 1, { request: true, userGroupId: 11 }],
      [3, 3, 'myid3', true, 3, 1, { request: true, userGroupId: 11 }],
    ]);
  });

  it('`ipsec ike mode-cfg method 1 set openswan`, `ipsec ike duration ipsec-sa`, a Phase 2 group, and the rtxlab option', () => {
    const text = `${DEFAULT_CONFIG_TEXT}ipsec ike mode-cfg method 1 set openswan\nipsec ike duration ipsec-sa 1 3600\nipsec ike group 1 modp1024 modp768\n`;
    const policy = policyFromConfig(modelOf(text), { answerModeCfgRequests: true });
    expect(policy.gateways[0]).toMatchObject({ modeCfgOpenswan: true, ipsecLifetimeSeconds: 3600, phase2Group: 'modp768' });
    expect(policy.answerModeCfgRequests).toBe(true);
  });

  it('RTX defaults where the config is silent; a tunnel that is not enabled does not answer', () => {
    const policy = policyFromConfig(modelOf('tunnel select 2\nipsec tunnel 2\nipsec ike remote address 2 192.0.2.132\nipsec ike pre-shared-key 2 0x50534b\n'));
    expect(policy.syslogDebug).toBe(false);
    expect(policy.gateways[0]).toMatchObject({
      gatewayId: 2,
      enabled: false,
      remoteAddress: { kind: 'ip', address: '192.0.2.132' },
      preSharedKey: { kind: 'hex', bytes: Buffer.from('PSK') },
      payloadType: 2,
      sendInfo: true,
      keepalive: { use: 'auto', method: 'heartbeat' },
      log: { messageInfo: false, payloadInfo: false, keyInfo: false },
    });
    expect(policy.gateways[0]!.localAddress).toBeUndefined();
  });

  it('`ipsec use off` disables every gateway; dpd keepalive and negotiate-strictly come through', () => {
    const text = 'ipsec use off\ntunnel select 1\nipsec tunnel 1\nipsec ike keepalive use 1 on dpd 10 3\nipsec ike negotiate-strictly 1 on\ntunnel enable 1\n';
    const [gateway] = policyFromConfig(modelOf(text)).gateways;
    expect(gateway).toMatchObject({ enabled: false, negotiateStrictly: true, keepalive: { use: 'on', method: 'dpd', intervalSeconds: 10, count: 3 } });
  });

  it('a masked key stays masked unless one is supplied (`--psk 1=KEY`)', () => {
    const model = modelOf(DEFAULT_CONFIG_TEXT.replace('ipsec ike pre-shared-key 1 text PSKEY1', 'ipsec ike pre-shared-key 1 *'));
    expect(policyFromConfig(model).gateways[0]!.preSharedKey).toEqual({ kind: 'masked' });
    const supplied = new Map([[1, { kind: 'text' as const, text: 'PSKEY1' }]]);
    expect(policyFromConfig(model, { suppliedKeys: supplied }).gateways[0]!.preSharedKey).toEqual({ kind: 'text', text: 'PSKEY1' });
  });

  it('the factory builds a responder that answers the seed client (and asks it for XAUTH)', () => {
    const responder = createRtxIkeResponder(modelOf(DEFAULT_CONFIG_TEXT));
    expect(responder).toBeInstanceOf(RtxIkeResponder);
    const { effects } = establish(responder as RtxIkeResponder, { message3: { encrypt: true } });
    expect(logLines(effects, 'info')).toEqual([]);
    expect(sends(effects)).toHaveLength(1);
    expect((responder as RtxIkeResponder).isakmpSas()).toEqual([expect.objectContaining({ state: 'established', message3Encrypted: true })]);
  });
});
