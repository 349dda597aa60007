import { describe, expect, it } from 'vitest';
import {
  dhGroupFromAttribute,
  espEncryptionFromTransform,
  espIntegrityFromAttribute,
  phase1CipherFromAttributes,
  phase1HashFromAttribute,
} from '../../../src/ike/crypto/algorithms.js';

describe('Phase 1 attribute values (RFC 2409 Appendix A)', () => {
  it('hash: MD5 1, SHA 2, SHA2-256 4; others unsupported', () => {
    expect([1, 2, 4, 3, 6].map(phase1HashFromAttribute)).toEqual(['md5', 'sha1', 'sha256', undefined, undefined]);
  });

  it('encryption: DES 1, 3DES 5, AES-CBC 7 with a key length of 128/192/256', () => {
    expect(phase1CipherFromAttributes(1)).toBe('des-cbc');
    expect(phase1CipherFromAttributes(5)).toBe('3des-cbc');
    expect(phase1CipherFromAttributes(7, 128)).toBe('aes128-cbc');
    expect(phase1CipherFromAttributes(7, 192)).toBe('aes192-cbc');
    expect(phase1CipherFromAttributes(7, 256)).toBe('aes256-cbc');
  });

  it('AES without a key length, or a key length contradicting a fixed-size cipher, is unusable', () => {
    expect(phase1CipherFromAttributes(7)).toBeUndefined();
    expect(phase1CipherFromAttributes(7, 64)).toBeUndefined();
    expect(phase1CipherFromAttributes(5, 128)).toBeUndefined();
    expect(phase1CipherFromAttributes(5, 192)).toBe('3des-cbc');
    expect(phase1CipherFromAttributes(2)).toBeUndefined(); // IDEA
  });

  it('groups: 1, 2, 5, 14', () => {
    expect([1, 2, 5, 14, 3, 15].map(dhGroupFromAttribute)).toEqual([1, 2, 5, 14, undefined, undefined]);
  });
});

describe('IPsec DOI values (RFC 2407)', () => {
  it('ESP transforms: DES 2, 3DES 3, NULL 11, AES 12 (key length required)', () => {
    expect(espEncryptionFromTransform(2)).toBe('des-cbc');
    expect(espEncryptionFromTransform(3)).toBe('3des-cbc');
    expect(espEncryptionFromTransform(11)).toBe('null');
    expect(espEncryptionFromTransform(12, 256)).toBe('aes256-cbc');
    expect(espEncryptionFromTransform(12)).toBeUndefined();
    expect(espEncryptionFromTransform(1)).toBeUndefined();
  });

  it('authentication: HMAC-MD5 1, HMAC-SHA 2, HMAC-SHA2-256 5, absent = none', () => {
    expect([1, 2, 5, undefined, 3].map(espIntegrityFromAttribute)).toEqual([
      'hmac-md5-96',
      'hmac-sha1-96',
      'hmac-sha256-128',
      'none',
      undefined,
    ]);
  });
});
