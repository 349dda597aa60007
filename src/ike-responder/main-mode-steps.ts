/**
 * Main Mode with a pre-shared key, responder side (RFC 2409 §5, §5.4): what the RTX does with
 * each of the initiator's three messages, as pure functions (randomness comes in).
 *
 *   HDR, SA                          -->  assessMainMode1 / answerMainMode1
 *                                    <--  HDR, SA [, VID...]
 *   HDR, KE, Ni [, NAT-D, NAT-D]     -->  assessMainMode3 / answerMainMode3
 *                                    <--  HDR, KE, Nr [, NAT-D, NAT-D]
 *   HDR*, IDii, HASH_I [, N]         -->  readMainMode5 / answerMainMode5
 *                                    <--  HDR*, IDir, HASH_R
 *
 * The wire pieces both roles share are in src/ike/main-mode.ts; the rules here are the RTX's:
 * the peer is chosen by source address (peer-selection.ts), the proposal as for Aggressive Mode
 * (proposal.ts), vendor IDs only for configured features.
 */
import { isIPv6 } from 'node:net';
import { NotifyType, vendorIdName, type VendorIdName } from '../ike/constants.js';
import {
  encodePayloadBody,
  hashPayload,
  idPayload,
  kePayload,
  noncePayload,
  saPayload,
  vendorIdPayload,
  type Decoded,
  type DecodedMessage,
  type DecodedPayload,
  type IdPayload,
  type Payload,
  type SaPayload,
} from '../ike/codec/index.js';
import {
  checkDhPeerValue,
  cipherSpec,
  computeDhSharedSecret,
  computeHashR,
  createIvChains,
  derivePhase1Keys,
  dhGroup,
  generateDhKeyPair,
  type CipherId,
  type DhKeyPair,
  type IvChains,
  type Phase1AuthContext,
  type Phase1Keys,
} from '../ike/crypto/index.js';
import {
  encodeMainModeClearMessage,
  openIdentityMessage,
  readKeyExchangeMessage,
  readOfferMessage,
  sealIdentityMessage,
  verifyHashI,
  type MainModeCookies,
} from '../ike/main-mode.js';
import { RESPONDER_NONCE_LENGTH } from './aggressive1.js';
import { RTX_PADDING } from './informational.js';
import { detectNat, natDiscoveryPayloads, negotiateNatTraversal, type NatDetection, type NatTraversalVariant } from './nat-traversal.js';
import { selectMainModeGateway } from './peer-selection.js';
import type { Endpoint } from './port.js';
import { preSharedKeyBytes, usesDpd, type GatewayPolicy } from './policy.js';
import { choosePhase1Proposal, type ChosenPhase1Proposal } from './proposal.js';

/** RFC 2409 §5: nonces are 8 to 256 bytes. */
const MIN_NONCE_LENGTH = 8;
const MAX_NONCE_LENGTH = 256;

// --- message 1 -> 2 ----------------------------------------------------------------------------

export type MainMode1Assessment =
  | { readonly kind: 'malformed'; readonly detail: string }
  /** No enabled gateway names this source address (`remote address any` gateways never answer Main Mode). */
  | { readonly kind: 'unknown-peer' }
  | { readonly kind: 'no-pre-shared-key'; readonly gateway: GatewayPolicy; readonly key: 'missing' | 'masked' }
  | { readonly kind: 'no-proposal-chosen'; readonly gateway: GatewayPolicy; readonly detail: string }
  | {
      readonly kind: 'acceptable';
      readonly gateway: GatewayPolicy;
      readonly sa: Decoded<SaPayload>;
      readonly vendorIds: readonly Buffer[];
      readonly chosen: ChosenPhase1Proposal;
      readonly preSharedKey: Buffer;
    };

/**
 * The notify an RTX with `send info on` would answer a refused message 1 with (ASSUMED). An
 * unknown address gets NO-PROPOSAL-CHOSEN: the initiator has sent no ID to be invalid, and with
 * no gateway no proposal can be chosen (strongSwan answers the same way).
 */
