import { createHash, createHmac } from 'node:crypto';

/**
 * The negotiated Phase 1 hash. IKEv1 with a pre-shared key has no separate PRF attribute: the
 * PRF is HMAC with this hash (RFC 2409 §5), and IVs / NAT-D use the plain hash.
 */
export type HashId = 'md5' | 'sha1' | 'sha256';

/** Output length in bytes, which is also the length of every SKEYID. */
export const HASH_LENGTH: Readonly<Record<HashId, number>> = { md5: 16, sha1: 20, sha256: 32 };

/** prf(key, parts[0] | parts[1] | ...): HMAC over the concatenation of `parts`. */
export function prf(hash: HashId, key: Buffer, ...parts: readonly Buffer[]): Buffer {
  const hmac = createHmac(hash, key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** hash(parts[0] | parts[1] | ...): the plain negotiated hash (IVs, NAT-D). */
export function hash(hashId: HashId, ...parts: readonly Buffer[]): Buffer {
  const digest = createHash(hashId);
  for (const part of parts) digest.update(part);
  return digest.digest();
}
