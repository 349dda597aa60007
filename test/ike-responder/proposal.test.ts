import { describe, expect, it } from 'vitest';
import { AuthMethod, EncryptionAlgorithm, HashAlgorithm, Phase1Attribute } from '../../src/ike/constants.js';
import { ipsecProposal, isakmpProposal, phase1Transform, saPayload, tvAttribute, type Phase1TransformSpec } from '../../src/ike/codec/index.js';
import { choosePhase1Proposal, configuredCipher, configuredGroup, configuredHash } from '../../src/ike-responder/proposal.js';
import { gatewayPolicy } from '../../src/ike-responder/policy.js';

const seedSuite: Phase1TransformSpec = {
  encryption: EncryptionAlgorithm.TRIPLE_DES_CBC,
  hash: HashAlgorithm.SHA,
  group: 2,
  authMethod: AuthMethod.XAUTH_INIT_PRE_SHARED,
  lifeSeconds: 28800,
};
const offer = (...specs: Phase1TransformSpec[]) => saPayload([isakmpProposal(specs.map((spec, index) => phase1Transform(spec, index + 1)))]);
const lenient = gatewayPolicy(1);
const strict = gatewayPolicy(1, { negotiateStrictly: true });
const everyCipher = () => true;

describe('Phase 1 proposal choice with negotiate-strictly off (the default)', () => {
  it('accepts the seed suite and adopts the initiator\'s lifetime', () => {
    const choice = choosePhase1Proposal(offer({ ...seedSuite, lifeSeconds: 15840 }), lenient, everyCipher);
    expect(choice).toMatchObject({ ok: true, chosen: { cipher: '3des-cbc', hash: 'sha1', group: 2, authMethod: 65001, lifeSeconds: 15840 } });
  });

  it('accepts any supported suite even when it differs from the configured one', () => {
    const aesMd5Modp768 = { ...seedSuite, encryption: EncryptionAlgorithm.AES_CBC, keyLength: 128, hash: HashAlgorithm.MD5, group: 1, authMethod: AuthMethod.PRE_SHARED_KEY };
    expect(choosePhase1Proposal(offer(aesMd5Modp768), lenient, everyCipher)).toMatchObject({
      ok: true,
      chosen: { cipher: 'aes128-cbc', hash: 'md5', group: 1, authMethod: 1 },
    });
  });

  it('takes the first acceptable transform in the initiator\'s order', () => {
    const unsupported = { ...seedSuite, encryption: EncryptionAlgorithm.BLOWFISH_CBC };
    const choice = choosePhase1Proposal(offer(unsupported, { ...seedSuite, hash: HashAlgorithm.MD5 }, seedSuite), lenient, everyCipher);
    expect(choice.ok && choice.chosen.transform.transformNumber).toBe(2);
  });

  it('refuses authentication methods other than pre-shared key and XAUTHInitPreShared', () => {
    for (const authMethod of [AuthMethod.RSA_SIGNATURES, AuthMethod.XAUTH_RESP_PRE_SHARED, AuthMethod.HYBRID_INIT_RSA]) {
      const choice = choosePhase1Proposal(offer({ ...seedSuite, authMethod }), lenient, everyCipher);
      expect(choice).toMatchObject({ ok: false, reason: expect.stringContaining('authentication method') });
    }
  });

  it('refuses what an RTX1500 lacks: AES-256, SHA-256, modp2048 (unless configured), and DES without the legacy provider', () => {
    const refused = [
      { ...seedSuite, encryption: EncryptionAlgorithm.AES_CBC, keyLength: 256 },
      { ...seedSuite, hash: HashAlgorithm.SHA2_256 },
      { ...seedSuite, group: 14 },
    ];
    for (const spec of refused) expect(choosePhase1Proposal(offer(spec), lenient, everyCipher).ok).toBe(false);
    const des = offer({ ...seedSuite, encryption: EncryptionAlgorithm.DES_CBC });
    expect(choosePhase1Proposal(des, lenient, (cipher) => cipher !== 'des-cbc')).toMatchObject({ ok: false, reason: expect.stringContaining('encryption 1') });
    expect(choosePhase1Proposal(des, lenient, everyCipher)).toMatchObject({ ok: true, chosen: { cipher: 'des-cbc' } });
  });

  it('accepts a suite outside the RTX1500 set when the gateway is configured with it', () => {
    const modp2048 = gatewayPolicy(1, { group: 'modp2048', encryption: 'aes256-cbc' });
    const spec = { ...seedSuite, encryption: EncryptionAlgorithm.AES_CBC, keyLength: 256, group: 14 };
    expect(choosePhase1Proposal(offer(spec), modp2048, everyCipher)).toMatchObject({ ok: true, chosen: { cipher: 'aes256-cbc', group: 14 } });
  });

  it('refuses transforms with attributes it does not understand, but tolerates GROUP_TYPE = MODP', () => {
    const withPrf = phase1Transform(seedSuite);
    const sa = saPayload([isakmpProposal([{ ...withPrf, attributes: [...withPrf.attributes, tvAttribute(Phase1Attribute.PRF, 1)] }])]);
    expect(choosePhase1Proposal(sa, lenient, everyCipher).ok).toBe(false);
    const withGroupType = saPayload([isakmpProposal([{ ...withPrf, attributes: [...withPrf.attributes, tvAttribute(Phase1Attribute.GROUP_TYPE, 1)] }])]);
    expect(choosePhase1Proposal(withGroupType, lenient, everyCipher).ok).toBe(true);
  });

  it('refuses non-ISAKMP proposals, other DOIs and empty offers', () => {
    const esp = saPayload([ipsecProposal({ spi: Buffer.alloc(4), transforms: [phase1Transform(seedSuite)] })]);
    expect(choosePhase1Proposal(esp, lenient, everyCipher).ok).toBe(false);
    expect(choosePhase1Proposal({ ...offer(seedSuite), doi: 0 }, lenient, everyCipher).ok).toBe(false);
    expect(choosePhase1Proposal(saPayload([]), lenient, everyCipher)).toEqual({ ok: false, reason: 'no proposal offered' });
  });
});

describe('Phase 1 proposal choice with negotiate-strictly on', () => {
  it('accepts only the configured encryption, hash and group', () => {
    expect(choosePhase1Proposal(offer(seedSuite), strict, everyCipher).ok).toBe(true);
    expect(choosePhase1Proposal(offer({ ...seedSuite, hash: HashAlgorithm.MD5 }), strict, everyCipher)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('negotiate-strictly'),
    });
  });
});

describe('RTX setting names', () => {
  it('map to the crypto module\'s algorithms', () => {
    expect(configuredCipher('aes-cbc')).toBe('aes128-cbc');
    expect(configuredHash('sha')).toBe('sha1');
    expect(configuredHash('sha512')).toBeUndefined();
    expect(configuredGroup('modp1536')).toBe(5);
  });
});
