/** Per-gateway IKE settings with RTX defaults (rtx-behaviour.md §4) and template expansion (§15.49.6). */
import { describe, expect, it } from 'vitest';
import { ipsecGateway, ipsecGateways, saPolicies } from '../../../src/config/views/ipsec-gateways.js';
import { readDefaultConfig } from '../../../src/config/default-config.js';
import { read } from '../support.js';

describe('ipsecGateways: RTX defaults', () => {
  it('a gateway with nothing but a key gets every default', () => {
    const gateway = ipsecGateway(read('ipsec ike pre-shared-key 5 text k').model, 5)!;
    expect(gateway).toEqual({
      gatewayId: 5,
      origin: { kind: 'configured' },
      tunnelEnabled: false,
      version: 1,
      encryption: '3des-cbc',
      hash: 'sha',
      group: { phase1: 'modp1024', phase2: 'modp1024' },
      pfs: false,
      isakmpSaLifetime: { seconds: 28800, rekey: 75 },
      ipsecSaLifetime: { seconds: 28800, rekey: 75 },
      keepalive: { mode: 'auto', method: { kind: 'heartbeat' }, intervalSeconds: 10, count: 6, upwaitSeconds: 0, log: true, downDisconnect: false },
      natTraversal: { enabled: false, keepaliveSeconds: 300, force: false, type: 1 },
      espEncapsulation: false,
      sendInfo: true,
      payloadType: { ikev1: 2, ikev2: 2 },
      xauth: { request: false },
      modeCfg: { method: 'set', openswanCompatible: false },
      preSharedKey: { kind: 'text', text: 'k' },
      negotiateStrictly: false,
      alwaysOn: false,
      restrictDanglingSa: 'auto',
      autoRefresh: false,
      logTypes: [],
      saPolicies: [],
    });
  });

  it('the embedded default config: the seed’s gateway 1', () => {
    const gateway = ipsecGateway(readDefaultConfig().model, 1)!;
    expect(gateway).toMatchObject({
      tunnelEnabled: true,
      tunnelPolicyId: 1,
      payloadType: { ikev1: 3, ikev2: 2 },
      xauth: { request: true, groupId: 11 },
      modeCfg: { poolId: 1 },
      remoteAddress: { kind: 'any' },
      remoteName: { name: 'myid' },
      localAddress: { kind: 'ip', address: '172.16.0.254' },
      preSharedKey: { kind: 'text', text: 'PSKEY1' },
      natTraversal: { enabled: true, keepaliveSeconds: 300 },
      logTypes: ['key-info', 'message-info', 'payload-info'],
      saPolicies: [{ policyId: 1, gatewayId: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac', antiReplayCheck: true }],
    });
  });

  it('explicit values replace the defaults', () => {
    const gateway = ipsecGateway(
      read(
        'ipsec ike encryption 1 aes-cbc',
        'ipsec ike group 1 modp768 modp1024',
        'ipsec ike pfs 1 on',
        'ipsec ike duration isakmp-sa 1 3600 rekey off',
        'ipsec ike duration ipsec-sa 1 600 2000 rekey 80%',
        'ipsec ike keepalive use 1 on dpd 20 3',
        'ipsec ike keepalive log 1 off',
        'ipsec ike nat-traversal 1 on keepalive=off force=on type=2',
        'ipsec ike send info 1 off',
        'ipsec ike restrict-dangling-sa 1 off',
        'ipsec ike remote id 1 192.168.1.0/24',
        'ipsec ike local id 1 10.0.0.1',
        'ipsec ike pre-shared-key 1 0x0102ff',
      ).model,
      1,
    )!;
    expect(gateway).toMatchObject({
      encryption: 'aes-cbc',
      group: { phase1: 'modp768', phase2: 'modp1024' },
      pfs: true,
      isakmpSaLifetime: { seconds: 3600, rekey: 'off' },
      ipsecSaLifetime: { seconds: 600, kilobytes: 2000, rekey: 80 },
      keepalive: { mode: 'on', method: { kind: 'dpd' }, intervalSeconds: 20, count: 3, log: false },
      natTraversal: { enabled: true, keepaliveSeconds: 'off', force: true, type: 2 },
      sendInfo: false,
      restrictDanglingSa: 'off',
      remoteId: { address: '192.168.1.0', prefixLength: 24 },
      localId: { address: '10.0.0.1' },
    });
    expect(gateway.preSharedKey).toEqual({ kind: 'hex', bytes: new Uint8Array([1, 2, 255]) });
  });

  it('auto refresh: the global switch (default off) wins over the per-gateway one (default on)', () => {
    expect(ipsecGateway(read('ipsec ike pfs 1 on').model, 1)!.autoRefresh).toBe(false);
    expect(ipsecGateway(read('ipsec auto refresh on', 'ipsec ike pfs 1 on').model, 1)!.autoRefresh).toBe(true);
    expect(ipsecGateway(read('ipsec auto refresh on', 'ipsec auto refresh 1 off').model, 1)!.autoRefresh).toBe(false);
    expect(ipsecGateway(read('ipsec auto refresh off', 'ipsec auto refresh 1 on').model, 1)!.autoRefresh).toBe(false);
  });

  it('`ipsec ike log` without a gateway applies to gateways without their own', () => {
    const model = read('ipsec ike log payload-info', 'ipsec ike log 2 key-info', 'ipsec ike pfs 1 on').model;
    expect(ipsecGateways(model).map((g) => [g.gatewayId, g.logTypes])).toEqual([
      [1, ['payload-info']],
      [2, ['key-info']],
    ]);
  });
});

describe('ipsecGateways: tunnel template (§15.49.6)', () => {
  const templated = read(
    'tunnel select 1',
    ' tunnel template 2-4',
    ' ipsec tunnel 1',
    '  ipsec sa policy 1 1 esp aes-cbc sha-hmac',
    '  ipsec ike encryption 1 aes-cbc',
    '  ipsec ike pre-shared-key 1 text himitsu1',
    '  ipsec ike remote address 1 any',
    '  ipsec ike remote name 1 pc',
    ' tunnel enable 1',
    'tunnel select 3',
    '  ipsec ike pre-shared-key 3 text himitsu3',
    '  ipsec ike remote name 3 laptop',
  ).model;
  const gateways = ipsecGateways(templated);

  it('copies the source gateway to each target, renumbered', () => {
    expect(gateways.map((g) => g.gatewayId)).toEqual([1, 2, 3, 4]);
    expect(gateways[1]).toMatchObject({
      gatewayId: 2,
      origin: { kind: 'template', sourceTunnel: 1 },
      encryption: 'aes-cbc',
      preSharedKey: { kind: 'text', text: 'himitsu1' },
      remoteAddress: { kind: 'any' },
      tunnelEnabled: true,
      tunnelPolicyId: 2,
      saPolicies: [{ policyId: 2, gatewayId: 2, encryption: 'aes-cbc', authentication: 'sha-hmac' }],
    });
  });

  it('appends the target tunnel number to the remote name', () => {
    expect(gateways.map((g) => g.remoteName?.name)).toEqual(['pc', 'pc2', 'laptop', 'pc4']);
  });

  it('lets the target’s own settings win', () => {
    expect(gateways[2]!.preSharedKey).toEqual({ kind: 'text', text: 'himitsu3' });
    expect(gateways[2]!.encryption).toBe('aes-cbc');
  });

  it('adds the renumbered SA policies to the policy list', () => {
    expect(saPolicies(templated).map((p) => [p.policyId, p.gatewayId])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });
});
