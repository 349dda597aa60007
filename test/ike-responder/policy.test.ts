import { describe, expect, it } from 'vitest';
import { gatewayPolicy, preSharedKeyBytes, usesDpd } from '../../src/ike-responder/policy.js';

describe('gateway policy', () => {
  it('starts from the RTX defaults, disabled, with no peer and no key', () => {
    expect(gatewayPolicy(7)).toMatchObject({
      gatewayId: 7,
      enabled: false,
      remoteAddress: { kind: 'unset' },
      preSharedKey: { kind: 'missing' },
      encryption: '3des-cbc',
      hash: 'sha',
      group: 'modp1024',
      isakmpLifetimeSeconds: 28800,
      payloadType: 2,
      sendInfo: true,
      negotiateStrictly: false,
    });
  });

  it('gives the key bytes SKEYID is keyed with: text as UTF-8, hex as bytes, none when masked or missing', () => {
    expect(preSharedKeyBytes({ kind: 'text', text: 'PSKEY1' })).toEqual(Buffer.from('PSKEY1'));
    expect(preSharedKeyBytes({ kind: 'hex', bytes: Buffer.of(0, 1) })).toEqual(Buffer.of(0, 1));
    expect(preSharedKeyBytes({ kind: 'masked' })).toBeUndefined();
    expect(preSharedKeyBytes({ kind: 'missing' })).toBeUndefined();
  });

  it('uses DPD for `keepalive use GW on|auto dpd`, not for off or other methods', () => {
    const keepalive = { intervalSeconds: 10, count: 3, log: true };
    expect(usesDpd(gatewayPolicy(1, { keepalive: { use: 'on', method: 'dpd', ...keepalive } }))).toBe(true);
    expect(usesDpd(gatewayPolicy(1, { keepalive: { use: 'auto', method: 'dpd', ...keepalive } }))).toBe(true);
    expect(usesDpd(gatewayPolicy(1, { keepalive: { use: 'off', method: 'dpd', ...keepalive } }))).toBe(false);
    expect(usesDpd(gatewayPolicy(1, { keepalive: { use: 'on', method: 'heartbeat', ...keepalive } }))).toBe(false);
  });
});
