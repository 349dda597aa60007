import { describe, expect, it } from 'vitest';
import { readIpsecTransform } from '../../../src/ike/codec/index.js';
import { ZERO_PADDING } from '../../../src/ike/crypto/index.js';
import { STRONGSWAN_PULL_MODE_CFG, STRONGSWAN_PUSH_MODE_CFG, STRONGSWAN_XAUTH } from '../../../src/initiator/index.js';
import { STRONGSWAN_5_9 } from '../../../src/initiator/profiles/index.js';
import { loadCapture } from '../support/captures.js';
import { message1Of, readMessage1, seedTunnelOf } from './support.js';

describe('profile strongswan-5.9 (the lab strongSwan 5.9.8 with pull = no)', () => {
  const options = seedTunnelOf('strongswan-5.9');
  const capture = loadCapture('strongswan-push');

  it('offers what strongSwan offered in capture strongswan-push frame 1: one 3DES/SHA1/MODP1024/XAUTH transform, life 15840 s, the same Vendor IDs, a 32-byte nonce', () => {
    const ours = message1Of(options);
    const theirs = readMessage1(capture.message(1).payloads);
    expect(ours.transforms).toEqual(theirs.transforms);
    expect(ours.transformNumbers).toEqual(theirs.transformNumbers);
    expect(ours.vendorIds).toEqual(theirs.vendorIds);
    expect(ours.nonceLength).toBe(theirs.nonceLength);
  });

  it('encrypts message 3 with zero padding of 1..bs bytes (aggressive_i_rules, encrypt_v1)', () => {
    expect(options.phase1.message3).toMatchObject({ encrypt: true, padding: ZERO_PADDING, natDAddresses: 'message-3-datagram' });
  });

  it('answers XAUTH like tasks/xauth.c and takes the pushed address (pull = no); --pull switches to its REQUEST mode', () => {
    expect(options.xauth?.behaviour).toBe(STRONGSWAN_XAUTH);
    expect(options.modeCfg).toBe(STRONGSWAN_PUSH_MODE_CFG);
    expect(STRONGSWAN_5_9.pullModeCfg).toBe(STRONGSWAN_PULL_MODE_CFG);
  });

  it('asks Quick Mode for what the capture shows: ESP 3DES/HMAC-SHA1, life 3960 s, no PFS, its virtual IP to 10.1.1.0/24', () => {
    const quickMode1 = capture.messages.find((message) => message.header.exchangeType === 32 && message.fromClient)!;
    const sa = quickMode1.payloads.find((payload) => payload.type === 'sa');
    if (sa?.type !== 'sa') throw new Error('no SA in Quick Mode message 1');
    const captured = readIpsecTransform(sa.proposals[0]!.transforms[0]!);
    expect(options.quickMode?.lifeSeconds).toBe(captured.lifeSeconds);
    expect(options.quickMode?.proposals).toEqual([{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }]);
    expect(options.quickMode?.pfsGroup).toBeUndefined();
    expect(options.quickMode?.localId).toEqual({ kind: 'mode-cfg-address' });
    expect(options.quickMode?.remoteId).toEqual({ kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' });
  });
});
