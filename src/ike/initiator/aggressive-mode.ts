/**
 * Aggressive Mode with a pre-shared key, initiator side (RFC 2409 §5.4):
 *
 *   HDR, SA, KE, Ni, IDii [, VID...]                    -->   buildAggressive1
 *                   <--   HDR, SA, KE, Nr, IDir [, VID...] [, NAT-D, NAT-D], HASH_R
 *                                                             processAggressive2
 *   HDR[*], HASH_I [, N] [, VID...] [, NAT-D, NAT-D]    -->   buildAggressive3
 *
 * Pure functions over values: randomness comes in, bytes and the next state come out.
 */
import { ExchangeType, IsakmpFlag, NotifyType, PayloadType, Phase1Attribute, notifyTypeName } from '../constants.js';
import {
  decodeHeader,
  decodeMessage,
  encodeEncryptedMessage,
  encodeMessage,
  encodePayloadBody,
  encodePayloads,
  hashPayload,
  idPayload,
  identityData,
  isakmpProposal,
  isakmpSpi,
  kePayload,
  natDPayload,
  noncePayload,
  notifyPayload,
  phase1Transform,
  readIdentity,
  readPhase1Transform,
  saPayload,
  tlvAttribute,
  vendorIdPayload,
  formatIdentity,
  type DataAttribute,
  type DecodedPayload,
  type DecodeError,
  type Identity,
  type Payload,
  type Transform,
} from '../codec/index.js';
import {
  computeDhSharedSecret,
  computeHashI,
  computeHashR,
  encryptMessageBody,
  generateDhKeyPair,
  phase1CipherFromAttributes,
  phase1HashFromAttribute,
  type DhKeyPair,
  type DhPeerValueProblem,
} from '../crypto/index.js';
import type { EndpointPair } from './endpoints.js';
import { sameBytes, type IsakmpSa, type NatTraversalOutcome, type NegotiatedPhase1 } from './isakmp-sa.js';
import { agreeNatTraversal, detectNat, message3NatDHashes, natDPayloadTypeOf } from './nat-traversal.js';
import {
  authMethodAttribute,
  encryptionAttributes,
  hashAttribute,
  resolveAggressive3Options,
  resolveInitiatorOptions,
  type Aggressive3Options,
  type InitiatorOptions,
  type Phase1ProposalSpec,
  type ProposalEncoding,
  type ResolvedInitiatorOptions,
} from './options.js';
import { keyPhase1, type Phase1Keying } from './phase1-keying.js';
import type { Phase1Randomness } from './randomness.js';

const ZERO_COOKIE = Buffer.alloc(8);

/** One transform of our offer: the number it went out with and what it stands for. */
export interface OfferedTransform {
  readonly transformNumber: number;
  readonly spec: Phase1ProposalSpec;
}

/** After message 1: what message 2 is checked and keyed against. */
export interface Aggressive1State {
  readonly options: ResolvedInitiatorOptions;
  readonly initiatorCookie: Buffer;
  readonly dhKeyPair: DhKeyPair;
  readonly initiatorNonce: Buffer; // Ni_b
  readonly initiatorSaBody: Buffer; // SAi_b, exactly as sent
  readonly initiatorIdBody: Buffer; // IDii_b, exactly as sent
  readonly offered: readonly OfferedTransform[];
  /** Message 1 as sent: a retransmission repeats these bytes (RFC 2408 §5: same cookies, same everything). */
  readonly message1: Buffer;
}

export interface BuiltMessage<State> {
  readonly bytes: Buffer;
  readonly payloads: readonly Payload[];
  readonly state: State;
}

/**
 * What message 1 offers, in either exchange: the resolved options, each proposal numbered as the
 * options encode them, and the SA payload. Throws RangeError on a cookie or nonce the options
 * cannot send.
 */
export function phase1Offer(options: InitiatorOptions, randomness: Phase1Randomness): { resolved: ResolvedInitiatorOptions; offered: OfferedTransform[]; sa: Payload } {
  const resolved = resolveInitiatorOptions(options);
  const { initiatorCookie, nonce } = randomness;
  if (initiatorCookie.length !== 8 || initiatorCookie.equals(ZERO_COOKIE)) throw new RangeError('the initiator cookie must be 8 bytes, not all zero');
  if (nonce.length !== resolved.nonceLength) throw new RangeError(`the nonce has ${nonce.length} bytes, the options say ${resolved.nonceLength}`);
  const encoding = resolved.proposalEncoding;
  const offered = resolved.proposals.map((spec, index) => ({ transformNumber: encoding.firstNumber + index, spec }));
  const sa = saPayload([isakmpProposal(offered.map((transform) => encodeTransform(transform, encoding)), encoding.firstNumber)]);
  return { resolved, offered, sa };
}

