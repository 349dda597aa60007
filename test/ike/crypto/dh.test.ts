import { getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DH_GROUP_IDS,
  checkDhPeerValue,
  computeDhSharedSecret,
  dhGroup,
  generateDhKeyPair,
  type DhGroupId,
} from '../../../src/ike/crypto/dh.js';

const NODE_GROUP_NAME: Record<DhGroupId, string> = { 1: 'modp1', 2: 'modp2', 5: 'modp5', 14: 'modp14' };
const PRIME_LENGTH: Record<DhGroupId, number> = { 1: 96, 2: 128, 5: 192, 14: 256 };

/** A big-endian number of `length` bytes holding `value`. */
function numberBytes(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

describe('DH groups', () => {
  it.each(DH_GROUP_IDS)('group %i has the RFC prime node knows by name, generator 2', (id) => {
    const group = dhGroup(id);
    expect(group.prime.toString('hex')).toBe(getDiffieHellman(NODE_GROUP_NAME[id]).getPrime('hex'));
    expect(group.primeLength).toBe(PRIME_LENGTH[id]);
    expect(group.generator).toBe(2);
  });
});

describe('generateDhKeyPair', () => {
  it('draws a random exponent of the group’s documented length', () => {
    expect(generateDhKeyPair(2).privateKey).toHaveLength(32);
    expect(generateDhKeyPair(14).privateKey).toHaveLength(40);
    expect(generateDhKeyPair(2).privateKey).not.toEqual(generateDhKeyPair(2).privateKey);
  });

  it('left-pads a short public value to the prime length (x = 5 gives g^x = 0x20)', () => {
    const pair = generateDhKeyPair(2, Buffer.of(5));
    expect(pair.publicValue).toHaveLength(128);
    expect(pair.publicValue).toEqual(numberBytes(32n, 128));
  });

  it('is deterministic for a caller-provided private key', () => {
    const privateKey = Buffer.alloc(32, 0x5a);
    expect(generateDhKeyPair(5, privateKey).publicValue).toEqual(generateDhKeyPair(5, privateKey).publicValue);
  });

  it('refuses an empty, zero or over-long private key', () => {
    expect(() => generateDhKeyPair(2, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => generateDhKeyPair(2, Buffer.alloc(32))).toThrow(RangeError);
    expect(() => generateDhKeyPair(1, Buffer.alloc(97, 1))).toThrow(RangeError);
  });
});

describe('computeDhSharedSecret', () => {
  it.each(DH_GROUP_IDS)('group %i: both sides compute the same prime-length g^xy', (id) => {
    const initiator = generateDhKeyPair(id);
    const responder = generateDhKeyPair(id);
    const atInitiator = computeDhSharedSecret(initiator, responder.publicValue);
    const atResponder = computeDhSharedSecret(responder, initiator.publicValue);
    expect(atInitiator.ok && atResponder.ok).toBe(true);
    if (!atInitiator.ok || !atResponder.ok) return;
    expect(atInitiator.sharedSecret).toEqual(atResponder.sharedSecret);
    expect(atInitiator.sharedSecret).toHaveLength(PRIME_LENGTH[id]);
  });

  it('left-pads a short g^xy to the prime length (peer y = 2, x = 5 gives 0x20)', () => {
    const result = computeDhSharedSecret(generateDhKeyPair(2, Buffer.of(5)), numberBytes(2n, 128));
    expect(result).toEqual({ ok: true, sharedSecret: numberBytes(32n, 128) });
  });

  it('keeps key pairs independent although the group engine is shared', () => {
    const first = generateDhKeyPair(2);
    const peer = generateDhKeyPair(2);
    const before = computeDhSharedSecret(first, peer.publicValue);
    generateDhKeyPair(2); // moves the shared engine to another private key
    expect(computeDhSharedSecret(first, peer.publicValue)).toEqual(before);
    expect(computeDhSharedSecret(peer, first.publicValue)).toEqual(before);
  });

  it('rejects peer values outside 1 < y < p-1', () => {
    const own = generateDhKeyPair(2);
    const p = BigInt(`0x${dhGroup(2).prime.toString('hex')}`);
    for (const y of [0n, 1n, p - 1n, p, 2n ** 1024n - 1n]) {
      expect(computeDhSharedSecret(own, numberBytes(y, 128))).toEqual({ ok: false, problem: 'out-of-range' });
    }
    expect(checkDhPeerValue(2, numberBytes(p - 2n, 128))).toBeUndefined();
  });

  it('rejects a KE body that is not exactly the prime length', () => {
    const own = generateDhKeyPair(2);
    const valid = generateDhKeyPair(2).publicValue;
    expect(computeDhSharedSecret(own, valid.subarray(1))).toEqual({ ok: false, problem: 'wrong-length' });
    expect(computeDhSharedSecret(own, Buffer.concat([Buffer.of(0), valid]))).toEqual({ ok: false, problem: 'wrong-length' });
    expect(computeDhSharedSecret(own, generateDhKeyPair(5).publicValue)).toEqual({ ok: false, problem: 'wrong-length' });
  });
});
