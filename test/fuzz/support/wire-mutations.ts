/**
 * Structure-aware mutations of a peer's genuine IKEv1 message. A message is opened into its
 * plaintext payload chain (decrypted with the sender's own keys and IV chain when protected),
 * the chain is changed payload by payload (order, types, lengths, attribute formats, next-payload
 * fields, HASH), and sealed again with the same keys, so the result carries the live cookies and
 * M-ID and a valid IV: it reaches the receiver's parsers behind the decryption, and (when the
 * mutation asks for it) behind the HASH check too. Pure functions over Buffers; randomness comes
 * from a SeededRandom.
 */
import { ISAKMP_HEADER_LENGTH, IsakmpFlag, PayloadType } from '../../../src/ike/constants.js';
import {
  MAX_ATTRIBUTES_PER_MESSAGE,
  MAX_PAYLOADS_PER_MESSAGE,
  decodeHeader,
  decodePayloadChain,
  encodeHeader,
  encodePayloadBody,
  type IsakmpHeader,
  type Proposal,
  type SaPayload,
} from '../../../src/ike/codec/index.js';
import { ZERO_PADDING, decryptMessageBody, encryptMessageBody, type IvChains } from '../../../src/ike/crypto/index.js';
import { messageHash, type MessageProtection } from '../../../src/ike/protected-message.js';
import type { SeededRandom } from './seeded-random.js';

/** One payload as it sits in a chain: its type and its body (generic header excluded). */
export interface Segment {
  readonly type: number;
  readonly body: Buffer;
}

/** A genuine message, opened: what the mutations start from. */
export interface MessageTemplate {
  /** What the message is, for reports ("XAUTH REPLY"). */
  readonly label: string;
  readonly header: IsakmpHeader;
  readonly segments: readonly Segment[];
  /** The sender's keys and its IV chains before it sent the message; absent for a message in clear. */
  readonly protection?: { readonly keys: MessageProtection; readonly chains: IvChains };
  /**
   * HASH's value for a message of this M-ID over the payload bytes after it, where the sender
   * can compute one; absent: HASH is kept as it was (Aggressive Mode HASH_I, Quick Mode HASH(3),
   * which do not cover the payloads after them).
   */
  readonly hashFor?: (messageId: number, payloadsAfterHash: Buffer) => Buffer;
}

/** Opens a genuine message (decrypting it with the sender's keys and chains when protected). */
export function openTemplate(
  label: string,
  bytes: Buffer,
  protection?: MessageTemplate['protection'],
  hashFor: MessageTemplate['hashFor'] | 'transaction-hash' = protection ? 'transaction-hash' : undefined,
): MessageTemplate {
  const header = decodeHeader(bytes);
  if (!header.ok) throw new Error(`${label}: ${header.error.text}`);
  let chain = bytes.subarray(ISAKMP_HEADER_LENGTH);
  if (protection && (header.value.flags & IsakmpFlag.ENCRYPTION) !== 0) {
    const decrypted = decryptMessageBody(protection.keys, protection.chains, header.value.messageId, chain);
    if (!decrypted.ok) throw new Error(`${label}: not whole cipher blocks`);
    chain = decrypted.plaintext;
  }
  const segments = readSegments(header.value.nextPayload, chain);
  const keys = protection?.keys;
  const hashFunction = hashFor === 'transaction-hash' ? (keys ? (messageId: number, after: Buffer) => messageHash(keys, messageId, after) : undefined) : hashFor;
  return { label, header: header.value, segments, ...(protection ? { protection } : {}), ...(hashFunction ? { hashFor: hashFunction } : {}) };
}

/** The payloads of a well-formed chain (padding after the last one ignored). */
export function readSegments(firstType: number, chain: Buffer): Segment[] {
  const segments: Segment[] = [];
  let type = firstType;
  let position = 0;
  while (type !== PayloadType.NONE) {
    if (position + 4 > chain.length) throw new Error('the genuine chain is cut');
    const length = chain.readUInt16BE(position + 2);
    if (length < 4 || position + length > chain.length) throw new Error('a genuine payload length is wrong');
    segments.push({ type, body: Buffer.from(chain.subarray(position + 4, position + length)) });
    const next = chain.readUInt8(position);
    position += length;
    type = next;
  }
  return segments;
}

