import { describe, expect, it } from 'vitest';
import { computeHashI, computeHashR } from '../../../src/ike/crypto/index.js';
import { keyPhase1 } from '../../../src/initiator/index.js';
import { strongswan } from '../crypto/vectors.js';

describe('keyPhase1', () => {
  // ikev1-notes §4b: a live strongSwan 5.9.8 Aggressive Mode, 3DES / SHA1 / MODP1024.
  const keying = keyPhase1({
    hash: 'sha1',
    cipher: '3des-cbc',
    preSharedKey: strongswan.preSharedKey,
    initiatorCookie: strongswan.initiatorCookie,
    responderCookie: strongswan.responderCookie,
    initiatorNonce: strongswan.initiatorNonce,
    responderNonce: strongswan.responderNonce,
    initiatorPublicValue: strongswan.initiatorPublicValue,
    responderPublicValue: strongswan.responderPublicValue,
    sharedSecret: strongswan.sharedSecret,
    initiatorSaBody: strongswan.initiatorSaBody,
  });

  it('reproduces strongSwan\'s SKEYID chain and expanded 3DES key', () => {
    expect(keying.keys).toEqual({
      skeyid: strongswan.skeyid,
      skeyidD: strongswan.skeyidD,
      skeyidA: strongswan.skeyidA,
      skeyidE: strongswan.skeyidE,
      encryptionKey: strongswan.encryptionKey,
    });
    expect(keying.saCipher).toEqual({ cipher: '3des-cbc', encryptionKey: strongswan.encryptionKey });
  });

  it('starts the Phase 1 IV chain at strongSwan\'s IV0', () => {
    expect(keying.ivChains.phase1).toEqual({ block: strongswan.initialIv, source: 'initial-iv', encryptedMessages: 0 });
    expect(keying.ivChains.blockSize).toBe(8);
  });

  it('gives the context in which HASH_I and HASH_R come out as strongSwan\'s', () => {
    expect(computeHashI(keying.authContext, strongswan.initiatorIdBody)).toEqual(strongswan.hashI);
    expect(computeHashR(keying.authContext, strongswan.responderIdBody)).toEqual(strongswan.hashR);
  });
});
