/**
 * Just enough of an Aggressive Mode responder to answer the initiator under test, built from
 * the codec and crypto modules only (not from src/initiator, and not the RTX responder): it
 * picks a transform, makes a valid message 2 for keys the test knows, and reads message 3 and
 * protected messages the way any responder would. Knobs let a test make message 2 wrong.
 */
import {
  decodeMessage,
  decodePayloadChain,
  encodeEncryptedMessage,
  encodeMessage,
  encodePayloads,
  hashPayload,
  idPayload,
  isakmpProposal,
  kePayload,
  natDPayload,
  noncePayload,
  saPayload,
  vendorIdPayload,
  type DecodedPayload,
  type Identity,
  type Payload,
  type Transform,
} from '../../../src/ike/codec/index.js';
import { ExchangeType, IsakmpFlag, PayloadType, type VendorIdName } from '../../../src/ike/constants.js';
import {
  CIPHER_SPECS,
  ZERO_PADDING,
  computeDhSharedSecret,
  computeHashI,
  computeHashR,
  computeMessageHash,
  computeNatDiscoveryHash,
  computeQuickModeHash2,
  computeQuickModeHash3,
  createIvChains,
  deriveKeymat,
  decryptMessageBody,
  derivePhase1Keys,
  encryptMessageBody,
  generateDhKeyPair,
  phase1CipherFromAttributes,
  phase1HashFromAttribute,
  type CipherId,
  type HashId,
  type IvChains,
  type Phase1AuthContext,
  type Phase1Keys,
} from '../../../src/ike/crypto/index.js';
import { readPhase1Transform } from '../../../src/ike/codec/index.js';

export interface TinyEndpoint {
  address: string;
  port: number;
}

export interface TinyResponderSetup {
  preSharedKey: Buffer;
  identity: Identity;
  responderCookie?: Buffer;
  nonce?: Buffer;
  dhPrivateKey?: Buffer;
  /** Which of the initiator's transforms to return (index); default the first. */
  chooseTransform?: number;
  /** Return this transform instead of one of the initiator's. */
  replaceTransform?: Transform;
  vendorIds?: VendorIdName[];
  /** NAT-D as a responder sends it: the address it saw the initiator at, then its own. */
  natD?: { initiatorSeenAt: TinyEndpoint; responderAt: TinyEndpoint; draft?: boolean };
  /** Drop one payload type from message 2. */
  omit?: Payload['type'];
  /** Replace the KE body. */
  keyData?: Buffer;
}

export interface TinyResponderSa {
  initiatorCookie: Buffer;
  responderCookie: Buffer;
  hash: HashId;
  cipher: CipherId;
  keys: Phase1Keys;
  authContext: Phase1AuthContext;
  ivChains: IvChains;
  initiatorIdBody: Buffer;
  responderPublicValue: Buffer;
  initiatorPublicValue: Buffer;
}

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

