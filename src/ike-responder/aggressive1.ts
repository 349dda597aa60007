/**
 * Aggressive Mode message 1 -> message 2 (RFC 2409 §5.4, pre-shared key):
 *
 *   HDR, SA, KE, Ni, IDii             -->
 *                                     <--  HDR, SA, KE, Nr, IDir, [VID..], [NAT-D, NAT-D], HASH_R
 *
 * `assessAggressive1` says what the RTX does with a message 1 (pure, cheap, no randomness), and
 * `respondToAggressive1` does the key exchange and builds message 2 for an acceptable one.
 */
import { ExchangeType, NotifyType, vendorIdName, type VendorIdName } from '../ike/constants.js';
import {
  encodeMessage,
  encodePayloadBody,
  hashPayload,
  idPayload,
  kePayload,
  noncePayload,
  saPayload,
  vendorIdPayload,
  type DecodedPayload,
  type IdPayload,
  type KePayload,
  type NoncePayload,
  type Payload,
  type SaPayload,
  type VendorIdPayload,
  type Decoded,
} from '../ike/codec/index.js';
import {
  cipherSpec,
  computeDhSharedSecret,
  computeHashR,
  checkDhPeerValue,
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
import { isIPv6 } from 'node:net';
import type { EstablishedPhase1 } from './established-phase1.js';
import { negotiateNatTraversal, natDiscoveryPayloads, type NatTraversalVariant } from './nat-traversal.js';
import { selectGateway, type GatewayInUse } from './peer-selection.js';
import type { Endpoint } from './port.js';
import { preSharedKeyBytes, usesDpd, type GatewayPolicy } from './policy.js';
import { choosePhase1Proposal, type ChosenPhase1Proposal } from './proposal.js';

/** RFC 2409 §5: nonces are 8 to 256 bytes. */
const MIN_NONCE_LENGTH = 8;
const MAX_NONCE_LENGTH = 256;
/** Length of the responder's nonce. The RTX's was not found (ASSUMED; strongSwan sends 32). */
export const RESPONDER_NONCE_LENGTH = 16;

/** The payloads of message 1 the exchange needs, as received (hashes cover their raw bodies). */
export interface Aggressive1Parts {
  readonly sa: Decoded<SaPayload>;
  readonly ke: Decoded<KePayload>;
  readonly nonce: Decoded<NoncePayload>;
  readonly id: Decoded<IdPayload>;
  readonly vendorIds: readonly Buffer[];
}

export type Aggressive1Assessment =
  | { readonly kind: 'malformed'; readonly detail: string }
  | { readonly kind: 'unknown-peer'; readonly idText: string }
  /** The gateway has no usable key: `missing` does no key exchange (§15.5), `masked` logs why. */
  | { readonly kind: 'no-pre-shared-key'; readonly gateway: GatewayPolicy; readonly key: 'missing' | 'masked' }
  | { readonly kind: 'no-proposal-chosen'; readonly gateway: GatewayPolicy; readonly detail: string }
  | { readonly kind: 'invalid-key-information'; readonly gateway: GatewayPolicy; readonly detail: string }
  | {
      readonly kind: 'acceptable';
      readonly gateway: GatewayPolicy;
      readonly parts: Aggressive1Parts;
      readonly chosen: ChosenPhase1Proposal;
      readonly preSharedKey: Buffer;
    };

/** The notify an RTX with `send info on` would answer a refused message 1 with (ASSUMED types). */
export function refusalNotifyType(assessment: Aggressive1Assessment): number | undefined {
  switch (assessment.kind) {
    case 'malformed':
      return NotifyType.PAYLOAD_MALFORMED;
    case 'unknown-peer':
      return NotifyType.INVALID_ID_INFORMATION;
    case 'no-proposal-chosen':
      return NotifyType.NO_PROPOSAL_CHOSEN;
    case 'invalid-key-information':
      return NotifyType.INVALID_KEY_INFORMATION;
    case 'no-pre-shared-key':
    case 'acceptable':
      return undefined;
  }
}

export function findAggressive1Parts(payloads: readonly DecodedPayload[]): Aggressive1Parts | { missing: string[] } {
  const first = <K extends DecodedPayload['type']>(type: K) =>
    payloads.find((payload): payload is Extract<DecodedPayload, { type: K }> => payload.type === type);
  const sa = first('sa');
  const ke = first('ke');
  const nonce = first('nonce');
  const id = first('id');
  if (!sa || !ke || !nonce || !id) {
    const missing = [!sa && 'SA', !ke && 'KE', !nonce && 'NONCE', !id && 'ID'].filter((name): name is string => name !== false);
    return { missing };
  }
  const vendorIds = payloads.filter((payload): payload is Decoded<VendorIdPayload> => payload.type === 'vendor-id').map((vid) => vid.vendorId);
  return { sa, ke, nonce, id, vendorIds };
}

/**
 * What the RTX makes of message 1, checked in this order: the payloads are there and sane; a
 * gateway matches (peer-selection.ts); it has a key; a proposal is acceptable (proposal.ts); the
 * KE is a valid public value of the chosen group.
 */
export function assessAggressive1(
  gateways: readonly GatewayPolicy[],
  payloads: readonly DecodedPayload[],
  sourceAddress: string,
  cipherAvailable?: (cipher: CipherId) => boolean,
  gatewayInUse?: GatewayInUse,
): Aggressive1Assessment {
  const parts = findAggressive1Parts(payloads);
  if ('missing' in parts) return { kind: 'malformed', detail: `message 1 lacks ${parts.missing.join(', ')}` };
  const nonceLength = parts.nonce.nonce.length;
  if (nonceLength < MIN_NONCE_LENGTH || nonceLength > MAX_NONCE_LENGTH) {
    return { kind: 'malformed', detail: `a nonce of ${nonceLength} bytes (RFC 2409: 8..256)` };
  }
  const selection = selectGateway(gateways, parts.id, sourceAddress, gatewayInUse);
  if (selection.kind === 'unknown-peer') return { kind: 'unknown-peer', idText: selection.idText };
  const { gateway } = selection;
  const preSharedKey = preSharedKeyBytes(gateway.preSharedKey);
  if (preSharedKey === undefined) {
    return { kind: 'no-pre-shared-key', gateway, key: gateway.preSharedKey.kind === 'masked' ? 'masked' : 'missing' };
  }
  const choice = choosePhase1Proposal(parts.sa, gateway, cipherAvailable);
  if (!choice.ok) return { kind: 'no-proposal-chosen', gateway, detail: choice.reason };
  const problem = checkDhPeerValue(choice.chosen.group, parts.ke.keyData);
  if (problem !== undefined) {
    return { kind: 'invalid-key-information', gateway, detail: `KE of ${parts.ke.keyData.length} bytes is ${problem} for group ${choice.chosen.group}` };
  }
  return { kind: 'acceptable', gateway, parts, chosen: choice.chosen, preSharedKey };
}

/** Everything one ISAKMP SA keeps from the key exchange. */
export interface Phase1Negotiation {
  readonly gateway: GatewayPolicy;
  readonly chosen: ChosenPhase1Proposal;
  /** The lifetime in force: the initiator's, else the gateway's `ipsec ike duration isakmp-sa`. */
  readonly lifetimeSeconds: number;
  readonly natTraversal?: NatTraversalVariant;
  readonly dpd: boolean;
  /** The initiator sent the DPD Vendor ID (RFC 3706 §5.1: only then may we send it R-U-THERE). */
  readonly peerAnnouncedDpd: boolean;
  readonly initiatorId: IdPayload;
  readonly initiatorIdBody: Buffer;
  readonly responderKeyPair: DhKeyPair;
  readonly responderNonce: Buffer;
  readonly keys: Phase1Keys;
  readonly authContext: Phase1AuthContext;
  /** IV0 = hash(g^xi | g^xr); message 2 goes in clear, so nothing has advanced it yet. */
  readonly ivChains: IvChains;
  readonly message2: Buffer;
  readonly message2Payloads: readonly Payload[];
}

/** While message 3 is awaited: all of the negotiation, and message 1 as received (a byte-identical datagram is a retransmission). */
export interface NegotiatingPhase1 extends Phase1Negotiation {
  readonly stage: 'negotiating';
  readonly message1: Buffer;
}

/**
 * What an ISAKMP SA keeps of its negotiation: all of it until message 3 is in, then what lasts
 * (EstablishedPhase1); message 1 and message 2 go too (nothing resends message 2 then, and an
 * established SA ignores message 1): about 2 KB of heap per tunnel for those two.
 */
export type KeptNegotiation = NegotiatingPhase1 | EstablishedPhase1;

export interface Aggressive1Arrival {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
  readonly from: Endpoint;
  readonly local: Endpoint;
}

/**
 * The key exchange and message 2. IDir is `ipsec ike local address` as ID_IPV4_ADDR (the RTX
 * identifies itself by address), or the address the datagram arrived on when that is unset
 * (§15.18: "the interface nearest the peer"). Vendor IDs only for configured features: NAT-T
 * when the gateway has it on and the initiator announced it, DPD for `keepalive use GW on dpd`
 * (rtx-behaviour.md §6: the RTX sends no vendor ID of its own). The commit bit is never set
 * (vpnc rejects flags other than E).
 */
export function respondToAggressive1(
  acceptable: Extract<Aggressive1Assessment, { kind: 'acceptable' }>,
  arrival: Aggressive1Arrival,
  randomBytes: (length: number) => Buffer,
): Phase1Negotiation {
  const { gateway, parts, chosen } = acceptable;
  const cookies = { initiatorCookie: arrival.initiatorCookie, responderCookie: arrival.responderCookie };
  const responderKeyPair = generateDhKeyPair(chosen.group, nonZero(randomBytes(dhGroup(chosen.group).privateExponentLength)));
  const shared = computeDhSharedSecret(responderKeyPair, parts.ke.keyData);
  if (!shared.ok) throw new Error(`KE accepted by assessAggressive1 but refused now: ${shared.problem}`);
  const responderNonce = randomBytes(RESPONDER_NONCE_LENGTH);
  const keys = derivePhase1Keys({
    hash: chosen.hash,
    preSharedKey: acceptable.preSharedKey,
    initiatorNonce: parts.nonce.body,
    responderNonce,
    sharedSecret: shared.sharedSecret,
    ...cookies,
    encryptionKeyLength: cipherSpec(chosen.cipher).keyLength,
  });
  const authContext: Phase1AuthContext = {
    hash: chosen.hash,
    skeyid: keys.skeyid,
    initiatorPublicValue: parts.ke.body,
    responderPublicValue: responderKeyPair.publicValue,
    ...cookies,
    initiatorSaBody: parts.sa.body,
  };
  const localAddress = gateway.localAddress ?? arrival.local.address;
  const responderId = idPayload(isIPv6(localAddress) ? { kind: 'ipv6-address', address: localAddress } : { kind: 'ipv4-address', address: localAddress });
  const natTraversal = negotiateNatTraversal(gateway, parts.vendorIds);
  const dpd = usesDpd(gateway);
  const vendorIds: VendorIdName[] = [...(natTraversal ? [natTraversal.vendorId] : []), ...(dpd ? (['DPD'] as const) : [])];
  const payloads: Payload[] = [
    saPayload(
      [{ proposalNumber: chosen.proposal.proposalNumber, protocolId: chosen.proposal.protocolId, spi: chosen.proposal.spi, transforms: [chosen.transform] }],
      { doi: parts.sa.doi, situation: parts.sa.situation },
    ),
    kePayload(responderKeyPair.publicValue),
    noncePayload(responderNonce),
    responderId,
    ...vendorIds.map((name) => vendorIdPayload(name)),
    ...(natTraversal ? natDiscoveryPayloads(natTraversal, chosen.hash, cookies, arrival.from, arrival.local) : []),
    hashPayload(computeHashR(authContext, encodePayloadBody(responderId))),
  ];
  const message2 = encodeMessage({ ...cookies, exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 }, payloads);
  return {
    gateway,
    chosen,
    lifetimeSeconds: chosen.lifeSeconds ?? gateway.isakmpLifetimeSeconds,
    ...(natTraversal ? { natTraversal } : {}),
    dpd,
    peerAnnouncedDpd: parts.vendorIds.some((vendorId) => vendorIdName(vendorId) === 'DPD'),
    initiatorId: { type: 'id', idType: parts.id.idType, protocolId: parts.id.protocolId, port: parts.id.port, data: parts.id.data },
    initiatorIdBody: parts.id.body,
    responderKeyPair,
    responderNonce,
    keys,
    authContext,
    ivChains: createIvChains(chosen.hash, cipherSpec(chosen.cipher).blockSize, parts.ke.body, responderKeyPair.publicValue),
    message2,
    message2Payloads: payloads,
  };
}

/** A DH exponent must not be zero; a random source that returns zeros gets a 1 in the last byte. */
function nonZero(bytes: Buffer): Buffer {
  return bytes.some((byte) => byte !== 0) ? bytes : Buffer.concat([bytes.subarray(0, -1), Buffer.of(1)]);
}
