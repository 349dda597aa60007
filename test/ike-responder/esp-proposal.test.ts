import { describe, expect, it } from 'vitest';
import { AuthAlgorithm, EncapsulationMode, EspTransformId, ProtocolId } from '../../src/ike/constants.js';
import { ipsecProposal, ipsecTransform, type Proposal } from '../../src/ike/codec/index.js';
import { chooseEspProposal, type EspRules } from '../../src/ike-responder/esp-proposal.js';

const SPI = Buffer.from('c0a80001', 'hex');
const SEED_RULES: EspRules = {
  saPolicy: { policyId: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' },
  negotiateStrictly: false,
  natTraversal: true,
  phase2Group: 2,
  defaultLifeSeconds: 28_800,
  cipherAvailable: () => true,
};

const esp = (transforms: Parameters<typeof ipsecTransform>[0][], proposalNumber = 1): Proposal =>
  ipsecProposal({ spi: SPI, proposalNumber, transforms: transforms.map((spec, index) => ipsecTransform(spec, index + 1)) });
const tripleDesSha = { transformId: EspTransformId.ESP_3DES, authAlgorithm: AuthAlgorithm.HMAC_SHA, encapsulationMode: EncapsulationMode.TUNNEL };

describe('the ESP proposal the RTX takes from Quick Mode message 1', () => {
  it('takes the policy\'s 3des-cbc / sha-hmac, adopting the initiator\'s lifetimes', () => {
    const choice = chooseEspProposal({ proposals: [esp([{ ...tripleDesSha, lifeSeconds: 1200, lifeKilobytes: 4_608_000 }])] }, SEED_RULES);
    expect(choice).toMatchObject({ ok: true, chosen: { encryption: '3des-cbc', integrity: 'hmac-sha1-96', lifeSeconds: 1200, lifeKilobytes: 4_608_000, udpEncapsulated: false, initiatorSpi: SPI } });
  });

  it('falls back to `ipsec ike duration ipsec-sa` when no lifetime is proposed', () => {
    expect(chooseEspProposal({ proposals: [esp([tripleDesSha])] }, SEED_RULES)).toMatchObject({ ok: true, chosen: { lifeSeconds: 28_800 } });
  });

  it('with negotiate-strictly off, takes another supported suite in the initiator\'s order (AES-128 / MD5 before 3DES)', () => {
    const offer = esp([
      { transformId: EspTransformId.ESP_AES, keyLength: 256, authAlgorithm: AuthAlgorithm.HMAC_SHA, encapsulationMode: 1 },
      { transformId: EspTransformId.ESP_AES, keyLength: 128, authAlgorithm: AuthAlgorithm.HMAC_MD5, encapsulationMode: 1 },
      tripleDesSha,
    ]);
    expect(chooseEspProposal({ proposals: [offer] }, SEED_RULES)).toMatchObject({ ok: true, chosen: { encryption: 'aes128-cbc', integrity: 'hmac-md5-96' } });
  });

  it('with negotiate-strictly on, only the policy\'s own suite', () => {
    const offer = esp([{ transformId: EspTransformId.ESP_AES, keyLength: 128, authAlgorithm: AuthAlgorithm.HMAC_SHA, encapsulationMode: 1 }, tripleDesSha]);
    const strict = { ...SEED_RULES, negotiateStrictly: true };
    expect(chooseEspProposal({ proposals: [offer] }, strict)).toMatchObject({ ok: true, chosen: { encryption: '3des-cbc', proposal: { transforms: [{ transformNumber: 1 }, { transformNumber: 2 }] }, transform: { transformNumber: 2 } } });
    const aes128Only = { proposals: [esp([{ transformId: EspTransformId.ESP_AES, keyLength: 128, authAlgorithm: AuthAlgorithm.HMAC_SHA }])] };
    expect(chooseEspProposal(aes128Only, strict)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('negotiate-strictly'),
    });
  });

  it('takes AES-256 only when the policy says aes256-cbc; never ESP_NULL nor missing integrity', () => {
    const aes256 = esp([{ transformId: EspTransformId.ESP_AES, keyLength: 256, authAlgorithm: AuthAlgorithm.HMAC_SHA }]);
    expect(chooseEspProposal({ proposals: [aes256] }, SEED_RULES).ok).toBe(false);
    expect(chooseEspProposal({ proposals: [aes256] }, { ...SEED_RULES, saPolicy: { policyId: 1, protocol: 'esp', encryption: 'aes256-cbc', authentication: 'sha-hmac' } }).ok).toBe(true);
    expect(chooseEspProposal({ proposals: [esp([{ transformId: EspTransformId.ESP_NULL, authAlgorithm: AuthAlgorithm.HMAC_SHA }])] }, SEED_RULES).ok).toBe(false);
    expect(chooseEspProposal({ proposals: [esp([{ transformId: EspTransformId.ESP_3DES }])] }, SEED_RULES).ok).toBe(false);
  });

  it('single DES only where OpenSSL has it (node\'s legacy provider)', () => {
    const des = { proposals: [esp([{ transformId: EspTransformId.ESP_DES, authAlgorithm: AuthAlgorithm.HMAC_SHA }])] };
    expect(chooseEspProposal(des, SEED_RULES)).toMatchObject({ ok: true, chosen: { encryption: 'des-cbc' } });
    expect(chooseEspProposal(des, { ...SEED_RULES, cipherAvailable: (cipher) => cipher !== 'des-cbc' }).ok).toBe(false);
  });

  it('UDP-encapsulated tunnel (3, or the drafts\' 61443) only when NAT-T was negotiated; never transport', () => {
    for (const mode of [EncapsulationMode.UDP_ENCAPSULATED_TUNNEL, EncapsulationMode.UDP_ENCAPSULATED_TUNNEL_DRAFT]) {
      const offer = { proposals: [esp([{ ...tripleDesSha, encapsulationMode: mode }])] };
      expect(chooseEspProposal(offer, SEED_RULES)).toMatchObject({ ok: true, chosen: { udpEncapsulated: true, encapsulationMode: mode } });
      expect(chooseEspProposal(offer, { ...SEED_RULES, natTraversal: false }).ok).toBe(false);
    }
    expect(chooseEspProposal({ proposals: [esp([{ ...tripleDesSha, encapsulationMode: EncapsulationMode.TRANSPORT }])] }, SEED_RULES).ok).toBe(false);
  });

  it('PFS follows the initiator: modp768 / modp1024 or the configured Phase 2 group, nothing else', () => {
    expect(chooseEspProposal({ proposals: [esp([{ ...tripleDesSha, group: 2 }])] }, SEED_RULES)).toMatchObject({ ok: true, chosen: { pfsGroup: 2 } });
    expect(chooseEspProposal({ proposals: [esp([{ ...tripleDesSha, group: 14 }])] }, SEED_RULES).ok).toBe(false);
    expect(chooseEspProposal({ proposals: [esp([{ ...tripleDesSha, group: 14 }])] }, { ...SEED_RULES, phase2Group: 14 }).ok).toBe(true);
  });

  it('refuses a tunnel whose SA policy is AH, proposals of several protocols together, and reserved SPIs', () => {
    expect(chooseEspProposal({ proposals: [esp([tripleDesSha])] }, { ...SEED_RULES, saPolicy: { policyId: 1, protocol: 'ah' } })).toMatchObject({ ok: false, reason: expect.stringContaining('not esp') });
    const withIpcomp = [esp([tripleDesSha]), { ...esp([tripleDesSha]), protocolId: ProtocolId.IPCOMP }];
    expect(chooseEspProposal({ proposals: withIpcomp }, SEED_RULES)).toMatchObject({ ok: false, reason: expect.stringContaining('2 protocols together') });
    const reserved = { ...esp([tripleDesSha]), spi: Buffer.from('000000ff', 'hex') };
    expect(chooseEspProposal({ proposals: [reserved] }, SEED_RULES).ok).toBe(false);
  });

  it('takes the first acceptable proposal when they are alternatives (vpnc: one proposal per transform)', () => {
    const offers = [esp([{ transformId: EspTransformId.ESP_AES, keyLength: 256, authAlgorithm: AuthAlgorithm.HMAC_SHA }], 0), esp([tripleDesSha], 1)];
    expect(chooseEspProposal({ proposals: offers }, SEED_RULES)).toMatchObject({ ok: true, chosen: { proposal: { proposalNumber: 1 } } });
  });
});
