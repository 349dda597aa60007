import { hash, prf, type HashId } from './prf.js';

/**
 * The Phase 1 bytes both authentication hashes cover (RFC 2409 §5). Every field is the payload
 * body exactly as it went over the wire: re-encoding a received SA would change the hash.
 */
export interface Phase1AuthContext {
  readonly hash: HashId;
  readonly skeyid: Buffer;
  /** g^xi and g^xr: the KE payload bodies (full prime-length public values). */
  readonly initiatorPublicValue: Buffer;
  readonly responderPublicValue: Buffer;
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  /**
   * SAi_b: the initiator's SA body from message 1 (DOI | situation | proposals). The responder's
   * reply carries only the chosen transform, yet both hashes cover the initiator's offer.
   */
  readonly initiatorSaBody: Buffer;
}

/** HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) */
export function computeHashI(context: Phase1AuthContext, initiatorIdBody: Buffer): Buffer {
  const c = context;
  return prf(c.hash, c.skeyid, c.initiatorPublicValue, c.responderPublicValue, c.initiatorCookie, c.responderCookie, c.initiatorSaBody, initiatorIdBody);
}

/** HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b) */
export function computeHashR(context: Phase1AuthContext, responderIdBody: Buffer): Buffer {
  const c = context;
  return prf(c.hash, c.skeyid, c.responderPublicValue, c.initiatorPublicValue, c.responderCookie, c.initiatorCookie, c.initiatorSaBody, responderIdBody);
}

/** A message ID as the 4 big-endian bytes the hashes and IVs are computed over. */
export function messageIdBytes(messageId: number): Buffer {
  if (!Number.isInteger(messageId) || messageId < 0 || messageId > 0xffffffff) {
    throw new RangeError(`message ID ${messageId} is not an unsigned 32-bit integer`);
  }
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(messageId);
  return bytes;
}

/**
 * HASH = prf(SKEYID_a, M-ID | payloads after the HASH payload), used for Transaction (mode-cfg,
 * XAUTH) and Informational exchanges in both directions, and for Quick Mode HASH(1).
 * `payloadsAfterHash` are the raw payloads with their generic headers, up to the end of the
 * payload chain: encryption padding excluded.
 */
export function computeMessageHash(hashId: HashId, skeyidA: Buffer, messageId: number, payloadsAfterHash: Buffer): Buffer {
  return prf(hashId, skeyidA, messageIdBytes(messageId), payloadsAfterHash);
}

/** Quick Mode HASH(1) = prf(SKEYID_a, M-ID | SA | Ni | [KE] | [IDci | IDcr]) (RFC 2409 §5.5). */
export function computeQuickModeHash1(hashId: HashId, skeyidA: Buffer, messageId: number, payloadsAfterHash: Buffer): Buffer {
  return computeMessageHash(hashId, skeyidA, messageId, payloadsAfterHash);
}

/**
 * Quick Mode HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr | [KE] | [IDci | IDcr]).
 * Ni_b is the initiator's QM nonce body, the rest are the responder's payloads after its HASH.
 */
export function computeQuickModeHash2(
  hashId: HashId,
  skeyidA: Buffer,
  messageId: number,
  initiatorNonceBody: Buffer,
  payloadsAfterHash: Buffer,
): Buffer {
  return prf(hashId, skeyidA, messageIdBytes(messageId), initiatorNonceBody, payloadsAfterHash);
}

/** Quick Mode HASH(3) = prf(SKEYID_a, 0x00 | M-ID | Ni_b | Nr_b). */
export function computeQuickModeHash3(
  hashId: HashId,
  skeyidA: Buffer,
  messageId: number,
  initiatorNonceBody: Buffer,
  responderNonceBody: Buffer,
): Buffer {
  return prf(hashId, skeyidA, Buffer.of(0), messageIdBytes(messageId), initiatorNonceBody, responderNonceBody);
}

/**
 * NAT-D = hash(CKY-I | CKY-R | IP | port) (RFC 3947 §3.2), with the plain negotiated hash and the
 * port big-endian. `address` is the 4 (IPv4) or 16 (IPv6) address bytes.
 */
export function computeNatDiscoveryHash(
  hashId: HashId,
  initiatorCookie: Buffer,
  responderCookie: Buffer,
  address: Buffer,
  port: number,
): Buffer {
  if (address.length !== 4 && address.length !== 16) throw new RangeError(`address must be 4 or 16 bytes, got ${address.length}`);
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  return hash(hashId, initiatorCookie, responderCookie, address, portBytes);
}
