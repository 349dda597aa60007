/**
 * Main Mode with a pre-shared key, initiator side (RFC 2409 §5, §5.4):
 *
 *   HDR, SA [, VID...]                              -->   buildMainMode1
 *                            <--   HDR, SA [, VID...]     processMainMode2
 *   HDR, KE, Ni [, NAT-D, NAT-D]                    -->   buildMainMode3
 *                 <--   HDR, KE, Nr [, NAT-D, NAT-D]      processMainMode4
 *   HDR*, IDii, HASH_I [, N(INITIAL-CONTACT)]       -->   buildMainMode5
 *                           <--   HDR*, IDir, HASH_R      processMainMode6
 *
 * Pure functions over values, like aggressive-mode.ts: randomness comes in, bytes and the next
 * state come out. The wire pieces both roles share (clear and sealed messages, HASH checks) are
 * src/ike/main-mode.ts; the offer, transform matching and keying are the ones Aggressive Mode
 * uses. Unlike Aggressive Mode the DH group is the chosen transform's, so the offer may mix
 * groups, and the ISAKMP SA exists only once message 6 verifies.
 */
import { ExchangeType, IsakmpFlag, NotifyType, PayloadType } from '../constants.js';
import {
  decodeHeader,
  decodeMessage,
  encodePayloadBody,
  formatIdentity,
  hashPayload,
  idPayload,
  isakmpSpi,
  kePayload,
  natDPayload,
  noncePayload,
  notifyPayload,
  readIdentity,
  vendorIdPayload,
  type DecodedPayload,
  type Payload,
} from '../codec/index.js';
import { computeDhSharedSecret, computeHashI, generateDhKeyPair, type DhKeyPair } from '../crypto/index.js';
import {
  encodeMainModeClearMessage,
  openIdentityMessage,
  readKeyExchangeMessage,
  readOfferMessage,
  sealIdentityMessage,
  verifyHashR,
} from '../main-mode.js';
import { chosenTransform, phase1Offer, sameIdentity, type BuiltMessage, notifyProblem, type OfferedTransform, type Phase1ReplyProblem } from './aggressive-mode.js';
import type { EndpointPair } from './endpoints.js';
import type { IsakmpSa, NatTraversalOutcome, NegotiatedPhase1 } from './isakmp-sa.js';
import { agreeNatTraversal, detectNat, message3NatDHashes, natDPayloadTypeOf, type NatTraversalMethod } from './nat-traversal.js';
import { resolveAggressive3Options, type Aggressive3Options, type InitiatorOptions, type ResolvedInitiatorOptions } from './options.js';
import { keyPhase1, type Phase1Keying } from './phase1-keying.js';
import type { Phase1Randomness } from './randomness.js';

const ZERO_COOKIE = Buffer.alloc(8);

/** What the transcript says of a Main Mode message (the send helpers take it). */
export const MAIN_MODE_IN_CLEAR = { exchangeType: ExchangeType.IDENTITY_PROTECTION, messageId: 0, encrypted: false } as const;
export const MAIN_MODE_ENCRYPTED = { ...MAIN_MODE_IN_CLEAR, encrypted: true } as const;

/** After message 1: what message 2 is checked against. */
export interface MainMode1State {
  readonly options: ResolvedInitiatorOptions;
  readonly randomness: Phase1Randomness;
  readonly initiatorCookie: Buffer;
  /** SAi_b exactly as sent: both authentication hashes cover it. */
  readonly initiatorSaBody: Buffer;
  readonly offered: readonly OfferedTransform[];
  /** Message 1 as sent: a retransmission repeats these bytes. */
  readonly message1: Buffer;
}

