import { lastCipherBlock } from './cipher.js';
import { messageIdBytes } from './hashes.js';
import { hash, type HashId } from './prf.js';

/**
 * Where the current Phase 1 block came from. It matters beyond cryptography: if Aggressive Mode
 * message 3 arrived in clear (racoon), no Phase 1 message was ever CBC-encrypted and every
 * Phase 2 IV is derived from IV0 itself; if it arrived encrypted (strongSwan, vpnc, libreswan),
 * from the last block of its ciphertext. Both sides must agree on which, and the RTX
 * "payload type" rule depends on the same distinction.
 */
export type Phase1BlockSource = 'initial-iv' | 'last-ciphertext-block';

export interface Phase1Iv {
  /**
   * The IV of the next encrypted Phase 1 message (M-ID 0), which is also the "last Phase 1 CBC
   * block" every new M-ID's IV is hashed from.
   */
  readonly block: Buffer;
  readonly source: Phase1BlockSource;
  /** How many encrypted Phase 1 messages have gone through the chain (sent or received). */
  readonly encryptedMessages: number;
}

/**
 * All the IV state of one ISAKMP SA, as an immutable value: every function returns a new value,
 * so a state machine can keep it in its context, and can keep an older value to decrypt a
 * retransmission or to drop a message whose HASH failed without disturbing the chain.
 */
export interface IvChains {
  readonly hash: HashId;
  readonly blockSize: number;
  readonly phase1: Phase1Iv;
  /** M-ID -> the IV of the next message of that exchange (the last ciphertext block seen in it). */
  readonly exchanges: ReadonlyMap<number, Buffer>;
}

/**
 * The exchanges of chains that have none under way, shared: a map is never written once made
 * (every change makes a new one), and an empty Map costs about 180 bytes of heap, which an
 * established ISAKMP SA would otherwise keep for nothing (bench/tunnel-memory.ts).
 */
const NO_EXCHANGES: ReadonlyMap<number, Buffer> = new Map();

/** The chains with no exchange under way: each exchange of an established SA starts at the Phase 1 block. */
export function withoutExchanges(chains: IvChains): IvChains {
  return { hash: chains.hash, blockSize: chains.blockSize, phase1: chains.phase1, exchanges: NO_EXCHANGES };
}

/** IV0 = hash(g^xi | g^xr), truncated to the block size (RFC 2409 Appendix B). */
export function computeInitialIv(hashId: HashId, blockSize: number, initiatorPublicValue: Buffer, responderPublicValue: Buffer): Buffer {
  return truncateToBlock(hash(hashId, initiatorPublicValue, responderPublicValue), blockSize);
}

/** The first IV of a new M-ID: hash(last Phase 1 block | M-ID), truncated to the block size. */
export function computeMessageIdIv(hashId: HashId, blockSize: number, phase1Block: Buffer, messageId: number): Buffer {
  return truncateToBlock(hash(hashId, phase1Block, messageIdBytes(messageId)), blockSize);
}

/** The chains right after the key exchange, before any message has been encrypted. */
export function createIvChains(hashId: HashId, blockSize: number, initiatorPublicValue: Buffer, responderPublicValue: Buffer): IvChains {
  return {
    hash: hashId,
    blockSize,
    phase1: {
      block: computeInitialIv(hashId, blockSize, initiatorPublicValue, responderPublicValue),
      source: 'initial-iv',
      encryptedMessages: 0,
    },
    exchanges: NO_EXCHANGES,
  };
}

/**
 * The IV to encrypt or decrypt the next message with `messageId`: the Phase 1 chain for M-ID 0,
 * the exchange's own chain once it has seen a message, else a fresh one from the Phase 1 block.
 */
export function ivForMessage(chains: IvChains, messageId: number): Buffer {
  if (messageId === 0) return chains.phase1.block;
  return chains.exchanges.get(messageId) ?? computeMessageIdIv(chains.hash, chains.blockSize, chains.phase1.block, messageId);
}

/**
 * The chains after a message with `messageId` was encrypted or decrypted: its last ciphertext
 * block becomes the next IV of that chain. Only encrypted messages advance a chain; for a
 * message sent or received in clear, simply keep the previous value.
 */
export function advanceIvChains(chains: IvChains, messageId: number, ciphertext: Buffer): IvChains {
  const nextIv = lastCipherBlock(ciphertext, chains.blockSize);
  if (messageId === 0) {
    return {
      ...chains,
      phase1: { block: nextIv, source: 'last-ciphertext-block', encryptedMessages: chains.phase1.encryptedMessages + 1 },
    };
  }
  const exchanges = new Map(chains.exchanges);
  exchanges.set(messageId, nextIv);
  return { ...chains, exchanges };
}

/**
 * Forgets a finished exchange. Needed for memory, and for correctness when a peer reuses an
 * M-ID: a new exchange always restarts from the Phase 1 block.
 */
export function endIvExchange(chains: IvChains, messageId: number): IvChains {
  if (!chains.exchanges.has(messageId)) return chains;
  if (chains.exchanges.size === 1) return { ...chains, exchanges: NO_EXCHANGES };
  const exchanges = new Map(chains.exchanges);
  exchanges.delete(messageId);
  return { ...chains, exchanges };
}

function truncateToBlock(digest: Buffer, blockSize: number): Buffer {
  if (digest.length < blockSize) throw new RangeError(`a ${digest.length}-byte hash cannot seed a ${blockSize}-byte IV`);
  return Buffer.from(digest.subarray(0, blockSize));
}
