import { CipherUnavailableError, isCipherAvailable, type EspEncryptionId, type EspIntegrityId, type SaDirectionKeys } from '../ike/crypto/index.js';
import { ESP_ENCRYPTION_SPECS, ESP_INTEGRITY_SPECS, type EspEncryptionSpec, type EspIntegritySpec } from './algorithms.js';

/** The algorithms Quick Mode agreed on for an SA pair. */
export interface EspTransform {
  readonly encryption: EspEncryptionId;
  readonly integrity: EspIntegrityId;
}

/**
 * One direction of an ESP SA: what seals or opens its packets. Both ends of a pair hold the
 * same record for a given SPI: the sender seals with it, the receiver opens with it.
 */
export interface EspSa extends EspTransform {
  /** The SPI every packet of this SA carries (chosen by the receiving end), as an unsigned 32-bit number. */
  readonly spi: number;
  readonly encryptionKey: Buffer;
  readonly integrityKey: Buffer;
  readonly encryptionSpec: EspEncryptionSpec;
  readonly integritySpec: EspIntegritySpec;
}

/**
 * Builds an SA from the negotiated transform and one direction's KEYMAT split
 * (`deriveQuickModeKeys`). Throws on what no valid negotiation produces: wrong key lengths, an
 * SPI of 1..255 (reserved by IANA, RFC 4303 §2.1) or 0, NULL encryption without integrity
 * (RFC 4303 §3.2: at least one must be on), or single DES without the legacy provider.
 */
export function createEspSa(transform: EspTransform, keys: SaDirectionKeys): EspSa {
  const encryptionSpec = ESP_ENCRYPTION_SPECS[transform.encryption];
  const integritySpec = ESP_INTEGRITY_SPECS[transform.integrity];
  if (keys.spi.length !== 4) throw new RangeError(`an ESP SPI is 4 bytes, got ${keys.spi.length}`);
  const spi = keys.spi.readUInt32BE(0);
  if (spi < 256) throw new RangeError(`SPI ${spi} is reserved (RFC 4303 §2.1)`);
  if (keys.encryptionKey.length !== encryptionSpec.keyLength) {
    throw new RangeError(`${transform.encryption} needs a ${encryptionSpec.keyLength}-byte key, got ${keys.encryptionKey.length}`);
  }
  if (keys.integrityKey.length !== integritySpec.keyLength) {
    throw new RangeError(`${transform.integrity} needs a ${integritySpec.keyLength}-byte key, got ${keys.integrityKey.length}`);
  }
  if (transform.encryption === 'null' && transform.integrity === 'none') {
    throw new RangeError('ESP with neither encryption nor integrity is not allowed (RFC 4303 §3.2)');
  }
  if (encryptionSpec.cipher !== undefined && !isCipherAvailable(encryptionSpec.cipher)) {
    throw new CipherUnavailableError(encryptionSpec.cipher);
  }
  return {
    encryption: transform.encryption,
    integrity: transform.integrity,
    spi,
    encryptionKey: Buffer.from(keys.encryptionKey),
    integrityKey: Buffer.from(keys.integrityKey),
    encryptionSpec,
    integritySpec,
  };
}

/** The SPI as the 8 lower-case hex digits logs and tshark use. */
export function formatSpi(spi: number): string {
  return spi.toString(16).padStart(8, '0');
}