/** Message 1: our offer and our vendor IDs (NAT-T VIDs announce RFC 3947 support, §3.1). */
export function buildMainMode1(options: InitiatorOptions, randomness: Phase1Randomness): BuiltMessage<MainMode1State> {
  const { resolved, offered, sa } = phase1Offer(options, randomness);
  const { initiatorCookie } = randomness;
  const payloads: Payload[] = [sa, ...resolved.vendorIds.map(vendorIdPayload)];
  const bytes = encodeMainModeClearMessage({ initiatorCookie, responderCookie: ZERO_COOKIE }, payloads);
  return {
    bytes,
    payloads,
    state: { options: resolved, randomness, initiatorCookie: Buffer.from(initiatorCookie), initiatorSaBody: encodePayloadBody(sa), offered, message1: bytes },
  };
}

// --- what a reply can say ----------------------------------------------------------------------

export type MainModeReplyFailure =
  | Phase1ReplyProblem
  /** Message 6 does not decrypt or its HASH_R does not verify: the pre-shared keys differ. */
  | { readonly kind: 'hash-r-mismatch'; readonly text: string };

export type MainModeReply<State> =
  | { readonly ok: true; readonly state: State; readonly payloads: readonly DecodedPayload[] }
  | { readonly ok: false; readonly failure: MainModeReplyFailure; readonly payloads?: readonly DecodedPayload[] };

type ClearReply = { readonly ok: true; readonly responderCookie: Buffer; readonly payloads: readonly DecodedPayload[] } | { readonly ok: false; readonly result: MainModeReply<never> };

/** The checks every clear reply (messages 2 and 4) passes: ours, Main Mode, not a notify. */
function readClearReply(initiatorCookie: Buffer, bytes: Buffer, expectedResponderCookie?: Buffer): ClearReply {
  const refuse = (failure: MainModeReplyFailure, payloads?: readonly DecodedPayload[]): ClearReply => ({ ok: false, result: { ok: false, failure, ...(payloads ? { payloads } : {}) } });
  const header = decodeHeader(bytes);
  if (!header.ok) return refuse({ kind: 'malformed', error: header.error, text: header.error.text });
  if (!header.value.initiatorCookie.equals(initiatorCookie)) return refuse({ kind: 'foreign-message', text: 'initiator cookie of another exchange' });
  if (expectedResponderCookie && !header.value.responderCookie.equals(expectedResponderCookie) && !header.value.responderCookie.equals(ZERO_COOKIE)) {
    return refuse({ kind: 'foreign-message', text: 'responder cookie of another exchange' });
  }
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) return refuse({ kind: 'malformed', error: decoded.error, text: decoded.error.text });
  const message = decoded.value;
  const { exchangeType } = message.header;
  if (message.kind === 'encrypted') return refuse({ kind: 'unexpected-exchange', exchangeType, encrypted: true, text: 'an encrypted message before any key exists' });
  const { payloads } = message;
  const notified = notifyProblem(payloads);
  if (exchangeType === ExchangeType.INFORMATIONAL && notified) return refuse(notified, payloads);
  if (exchangeType !== ExchangeType.IDENTITY_PROTECTION) {
    return refuse({ kind: 'unexpected-exchange', exchangeType, encrypted: false, text: `exchange type ${exchangeType} instead of Main Mode` }, payloads);
  }
  if (message.header.responderCookie.equals(ZERO_COOKIE)) return refuse({ kind: 'malformed', text: 'a reply without a responder cookie' }, payloads);
  return { ok: true, responderCookie: message.header.responderCookie, payloads };
}

// --- message 2 -> 3 ----------------------------------------------------------------------------

/** After a message 2 that chose one of our transforms. */
export interface MainMode2State {
  readonly mainMode1: MainMode1State;
  readonly responderCookie: Buffer;
  readonly negotiated: NegotiatedPhase1;
  readonly responderVendorIds: readonly Buffer[];
  /** The NAT-T flavour both sides announced, if any. */
  readonly natTraversalMethod?: NatTraversalMethod;
  readonly message2: Buffer;
}

