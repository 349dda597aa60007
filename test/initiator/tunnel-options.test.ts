import { describe, expect, it } from 'vitest';
import { ZERO_PADDING } from '../../src/ike/crypto/index.js';
import { STRONGSWAN_XAUTH } from '../../src/initiator/index.js';
import { checkTunnelOptions, needsModeCfgAddress, resolveTunnelOptions, type TunnelOptions } from '../../src/initiator/tunnel-options.js';
import { seedClientOptions } from './support/fixtures.js';

const quickMode = {
  proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
  localId: { kind: 'mode-cfg-address' },
  remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
} as const;

describe('tunnel options', () => {
  it('needs XAUTH credentials when Phase 1 offers XAUTH, and mode-cfg when IDci is its address', () => {
    const options: TunnelOptions = { phase1: seedClientOptions(), quickMode };
    expect(checkTunnelOptions(options)).toEqual(['Phase 1 offers XAUTH and no XAUTH credentials are given', 'IDci is the mode-cfg address, and mode-cfg is off']);
    expect(() => resolveTunnelOptions(options)).toThrow(RangeError);
  });

  it('fills in strongSwan\'s XAUTH behaviour and padding, 3 XAUTH rounds and 3 resends of Quick Mode message 3', () => {
    const resolved = resolveTunnelOptions({ phase1: seedClientOptions(), xauth: { credentials: { userName: 'u', password: 'p' } } });
    expect(resolved).toMatchObject({ xauth: { behaviour: STRONGSWAN_XAUTH }, padding: ZERO_PADDING, maxXauthRounds: 3, maxQuickMode3Resends: 3 });
    expect(needsModeCfgAddress(resolved)).toBe(false);
    expect(needsModeCfgAddress({ ...resolved, quickMode })).toBe(true);
  });
});