/** A message being mutated: the template's fields, changed by the mutations, then sealed. */
export interface Draft {
  exchangeType: number;
  messageId: number;
  segments: Segment[];
  /** Generic-header fields written instead of the true ones, by payload index. */
  readonly lengthOverride: Map<number, number>;
  readonly nextOverride: Map<number, number>;
  /** The header's next payload, instead of the first payload's type. */
  firstPayloadOverride?: number;
  /** Recompute HASH over the mutated payloads (when the template knows how): the mutant then authenticates. */
  rehash: boolean;
  /** Plaintext sent instead of the chain (garbage behind a valid IV). */
  plaintextOverride?: Buffer;
  /** The plaintext cut to this many bytes before sealing. */
  cutPlaintextTo?: number;
  /** Sealed with the keys (true for a protected template unless a mutation sends it in clear). */
  encrypt: boolean;
  /** Added to the header's length field. */
  headerLengthDelta: number;
}

export function draftOf(template: MessageTemplate): Draft {
  return {
    exchangeType: template.header.exchangeType,
    messageId: template.header.messageId,
    segments: template.segments.map((segment) => ({ type: segment.type, body: Buffer.from(segment.body) })),
    lengthOverride: new Map(),
    nextOverride: new Map(),
    rehash: true,
    encrypt: template.protection !== undefined && (template.header.flags & IsakmpFlag.ENCRYPTION) !== 0,
    headerLengthDelta: 0,
  };
}

/** The draft on the wire: chain, HASH (recomputed if asked and possible), encryption, header. */
export function encodeDraft(template: MessageTemplate, draft: Draft): Buffer {
  let chain = draft.plaintextOverride ?? encodeSegments(draft);
  const first = draft.segments[0];
  if (draft.plaintextOverride === undefined && draft.rehash && template.hashFor && first?.type === PayloadType.HASH) {
    const hashLength = first.body.length;
    const digest = template.hashFor(draft.messageId, chain.subarray(4 + hashLength));
    if (digest.length === hashLength) digest.copy(chain, 4);
  }
  if (draft.cutPlaintextTo !== undefined) chain = chain.subarray(0, draft.cutPlaintextTo);
  const protection = template.protection;
  const body = draft.encrypt && protection ? encryptMessageBody(protection.keys, protection.chains, draft.messageId, chain, ZERO_PADDING).ciphertext : chain;
  const flags = draft.encrypt ? template.header.flags | IsakmpFlag.ENCRYPTION : template.header.flags & ~IsakmpFlag.ENCRYPTION;
  const header = encodeHeader({
    ...template.header,
    nextPayload: draft.firstPayloadOverride ?? first?.type ?? PayloadType.NONE,
    exchangeType: draft.exchangeType,
    flags,
    messageId: draft.messageId,
    length: Math.max(0, ISAKMP_HEADER_LENGTH + body.length + draft.headerLengthDelta),
  });
  return Buffer.concat([header, body]);
}

function encodeSegments(draft: Draft): Buffer {
  const parts = draft.segments.map((segment, index) => {
    const generic = Buffer.alloc(4);
    generic.writeUInt8(draft.nextOverride.get(index) ?? draft.segments[index + 1]?.type ?? PayloadType.NONE, 0);
    generic.writeUInt16BE((draft.lengthOverride.get(index) ?? 4 + segment.body.length) & 0xffff, 2);
    return Buffer.concat([generic, segment.body]);
  });
  return Buffer.concat(parts);
}

// --- the mutations ----------------------------------------------------------------------------

/** Live values a mutation may borrow: other M-IDs of the session. */
export interface MutationContext {
  readonly otherMessageIds: readonly number[];
}

export interface Mutation {
  readonly name: string;
  /** Changes the draft; false when it does not apply to this message (it is then not counted). */
  apply(draft: Draft, random: SeededRandom, context: MutationContext): boolean;
}