export function processMainMode2(state: MainMode1State, bytes: Buffer): MainModeReply<MainMode2State> {
  const reply = readClearReply(state.initiatorCookie, bytes);
  if (!reply.ok) return reply.result;
  const { payloads } = reply;
  const offer = readOfferMessage(payloads);
  if (!offer.ok) return { ok: false, failure: { kind: 'missing-payload', payload: 'sa', text: 'message 2 has no SA payload' }, payloads };
  const negotiated = chosenTransform(state, offer.sa);
  if (typeof negotiated === 'string') return { ok: false, failure: { kind: 'proposal-not-offered', text: negotiated }, payloads };
  const responderVendorIds = offer.vendorIds.map((vendorId) => Buffer.from(vendorId));
  const method = agreeNatTraversal(state.options.natTraversal, state.options.vendorIds, responderVendorIds);
  return {
    ok: true,
    state: {
      mainMode1: state,
      responderCookie: Buffer.from(reply.responderCookie),
      negotiated,
      responderVendorIds,
      ...(method ? { natTraversalMethod: method } : {}),
      message2: Buffer.from(bytes),
    },
    payloads,
  };
}

/** After message 3: our DH key pair and nonce, and the path the exchange travels. */
export interface MainMode3State {
  readonly mainMode2: MainMode2State;
  readonly dhKeyPair: DhKeyPair;
  readonly initiatorNonce: Buffer;
  readonly phase1Endpoints: EndpointPair;
  readonly message3: Buffer;
}

/**
 * Message 3: KE of the chosen group (our exponent from the randomness), Ni, and NAT-D of the path
 * (`endpoints`) when both sides announced NAT-T (RFC 3947 §3.2; forced NAT-T hashes no real
 * address for us, as in Aggressive Mode).
 */
export function buildMainMode3(state: MainMode2State, endpoints: EndpointPair): BuiltMessage<MainMode3State> {
  const { mainMode1, negotiated } = state;
  const dhKeyPair = generateDhKeyPair(negotiated.proposal.group, mainMode1.randomness.dhPrivateKey);
  const cookies = { initiatorCookie: mainMode1.initiatorCookie, responderCookie: state.responderCookie };
  const payloads: Payload[] = [kePayload(dhKeyPair.publicValue), noncePayload(mainMode1.randomness.nonce)];
  if (state.natTraversalMethod !== undefined) {
    const draft = natDPayloadTypeOf(state.natTraversalMethod) === PayloadType.NAT_D_DRAFT;
    for (const natDHash of message3NatDHashes(negotiated.proposal.hash, cookies, endpoints, mainMode1.options.natTraversal)) payloads.push(natDPayload(natDHash, { draft }));
  }
  const bytes = encodeMainModeClearMessage(cookies, payloads);
  return { bytes, payloads, state: { mainMode2: state, dhKeyPair, initiatorNonce: Buffer.from(mainMode1.randomness.nonce), phase1Endpoints: endpoints, message3: bytes } };
}

// --- message 4 -> 5 ----------------------------------------------------------------------------

/** After message 4: the keyed SA-to-be. */
export interface MainMode4State {
  readonly mainMode3: MainMode3State;
  readonly responderNonce: Buffer;
  readonly responderPublicValue: Buffer;
  readonly keying: Phase1Keying;
  readonly natTraversal: NatTraversalOutcome;
  readonly message4: Buffer;
}

