import { CIPHER_SPECS, type CipherId } from './cipher.js';
import { prf, type HashId } from './prf.js';

/** ESP encryption: a CBC cipher or ESP_NULL (RFC 2410), which takes no key. */
export type EspEncryptionId = CipherId | 'null';
/** ESP integrity as negotiated by the IPsec DOI Authentication Algorithm attribute. */
export type EspIntegrityId = 'hmac-md5-96' | 'hmac-sha1-96' | 'hmac-sha256-128' | 'none';

/** Key lengths of the integrity algorithms (RFC 2403, 2404, 4868): the HMAC's output size. */
export const ESP_INTEGRITY_KEY_LENGTH: Readonly<Record<EspIntegrityId, number>> = {
  'hmac-md5-96': 16,
  'hmac-sha1-96': 20,
  'hmac-sha256-128': 32,
  none: 0,
};

export function espEncryptionKeyLength(encryption: EspEncryptionId): number {
  return encryption === 'null' ? 0 : CIPHER_SPECS[encryption].keyLength;
}

/** IPsec DOI protocol IDs (RFC 2407 §4.4.1) that appear in the KEYMAT seed. */
const PROTOCOL_ID = { ah: 2, esp: 3 } as const;

export interface KeymatSeed {
  readonly protocol: 'esp' | 'ah';
  /** The SPI of the SA being keyed (4 bytes for ESP and AH). */
  readonly spi: Buffer;
  /** Ni_b and Nr_b: the Quick Mode NONCE bodies (not the Phase 1 ones). */
  readonly initiatorNonce: Buffer;
  readonly responderNonce: Buffer;
  /** g(qm)^xy left-padded to the prime length when PFS is used; absent without PFS. */
  readonly pfsSharedSecret?: Buffer;
}

/**
 * KEYMAT = K1 | K2 | ... with K1 = prf(SKEYID_d, [g(qm)^xy] | protocol | SPI | Ni_b | Nr_b) and
 * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy] | protocol | SPI | Ni_b | Nr_b) (RFC 2409 §5.5).
 */
export function deriveKeymat(hash: HashId, skeyidD: Buffer, seed: KeymatSeed, length: number): Buffer {
  if (seed.spi.length !== 4) throw new RangeError(`SPI must be 4 bytes, got ${seed.spi.length}`);
  const seedBytes = Buffer.concat([
    seed.pfsSharedSecret ?? Buffer.alloc(0),
    Buffer.of(PROTOCOL_ID[seed.protocol]),
    seed.spi,
    seed.initiatorNonce,
    seed.responderNonce,
  ]);
  const blocks: Buffer[] = [];
  let produced = 0;
  let previous: Buffer = Buffer.alloc(0);
  while (produced < length) {
    previous = prf(hash, skeyidD, previous, seedBytes);
    blocks.push(previous);
    produced += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

export interface QuickModeKeyInputs {
  readonly hash: HashId;
  readonly skeyidD: Buffer;
  readonly protocol: 'esp' | 'ah';
  readonly encryption: EspEncryptionId;
  readonly integrity: EspIntegrityId;
  /** The SPI the initiator chose (in its SA proposal): the responder -> initiator SA. */
  readonly initiatorSpi: Buffer;
  /** The SPI the responder chose (in its SA reply): the initiator -> responder SA. */
  readonly responderSpi: Buffer;
  readonly initiatorNonce: Buffer;
  readonly responderNonce: Buffer;
  readonly pfsSharedSecret?: Buffer;
}

/** The keys of one direction's SA, named by the SPI its packets carry. */
export interface SaDirectionKeys {
  readonly spi: Buffer;
  readonly encryptionKey: Buffer;
  readonly integrityKey: Buffer;
}

export interface QuickModeKeys {
  readonly initiatorToResponder: SaDirectionKeys;
  readonly responderToInitiator: SaDirectionKeys;
}

/**
 * Both directions of a Quick Mode SA pair. Each direction is keyed with the SPI that appears
 * in its own packets, i.e. the one chosen by the receiving end: initiator -> responder uses the
 * responder's SPI. KEYMAT is split encryption key first, then integrity key.
 */
export function deriveQuickModeKeys(inputs: QuickModeKeyInputs): QuickModeKeys {
  const encryptionKeyLength = espEncryptionKeyLength(inputs.encryption);
  const integrityKeyLength = ESP_INTEGRITY_KEY_LENGTH[inputs.integrity];
  const keysFor = (spi: Buffer): SaDirectionKeys => {
    const keymat = deriveKeymat(
      inputs.hash,
      inputs.skeyidD,
      {
        protocol: inputs.protocol,
        spi,
        initiatorNonce: inputs.initiatorNonce,
        responderNonce: inputs.responderNonce,
        pfsSharedSecret: inputs.pfsSharedSecret,
      },
      encryptionKeyLength + integrityKeyLength,
    );
    return {
      spi: Buffer.from(spi),
      encryptionKey: Buffer.from(keymat.subarray(0, encryptionKeyLength)),
      integrityKey: Buffer.from(keymat.subarray(encryptionKeyLength)),
    };
  };
  return {
    initiatorToResponder: keysFor(inputs.responderSpi),
    responderToInitiator: keysFor(inputs.initiatorSpi),
  };
}
