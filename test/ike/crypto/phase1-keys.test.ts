import { describe, expect, it } from 'vitest';
import { derivePhase1Keys, deriveSkeyid, expandEncryptionKey } from '../../../src/ike/crypto/phase1-keys.js';
import { prf } from '../../../src/ike/crypto/prf.js';
import { acvp, strongswan } from './vectors.js';

describe('RFC 2409 §5 pre-shared-key key schedule', () => {
  it('reproduces the NIST ACVP IKEv1-PSK vector (SKEYID, SKEYID_d/a/e)', () => {
    const keys = derivePhase1Keys({ hash: 'sha1', ...acvp, encryptionKeyLength: 24 });
    expect(keys.skeyid).toEqual(acvp.skeyid);
    expect(keys.skeyidD).toEqual(acvp.skeyidD);
    expect(keys.skeyidA).toEqual(acvp.skeyidA);
    expect(keys.skeyidE).toEqual(acvp.skeyidE);
    expect(keys.encryptionKey).toEqual(acvp.ka3des);
  });

  it('reproduces every Phase 1 key strongSwan 5.9.8 logged (3DES/SHA1/MODP1024)', () => {
    const keys = derivePhase1Keys({ hash: 'sha1', ...strongswan, encryptionKeyLength: 24 });
    expect(keys.skeyid).toEqual(strongswan.skeyid);
    expect(keys.skeyidD).toEqual(strongswan.skeyidD);
    expect(keys.skeyidA).toEqual(strongswan.skeyidA);
    expect(keys.skeyidE).toEqual(strongswan.skeyidE);
    expect(keys.encryptionKey).toEqual(strongswan.encryptionKey);
  });

  it('SKEYID depends on the nonce order: Ni_b first', () => {
    const forward = deriveSkeyid('sha1', acvp.preSharedKey, acvp.initiatorNonce, acvp.responderNonce);
    expect(forward).toEqual(acvp.skeyid);
    expect(deriveSkeyid('sha1', acvp.preSharedKey, acvp.responderNonce, acvp.initiatorNonce)).not.toEqual(forward);
  });

  it('hashes g^xy exactly as given: a missing leading zero changes every key', () => {
    const padded = Buffer.concat([Buffer.of(0), strongswan.sharedSecret.subarray(1)]);
    const unpadded = padded.subarray(1);
    const withPadding = derivePhase1Keys({ hash: 'sha1', ...strongswan, sharedSecret: padded, encryptionKeyLength: 24 });
    const withoutPadding = derivePhase1Keys({ hash: 'sha1', ...strongswan, sharedSecret: unpadded, encryptionKeyLength: 24 });
    expect(withPadding.skeyidD).not.toEqual(withoutPadding.skeyidD);
  });

  it('refuses cookies that are not 8 bytes', () => {
    expect(() =>
      derivePhase1Keys({ hash: 'sha1', ...acvp, initiatorCookie: Buffer.alloc(4), encryptionKeyLength: 24 }),
    ).toThrow(RangeError);
  });
});

describe('Ka (RFC 2409 Appendix B)', () => {
  it('truncates SKEYID_e when it is long enough (AES-128 with SHA1)', () => {
    expect(expandEncryptionKey('sha1', acvp.skeyidE, 16)).toEqual(acvp.kaAes128);
  });

  it('expands K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1) for 3DES and AES-256 with SHA1', () => {
    expect(expandEncryptionKey('sha1', acvp.skeyidE, 24)).toEqual(acvp.ka3des);
    expect(expandEncryptionKey('sha1', acvp.skeyidE, 32)).toEqual(acvp.kaAes256);
  });

  it('expands over as many blocks as needed with MD5 (3DES needs 24 of 2 x 16 bytes)', () => {
    const skeyidE = Buffer.alloc(16, 0x42);
    const k1 = prf('md5', skeyidE, Buffer.of(0));
    const k2 = prf('md5', skeyidE, k1);
    expect(expandEncryptionKey('md5', skeyidE, 24)).toEqual(Buffer.concat([k1, k2]).subarray(0, 24));
  });

  it('uses SKEYID_e itself, not K1, when SKEYID_e is exactly long enough (DES with MD5)', () => {
    const skeyidE = Buffer.alloc(16, 0x42);
    expect(expandEncryptionKey('md5', skeyidE, 16)).toEqual(skeyidE);
    expect(expandEncryptionKey('md5', skeyidE, 8)).toEqual(skeyidE.subarray(0, 8));
  });
});