export function processMainMode4(state: MainMode3State, bytes: Buffer): MainModeReply<MainMode4State> {
  const { mainMode2 } = state;
  const { mainMode1, negotiated } = mainMode2;
  // Message 2 repeated: the responder did not get message 3 yet; not an answer.
  if (bytes.equals(mainMode2.message2)) return { ok: false, failure: { kind: 'foreign-message', text: 'message 2 again: the responder did not get message 3' } };
  const reply = readClearReply(mainMode1.initiatorCookie, bytes, mainMode2.responderCookie);
  if (!reply.ok) return reply.result;
  const { payloads } = reply;
  const reading = readKeyExchangeMessage(payloads);
  if (!reading.ok) {
    const missing = reading.missing[0] === 'KE' ? 'ke' : 'nonce';
    return { ok: false, failure: { kind: 'missing-payload', payload: missing, text: `message 4 has no ${reading.missing[0]} payload` }, payloads };
  }
  const shared = computeDhSharedSecret(state.dhKeyPair, reading.ke.keyData);
  if (!shared.ok) return { ok: false, failure: { kind: 'invalid-key-exchange', problem: shared.problem, text: `the responder's KE is ${shared.problem}` }, payloads };
  const cookies = { initiatorCookie: mainMode1.initiatorCookie, responderCookie: mainMode2.responderCookie };
  const keying = keyPhase1({
    hash: negotiated.proposal.hash,
    cipher: negotiated.proposal.encryption,
    preSharedKey: mainMode1.options.preSharedKey,
    ...cookies,
    initiatorNonce: state.initiatorNonce,
    responderNonce: reading.nonce.nonce,
    initiatorPublicValue: state.dhKeyPair.publicValue,
    responderPublicValue: reading.ke.keyData,
    sharedSecret: shared.sharedSecret,
    initiatorSaBody: mainMode1.initiatorSaBody,
  });
  const method = mainMode2.natTraversalMethod;
  let natTraversal: NatTraversalOutcome = { floated: false };
  if (method !== undefined) {
    const natDHashes = reading.natDiscovery.filter((natD) => natD.payloadType === natDPayloadTypeOf(method)).map((natD) => natD.hash);
    const detected = detectNat(negotiated.proposal.hash, cookies, natDHashes, state.phase1Endpoints);
    // RFC 3947 §4: in Main Mode the initiator floats to 4500 with message 5.
    const floated = mainMode1.options.natTraversal === 'force' || detected.localBehindNat === true || detected.peerBehindNat === true;
    natTraversal = { method, ...detected, floated };
  }
  return {
    ok: true,
    state: { mainMode3: state, responderNonce: Buffer.from(reading.nonce.nonce), responderPublicValue: Buffer.from(reading.ke.keyData), keying, natTraversal, message4: Buffer.from(bytes) },
    payloads,
  };
}

/** After message 5: what message 6 is checked against. */
export interface MainMode5State {
  readonly mainMode4: MainMode4State;
  /** The Phase 1 chain advanced past message 5: message 6 decrypts with its last block. */
  readonly ivChains: IsakmpSa['ivChains'];
  readonly message5: Buffer;
}

/**
 * Message 5: IDii and HASH_I over its body, with N(INITIAL-CONTACT) when the options ask for it,
 * encrypted with IV0 (`options.padding`; `options.encrypt` does not apply: Main Mode always
 * encrypts message 5).
 */
export function buildMainMode5(state: MainMode4State, options: Aggressive3Options): BuiltMessage<MainMode5State> {
  const behaviour = resolveAggressive3Options(options);
  const { keying } = state;
  const mainMode1 = state.mainMode3.mainMode2.mainMode1;
  const cookies = { initiatorCookie: mainMode1.initiatorCookie, responderCookie: state.mainMode3.mainMode2.responderCookie };
  const id = idPayload(mainMode1.options.identity);
  const payloads: Payload[] = [id, hashPayload(computeHashI(keying.authContext, encodePayloadBody(id)))];
  if (behaviour.initialContact) payloads.push(notifyPayload({ notifyType: NotifyType.INITIAL_CONTACT, spi: isakmpSpi(cookies.initiatorCookie, cookies.responderCookie) }));
  const sealed = sealIdentityMessage(keying.saCipher, keying.ivChains, cookies, payloads, behaviour.padding);
  return { bytes: sealed.bytes, payloads, state: { mainMode4: state, ivChains: sealed.ivChains, message5: sealed.bytes } };
}

// --- message 6 ---------------------------------------------------------------------------------

