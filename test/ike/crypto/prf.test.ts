import { describe, expect, it } from 'vitest';
import { HASH_LENGTH, hash, prf, type HashId } from '../../../src/ike/crypto/prf.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

describe('prf: HMAC with the negotiated hash', () => {
  // RFC 2202 test cases 1 and 2 (the same vectors back RFC 2403 / 2404), RFC 4231 case 1.
  it.each([
    ['md5', Buffer.alloc(16, 0x0b), 'Hi There', '9294727a3638bb1c13f48ef8158bfc9d'],
    ['md5', Buffer.from('Jefe'), 'what do ya want for nothing?', '750c783e6ab0b503eaa86e310a5db738'],
    ['sha1', Buffer.alloc(20, 0x0b), 'Hi There', 'b617318655057264e28bc0b6fb378c8ef146be00'],
    ['sha1', Buffer.from('Jefe'), 'what do ya want for nothing?', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['sha256', Buffer.alloc(20, 0x0b), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
  ] as const)('HMAC-%s vector with key %s', (hashId, key, data, expected) => {
    expect(prf(hashId, key, Buffer.from(data)).toString('hex')).toBe(expected);
  });

  it('covers the concatenation of its parts, in order', () => {
    const key = Buffer.from('Jefe');
    expect(prf('sha1', key, Buffer.from('what do ya '), Buffer.from('want for nothing?')).toString('hex')).toBe(
      'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
    );
  });

  it.each(['md5', 'sha1', 'sha256'] as HashId[])('%s output has HASH_LENGTH bytes', (hashId) => {
    expect(prf(hashId, Buffer.from('k'), Buffer.from('m'))).toHaveLength(HASH_LENGTH[hashId]);
    expect(hash(hashId, Buffer.from('m'))).toHaveLength(HASH_LENGTH[hashId]);
  });
});

describe('hash: the plain negotiated hash (IVs, NAT-D)', () => {
  it('is the unkeyed digest of the concatenated parts (FIPS 180 / RFC 1321 examples)', () => {
    expect(hash('md5').toString('hex')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hash('sha1', Buffer.from('a'), Buffer.from('bc')).toString('hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hash('sha256', Buffer.from('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('differs from the HMAC of the same bytes', () => {
    expect(hash('sha1', hex('00'))).not.toEqual(prf('sha1', Buffer.alloc(0), hex('00')));
  });
});