/** Message 1. Throws RangeError when the options cannot make one (see checkInitiatorOptions). */
export function buildAggressive1(options: InitiatorOptions, randomness: Phase1Randomness): BuiltMessage<Aggressive1State> {
  const { resolved, offered, sa } = phase1Offer(options, randomness);
  const { initiatorCookie, nonce } = randomness;
  const dhKeyPair = generateDhKeyPair(resolved.proposals[0]!.group, randomness.dhPrivateKey);
  const id = idPayload(resolved.identity);
  const payloads: Payload[] = [sa, kePayload(dhKeyPair.publicValue), noncePayload(nonce), id, ...resolved.vendorIds.map(vendorIdPayload)];
  const bytes = encodeMessage(
    { initiatorCookie, responderCookie: ZERO_COOKIE, exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 },
    payloads,
  );
  return {
    bytes,
    payloads,
    state: {
      options: resolved,
      initiatorCookie: Buffer.from(initiatorCookie),
      dhKeyPair,
      initiatorNonce: Buffer.from(nonce),
      initiatorSaBody: encodePayloadBody(sa),
      initiatorIdBody: encodePayloadBody(id),
      offered,
      message1: bytes,
    },
  };
}

/** One transform of the offer, as the encoding options write it (Main Mode offers the same way). */
export function encodeTransform({ transformNumber, spec }: OfferedTransform, encoding: ProposalEncoding): Transform {
  const { encryption, keyLength } = encryptionAttributes(spec.encryption);
  const transform = phase1Transform(
    { encryption, keyLength, hash: hashAttribute(spec.hash), group: spec.group, authMethod: authMethodAttribute(spec.authMethod), lifeSeconds: spec.lifeSeconds },
    transformNumber,
  );
  let attributes = transform.attributes;
  if (encoding.lifeDuration === 'four-byte') attributes = attributes.map(fourByteLifeDuration);
  if (encoding.keyLengthFirst) {
    const isKeyLength = (attribute: DataAttribute): boolean => attribute.type === Phase1Attribute.KEY_LENGTH;
    attributes = [...attributes.filter(isKeyLength), ...attributes.filter((attribute) => !isKeyLength(attribute))];
  }
  return { ...transform, attributes };
}

function fourByteLifeDuration(attribute: DataAttribute): DataAttribute {
  if (attribute.type !== Phase1Attribute.LIFE_DURATION || attribute.format !== 'tv') return attribute;
  const value = Buffer.alloc(4);
  value.writeUInt32BE(attribute.value);
  return tlvAttribute(attribute.type, value);
}

// --- message 2 ----------------------------------------------------------------------------------

/** After a verified message 2: the keyed SA-to-be, waiting for message 3 to be sent. */
export interface Aggressive2State {
  readonly aggressive1: Aggressive1State;
  readonly responderCookie: Buffer;
  readonly responderNonce: Buffer;
  readonly responderPublicValue: Buffer;
  readonly responderIdentity: Identity;
  readonly responderVendorIds: readonly Buffer[];
  readonly negotiated: NegotiatedPhase1;
  readonly keying: Phase1Keying;
  readonly natTraversal: NatTraversalOutcome;
  /** The path messages 1 and 2 travelled. */
  readonly phase1Endpoints: EndpointPair;
  /** Message 2 as received: a responder that repeats it has not accepted our message 3. */
  readonly message2: Buffer;
}

export interface ReceivedNotify {
  readonly notifyType: number;
  readonly name: string;
  readonly data: Buffer;
}

