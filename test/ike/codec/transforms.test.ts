import { describe, expect, it } from 'vitest';
import {
  ipsecTransform,
  numberAttribute,
  phase1Transform,
  readIpsecTransform,
  readPhase1Transform,
  tlvAttribute,
  tvAttribute,
} from '../../../src/ike/codec/index.js';
import {
  AuthAlgorithm,
  AuthMethod,
  DhGroup,
  EncapsulationMode,
  EncryptionAlgorithm,
  EspTransformId,
  HashAlgorithm,
  IpsecAttribute,
  LifeType,
  Phase1Attribute,
} from '../../../src/ike/constants.js';
import { hex } from './fixtures.js';

describe('phase 1 transforms (RFC 2409 Appendix A)', () => {
  it('builds AES with its key length right after the cipher, and a long life as a 4-byte TLV', () => {
    const transform = phase1Transform(
      {
        encryption: EncryptionAlgorithm.AES_CBC,
        keyLength: 256,
        hash: HashAlgorithm.SHA,
        group: DhGroup.MODP_1024,
        authMethod: AuthMethod.XAUTH_INIT_PRE_SHARED,
        lifeSeconds: 2147483,
      },
      3,
    );
    expect(transform).toEqual({
      transformNumber: 3,
      transformId: 1,
      attributes: [
        tvAttribute(Phase1Attribute.ENCRYPTION_ALGORITHM, 7),
        tvAttribute(Phase1Attribute.KEY_LENGTH, 256),
        tvAttribute(Phase1Attribute.HASH_ALGORITHM, 2),
        tvAttribute(Phase1Attribute.GROUP_DESCRIPTION, 2),
        tvAttribute(Phase1Attribute.AUTHENTICATION_METHOD, 65001),
        tvAttribute(Phase1Attribute.LIFE_TYPE, LifeType.SECONDS),
        tlvAttribute(Phase1Attribute.LIFE_DURATION, hex('0020c49b')),
      ],
    });
  });

  it('reads back every choice it built, seconds and kilobytes', () => {
    const spec = { encryption: 5, hash: 1, group: 2, authMethod: 1, lifeSeconds: 28800, lifeKilobytes: 100000 };
    expect(readPhase1Transform(phase1Transform(spec))).toEqual({ ...spec, unrecognized: [] });
  });

  it('reads vpnc\'s order (key length first, life as TLV) the same way', () => {
    const transform = {
      transformNumber: 0,
      transformId: 1,
      attributes: [
        tvAttribute(14, 256),
        tvAttribute(1, 7),
        tvAttribute(2, 2),
        tvAttribute(4, 2),
        tvAttribute(3, 65001),
        tvAttribute(11, 1),
        tlvAttribute(12, hex('0020c49b')),
      ],
    };
    expect(readPhase1Transform(transform)).toEqual({
      keyLength: 256, encryption: 7, hash: 2, group: 2, authMethod: 65001, lifeSeconds: 2147483, unrecognized: [],
    });
  });

  it('lists attributes it does not understand, including a duration with no life type before it', () => {
    const strayDuration = tvAttribute(Phase1Attribute.LIFE_DURATION, 60);
    const prime = tlvAttribute(Phase1Attribute.GROUP_PRIME, Buffer.alloc(128, 0xff));
    const unknownLifeType = tvAttribute(Phase1Attribute.LIFE_TYPE, 3);
    const attributes = [strayDuration, prime, unknownLifeType, tvAttribute(1, 5)];
    const values = readPhase1Transform({ transformNumber: 1, transformId: 1, attributes });
    expect(values).toEqual({ encryption: 5, unrecognized: [strayDuration, prime, unknownLifeType] });
  });
});

describe('IPsec transforms (RFC 2407 §4.5)', () => {
  it('builds and reads back an ESP transform with PFS group, NAT-T draft encapsulation and lifetimes', () => {
    const spec = {
      transformId: EspTransformId.ESP_AES,
      keyLength: 128,
      authAlgorithm: AuthAlgorithm.HMAC_SHA,
      encapsulationMode: EncapsulationMode.UDP_ENCAPSULATED_TUNNEL_DRAFT,
      group: DhGroup.MODP_1024,
      lifeSeconds: 3600,
      lifeKilobytes: 250000,
    };
    const transform = ipsecTransform(spec, 2);
    expect(transform.transformNumber).toBe(2);
    expect(transform.attributes.slice(0, 4)).toEqual([
      tvAttribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.SECONDS),
      tvAttribute(IpsecAttribute.SA_LIFE_DURATION, 3600),
      tvAttribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.KILOBYTES),
      numberAttribute(IpsecAttribute.SA_LIFE_DURATION, 250000),
    ]);
    expect(readIpsecTransform(transform)).toEqual({ ...spec, unrecognized: [] });
  });

  it('omits what the spec leaves out', () => {
    expect(ipsecTransform({ transformId: EspTransformId.ESP_3DES }).attributes).toEqual([]);
  });
});
