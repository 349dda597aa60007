import { prf, type HashId } from './prf.js';

/** What the RFC 2409 §5 pre-shared-key key schedule consumes, all as raw wire bytes. */
export interface Phase1KeyInputs {
  readonly hash: HashId;
  readonly preSharedKey: Buffer;
  /** Ni_b and Nr_b: the NONCE payload bodies, without the generic payload header. */
  readonly initiatorNonce: Buffer;
  readonly responderNonce: Buffer;
  /** g^xy left-padded to the prime length (what `computeDhSharedSecret` returns). */
  readonly sharedSecret: Buffer;
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  /** Length of Ka, i.e. the negotiated cipher's key length. */
  readonly encryptionKeyLength: number;
}

export interface Phase1Keys {
  readonly skeyid: Buffer;
  /** Seeds every Quick Mode KEYMAT. */
  readonly skeyidD: Buffer;
  /** Keys every Phase 2 / Transaction / Informational HASH. */
  readonly skeyidA: Buffer;
  readonly skeyidE: Buffer;
  /** Ka: the key of the ISAKMP SA's cipher, derived from SKEYID_e (RFC 2409 Appendix B). */
  readonly encryptionKey: Buffer;
}

/** SKEYID = prf(pre-shared-key, Ni_b | Nr_b) (RFC 2409 §5, pre-shared key authentication). */
export function deriveSkeyid(hash: HashId, preSharedKey: Buffer, initiatorNonce: Buffer, responderNonce: Buffer): Buffer {
  return prf(hash, preSharedKey, initiatorNonce, responderNonce);
}

export function derivePhase1Keys(inputs: Phase1KeyInputs): Phase1Keys {
  const { hash, sharedSecret, initiatorCookie, responderCookie } = inputs;
  checkCookie(initiatorCookie, 'initiator');
  checkCookie(responderCookie, 'responder');
  const skeyid = deriveSkeyid(hash, inputs.preSharedKey, inputs.initiatorNonce, inputs.responderNonce);
  // Each of d, a, e chains the previous one in front and a distinct trailing octet 0, 1, 2.
  const skeyidD = prf(hash, skeyid, sharedSecret, initiatorCookie, responderCookie, Buffer.of(0));
  const skeyidA = prf(hash, skeyid, skeyidD, sharedSecret, initiatorCookie, responderCookie, Buffer.of(1));
  const skeyidE = prf(hash, skeyid, skeyidA, sharedSecret, initiatorCookie, responderCookie, Buffer.of(2));
  return { skeyid, skeyidD, skeyidA, skeyidE, encryptionKey: expandEncryptionKey(hash, skeyidE, inputs.encryptionKeyLength) };
}

/**
 * Ka from SKEYID_e (RFC 2409 Appendix B): truncate when SKEYID_e is long enough, otherwise
 * K1 = prf(SKEYID_e, 0x00), Kn = prf(SKEYID_e, Kn-1) and Ka = the first bytes of K1 | K2 | ...
 * 3DES (24 bytes) needs the expansion with both MD5 and SHA1; so do AES-192/256 with SHA1.
 */
export function expandEncryptionKey(hash: HashId, skeyidE: Buffer, keyLength: number): Buffer {
  if (skeyidE.length >= keyLength) return Buffer.from(skeyidE.subarray(0, keyLength));
  const blocks: Buffer[] = [];
  let produced = 0;
  let previous: Buffer = Buffer.of(0);
  while (produced < keyLength) {
    previous = prf(hash, skeyidE, previous);
    blocks.push(previous);
    produced += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, keyLength);
}

function checkCookie(cookie: Buffer, role: string): void {
  if (cookie.length !== 8) throw new RangeError(`${role} cookie must be 8 bytes, got ${cookie.length}`);
}