/** What a Phase 1 reply can be instead of the answer, in either exchange mode. */
export type Phase1ReplyProblem =
  /** Another SA's cookies (or our own earlier message repeated): not an answer to us, to be ignored. */
  | { readonly kind: 'foreign-message'; readonly text: string }
  | { readonly kind: 'malformed'; readonly error?: DecodeError; readonly text: string }
  /** The responder answered with notifications instead (NO-PROPOSAL-CHOSEN, INVALID-ID-INFORMATION...). */
  | { readonly kind: 'notify-received'; readonly notifies: readonly ReceivedNotify[]; readonly text: string }
  | { readonly kind: 'unexpected-exchange'; readonly exchangeType: number; readonly encrypted: boolean; readonly text: string }
  | { readonly kind: 'missing-payload'; readonly payload: Payload['type']; readonly text: string }
  /** The responder's SA is not one of our transforms (or not exactly one transform). */
  | { readonly kind: 'proposal-not-offered'; readonly text: string }
  | { readonly kind: 'invalid-key-exchange'; readonly problem: DhPeerValueProblem; readonly text: string }
  | { readonly kind: 'responder-id-mismatch'; readonly expected: Identity; readonly received: Identity; readonly text: string };

/** The notifications a reply carries, as the problem they report; undefined when it carries none. */
export function notifyProblem(payloads: readonly DecodedPayload[]): Extract<Phase1ReplyProblem, { kind: 'notify-received' }> | undefined {
  const notifies = payloads.flatMap((payload) => (payload.type === 'notify' ? [{ notifyType: payload.notifyType, name: notifyTypeName(payload.notifyType), data: payload.data }] : []));
  if (notifies.length === 0) return undefined;
  return { kind: 'notify-received', notifies, text: `the responder sent ${notifies.map((notify) => notify.name).join(', ')}` };
}

export type Aggressive2Failure =
  | Phase1ReplyProblem
  /**
   * HASH_R does not verify: the two sides do not share the pre-shared key (or the responder
   * hashed other bytes). `unverified` is the state as if it had verified, for tests that must
   * send a message 3 anyway, e.g. a wrong HASH_I to a responder.
   */
  | { readonly kind: 'hash-r-mismatch'; readonly unverified: Aggressive2State; readonly text: string };

export type Aggressive2Result =
  | { readonly ok: true; readonly state: Aggressive2State; readonly payloads: readonly DecodedPayload[] }
  | { readonly ok: false; readonly failure: Aggressive2Failure; readonly payloads?: readonly DecodedPayload[] };

/**
 * Checks message 2 against message 1, derives the keys and verifies HASH_R. `endpoints` is
 * the path it arrived on (our address and port, the responder's), which NAT-D is checked against.
 */