export function answerAggressive1(message1: Buffer, setup: TinyResponderSetup): { message2: Buffer; sa: TinyResponderSa } {
  const decoded = decodeMessage(message1);
  if (!decoded.ok || decoded.value.kind !== 'cleartext') throw new Error('message 1 does not decode');
  const { header, payloads } = decoded.value;
  const sa = pick(payloads, 'sa');
  const ke = pick(payloads, 'ke');
  const nonce = pick(payloads, 'nonce');
  const id = pick(payloads, 'id');
  const offered = sa.proposals[0]!;
  const chosen = setup.replaceTransform ?? offered.transforms[setup.chooseTransform ?? 0]!;
  const values = readPhase1Transform(chosen);
  const hash = phase1HashFromAttribute(values.hash!)!;
  const cipher = phase1CipherFromAttributes(values.encryption!, values.keyLength)!;

  const dh = generateDhKeyPair(values.group as 2, setup.dhPrivateKey ?? hex('5eed0f7e57ab1e'));
  const shared = computeDhSharedSecret(dh, ke.keyData);
  if (!shared.ok) throw new Error(`initiator KE: ${shared.problem}`);
  const responderCookie = setup.responderCookie ?? hex('7e57c00c1e5a11ed');
  const responderNonce = setup.nonce ?? Buffer.alloc(24, 0x4e);
  const keys = derivePhase1Keys({
    hash,
    preSharedKey: setup.preSharedKey,
    initiatorNonce: nonce.nonce,
    responderNonce,
    sharedSecret: shared.sharedSecret,
    initiatorCookie: header.initiatorCookie,
    responderCookie,
    encryptionKeyLength: CIPHER_SPECS[cipher].keyLength,
  });
  const responderPublicValue = setup.keyData ?? dh.publicValue;
  const authContext: Phase1AuthContext = {
    hash,
    skeyid: keys.skeyid,
    initiatorPublicValue: ke.keyData,
    responderPublicValue,
    initiatorCookie: header.initiatorCookie,
    responderCookie,
    initiatorSaBody: sa.body,
  };
  const responderId = idPayload(setup.identity);
  const responderIdBody = encodePayloads([responderId]).subarray(4);
  const reply: Payload[] = [
    saPayload([isakmpProposal([chosen], offered.proposalNumber)]),
    kePayload(responderPublicValue),
    noncePayload(responderNonce),
    responderId,
    ...(setup.vendorIds ?? []).map((name) => vendorIdPayload(name)),
  ];
  if (setup.natD) {
    for (const endpoint of [setup.natD.initiatorSeenAt, setup.natD.responderAt]) {
      const address = Buffer.from(endpoint.address.split('.').map(Number));
      reply.push(natDPayload(computeNatDiscoveryHash(hash, header.initiatorCookie, responderCookie, address, endpoint.port), { draft: setup.natD.draft }));
    }
  }
  reply.push(hashPayload(computeHashR(authContext, responderIdBody)));
  const message2 = encodeMessage(
    { initiatorCookie: header.initiatorCookie, responderCookie, exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 },
    reply.filter((payload) => payload.type !== setup.omit),
  );
  return {
    message2,
    sa: {
      initiatorCookie: Buffer.from(header.initiatorCookie),
      responderCookie,
      hash,
      cipher,
      keys,
      authContext,
      ivChains: createIvChains(hash, CIPHER_SPECS[cipher].blockSize, ke.keyData, responderPublicValue),
      initiatorIdBody: Buffer.from(id.body),
      responderPublicValue,
      initiatorPublicValue: Buffer.from(ke.keyData),
    },
  };
}

/** Message 3 as the responder reads it: decrypted on the Phase 1 chain when the E flag is set. */
export function readAggressive3(sa: TinyResponderSa, message3: Buffer) {
  const decoded = decodeMessage(message3);
  if (!decoded.ok) throw new Error(decoded.error.text);
  let payloads: DecodedPayload[];
  let ivChains = sa.ivChains;
  let trailing: Buffer = Buffer.alloc(0);
  if (decoded.value.kind === 'encrypted') {
    const decrypted = decryptMessageBody({ cipher: sa.cipher, encryptionKey: sa.keys.encryptionKey }, sa.ivChains, 0, decoded.value.encryptedBody);
    if (!decrypted.ok) throw new Error('message 3 is not whole blocks');
    const chain = decodePayloadChain(decoded.value.header.nextPayload, decrypted.plaintext);
    if (!chain.ok) throw new Error(chain.error.text);
    payloads = chain.value.payloads;
    trailing = chain.value.trailing;
    ivChains = decrypted.ivChains;
  } else {
    payloads = decoded.value.payloads;
  }
  const hashI = pick(payloads, 'hash').hash;
  return {
    header: decoded.value.header,
    payloads,
    trailing,
    hashIVerifies: hashI.equals(computeHashI(sa.authContext, sa.initiatorIdBody)),
    ivChains,
  };
}

