import { describe, expect, it } from 'vitest';
import { checkTunnelOptions } from '../../../src/initiator/index.js';
import { CLIENT_PROFILES, SEED_CLIENT_INPUTS, profileTunnel } from '../../../src/initiator/profiles/index.js';

const inputs = { ...SEED_CLIENT_INPUTS, localAddress: '192.0.2.132' };

function built(name: keyof typeof CLIENT_PROFILES, overrides: Parameters<typeof profileTunnel>[2]) {
  const result = profileTunnel(CLIENT_PROFILES[name], inputs, overrides);
  if (!result.ok) throw new Error(result.text);
  return result.options;
}

describe('command-line overrides of a profile', () => {
  it('changes nothing without overrides', () => {
    expect(built('racoon-0.7.1', {})).toEqual(CLIENT_PROFILES['racoon-0.7.1'].tunnel(inputs));
  });

  it("replaces the Phase 1 list by one transform, keeping the profile's auth method and life", () => {
    const options = built('vpnc-0.5', { ike: { encryption: '3des-cbc', hash: 'md5', group: 1 } });
    expect(options.phase1.proposals).toEqual([{ encryption: '3des-cbc', hash: 'md5', group: 1, authMethod: 'xauth-init-pre-shared', lifeSeconds: 2147483 }]);
  });

  it('sets the lifetimes asked for', () => {
    const options = built('yms-vpn1', { ikeLifeSeconds: 600, espLifeSeconds: 300 });
    expect(options.phase1.proposals.map((proposal) => proposal.lifeSeconds)).toEqual([600, 600]);
    expect(options.quickMode?.lifeSeconds).toBe(300);
  });

  it('with plain PSK drops XAUTH and mode-cfg and names the host as IDci (the RTX gives no address without XAUTH)', () => {
    const options = built('yms-vpn1', { authMethod: 'pre-shared-key' });
    expect(options.xauth).toBeUndefined();
    expect(options.modeCfg).toBeUndefined();
    expect(options.phase1.proposals.every((proposal) => proposal.authMethod === 'pre-shared-key')).toBe(true);
    expect(options.quickMode?.localId).toEqual({ kind: 'ipv4-address', address: '192.0.2.132' });
    expect(checkTunnelOptions(options)).toEqual([]);
  });

  it("keeps one transform per suite when the auth method makes vpnc's XAUTH and PSK twins equal", () => {
    expect(built('vpnc-0.5', { authMethod: 'pre-shared-key' }).phase1.proposals).toHaveLength(8);
  });

  it("switches to the profile's pull mode, and refuses --pull for a client that has none", () => {
    expect(built('strongswan-5.9', { pull: true }).modeCfg).toBe(CLIENT_PROFILES['strongswan-5.9'].pullModeCfg);
    const refused = profileTunnel(CLIENT_PROFILES['yms-vpn1'], inputs, { pull: true });
    expect(refused.ok).toBe(false);
  });

  it('replaces ESP, PFS and IDcr; PFS off removes the group', () => {
    const options = built('racoon-0.7.1', { esp: { encryption: 'aes128-cbc', integrity: 'hmac-md5-96' }, pfs: 'off', remoteNetwork: { kind: 'ipv4-subnet', address: '10.9.0.0', netmask: '255.255.0.0' } });
    expect(options.quickMode?.proposals).toEqual([{ encryption: 'aes128-cbc', integrity: 'hmac-md5-96' }]);
    expect(options.quickMode && 'pfsGroup' in options.quickMode).toBe(false);
    expect(options.quickMode?.remoteId).toEqual({ kind: 'ipv4-subnet', address: '10.9.0.0', netmask: '255.255.0.0' });
    expect(built('yms-vpn1', { pfs: 5 }).quickMode?.pfsGroup).toBe(5);
  });

  it('sets NAT traversal', () => {
    expect(built('openswan-2.6.16', { natTraversal: 'force' }).phase1.natTraversal).toBe('force');
  });
});
