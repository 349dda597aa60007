import { createDiffieHellman, randomBytes, type DiffieHellman } from 'node:crypto';

/** Oakley group numbers as carried in the Phase 1 Group Description attribute and QM PFS. */
export type DhGroupId = 1 | 2 | 5 | 14;

export const DH_GROUP_IDS: readonly DhGroupId[] = [1, 2, 5, 14];

interface DhGroupDefinition {
  readonly name: string;
  readonly primeHex: string;
  /**
   * Length of the random private exponent. RFC 3526 §8 estimates the strength of these groups
   * at well under 128 bits (1536: 90-120, 2048: 110-160) and suggests exponents of twice that;
   * 256 bits covers groups 1, 2 and 5 and 320 bits is the top of the range given for group 14.
   * Full-length exponents would cost about 3x the time per handshake (lab notes: ~8,100/s with
   * 256-bit exponents vs ~2,400/s with 1024-bit ones on modp1024) without adding strength.
   */
  readonly privateExponentLength: number;
}

// The MODP primes of RFC 2409 §6.1/§6.2 (groups 1 and 2) and RFC 3526 §2/§3 (groups 5 and 14),
// all with generator 2. Kept as constants so that no per-process prime lookup is needed; the
// tests compare them with node's built-in `getDiffieHellman('modpN')` primes.
const GROUP_DEFINITIONS: Readonly<Record<DhGroupId, DhGroupDefinition>> = {
  1: {
    name: 'modp768',
    privateExponentLength: 32,
    primeHex:
      'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74' +
      '020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437' +
      '4fe1356d6d51c245e485b576625e7ec6f44c42e9a63a3620ffffffffffffffff',
  },
  2: {
    name: 'modp1024',
    privateExponentLength: 32,
    primeHex:
      'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74' +
      '020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437' +
      '4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
      'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece65381ffffffffffffffff',
  },
  5: {
    name: 'modp1536',
    privateExponentLength: 32,
    primeHex:
      'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74' +
      '020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437' +
      '4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
      'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05' +
      '98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb' +
      '9ed529077096966d670c354e4abc9804f1746c08ca237327ffffffffffffffff',
  },
  14: {
    name: 'modp2048',
    privateExponentLength: 40,
    primeHex:
      'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74' +
      '020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437' +
      '4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
      'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05' +
      '98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb' +
      '9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
      'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718' +
      '3995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff',
  },
};

/** What callers may know about a group: the public parameters, never the engine object. */
export interface DhGroup {
  readonly id: DhGroupId;
  readonly name: string;
  readonly prime: Buffer;
  /** Length in bytes of the prime: every KE body and every g^xy has exactly this length. */
  readonly primeLength: number;
  readonly generator: 2;
  readonly privateExponentLength: number;
}

const GROUPS: ReadonlyMap<DhGroupId, DhGroup> = new Map(
  DH_GROUP_IDS.map((id) => {
    const definition = GROUP_DEFINITIONS[id];
    const prime = Buffer.from(definition.primeHex, 'hex');
    const group: DhGroup = {
      id,
      name: definition.name,
      prime,
      primeLength: prime.length,
      generator: 2,
      privateExponentLength: definition.privateExponentLength,
    };
    return [id, group] as const;
  }),
);

/** The group's public parameters (shared objects: do not mutate `prime`). */
export function dhGroup(id: DhGroupId): DhGroup {
  const group = GROUPS.get(id);
  if (group === undefined) throw new RangeError(`unsupported DH group ${String(id)}`);
  return group;
}

export function isDhGroupId(value: number): value is DhGroupId {
  return (DH_GROUP_IDS as readonly number[]).includes(value);
}

/**
 * One engine per group for the whole process. Constructing a DiffieHellman object validates the
 * prime (~25 ms, lab notes), which would cap a responder at ~40 handshakes/s; reused, a key
 * pair plus g^xy with a short exponent costs well under a millisecond for group 2. Sharing is safe because every use below sets the private key and reads the result
 * synchronously, with no await in between.
 */
