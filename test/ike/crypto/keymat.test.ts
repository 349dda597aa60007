import { describe, expect, it } from 'vitest';
import { deriveKeymat, deriveQuickModeKeys, type QuickModeKeyInputs } from '../../../src/ike/crypto/keymat.js';
import { prf } from '../../../src/ike/crypto/prf.js';
import { strongswan, strongswanQuickModeNonces } from './vectors.js';

const nonces = strongswanQuickModeNonces();
const inputs: QuickModeKeyInputs = {
  hash: 'sha1',
  skeyidD: strongswan.skeyidD,
  protocol: 'esp',
  encryption: '3des-cbc',
  integrity: 'hmac-sha1-96',
  initiatorSpi: strongswan.quickMode.initiatorSpi,
  responderSpi: strongswan.quickMode.responderSpi,
  ...nonces,
};

describe('Quick Mode KEYMAT (RFC 2409 §5.5)', () => {
  it('reproduces both directions strongSwan 5.9.8 derived (no PFS, 3DES + HMAC-SHA1)', () => {
    const keys = deriveQuickModeKeys(inputs);
    expect(keys.initiatorToResponder).toEqual({ spi: strongswan.quickMode.responderSpi, ...strongswan.quickMode.initiatorToResponder });
    expect(keys.responderToInitiator).toEqual({ spi: strongswan.quickMode.initiatorSpi, ...strongswan.quickMode.responderToInitiator });
  });

  it('seeds K1 with protocol | SPI | Ni_b | Nr_b, as strongSwan logged the seed', () => {
    const keymat = deriveKeymat('sha1', strongswan.skeyidD, { protocol: 'esp', spi: strongswan.quickMode.responderSpi, ...nonces }, 20);
    expect(keymat).toEqual(prf('sha1', strongswan.skeyidD, strongswan.quickMode.initiatorSeed));
  });

  it('chains Kn = prf(SKEYID_d, Kn-1 | seed) for as many bytes as the algorithms need', () => {
    const seed = strongswan.quickMode.initiatorSeed;
    const k1 = prf('sha1', strongswan.skeyidD, seed);
    const k2 = prf('sha1', strongswan.skeyidD, k1, seed);
    const k3 = prf('sha1', strongswan.skeyidD, k2, seed);
    const keymat = deriveKeymat('sha1', strongswan.skeyidD, { protocol: 'esp', spi: strongswan.quickMode.responderSpi, ...nonces }, 52);
    expect(keymat).toEqual(Buffer.concat([k1, k2, k3]).subarray(0, 52));
  });

  it('with PFS, prepends g(qm)^xy to the seed', () => {
    const pfsSharedSecret = Buffer.alloc(128, 0x33);
    const withPfs = deriveQuickModeKeys({ ...inputs, pfsSharedSecret });
    const k1 = prf('sha1', strongswan.skeyidD, pfsSharedSecret, strongswan.quickMode.initiatorSeed);
    expect(withPfs.initiatorToResponder.encryptionKey.subarray(0, 20)).toEqual(k1);
    expect(withPfs.initiatorToResponder.encryptionKey).not.toEqual(strongswan.quickMode.initiatorToResponder.encryptionKey);
  });

  it('splits KEYMAT by algorithm: encryption key first, then integrity key', () => {
    const aes = deriveQuickModeKeys({ ...inputs, encryption: 'aes256-cbc', integrity: 'hmac-md5-96' });
    const keymat = deriveKeymat('sha1', strongswan.skeyidD, { protocol: 'esp', spi: strongswan.quickMode.responderSpi, ...nonces }, 48);
    expect(aes.initiatorToResponder.encryptionKey).toEqual(keymat.subarray(0, 32));
    expect(aes.initiatorToResponder.integrityKey).toEqual(keymat.subarray(32, 48));
    const nullCipher = deriveQuickModeKeys({ ...inputs, encryption: 'null', integrity: 'hmac-sha1-96' });
    expect(nullCipher.initiatorToResponder.encryptionKey).toHaveLength(0);
    expect(nullCipher.initiatorToResponder.integrityKey).toEqual(keymat.subarray(0, 20));
  });

  it('keys AH with protocol 2 in the seed', () => {
    const ah = deriveKeymat('sha1', strongswan.skeyidD, { protocol: 'ah', spi: strongswan.quickMode.responderSpi, ...nonces }, 20);
    const seed = Buffer.from(strongswan.quickMode.initiatorSeed);
    seed[0] = 2;
    expect(ah).toEqual(prf('sha1', strongswan.skeyidD, seed));
  });

  it('refuses an SPI that is not 4 bytes', () => {
    expect(() => deriveQuickModeKeys({ ...inputs, initiatorSpi: Buffer.alloc(2) })).toThrow(RangeError);
  });
});