const KNOWN_TYPES = [1, 2, 3, 4, 5, 8, 10, 11, 12, 13, 14, 20, 21, 130, 131] as const;
/** After HASH, when the message has one (Phase 2 messages): HASH must stay first to authenticate. */
const firstMovable = (draft: Draft): number => (draft.segments[0]?.type === PayloadType.HASH ? 1 : 0);

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'reorder payloads',
    apply: (draft, random) => {
      if (draft.segments.length < 2) return false;
      const from = random.chance(0.8) ? firstMovable(draft) : 0;
      if (draft.segments.length - from < 2) return false;
      draft.segments = [...draft.segments.slice(0, from), ...random.shuffled(draft.segments.slice(from))];
      return true;
    },
  },
  {
    name: 'payload type swapped',
    apply: (draft, random) => {
      if (draft.segments.length === 0) return false;
      const index = random.int(draft.segments.length);
      draft.segments[index] = { ...draft.segments[index]!, type: random.chance(0.9) ? random.pick(KNOWN_TYPES) : random.int(256) };
      return true;
    },
  },
  {
    name: 'payload length off by one',
    apply: (draft, random) => {
      if (draft.segments.length === 0) return false;
      const index = random.int(draft.segments.length);
      draft.lengthOverride.set(index, 4 + draft.segments[index]!.body.length + (random.chance(0.5) ? 1 : -1));
      return true;
    },
  },
  {
    name: 'payload length extreme',
    apply: (draft, random) => {
      if (draft.segments.length === 0) return false;
      draft.lengthOverride.set(random.int(draft.segments.length), random.pick([0, 1, 3, 4, 0x7fff, 0xffff]));
      return true;
    },
  },
  {
    name: 'attribute TV/TLV confusion',
    apply: (draft, random) => {
      const candidates = draft.segments.flatMap((segment, index) => attributeOffsets(segment).map((offset) => ({ index, offset })));
      if (candidates.length === 0) return false;
      const { index, offset } = random.pick(candidates);
      const body = Buffer.from(draft.segments[index]!.body);
      body[offset]! ^= 0x80;
      draft.segments[index] = { ...draft.segments[index]!, body };
      return true;
    },
  },
  {
    name: 'payload truncated',
    apply: (draft, random) => {
      const nonEmpty = draft.segments.flatMap((segment, index) => (segment.body.length > 0 ? [index] : []));
      if (nonEmpty.length === 0) return false;
      const index = random.pick(nonEmpty);
      const segment = draft.segments[index]!;
      draft.segments[index] = { ...segment, body: segment.body.subarray(0, random.int(segment.body.length)) };
      return true;
    },
  },
  {
    name: 'plaintext cut mid-chain',
    apply: (draft, random) => {
      const length = draft.segments.reduce((sum, segment) => sum + 4 + segment.body.length, 0);
      if (length < 2) return false;
      draft.cutPlaintextTo = 1 + random.int(length - 1);
      return true;
    },
  },
  {
    name: 'payload duplicated',
    apply: (draft, random) => {
      if (draft.segments.length === 0) return false;
      const index = random.int(draft.segments.length);
      const copies = random.chance(0.8) ? 1 : 1 + random.int(40);
      draft.segments.splice(index + 1, 0, ...Array.from({ length: copies }, () => draft.segments[index]!));
      return true;
    },
  },
  {
    name: 'payload dropped',
    apply: (draft, random) => {
      if (draft.segments.length === 0) return false;
      draft.segments.splice(random.int(draft.segments.length), 1);
      return true;
    },
  },
  {
    name: 'wrong next-payload chain',
    apply: (draft, random) => {
      if (draft.segments.length === 0) return false;
      const where = random.int(3);
      if (where === 0) draft.firstPayloadOverride = random.pick(KNOWN_TYPES.filter((type) => type !== draft.segments[0]!.type));
      else if (where === 1) draft.nextOverride.set(draft.segments.length - 1, random.pick(KNOWN_TYPES));
      else draft.nextOverride.set(random.int(draft.segments.length), random.chance(0.5) ? PayloadType.NONE : random.int(256));
      return true;
    },
  },
  {
    name: 'wrong HASH',
    apply: (draft, random) => {
      const index = draft.segments.findIndex((segment) => segment.type === PayloadType.HASH);
      if (index < 0) return false;
      const body = Buffer.from(draft.segments[index]!.body);
      if (body.length > 0) body[random.int(body.length)]! ^= 1 << random.int(8);
      draft.segments[index] = { ...draft.segments[index]!, body: random.chance(0.2) ? body.subarray(0, random.int(body.length + 1)) : body };
      draft.rehash = false;
      return true;
    },
  },
  {
    name: 'garbage plaintext behind a valid IV',
    apply: (draft, random) => {
      if (!draft.encrypt) return false;
      draft.plaintextOverride = random.bytes(8 * (1 + random.int(24)));
      return true;
    },
  },
  {
    name: 'exchange type swapped',
    apply: (draft, random) => {
      draft.exchangeType = random.pick([2, 4, 5, 6, 32, random.int(256)].filter((type) => type !== draft.exchangeType));
      return true;
    },
  },
  {
    name: 'message ID of another exchange',
    apply: (draft, random, context) => {
      draft.messageId = random.pick([0, random.int(0x100000000), ...context.otherMessageIds].filter((id) => id !== draft.messageId));
      return true;
    },
  },
  {
    name: 'sent in clear',
    apply: (draft) => {
      if (!draft.encrypt) return false;
      draft.encrypt = false;
      return true;
    },
  },
  {
    name: 'header length off by one',
    apply: (draft, random) => {
      draft.headerLengthDelta = random.chance(0.5) ? 1 : -1;
      return true;
    },
  },
  {
    name: 'huge SA offer within the caps',
    apply: (draft, random) => {
      const index = draft.segments.findIndex((segment) => segment.type === PayloadType.SA);
      if (index < 0) return false;
      const huge = hugeSaOffer(draft.segments[index]!, draft.segments.length - 1, random);
      if (!huge) return false;
      draft.segments[index] = huge;
      return true;
    },
  },
];

