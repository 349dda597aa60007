import { randomBytes } from 'node:crypto';
import { dhGroup, type DhGroupId } from '../crypto/index.js';
import type { QuickModeRandomness } from './quick-mode.js';

/**
 * Every random choice of Phase 1. The builders take it as a value so that a test (or a replay)
 * fixes it and gets the same bytes; the driver draws it with `drawPhase1Randomness`.
 */
export interface Phase1Randomness {
  readonly initiatorCookie: Buffer; // 8 bytes, not all zero (RFC 2408 §2.5.3)
  readonly nonce: Buffer; // Ni_b
  readonly dhPrivateKey: Buffer; // the exponent x of g^xi
}

export function drawPhase1Randomness(group: DhGroupId, nonceLength: number): Phase1Randomness {
  let initiatorCookie = randomBytes(8);
  while (initiatorCookie.every((byte) => byte === 0)) initiatorCookie = randomBytes(8);
  return {
    initiatorCookie,
    nonce: randomBytes(nonceLength),
    dhPrivateKey: randomBytes(dhGroup(group).privateExponentLength),
  };
}

/** A message ID for a new exchange: random and never 0, which belongs to Phase 1 (RFC 2408 §3.1). */
export function drawMessageId(): number {
  let messageId = 0;
  while (messageId === 0) messageId = randomBytes(4).readUInt32BE(0);
  return messageId;
}

/** Quick Mode's random choices: M-ID, our inbound SPI (never a reserved 0..255), Ni, PFS exponent. */
export function drawQuickModeRandomness(nonceLength: number, pfsGroup?: DhGroupId): QuickModeRandomness {
  let spi = randomBytes(4);
  while (spi.readUInt32BE(0) < 256) spi = randomBytes(4);
  return {
    messageId: drawMessageId(),
    spi,
    nonce: randomBytes(nonceLength),
    ...(pfsGroup === undefined ? {} : { dhPrivateKey: randomBytes(dhGroup(pfsGroup).privateExponentLength) }),
  };
}

/** A mode-cfg identifier as racoon draws it: 16 random bits. */
export function drawModeCfgIdentifier(): number {
  return randomBytes(2).readUInt16BE(0);
}