/** A protected Informational/Transaction message from the responder, sealed by hand. */
export function sealFromResponder(sa: TinyResponderSa, ivChains: IvChains, exchangeType: number, messageId: number, payloads: Payload[], tamper = false): Buffer {
  const rest = encodePayloads(payloads);
  const digest = computeMessageHash(sa.hash, sa.keys.skeyidA, messageId, rest);
  if (tamper) digest.writeUInt8(digest.readUInt8(0) ^ 0xff, 0);
  const chain = encodePayloads([hashPayload(digest), ...payloads]);
  const { ciphertext } = encryptMessageBody({ cipher: sa.cipher, encryptionKey: sa.keys.encryptionKey }, ivChains, messageId, chain, ZERO_PADDING);
  return encodeEncryptedMessage(
    { initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType, flags: IsakmpFlag.ENCRYPTION, messageId },
    PayloadType.HASH,
    ciphertext,
  );
}

/** Opens a protected message from the initiator: decrypted payloads and whether HASH verifies. */
export function openFromInitiator(sa: TinyResponderSa, ivChains: IvChains, bytes: Buffer) {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok || decoded.value.kind !== 'encrypted') throw new Error('not an encrypted message');
  const { header } = decoded.value;
  const decrypted = decryptMessageBody({ cipher: sa.cipher, encryptionKey: sa.keys.encryptionKey }, ivChains, header.messageId, decoded.value.encryptedBody);
  if (!decrypted.ok) throw new Error('not whole blocks');
  const chain = decodePayloadChain(header.nextPayload, decrypted.plaintext);
  if (!chain.ok) throw new Error(chain.error.text);
  const [hash, ...rest] = chain.value.payloads;
  const expected = computeMessageHash(sa.hash, sa.keys.skeyidA, header.messageId, Buffer.concat(rest.map((payload) => payload.raw)));
  return { header, payloads: chain.value.payloads, hashVerifies: hash?.type === 'hash' && hash.hash.equals(expected), ivChains: decrypted.ivChains };
}

/** Like sealFromResponder, also returning the responder's chains after the message (to read the answer). */
export function sealResponderMessage(sa: TinyResponderSa, ivChains: IvChains, exchangeType: number, messageId: number, payloads: Payload[]) {
  const rest = encodePayloads(payloads);
  const chain = encodePayloads([hashPayload(computeMessageHash(sa.hash, sa.keys.skeyidA, messageId, rest)), ...payloads]);
  const encrypted = encryptMessageBody({ cipher: sa.cipher, encryptionKey: sa.keys.encryptionKey }, ivChains, messageId, chain, ZERO_PADDING);
  const bytes = encodeEncryptedMessage(
    { initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType, flags: IsakmpFlag.ENCRYPTION, messageId },
    PayloadType.HASH,
    encrypted.ciphertext,
  );
  return { bytes, ivChains: encrypted.ivChains };
}

// --- Quick Mode, responder side (RFC 2409 §5.5) -------------------------------------------------

export interface TinyQuickModeSetup {
  /** Our inbound SPI. */
  spi?: Buffer;
  nonce?: Buffer;
  /** Which of the initiator's transforms to return (index over all transforms); default the first. */
  chooseTransform?: number;
  replaceTransform?: Transform;
  /** Answer with these IDs instead of the initiator's. */
  ids?: Payload[];
  dhPrivateKey?: Buffer;
  flags?: number;
  tamperHash?: boolean;
  /** Leave the KE out even when the initiator sent one. */
  omitKe?: boolean;
}

/**
 * Reads Quick Mode message 1 (checking HASH(1)), and answers with message 2. The returned
 * `readMessage3` checks HASH(3); `keymat` gives the SA keys the way a responder derives them.
 */