export function processAggressive2(state: Aggressive1State, bytes: Buffer, endpoints: EndpointPair): Aggressive2Result {
  const header = decodeHeader(bytes);
  if (!header.ok) return { ok: false, failure: { kind: 'malformed', error: header.error, text: header.error.text } };
  if (!header.value.initiatorCookie.equals(state.initiatorCookie)) {
    return { ok: false, failure: { kind: 'foreign-message', text: 'initiator cookie of another exchange' } };
  }
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) return { ok: false, failure: { kind: 'malformed', error: decoded.error, text: decoded.error.text } };
  const message = decoded.value;
  const { exchangeType } = message.header;
  if (message.kind === 'encrypted') {
    return { ok: false, failure: { kind: 'unexpected-exchange', exchangeType, encrypted: true, text: 'an encrypted message before any key exists' } };
  }
  const { payloads } = message;
  const refuse = (failure: Aggressive2Failure): Aggressive2Result => ({ ok: false, failure, payloads });
  const notified = notifyProblem(payloads);
  if (exchangeType === ExchangeType.INFORMATIONAL && notified) return refuse(notified);
  if (exchangeType !== ExchangeType.AGGRESSIVE) {
    return refuse({ kind: 'unexpected-exchange', exchangeType, encrypted: false, text: `exchange type ${exchangeType} instead of Aggressive` });
  }
  const responderCookie = message.header.responderCookie;
  if (responderCookie.equals(ZERO_COOKIE)) return refuse({ kind: 'malformed', text: 'message 2 without a responder cookie' });

  const sa = first(payloads, 'sa');
  const ke = first(payloads, 'ke');
  const nonce = first(payloads, 'nonce');
  const id = first(payloads, 'id');
  const hashR = first(payloads, 'hash');
  const missing = ([['sa', sa], ['ke', ke], ['nonce', nonce], ['id', id], ['hash', hashR]] as const).find(([, payload]) => payload === undefined);
  if (missing) {
    return refuse(notified ?? { kind: 'missing-payload', payload: missing[0], text: `message 2 has no ${missing[0].toUpperCase()} payload` });
  }

  const chosen = chosenTransform(state, sa!);
  if (typeof chosen === 'string') return refuse({ kind: 'proposal-not-offered', text: chosen });
  const shared = computeDhSharedSecret(state.dhKeyPair, ke!.keyData);
  if (!shared.ok) return refuse({ kind: 'invalid-key-exchange', problem: shared.problem, text: `the responder's KE is ${shared.problem}` });
  const identity = readIdentity(id!.idType, id!.data);
  if (!identity.ok) return refuse({ kind: 'malformed', text: `IDir: ${identity.error}` });

  const keying = keyPhase1({
    hash: chosen.proposal.hash,
    cipher: chosen.proposal.encryption,
    preSharedKey: state.options.preSharedKey,
    initiatorCookie: state.initiatorCookie,
    responderCookie,
    initiatorNonce: state.initiatorNonce,
    responderNonce: nonce!.nonce,
    initiatorPublicValue: state.dhKeyPair.publicValue,
    responderPublicValue: ke!.keyData,
    sharedSecret: shared.sharedSecret,
    initiatorSaBody: state.initiatorSaBody,
  });
  const responderVendorIds = payloads.flatMap((payload) => (payload.type === 'vendor-id' ? [payload.vendorId] : []));
  const natTraversal = natTraversalOutcome(state, responderVendorIds, payloads, { initiatorCookie: state.initiatorCookie, responderCookie }, chosen, endpoints);
  const next: Aggressive2State = {
    aggressive1: state,
    responderCookie: Buffer.from(responderCookie),
    responderNonce: Buffer.from(nonce!.nonce),
    responderPublicValue: Buffer.from(ke!.keyData),
    responderIdentity: identity.value,
    responderVendorIds: responderVendorIds.map((vendorId) => Buffer.from(vendorId)),
    negotiated: chosen,
    keying,
    natTraversal,
    phase1Endpoints: endpoints,
    message2: Buffer.from(bytes),
  };

  // IDir_b is hashed as received (RFC 2409 §5; never re-encoded).
  if (!sameBytes(computeHashR(keying.authContext, id!.body), hashR!.hash)) {
    return refuse({ kind: 'hash-r-mismatch', unverified: next, text: 'HASH_R does not verify: the pre-shared keys differ' });
  }
  const expected = state.options.expectedResponderIdentity;
  if (expected && !sameIdentity(expected, identity.value)) {
    return refuse({
      kind: 'responder-id-mismatch',
      expected,
      received: identity.value,
      text: `the responder is ${formatIdentity(identity.value)}, not ${formatIdentity(expected)}`,
    });
  }
  return { ok: true, state: next, payloads };
}

function first<K extends Payload['type']>(payloads: readonly DecodedPayload[], type: K): Extract<DecodedPayload, { type: K }> | undefined {
  return payloads.find((payload): payload is Extract<DecodedPayload, { type: K }> => payload.type === type);
}

/**
 * The responder must return exactly one of our transforms (RFC 2408 §4.2: one proposal, one
 * transform). It is matched by what it says, not by its number: a responder may renumber,
 * and may return another life duration, which we then take as the SA's life. Main Mode's
 * message 2 is checked the same way.
 */
export function chosenTransform(state: Pick<Aggressive1State, 'offered'>, sa: Extract<DecodedPayload, { type: 'sa' }>): NegotiatedPhase1 | string {
  const [proposal, ...moreProposals] = sa.proposals;
  if (proposal === undefined || moreProposals.length > 0) return `the responder's SA has ${sa.proposals.length} proposals, not 1`;
  const [transform, ...moreTransforms] = proposal.transforms;
  if (transform === undefined || moreTransforms.length > 0) return `the responder's proposal has ${proposal.transforms.length} transforms, not 1`;
  const values = readPhase1Transform(transform);
  const cipher = values.encryption === undefined ? undefined : phase1CipherFromAttributes(values.encryption, values.keyLength);
  const hash = values.hash === undefined ? undefined : phase1HashFromAttribute(values.hash);
  const match = state.offered.find(
    ({ spec }) =>
      spec.encryption === cipher && spec.hash === hash && spec.group === values.group && authMethodAttribute(spec.authMethod) === values.authMethod,
  );
  if (match === undefined) return `the responder chose transform ${transform.transformNumber}, which is none of ours`;
  const lifeSeconds = values.lifeSeconds ?? match.spec.lifeSeconds;
  return { transformNumber: match.transformNumber, proposal: { ...match.spec, ...(lifeSeconds === undefined ? {} : { lifeSeconds }) } };
}

