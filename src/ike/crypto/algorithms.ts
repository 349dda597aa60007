import { CIPHER_SPECS, type CipherId } from './cipher.js';
import { isDhGroupId, type DhGroupId } from './dh.js';
import type { EspEncryptionId, EspIntegrityId } from './keymat.js';
import type { HashId } from './prf.js';

// The numbers of RFC 2409 Appendix A (Phase 1 attributes) and RFC 2407 §4.4/§4.5 (IPsec DOI
// transform IDs and attributes), translated into the crypto module's names. `undefined` means
// "not implemented here": the responder treats such a transform as unacceptable.

/** Phase 1 Hash Algorithm attribute (2): MD5 1, SHA 2, SHA2-256 4. */
export function phase1HashFromAttribute(value: number): HashId | undefined {
  switch (value) {
    case 1:
      return 'md5';
    case 2:
      return 'sha1';
    case 4:
      return 'sha256';
    default:
      return undefined;
  }
}

/**
 * Phase 1 Encryption Algorithm attribute (1) with the Key Length attribute (14) in bits:
 * DES 1, 3DES 5, AES-CBC 7. AES needs an explicit key length of 128, 192 or 256.
 */
export function phase1CipherFromAttributes(encryptionAlgorithm: number, keyLengthBits?: number): CipherId | undefined {
  switch (encryptionAlgorithm) {
    case 1:
      return fixedKeyLength('des-cbc', keyLengthBits);
    case 5:
      return fixedKeyLength('3des-cbc', keyLengthBits);
    case 7:
      return aesByKeyLength(keyLengthBits);
    default:
      return undefined;
  }
}

/** Phase 1 Group Description attribute (4) or Quick Mode Group Description (3) for PFS. */
export function dhGroupFromAttribute(value: number): DhGroupId | undefined {
  return isDhGroupId(value) ? value : undefined;
}

/** ESP transform ID (RFC 2407 §4.4.4): ESP_DES 2, ESP_3DES 3, ESP_NULL 11, ESP_AES 12. */
export function espEncryptionFromTransform(transformId: number, keyLengthBits?: number): EspEncryptionId | undefined {
  switch (transformId) {
    case 2:
      return fixedKeyLength('des-cbc', keyLengthBits);
    case 3:
      return fixedKeyLength('3des-cbc', keyLengthBits);
    case 11:
      return keyLengthBits === undefined ? 'null' : undefined;
    case 12:
      // RFC 3602 §5: the Key Length attribute must be present for AES.
      return aesByKeyLength(keyLengthBits);
    default:
      return undefined;
  }
}

/**
 * IPsec DOI Authentication Algorithm attribute (5): HMAC-MD5 1, HMAC-SHA 2, HMAC-SHA2-256 5;
 * an absent attribute means no integrity.
 */
export function espIntegrityFromAttribute(value: number | undefined): EspIntegrityId | undefined {
  switch (value) {
    case undefined:
      return 'none';
    case 1:
      return 'hmac-md5-96';
    case 2:
      return 'hmac-sha1-96';
    case 5:
      return 'hmac-sha256-128';
    default:
      return undefined;
  }
}

/**
 * A Key Length attribute must not accompany a fixed-length cipher (RFC 2409 Appendix A); one
 * that merely restates the fixed length is tolerated, anything else makes the transform unusable.
 */
function fixedKeyLength(cipher: CipherId, keyLengthBits: number | undefined): CipherId | undefined {
  if (keyLengthBits === undefined || keyLengthBits === CIPHER_SPECS[cipher].keyLength * 8) return cipher;
  return undefined;
}

function aesByKeyLength(keyLengthBits: number | undefined): CipherId | undefined {
  switch (keyLengthBits) {
    case 128:
      return 'aes128-cbc';
    case 192:
      return 'aes192-cbc';
    case 256:
      return 'aes256-cbc';
    default:
      return undefined;
  }
}
