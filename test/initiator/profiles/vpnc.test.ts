import { describe, expect, it } from 'vitest';
import { EncryptionAlgorithm } from '../../../src/ike/constants.js';
import { ModeCfgAttribute } from '../../../src/ike/constants.js';
import { VPNC_QUICK_MODE_ENCODING, VPNC_XAUTH } from '../../../src/initiator/index.js';
import { VPNC_LIFE_SECONDS } from '../../../src/initiator/profiles/index.js';
import { loadCapture } from '../support/captures.js';
import { message1Of, readMessage1, seedTunnelOf } from './support.js';

describe('profile vpnc-0.5 (vpnc 0.5.1 defaults, wire forms of vpnc 0.5.3)', () => {
  const options = seedTunnelOf('vpnc-0.5');
  const capture = loadCapture('vpnc-0.5.3');
  const captured = readMessage1(capture.message(1).payloads);

  it("offers the capture's transforms in the capture's order, without the single DES and NULL ones 0.5.1 leaves off by default", () => {
    const defaultOnes = captured.transforms.filter((transform) => transform.encryption !== EncryptionAlgorithm.DES_CBC && transform.encryption !== 0);
    expect(defaultOnes).toHaveLength(16);
    expect(message1Of(options).transforms).toEqual(defaultOnes);
  });

  it('numbers its proposal and transforms from 0 and asks for a 2147483 s life, as make_our_sa_ike does', () => {
    const ours = message1Of(options);
    expect(ours.proposalNumber).toBe(captured.proposalNumber);
    expect(ours.transformNumbers[0]).toBe(0);
    expect(options.phase1.proposals.every((proposal) => proposal.lifeSeconds === VPNC_LIFE_SECONDS)).toBe(true);
  });

  it("sends the capture's Vendor IDs in its order and a 20-byte nonce", () => {
    const ours = message1Of(options);
    expect(ours.vendorIds).toEqual(captured.vendorIds);
    expect(ours.nonceLength).toBe(captured.nonceLength);
  });

  it('encrypts message 3 with N(INITIAL-CONTACT), two Vendor IDs and NAT-D of the Phase 1 addresses (capture frame 3)', () => {
    const frame3 = capture.message(3).payloads.map((payload) => payload.type);
    expect(frame3).toEqual(['hash', 'notify', 'vendor-id', 'vendor-id', 'nat-d', 'nat-d']);
    expect(options.phase1.message3).toMatchObject({ encrypt: true, initialContact: true, natDAddresses: 'phase1-exchange' });
    expect(options.phase1.message3.vendorIds).toHaveLength(2);
    expect(options.phase1.message3.vendorIds?.[1]).toBe('CISCO_UNITY');
  });

  it('answers XAUTH like do_phase2_xauth and only pulls mode-cfg: REQUEST id 20 with the 13 attributes of capture frame 8, a pushed SET refused', () => {
    expect(options.xauth?.behaviour).toBe(VPNC_XAUTH);
    const modeCfg = options.modeCfg!;
    expect(modeCfg.onSet).toBe('reject-invalid-message-id');
    expect(modeCfg.pull?.identifier).toBe(20);
    const frame8 = capture.message(8).payloads.find((payload) => payload.type === 'attributes');
    if (frame8?.type !== 'attributes') throw new Error('no ATTR in frame 8');
    expect(modeCfg.pull?.attributes.map((item) => item.type)).toEqual(frame8.attributes.map((attribute) => attribute.type));
    expect(modeCfg.pull?.attributes.find((item) => item.type === ModeCfgAttribute.APPLICATION_VERSION)?.value?.toString()).toMatch(/^Cisco Systems VPN Client 0\.5\.1:/);
  });

  it('writes Quick Mode the vpnc way: one proposal per transform, nonce 20, its address to 0.0.0.0/0', () => {
    expect(options.quickMode?.encoding).toEqual(VPNC_QUICK_MODE_ENCODING);
    expect(options.quickMode?.nonceLength).toBe(20);
    expect(options.quickMode?.localId).toEqual({ kind: 'mode-cfg-address' });
    expect(options.quickMode?.remoteId).toEqual({ kind: 'ipv4-subnet', address: '0.0.0.0', netmask: '0.0.0.0' });
  });
});