/** Offsets (in the body) of the data attributes of an ATTR payload or of an SA's transforms. */
export function attributeOffsets(segment: Segment): number[] {
  const { body } = segment;
  if (segment.type === PayloadType.ATTRIBUTE) return walkAttributes(body, 4, body.length);
  if (segment.type !== PayloadType.SA) return [];
  const offsets: number[] = [];
  let proposal = 8;
  while (proposal + 8 <= body.length) {
    const proposalLength = body.readUInt16BE(proposal + 2);
    const proposalEnd = Math.min(body.length, proposal + proposalLength);
    if (proposalLength < 8) break;
    let transform = proposal + 8 + body.readUInt8(proposal + 6);
    while (transform + 8 <= proposalEnd) {
      const transformLength = body.readUInt16BE(transform + 2);
      if (transformLength < 8) break;
      offsets.push(...walkAttributes(body, transform + 8, Math.min(proposalEnd, transform + transformLength)));
      transform += transformLength;
    }
    proposal += proposalLength;
  }
  return offsets;
}

function walkAttributes(body: Buffer, start: number, end: number): number[] {
  const offsets: number[] = [];
  let offset = start;
  while (offset + 4 <= end) {
    offsets.push(offset);
    const tv = (body.readUInt8(offset) & 0x80) !== 0;
    offset += tv ? 4 : 4 + body.readUInt16BE(offset + 2);
  }
  return offsets;
}

/**
 * The SA offer grown to many proposals of many transforms, the genuine one last, staying within
 * the decoder's caps (payloads, proposals and transforms counted alike; attributes) or, one time
 * in five, one payload past them.
 */
function hugeSaOffer(segment: Segment, otherPayloads: number, random: SeededRandom): Segment | undefined {
  const raw = Buffer.concat([Buffer.from([0, 0, (4 + segment.body.length) >> 8, (4 + segment.body.length) & 0xff]), segment.body]);
  const decoded = decodePayloadChain(PayloadType.SA, raw);
  const sa = decoded.ok ? decoded.value.payloads[0] : undefined;
  if (sa?.type !== 'sa' || sa.proposals.length === 0) return undefined;
  const genuine = sa.proposals[0]!;
  const template = genuine.transforms[0];
  if (!template) return undefined;
  const attributesPerTransform = Math.max(1, template.attributes.length);
  const payloadRoom = MAX_PAYLOADS_PER_MESSAGE - otherPayloads - 1 - (1 + genuine.transforms.length);
  const transformsPerProposal = 1 + random.int(8);
  const attributeRoom = Math.floor((MAX_ATTRIBUTES_PER_MESSAGE - attributesPerTransform * genuine.transforms.length) / attributesPerTransform);
  let proposals = Math.min(Math.floor(payloadRoom / (1 + transformsPerProposal)), Math.floor(attributeRoom / transformsPerProposal));
  const overflow = random.chance(0.2);
  if (overflow) proposals += 1;
  if (proposals < 1) return undefined;
  const decoys: Proposal[] = Array.from({ length: proposals }, (_, p) => ({
    ...genuine,
    proposalNumber: random.chance(0.5) ? genuine.proposalNumber : (p % 255) + 1,
    transforms: Array.from({ length: transformsPerProposal }, (_, t) => ({
      ...template,
      transformNumber: t + 1,
      // Transform IDs nobody accepts (99) or the genuine one with shuffled attributes.
      transformId: random.chance(0.7) ? 99 : template.transformId,
      attributes: random.shuffled(template.attributes),
    })),
  }));
  const grown: SaPayload = { type: 'sa', doi: sa.doi, situation: sa.situation, proposals: [...decoys, genuine] };
  return { type: PayloadType.SA, body: encodePayloadBody(grown) };
}

export { type MessageProtection };