export function mainMode1RefusalNotifyType(assessment: MainMode1Assessment): number | undefined {
  switch (assessment.kind) {
    case 'malformed':
      return NotifyType.PAYLOAD_MALFORMED;
    case 'unknown-peer':
    case 'no-proposal-chosen':
      return NotifyType.NO_PROPOSAL_CHOSEN;
    case 'no-pre-shared-key':
    case 'acceptable':
      return undefined;
  }
}

/** Checked in this order: an SA is there; a gateway names the source address; it has a key; a proposal is acceptable. */
export function assessMainMode1(
  gateways: readonly GatewayPolicy[],
  payloads: readonly DecodedPayload[],
  sourceAddress: string,
  cipherAvailable?: (cipher: CipherId) => boolean,
): MainMode1Assessment {
  const offer = readOfferMessage(payloads);
  if (!offer.ok) return { kind: 'malformed', detail: `message 1 lacks ${offer.missing.join(', ')}` };
  const gateway = selectMainModeGateway(gateways, sourceAddress);
  if (gateway === undefined) return { kind: 'unknown-peer' };
  const preSharedKey = preSharedKeyBytes(gateway.preSharedKey);
  if (preSharedKey === undefined) return { kind: 'no-pre-shared-key', gateway, key: gateway.preSharedKey.kind === 'masked' ? 'masked' : 'missing' };
  const choice = choosePhase1Proposal(offer.sa, gateway, cipherAvailable);
  if (!choice.ok) return { kind: 'no-proposal-chosen', gateway, detail: choice.reason };
  return { kind: 'acceptable', gateway, sa: offer.sa, vendorIds: offer.vendorIds, chosen: choice.chosen, preSharedKey };
}

/** What the SA keeps from messages 1 and 2: the gateway and suite, before any key exists. */
export interface MainModeOffer {
  readonly gateway: GatewayPolicy;
  readonly chosen: ChosenPhase1Proposal;
  readonly preSharedKey: Buffer;
  /** SAi_b: both authentication hashes cover the initiator's offer as received. */
  readonly initiatorSaBody: Buffer;
  /** The lifetime in force: the initiator's, else the gateway's `ipsec ike duration isakmp-sa`. */
  readonly lifetimeSeconds: number;
  readonly natTraversal?: NatTraversalVariant;
  readonly dpd: boolean;
  /** The initiator's message 1 carried the DPD vendor ID (RFC 3706 §5.1): router-sent R-U-THERE may go to it. */
  readonly peerAnnouncedDpd: boolean;
}

export interface AnsweredMessage {
  readonly bytes: Buffer;
  readonly payloads: readonly Payload[];
}

/**
 * Message 2: the chosen transform as offered, and the vendor IDs of configured features only
 * (NAT-T when the gateway has it on and the initiator announced it, DPD for `keepalive use GW on
 * dpd`), as in Aggressive Mode message 2.
 */
export function answerMainMode1(acceptable: Extract<MainMode1Assessment, { kind: 'acceptable' }>, cookies: MainModeCookies): { offer: MainModeOffer; message2: AnsweredMessage } {
  const { gateway, sa, chosen } = acceptable;
  const natTraversal = negotiateNatTraversal(gateway, acceptable.vendorIds);
  const dpd = usesDpd(gateway);
  const vendorIds: VendorIdName[] = [...(natTraversal ? [natTraversal.vendorId] : []), ...(dpd ? (['DPD'] as const) : [])];
  const payloads: Payload[] = [
    saPayload(
      [{ proposalNumber: chosen.proposal.proposalNumber, protocolId: chosen.proposal.protocolId, spi: chosen.proposal.spi, transforms: [chosen.transform] }],
      { doi: sa.doi, situation: sa.situation },
    ),
    ...vendorIds.map((name) => vendorIdPayload(name)),
  ];
  return {
    offer: {
      gateway,
      chosen,
      preSharedKey: acceptable.preSharedKey,
      initiatorSaBody: sa.body,
      lifetimeSeconds: chosen.lifeSeconds ?? gateway.isakmpLifetimeSeconds,
      ...(natTraversal ? { natTraversal } : {}),
      dpd,
      peerAnnouncedDpd: acceptable.vendorIds.some((vendorId) => vendorIdName(vendorId) === 'DPD'),
    },
    message2: { bytes: encodeMainModeClearMessage(cookies, payloads), payloads },
  };
}

