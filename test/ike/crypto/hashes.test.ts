import { describe, expect, it } from 'vitest';
import {
  computeHashI,
  computeHashR,
  computeMessageHash,
  computeNatDiscoveryHash,
  computeQuickModeHash1,
  computeQuickModeHash2,
  computeQuickModeHash3,
  messageIdBytes,
  type Phase1AuthContext,
} from '../../../src/ike/crypto/hashes.js';
import { hash, prf } from '../../../src/ike/crypto/prf.js';
import { strongswan } from './vectors.js';

const context: Phase1AuthContext = {
  hash: 'sha1',
  skeyid: strongswan.skeyid,
  initiatorPublicValue: strongswan.initiatorPublicValue,
  responderPublicValue: strongswan.responderPublicValue,
  initiatorCookie: strongswan.initiatorCookie,
  responderCookie: strongswan.responderCookie,
  initiatorSaBody: strongswan.initiatorSaBody,
};

describe('Aggressive Mode authentication hashes', () => {
  it('HASH_R of the live strongSwan exchange, from raw SAi_b, IDir_b and the KE bodies', () => {
    expect(computeHashR(context, strongswan.responderIdBody)).toEqual(strongswan.hashR);
  });

  it('HASH_I of the live strongSwan exchange, from raw SAi_b, IDii_b and the KE bodies', () => {
    expect(computeHashI(context, strongswan.initiatorIdBody)).toEqual(strongswan.hashI);
  });

  it('each side orders g^x and cookies with its own first', () => {
    expect(computeHashI(context, strongswan.responderIdBody)).not.toEqual(strongswan.hashR);
  });

  it('covers SAi_b byte for byte: a re-encoded SA would not verify', () => {
    const reencoded = Buffer.from(strongswan.initiatorSaBody);
    reencoded[reencoded.length - 1]! ^= 1;
    expect(computeHashR({ ...context, initiatorSaBody: reencoded }, strongswan.responderIdBody)).not.toEqual(strongswan.hashR);
  });
});

describe('Phase 2 hashes', () => {
  const skeyidA = strongswan.skeyidA;
  const messageId = 0xcc65a872;
  const payloads = Buffer.from('0e00000c0100000040890000', 'hex');

  it('message IDs are hashed as 4 big-endian bytes', () => {
    expect(messageIdBytes(0xcc65a872)).toEqual(Buffer.from('cc65a872', 'hex'));
    expect(messageIdBytes(0xe9)).toEqual(Buffer.from('000000e9', 'hex'));
    expect(() => messageIdBytes(2 ** 32)).toThrow(RangeError);
    expect(() => messageIdBytes(-1)).toThrow(RangeError);
  });

  it('Transaction / Informational HASH = prf(SKEYID_a, M-ID | payloads after HASH)', () => {
    expect(computeMessageHash('sha1', skeyidA, messageId, payloads)).toEqual(
      prf('sha1', skeyidA, Buffer.concat([messageIdBytes(messageId), payloads])),
    );
  });

  it('QM HASH(1) has the same form; HASH(2) inserts Ni_b after the M-ID', () => {
    const initiatorNonce = Buffer.alloc(32, 0x11);
    expect(computeQuickModeHash1('sha1', skeyidA, messageId, payloads)).toEqual(computeMessageHash('sha1', skeyidA, messageId, payloads));
    expect(computeQuickModeHash2('sha1', skeyidA, messageId, initiatorNonce, payloads)).toEqual(
      computeMessageHash('sha1', skeyidA, messageId, Buffer.concat([initiatorNonce, payloads])),
    );
  });

  it('QM HASH(3) = prf(SKEYID_a, 0x00 | M-ID | Ni_b | Nr_b)', () => {
    const ni = Buffer.alloc(16, 1);
    const nr = Buffer.alloc(16, 2);
    expect(computeQuickModeHash3('sha1', skeyidA, messageId, ni, nr)).toEqual(
      prf('sha1', skeyidA, Buffer.concat([Buffer.of(0), messageIdBytes(messageId), ni, nr])),
    );
  });
});

describe('NAT-D', () => {
  it('is the plain hash of CKY-I | CKY-R | address | port (big-endian)', () => {
    const address = Buffer.of(192, 0, 2, 132);
    expect(computeNatDiscoveryHash('sha1', strongswan.initiatorCookie, strongswan.responderCookie, address, 4500)).toEqual(
      hash('sha1', Buffer.concat([strongswan.initiatorCookie, strongswan.responderCookie, address, Buffer.of(0x11, 0x94)])),
    );
  });

  it('accepts IPv4 and IPv6 addresses only', () => {
    const cookies = [Buffer.alloc(8), Buffer.alloc(8)] as const;
    expect(computeNatDiscoveryHash('md5', ...cookies, Buffer.alloc(16), 500)).toHaveLength(16);
    expect(() => computeNatDiscoveryHash('md5', ...cookies, Buffer.alloc(5), 500)).toThrow(RangeError);
  });
});
