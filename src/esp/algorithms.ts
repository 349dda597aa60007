import { CIPHER_SPECS, ESP_INTEGRITY_KEY_LENGTH, type CipherId, type EspEncryptionId, type EspIntegrityId, type HashId } from '../ike/crypto/index.js';

// What ESP needs to know about each algorithm Quick Mode can negotiate: sizes on the wire and
// the names Wireshark's esp_sa table knows them by (ikev1-notes §6; packet-ipsec.c value strings).

export interface EspEncryptionSpec {
  readonly id: EspEncryptionId;
  /** The CBC cipher of ../ike/crypto, absent for ESP_NULL (RFC 2410). */
  readonly cipher: CipherId | undefined;
  readonly keyLength: number;
  /** Explicit per-packet IV in front of the ciphertext (RFC 2451 §3, RFC 3602 §3): the block size. */
  readonly ivLength: number;
  /**
   * What payload | padding | pad length | next header must fill a multiple of: the cipher's
   * block size, and 4 bytes for NULL, since the trailer must end on a 32-bit word (RFC 4303 §2.4).
   */
  readonly alignment: number;
  readonly tsharkName: string;
}

export interface EspIntegritySpec {
  readonly id: EspIntegrityId;
  /** The HMAC's hash, absent for no integrity. */
  readonly hash: HashId | undefined;
  readonly keyLength: number;
  /** The truncated HMAC carried at the end of the packet (RFC 2403/2404 §2: 96 bits; RFC 4868: 128). */
  readonly icvLength: number;
  readonly tsharkName: string;
}

function cbc(id: CipherId, tsharkName: string): EspEncryptionSpec {
  const { keyLength, blockSize } = CIPHER_SPECS[id];
  return { id, cipher: id, keyLength, ivLength: blockSize, alignment: blockSize, tsharkName };
}

export const ESP_ENCRYPTION_SPECS: Readonly<Record<EspEncryptionId, EspEncryptionSpec>> = {
  'des-cbc': cbc('des-cbc', 'DES-CBC [RFC2405]'),
  '3des-cbc': cbc('3des-cbc', 'TripleDES-CBC [RFC2451]'),
  'aes128-cbc': cbc('aes128-cbc', 'AES-CBC [RFC3602]'),
  'aes192-cbc': cbc('aes192-cbc', 'AES-CBC [RFC3602]'),
  'aes256-cbc': cbc('aes256-cbc', 'AES-CBC [RFC3602]'),
  null: { id: 'null', cipher: undefined, keyLength: 0, ivLength: 0, alignment: 4, tsharkName: 'NULL' },
};

export const ESP_INTEGRITY_SPECS: Readonly<Record<EspIntegrityId, EspIntegritySpec>> = {
  'hmac-md5-96': { id: 'hmac-md5-96', hash: 'md5', keyLength: ESP_INTEGRITY_KEY_LENGTH['hmac-md5-96'], icvLength: 12, tsharkName: 'HMAC-MD5-96 [RFC2403]' },
  'hmac-sha1-96': { id: 'hmac-sha1-96', hash: 'sha1', keyLength: ESP_INTEGRITY_KEY_LENGTH['hmac-sha1-96'], icvLength: 12, tsharkName: 'HMAC-SHA-1-96 [RFC2404]' },
  'hmac-sha256-128': {
    id: 'hmac-sha256-128',
    hash: 'sha256',
    keyLength: ESP_INTEGRITY_KEY_LENGTH['hmac-sha256-128'],
    icvLength: 16,
    tsharkName: 'HMAC-SHA-256-128 [RFC4868]',
  },
  none: { id: 'none', hash: undefined, keyLength: 0, icvLength: 0, tsharkName: 'NULL' },
};