export function answerQuickMode1(sa: TinyResponderSa, ivChains: IvChains, message1: Buffer, setup: TinyQuickModeSetup = {}) {
  const opened = openFromInitiator(sa, ivChains, message1);
  const { header } = opened;
  const messageId = header.messageId;
  const payloads = opened.payloads.slice(1);
  const offeredSa = pick(payloads, 'sa');
  const initiatorNonce = pick(payloads, 'nonce').nonce;
  const initiatorKe = payloads.find((payload) => payload.type === 'ke');
  const ids = payloads.filter((payload) => payload.type === 'id');
  const candidates = offeredSa.proposals.flatMap((proposal) => proposal.transforms.map((transform) => ({ proposal, transform })));
  const picked = candidates[setup.chooseTransform ?? 0]!;
  const transform = setup.replaceTransform ?? picked.transform;
  const spi = setup.spi ?? hex('5ec0de01');
  const responderNonce = setup.nonce ?? Buffer.alloc(32, 0x3c);
  let pfsSecret: Buffer | undefined;
  const reply: Payload[] = [saPayload([{ ...picked.proposal, spi, transforms: [transform] }]), noncePayload(responderNonce)];
  if (initiatorKe?.type === 'ke') {
    const dh = generateDhKeyPair(2, setup.dhPrivateKey ?? hex('0dd5ec2e75'));
    const shared = computeDhSharedSecret(dh, initiatorKe.keyData);
    if (!shared.ok) throw new Error(`initiator QM KE: ${shared.problem}`);
    pfsSecret = shared.sharedSecret;
    if (!setup.omitKe) reply.push(kePayload(dh.publicValue));
  }
  reply.push(...(setup.ids ?? ids.map(({ raw: _raw, body: _body, ...id }) => id as Payload)));
  const rest = encodePayloads(reply);
  const hash2 = computeQuickModeHash2(sa.hash, sa.keys.skeyidA, messageId, initiatorNonce, rest);
  if (setup.tamperHash) hash2.writeUInt8(hash2.readUInt8(0) ^ 0xff, 0);
  const chain = encodePayloads([hashPayload(hash2), ...reply]);
  const encrypted = encryptMessageBody({ cipher: sa.cipher, encryptionKey: sa.keys.encryptionKey }, opened.ivChains, messageId, chain, ZERO_PADDING);
  const message2 = encodeEncryptedMessage(
    { initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType: ExchangeType.QUICK_MODE, flags: setup.flags ?? IsakmpFlag.ENCRYPTION, messageId },
    PayloadType.HASH,
    encrypted.ciphertext,
  );
  return {
    message2,
    messageId,
    hash1Verifies: opened.hashVerifies,
    offeredSa,
    ids,
    initiatorSpi: picked.proposal.spi,
    responderSpi: spi,
    /** HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) as the responder expects it. */
    readMessage3(message3: Buffer) {
      const decoded = decodeMessage(message3);
      if (!decoded.ok || decoded.value.kind !== 'encrypted') throw new Error('message 3 is not encrypted');
      const decrypted = decryptMessageBody({ cipher: sa.cipher, encryptionKey: sa.keys.encryptionKey }, encrypted.ivChains, messageId, decoded.value.encryptedBody);
      if (!decrypted.ok) throw new Error('message 3 is not whole blocks');
      const chain3 = decodePayloadChain(decoded.value.header.nextPayload, decrypted.plaintext);
      if (!chain3.ok) throw new Error(chain3.error.text);
      const expected = computeQuickModeHash3(sa.hash, sa.keys.skeyidA, messageId, initiatorNonce, responderNonce);
      const [hash3] = chain3.value.payloads;
      return { payloads: chain3.value.payloads, hash3Verifies: hash3?.type === 'hash' && hash3.hash.equals(expected) };
    },
    /** KEYMAT for the SA whose packets carry `spiOfDirection` (RFC 2409 §5.5). */
    keymat(spiOfDirection: Buffer, length: number) {
      return deriveKeymat(sa.hash, sa.keys.skeyidD, { protocol: 'esp', spi: spiOfDirection, initiatorNonce, responderNonce, ...(pfsSecret ? { pfsSharedSecret: pfsSecret } : {}) }, length);
    },
  };
}

function pick<K extends Payload['type']>(payloads: readonly DecodedPayload[], type: K): Extract<DecodedPayload, { type: K }> {
  const found = payloads.find((payload): payload is Extract<DecodedPayload, { type: K }> => payload.type === type);
  if (!found) throw new Error(`no ${type} payload`);
  return found;
}