// --- message 3 -> 4 ----------------------------------------------------------------------------

export type MainMode3Assessment =
  | { readonly kind: 'malformed'; readonly detail: string }
  | { readonly kind: 'invalid-key-information'; readonly detail: string }
  | { readonly kind: 'acceptable'; readonly initiatorPublicValue: Buffer; readonly initiatorNonce: Buffer; readonly natDiscoveryHashes: readonly Buffer[] };

export function assessMainMode3(offer: MainModeOffer, message: DecodedMessage): MainMode3Assessment {
  if (message.kind !== 'cleartext') return { kind: 'malformed', detail: 'message 3 is encrypted before any key exists' };
  const reading = readKeyExchangeMessage(message.payloads);
  if (!reading.ok) return { kind: 'malformed', detail: `message 3 lacks ${reading.missing.join(', ')}` };
  const nonceLength = reading.nonce.nonce.length;
  if (nonceLength < MIN_NONCE_LENGTH || nonceLength > MAX_NONCE_LENGTH) return { kind: 'malformed', detail: `a nonce of ${nonceLength} bytes (RFC 2409: 8..256)` };
  const problem = checkDhPeerValue(offer.chosen.group, reading.ke.keyData);
  if (problem !== undefined) {
    return { kind: 'invalid-key-information', detail: `KE of ${reading.ke.keyData.length} bytes is ${problem} for group ${offer.chosen.group}` };
  }
  // NAT-D of the flavour agreed in messages 1 and 2 only; without NAT-T none is read.
  const natDiscoveryHashes = offer.natTraversal
    ? reading.natDiscovery.filter((natD) => natD.payloadType === offer.natTraversal?.natDPayloadType).map((natD) => natD.hash)
    : [];
  return { kind: 'acceptable', initiatorPublicValue: reading.ke.body, initiatorNonce: reading.nonce.body, natDiscoveryHashes };
}

/** Everything the ISAKMP SA keeps once keyed (from message 4 on). */
export interface MainModeNegotiation extends MainModeOffer {
  readonly responderKeyPair: DhKeyPair;
  readonly responderNonce: Buffer;
  readonly keys: Phase1Keys;
  readonly authContext: Phase1AuthContext;
  /** IV0 = hash(g^xi | g^xr): message 5 is encrypted with it. */
  readonly ivChains: IvChains;
  readonly natDetection?: NatDetection;
}

export interface MainMode3Arrival extends MainModeCookies {
  readonly from: Endpoint;
  readonly local: Endpoint;
}

/** The key exchange, the SKEYID chain and message 4 (NAT-D of the path message 3 came on). */
export function answerMainMode3(
  offer: MainModeOffer,
  acceptable: Extract<MainMode3Assessment, { kind: 'acceptable' }>,
  arrival: MainMode3Arrival,
  randomBytes: (length: number) => Buffer,
): { negotiation: MainModeNegotiation; message4: AnsweredMessage } {
  const { chosen } = offer;
  const cookies = { initiatorCookie: arrival.initiatorCookie, responderCookie: arrival.responderCookie };
  const responderKeyPair = generateDhKeyPair(chosen.group, nonZero(randomBytes(dhGroup(chosen.group).privateExponentLength)));
  const shared = computeDhSharedSecret(responderKeyPair, acceptable.initiatorPublicValue);
  if (!shared.ok) throw new Error(`KE accepted by assessMainMode3 but refused now: ${shared.problem}`);
  const responderNonce = randomBytes(RESPONDER_NONCE_LENGTH);
  const keys = derivePhase1Keys({
    hash: chosen.hash,
    preSharedKey: offer.preSharedKey,
    initiatorNonce: acceptable.initiatorNonce,
    responderNonce,
    sharedSecret: shared.sharedSecret,
    ...cookies,
    encryptionKeyLength: cipherSpec(chosen.cipher).keyLength,
  });
  const authContext: Phase1AuthContext = {
    hash: chosen.hash,
    skeyid: keys.skeyid,
    initiatorPublicValue: acceptable.initiatorPublicValue,
    responderPublicValue: responderKeyPair.publicValue,
    ...cookies,
    initiatorSaBody: offer.initiatorSaBody,
  };
  const natDetection = offer.natTraversal ? detectNat(chosen.hash, cookies, acceptable.natDiscoveryHashes, arrival.from, arrival.local) : undefined;
  const payloads: Payload[] = [
    kePayload(responderKeyPair.publicValue),
    noncePayload(responderNonce),
    ...(offer.natTraversal ? natDiscoveryPayloads(offer.natTraversal, chosen.hash, cookies, arrival.from, arrival.local) : []),
  ];
  return {
    negotiation: {
      ...offer,
      responderKeyPair,
      responderNonce,
      keys,
      authContext,
      ivChains: createIvChains(chosen.hash, cipherSpec(chosen.cipher).blockSize, acceptable.initiatorPublicValue, responderKeyPair.publicValue),
      ...(natDetection ? { natDetection } : {}),
    },
    message4: { bytes: encodeMainModeClearMessage(cookies, payloads), payloads },
  };
}

