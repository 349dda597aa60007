// SAs with fixed, made-up keys for the ESP tests, one per transform rtxlab can carry.
import type { EspEncryptionId, EspIntegrityId } from '../../../src/ike/crypto/index.js';
import { createEspSa, ESP_ENCRYPTION_SPECS, ESP_INTEGRITY_SPECS, type EspSa, type EspTransform } from '../../../src/esp/index.js';

export const ENCRYPTIONS: readonly EspEncryptionId[] = ['des-cbc', '3des-cbc', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'null'];
export const INTEGRITIES: readonly EspIntegrityId[] = ['hmac-md5-96', 'hmac-sha1-96', 'hmac-sha256-128', 'none'];

/** Every pairing RFC 4303 allows (not NULL with no integrity). */
export const TRANSFORMS: readonly EspTransform[] = ENCRYPTIONS.flatMap((encryption) =>
  INTEGRITIES.filter((integrity) => !(encryption === 'null' && integrity === 'none')).map((integrity) => ({ encryption, integrity })),
);

/** The two the issue measures and real clients negotiate with the RTX most. */
export const TRIPLE_DES_SHA1: EspTransform = { encryption: '3des-cbc', integrity: 'hmac-sha1-96' };
export const AES128_SHA1: EspTransform = { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' };

export const describeTransform = (transform: EspTransform): string => `${transform.encryption} + ${transform.integrity}`;

/** Bytes first, first+1, ... (mod 256): distinct keys per role without randomness. */
export function patternBytes(length: number, first: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (first + i) & 0xff));
}

export function spiBytes(spi: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(spi);
  return bytes;
}

export function testSa(transform: EspTransform, spi = 0xc0ffee01): EspSa {
  return createEspSa(transform, {
    spi: spiBytes(spi),
    encryptionKey: patternBytes(ESP_ENCRYPTION_SPECS[transform.encryption].keyLength, 0x10),
    integrityKey: patternBytes(ESP_INTEGRITY_SPECS[transform.integrity].keyLength, 0x80),
  });
}