/** Message 6 verified: the ISAKMP SA, its Phase 1 chain at the last block of message 6. */
export function processMainMode6(state: MainMode5State, bytes: Buffer): MainModeReply<IsakmpSa> {
  const { mainMode4 } = state;
  const { mainMode3 } = mainMode4;
  const { mainMode2 } = mainMode3;
  const { mainMode1 } = mainMode2;
  if (bytes.equals(mainMode4.message4)) return { ok: false, failure: { kind: 'foreign-message', text: 'message 4 again: the responder did not get message 5' } };
  const header = decodeHeader(bytes);
  if (!header.ok) return { ok: false, failure: { kind: 'malformed', error: header.error, text: header.error.text } };
  if (!header.value.initiatorCookie.equals(mainMode1.initiatorCookie) || !header.value.responderCookie.equals(mainMode2.responderCookie)) {
    return { ok: false, failure: { kind: 'foreign-message', text: 'cookies of another exchange' } };
  }
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) return { ok: false, failure: { kind: 'malformed', error: decoded.error, text: decoded.error.text } };
  const message = decoded.value;
  if (message.kind === 'cleartext' && message.header.exchangeType === ExchangeType.INFORMATIONAL) {
    // A clear notify instead of message 6 (the responder could not read message 5, or refused HASH_I).
    const notified = notifyProblem(message.payloads);
    if (notified) return { ok: false, failure: notified, payloads: message.payloads };
  }
  if (message.header.exchangeType !== ExchangeType.IDENTITY_PROTECTION) {
    return { ok: false, failure: { kind: 'unexpected-exchange', exchangeType: message.header.exchangeType, encrypted: (message.header.flags & IsakmpFlag.ENCRYPTION) !== 0, text: `exchange type ${message.header.exchangeType} instead of Main Mode message 6` } };
  }
  const opened = openIdentityMessage(mainMode4.keying.saCipher, state.ivChains, message);
  if (!opened.ok) {
    if (opened.problem === 'undecryptable') return { ok: false, failure: { kind: 'hash-r-mismatch', text: 'message 6 does not decrypt: the pre-shared keys differ' } };
    return { ok: false, failure: { kind: 'malformed', text: `message 6: ${opened.detail}` }, ...(opened.payloads ? { payloads: opened.payloads } : {}) };
  }
  const { payloads } = opened;
  // IDir_b is hashed as received (RFC 2409 §5; never re-encoded).
  if (!verifyHashR(mainMode4.keying.authContext, opened.id.body, opened.hash.hash)) {
    return { ok: false, failure: { kind: 'hash-r-mismatch', text: 'HASH_R does not verify: the pre-shared keys differ' }, payloads };
  }
  const identity = readIdentity(opened.id.idType, opened.id.data);
  if (!identity.ok) return { ok: false, failure: { kind: 'malformed', text: `IDir: ${identity.error}` }, payloads };
  const expected = mainMode1.options.expectedResponderIdentity;
  if (expected && !sameIdentity(expected, identity.value)) {
    return {
      ok: false,
      failure: { kind: 'responder-id-mismatch', expected, received: identity.value, text: `the responder is ${formatIdentity(identity.value)}, not ${formatIdentity(expected)}` },
      payloads,
    };
  }
  const sa: IsakmpSa = {
    initiatorCookie: mainMode1.initiatorCookie,
    responderCookie: mainMode2.responderCookie,
    negotiated: mainMode2.negotiated,
    hash: mainMode2.negotiated.proposal.hash,
    saCipher: mainMode4.keying.saCipher,
    keys: mainMode4.keying.keys,
    ivChains: opened.ivChains,
    natTraversal: mainMode4.natTraversal,
    responderIdentity: identity.value,
    responderVendorIds: mainMode2.responderVendorIds,
    // The last Phase 1 message was encrypted: Phase 2 IVs chain from its last block.
    message3Encrypted: true,
  };
  return { ok: true, state: sa, payloads };
}
