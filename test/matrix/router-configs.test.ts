import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { ipsecGateways } from '../../src/config/views/index.js';
import { describeRouterVariant, seedRouterConfig } from '../../src/matrix/index.js';

describe("the seed's router configs", () => {
  it('shows the seed as it is with payload type 3, without the NAT-T line rtxlab adds to its default', () => {
    const text = seedRouterConfig({ payloadType3: true });
    expect(text).toContain('ipsec ike payload type 1 3');
    expect(text).not.toContain('nat-traversal');
    expect(text).toContain('ipsec ike pre-shared-key 1 text PSKEY1');
  });

  it('leaves the payload type line out for the clients the author ran without it', () => {
    expect(seedRouterConfig({ payloadType3: false })).not.toContain('payload type');
  });

  it('adds `ipsec ike mode-cfg method 1 set openswan` for the hypothesis row', () => {
    const lines = seedRouterConfig({ payloadType3: true, modeCfgOpenswan: true }).split('\n');
    expect(lines.indexOf('ipsec ike mode-cfg method 1 set openswan')).toBe(lines.indexOf('ipsec ike mode-cfg address 1 1') + 1);
  });

  it.each([{ payloadType3: true }, { payloadType3: false }, { payloadType3: true, modeCfgOpenswan: true }])('%o reads without a bad line and means what it says', (variant) => {
    const read = readConfig(seedRouterConfig(variant));
    expect(read.problems).toEqual([]);
    const gateway = ipsecGateways(read.model).find((candidate) => candidate.gatewayId === 1)!;
    expect(gateway.modeCfg.openswanCompatible).toBe(variant.modeCfgOpenswan === true);
    expect(gateway.payloadType.ikev1).toBe(variant.payloadType3 ? 3 : 2);
    expect(describeRouterVariant(variant)).toContain(variant.payloadType3 ? 'payload type 3' : 'type 2');
  });
});
