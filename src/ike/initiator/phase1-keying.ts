import {
  CIPHER_SPECS,
  createIvChains,
  derivePhase1Keys,
  type CipherId,
  type HashId,
  type IsakmpSaCipher,
  type IvChains,
  type Phase1AuthContext,
  type Phase1Keys,
} from '../crypto/index.js';

/** Everything Phase 1 keying consumes, as raw wire bytes (payload bodies, not payloads). */
export interface Phase1KeyingInputs {
  readonly hash: HashId;
  readonly cipher: CipherId;
  readonly preSharedKey: Buffer;
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  readonly initiatorNonce: Buffer; // Ni_b
  readonly responderNonce: Buffer; // Nr_b
  readonly initiatorPublicValue: Buffer; // g^xi, the KE body we sent
  readonly responderPublicValue: Buffer; // g^xr, the KE body received
  readonly sharedSecret: Buffer; // g^xy, left-padded to the prime length
  readonly initiatorSaBody: Buffer; // SAi_b as we sent it
}

/** The keys of the ISAKMP SA, its IV chains at IV0, and what HASH_I/HASH_R are computed over. */
export interface Phase1Keying {
  readonly keys: Phase1Keys;
  readonly saCipher: IsakmpSaCipher;
  readonly ivChains: IvChains;
  readonly authContext: Phase1AuthContext;
}

/** RFC 2409 §5 (SKEYID chain, pre-shared key) and Appendix B (Ka, IV0), composed for one SA. */
export function keyPhase1(inputs: Phase1KeyingInputs): Phase1Keying {
  const { keyLength, blockSize } = CIPHER_SPECS[inputs.cipher];
  const keys = derivePhase1Keys({
    hash: inputs.hash,
    preSharedKey: inputs.preSharedKey,
    initiatorNonce: inputs.initiatorNonce,
    responderNonce: inputs.responderNonce,
    sharedSecret: inputs.sharedSecret,
    initiatorCookie: inputs.initiatorCookie,
    responderCookie: inputs.responderCookie,
    encryptionKeyLength: keyLength,
  });
  return {
    keys,
    saCipher: { cipher: inputs.cipher, encryptionKey: keys.encryptionKey },
    ivChains: createIvChains(inputs.hash, blockSize, inputs.initiatorPublicValue, inputs.responderPublicValue),
    authContext: {
      hash: inputs.hash,
      skeyid: keys.skeyid,
      initiatorPublicValue: inputs.initiatorPublicValue,
      responderPublicValue: inputs.responderPublicValue,
      initiatorCookie: inputs.initiatorCookie,
      responderCookie: inputs.responderCookie,
      initiatorSaBody: inputs.initiatorSaBody,
    },
  };
}