const engines = new Map<DhGroupId, DiffieHellman>();

function engineFor(id: DhGroupId): DiffieHellman {
  let engine = engines.get(id);
  if (engine === undefined) {
    engine = createDiffieHellman(dhGroup(id).prime, 2);
    engines.set(id, engine);
  }
  return engine;
}

export interface DhKeyPair {
  readonly group: DhGroupId;
  readonly privateKey: Buffer;
  /** g^x mod p, left-padded with zeros to the prime length: the KE payload body as sent. */
  readonly publicValue: Buffer;
}

/**
 * A fresh key pair for one handshake. `privateKey` (big-endian) makes it deterministic for
 * tests; without it a random exponent of the group's `privateExponentLength` is drawn.
 */
export function generateDhKeyPair(group: DhGroupId, privateKey?: Buffer): DhKeyPair {
  const { primeLength, privateExponentLength } = dhGroup(group);
  const exponent = privateKey ?? randomBytes(privateExponentLength);
  if (exponent.length === 0 || exponent.length > primeLength || exponent.every((byte) => byte === 0)) {
    throw new RangeError(`DH group ${group}: the private key must be 1..${primeLength} bytes and not zero`);
  }
  const engine = engineFor(group);
  engine.setPrivateKey(exponent);
  engine.generateKeys();
  return {
    group,
    privateKey: Buffer.from(exponent),
    publicValue: leftPad(engine.getPublicKey(), primeLength),
  };
}

/** Why a peer's KE body cannot be used; the responder answers INVALID-KEY-INFORMATION. */
export type DhPeerValueProblem = 'wrong-length' | 'out-of-range';

export type DhSharedSecretResult =
  | { readonly ok: true; readonly sharedSecret: Buffer }
  | { readonly ok: false; readonly problem: DhPeerValueProblem };

/**
 * Checks a peer's public value. The KE body must be exactly the prime length (g^x is sent as a
 * fixed-size number and hashed as received into HASH_I/HASH_R and IV0, so a short one could not
 * match anyway), and 1 < y < p-1: 0, 1 and p-1 (and anything >= p) would force the shared
 * secret into a subgroup of at most two elements.
 */
export function checkDhPeerValue(group: DhGroupId, peerPublicValue: Buffer): DhPeerValueProblem | undefined {
  const { primeLength } = dhGroup(group);
  if (peerPublicValue.length !== primeLength) return 'wrong-length';
  const y = toBigInt(peerPublicValue);
  if (y <= 1n || y >= primeMinusOne(group)) return 'out-of-range';
  return undefined;
}

/** g^xy, left-padded to the prime length as RFC 2409's key schedule hashes it. */
export function computeDhSharedSecret(ownKeyPair: DhKeyPair, peerPublicValue: Buffer): DhSharedSecretResult {
  const problem = checkDhPeerValue(ownKeyPair.group, peerPublicValue);
  if (problem !== undefined) return { ok: false, problem };
  const engine = engineFor(ownKeyPair.group);
  engine.setPrivateKey(ownKeyPair.privateKey);
  const secret = engine.computeSecret(peerPublicValue);
  return { ok: true, sharedSecret: leftPad(secret, dhGroup(ownKeyPair.group).primeLength) };
}

const primesMinusOne = new Map<DhGroupId, bigint>();

function primeMinusOne(id: DhGroupId): bigint {
  let value = primesMinusOne.get(id);
  if (value === undefined) {
    value = toBigInt(dhGroup(id).prime) - 1n;
    primesMinusOne.set(id, value);
  }
  return value;
}

function leftPad(value: Buffer, length: number): Buffer {
  if (value.length === length) return value;
  if (value.length > length) throw new RangeError(`value of ${value.length} bytes exceeds ${length}`);
  return Buffer.concat([Buffer.alloc(length - value.length), value]);
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}