// --- message 5 -> 6 ----------------------------------------------------------------------------

export type MainMode5Reading =
  | {
      readonly kind: 'accepted';
      readonly initiatorId: Decoded<IdPayload>;
      readonly payloads: readonly DecodedPayload[];
      /** Advanced past message 5. */
      readonly ivChains: IvChains;
    }
  /** Sent in clear, not whole blocks, or no ID/HASH. */
  | { readonly kind: 'unreadable'; readonly detail: string; readonly payloads?: readonly DecodedPayload[] }
  /** Noise after decryption: the keys differ, so almost surely the pre-shared keys do. */
  | { readonly kind: 'undecryptable'; readonly detail: string }
  | { readonly kind: 'hash-mismatch'; readonly payloads: readonly DecodedPayload[] };

/**
 * Message 5, decrypted with IV0. Any initiator ID is accepted: the peer was chosen by address and
 * authenticated by HASH_I; the RTX's check of IDii against anything was NOT FOUND (ASSUMED:
 * none). The `ipsec ike payload type` rule is Aggressive Mode's (message 3): message 5 is always
 * encrypted (RFC 2409 §5).
 */
export function readMainMode5(negotiation: MainModeNegotiation, chains: IvChains, message: DecodedMessage): MainMode5Reading {
  const opened = openIdentityMessage(cipherOf(negotiation), chains, message);
  if (!opened.ok) {
    if (opened.problem === 'undecryptable') return { kind: 'undecryptable', detail: opened.detail };
    return { kind: 'unreadable', detail: opened.detail, ...(opened.payloads ? { payloads: opened.payloads } : {}) };
  }
  if (!verifyHashI(negotiation.authContext, opened.id.body, opened.hash.hash)) return { kind: 'hash-mismatch', payloads: opened.payloads };
  return { kind: 'accepted', initiatorId: opened.id, payloads: opened.payloads, ivChains: opened.ivChains };
}

/**
 * Message 6: IDir is `ipsec ike local address` as an address ID (or the address message 5 arrived
 * on, §15.18), as in Aggressive Mode message 2; HASH_R over its body.
 */
export function answerMainMode5(
  negotiation: MainModeNegotiation,
  chains: IvChains,
  cookies: MainModeCookies,
  local: Endpoint,
): AnsweredMessage & { readonly ivChains: IvChains } {
  const localAddress = negotiation.gateway.localAddress ?? local.address;
  const responderId = idPayload(isIPv6(localAddress) ? { kind: 'ipv6-address', address: localAddress } : { kind: 'ipv4-address', address: localAddress });
  const payloads: Payload[] = [responderId, hashPayload(computeHashR(negotiation.authContext, encodePayloadBody(responderId)))];
  const sealed = sealIdentityMessage(cipherOf(negotiation), chains, cookies, payloads, RTX_PADDING);
  return { bytes: sealed.bytes, payloads, ivChains: sealed.ivChains };
}

function cipherOf(negotiation: MainModeNegotiation) {
  return { cipher: negotiation.chosen.cipher, encryptionKey: negotiation.keys.encryptionKey };
}

/** A DH exponent must not be zero; a random source that returns zeros gets a 1 in the last byte. */
function nonZero(bytes: Buffer): Buffer {
  return bytes.some((byte) => byte !== 0) ? bytes : Buffer.concat([bytes.subarray(0, -1), Buffer.of(1)]);
}