function natTraversalOutcome(
  state: Aggressive1State,
  responderVendorIds: readonly Buffer[],
  payloads: readonly DecodedPayload[],
  cookies: { initiatorCookie: Buffer; responderCookie: Buffer },
  negotiated: NegotiatedPhase1,
  endpoints: EndpointPair,
): NatTraversalOutcome {
  const mode = state.options.natTraversal;
  const method = agreeNatTraversal(mode, state.options.vendorIds, responderVendorIds);
  if (method === undefined) return { floated: false };
  const natDPayloadType = natDPayloadTypeOf(method);
  const natDHashes = payloads.flatMap((payload) => (payload.type === 'nat-d' && payload.payloadType === natDPayloadType ? [payload.hash] : []));
  const detected = detectNat(negotiated.proposal.hash, cookies, natDHashes, endpoints);
  // RFC 3947 §4: the initiator floats to 4500 once a NAT is detected; in Aggressive Mode that is message 3.
  const floated = mode === 'force' || detected.localBehindNat === true || detected.peerBehindNat === true;
  return { method, ...detected, floated };
}

export function sameIdentity(a: Identity, b: Identity): boolean {
  const left = identityData(a);
  const right = identityData(b);
  return left.idType === right.idType && left.data.equals(right.data);
}

// --- message 3 ----------------------------------------------------------------------------------

/**
 * Message 3 and the established SA. `datagram` is the path message 3 travels (after floating:
 * our NAT-T socket to the gateway's NAT-T port); it matters only for NAT-D with
 * `natDAddresses: 'message-3-datagram'` and defaults to the path of message 2.
 */
export function buildAggressive3(
  state: Aggressive2State,
  options: Aggressive3Options,
  datagram: EndpointPair = state.phase1Endpoints,
): BuiltMessage<IsakmpSa> {
  const behaviour = resolveAggressive3Options(options);
  const { aggressive1, keying, natTraversal } = state;
  const cookies = { initiatorCookie: aggressive1.initiatorCookie, responderCookie: state.responderCookie };
  const hashId = state.negotiated.proposal.hash;
  const payloads: Payload[] = [hashPayload(computeHashI(keying.authContext, aggressive1.initiatorIdBody))];
  if (behaviour.initialContact) {
    payloads.push(notifyPayload({ notifyType: NotifyType.INITIAL_CONTACT, spi: isakmpSpi(cookies.initiatorCookie, cookies.responderCookie) }));
  }
  payloads.push(...behaviour.vendorIds.map(vendorIdPayload));
  if (natTraversal.method !== undefined && behaviour.includeNatD) {
    const natDEndpoints = behaviour.natDAddresses === 'phase1-exchange' ? state.phase1Endpoints : datagram;
    const draft = natDPayloadTypeOf(natTraversal.method) === PayloadType.NAT_D_DRAFT;
    for (const natDHash of message3NatDHashes(hashId, cookies, natDEndpoints, aggressive1.options.natTraversal)) {
      payloads.push(natDPayload(natDHash, { draft }));
    }
  }
  const fields = { ...cookies, exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 };
  let bytes: Buffer;
  let ivChains = keying.ivChains;
  if (behaviour.encrypt) {
    const encrypted = encryptMessageBody(keying.saCipher, keying.ivChains, 0, encodePayloads(payloads), behaviour.padding);
    bytes = encodeEncryptedMessage({ ...fields, flags: IsakmpFlag.ENCRYPTION }, PayloadType.HASH, encrypted.ciphertext);
    ivChains = encrypted.ivChains;
  } else {
    bytes = encodeMessage(fields, payloads);
  }
  const sa: IsakmpSa = {
    ...cookies,
    negotiated: state.negotiated,
    hash: hashId,
    saCipher: keying.saCipher,
    keys: keying.keys,
    ivChains,
    natTraversal,
    responderIdentity: state.responderIdentity,
    responderVendorIds: state.responderVendorIds,
    message3Encrypted: behaviour.encrypt,
  };
  return { bytes, payloads, state: sa };
}
