/**
 * Quick Mode, initiator side (RFC 2409 §5.5), under the ISAKMP SA:
 *
 *   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]   -->   buildQuickMode1
 *            <--   HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *                                                       processQuickMode2
 *   HDR*, HASH(3)                                 -->   buildQuickMode3 -> the two ESP SAs
 *
 * HASH(1) is the Transaction/Informational hash over the payloads after it; HASH(2) adds Ni_b in
 * front; HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). All three messages share one M-ID and
 * one IV chain that starts at hash(last Phase 1 block | M-ID). The commit bit (RFC 2408 §3.1) is
 * never set: vpnc refuses any flags but E, and libreswan and strongSwan ignore it; one received
 * is tolerated and reported.
 */
import {
  AuthAlgorithm,
  EncapsulationMode,
  EspTransformId,
  ExchangeType,
  IpsecAttribute,
  IsakmpFlag,
  LifeType,
  PayloadType,
  ProtocolId,
  encapsulationModeName,
} from '../constants.js';
import {
  encodeEncryptedMessage,
  encodePayloadBody,
  encodePayloads,
  formatIdentity,
  hashPayload,
  idPayload,
  ipsecProposal,
  kePayload,
  noncePayload,
  numberAttribute,
  readIdentity,
  readIpsecTransform,
  saPayload,
  tlvAttribute,
  tvAttribute,
  type DataAttribute,
  type Decoded,
  type DecodedPayload,
  type Identity,
  type Payload,
  type Proposal,
  type SaPayload,
  type Transform,
} from '../codec/index.js';
import {
  CIPHER_SPECS,
  ZERO_PADDING,
  computeDhSharedSecret,
  computeQuickModeHash2,
  computeQuickModeHash3,
  deriveQuickModeKeys,
  dhGroupFromAttribute,
  encryptMessageBody,
  endIvExchange,
  espEncryptionFromTransform,
  espIntegrityFromAttribute,
  generateDhKeyPair,
  type CipherId,
  type DhGroupId,
  type DhKeyPair,
  type DhPeerValueProblem,
  type PaddingPolicy,
  type SaDirectionKeys,
} from '../crypto/index.js';
import { decryptForSa, sameBytes, sealHashedMessage, type IsakmpSa, type OpenFailure } from './isakmp-sa.js';

/** The ESP integrity algorithms of the RTX's `ipsec sa policy` (sha-hmac, md5-hmac). */
export type EspIntegrity = 'hmac-sha1-96' | 'hmac-md5-96';

/** One ESP transform to offer: `ipsec sa policy N N esp 3des-cbc sha-hmac` and the like. */
export interface EspProposalSpec {
  readonly encryption: CipherId;
  readonly integrity: EspIntegrity;
}

/** Which IPsec attribute a transform writes where (see QuickModeProposalEncoding). */
export type IpsecAttributeSlot = 'life' | 'group' | 'encapsulation' | 'authentication' | 'key-length';

/**
 * How the SA payload of message 1 is written. Responders match by type and value, so this must
 * not matter, and a profile must be able to vary it to show that it does not.
 */
export interface QuickModeProposalEncoding {
  /**
   * `one-proposal`: every transform inside one proposal (alternatives by transform, RFC 2408
   * §4.2); `proposal-per-transform`: one proposal per transform, numbered apart, as vpnc 0.5.3
   * `make_our_sa_ipsec` does.
   */
  readonly layout: 'one-proposal' | 'proposal-per-transform';
  readonly firstNumber: 0 | 1;
  readonly attributeOrder: readonly IpsecAttributeSlot[];
  /** vpnc sends its life duration (2147483 s) as a 4-byte TLV; strongSwan the shortest form. */
  readonly lifeDuration: 'shortest' | 'four-byte';
}

/**
 * strongSwan 5.9's order as capture strongswan-push frame 10 shows it for a 3DES/SHA1 transform
 * without PFS: authentication, encapsulation, life. Where it puts group and key length was not
 * seen (assumed: after the life).
 */
export const STRONGSWAN_QUICK_MODE_ENCODING: QuickModeProposalEncoding = {
  layout: 'one-proposal',
  firstNumber: 1,
  attributeOrder: ['authentication', 'encapsulation', 'life', 'group', 'key-length'],
  lifeDuration: 'shortest',
};

/** vpnc 0.5.3 `make_transform_ipsec` (attributes prepended, so read bottom-up) and `make_our_sa_ipsec`. */
export const VPNC_QUICK_MODE_ENCODING: QuickModeProposalEncoding = {
  layout: 'proposal-per-transform',
  firstNumber: 0,
  attributeOrder: ['key-length', 'encapsulation', 'authentication', 'group', 'life'],
  lifeDuration: 'four-byte',
};

/** A traffic selector to send as IDci: the address mode-cfg installed, or a fixed identity. */
export type LocalTrafficSelector = { readonly kind: 'mode-cfg-address' } | Identity;

export interface QuickModeOptions {
  /** Offered in this order. */
  readonly proposals: readonly EspProposalSpec[];
  readonly lifeSeconds?: number;
  readonly lifeKilobytes?: number;
  /** PFS: a KE payload and Group Description in every transform (`ipsec ike pfs N on`). */
  readonly pfsGroup?: DhGroupId;
  /**
   * `auto`: UDP-encapsulated tunnel when Phase 1 floated to the NAT-T port (mode 3 under RFC
   * 3947, 61443 under the drafts, as vpnc picks them), plain tunnel otherwise.
   */
  readonly encapsulation?: 'auto' | 'tunnel' | 'udp-tunnel';
  /** IDci. Without IDci and IDcr the SA covers the two gateways' addresses (RFC 2409 §5.5). */
  readonly localId?: LocalTrafficSelector;
  /** IDcr: the network behind the gateway, e.g. 10.1.1.0/255.255.255.0. */
  readonly remoteId?: Identity;
  /** Ni length: strongSwan 32, vpnc 20. */
  readonly nonceLength?: number;
  readonly encoding?: Partial<QuickModeProposalEncoding>;
  readonly padding?: PaddingPolicy;
}

/** Quick Mode options with everything decided: the IDs are identities, the mode a number. */
export interface QuickModeRequest {
  readonly proposals: readonly EspProposalSpec[];
  readonly lifeSeconds?: number;
  readonly lifeKilobytes?: number;
  readonly pfsGroup?: DhGroupId;
  readonly encapsulationMode: number;
  readonly localId?: Identity;
  readonly remoteId?: Identity;
  readonly nonceLength: number;
  readonly encoding: QuickModeProposalEncoding;
  readonly padding: PaddingPolicy;
}

export const DEFAULT_QUICK_MODE_NONCE_LENGTH = 32;

export type QuickModeRequestResult = { readonly ok: true; readonly request: QuickModeRequest } | { readonly ok: false; readonly text: string };

/**
 * Decides what Quick Mode sends under this SA: the encapsulation mode from NAT-T, IDci from the
 * mode-cfg address when asked to. Fails when IDci should be the mode-cfg address and there is none.
 */
export function resolveQuickModeRequest(options: QuickModeOptions, sa: IsakmpSa, modeCfgAddress?: string): QuickModeRequestResult {
  const problems = checkQuickModeOptions(options);
  if (problems.length > 0) return { ok: false, text: problems.join('; ') };
  let localId: Identity | undefined;
  if (options.localId?.kind === 'mode-cfg-address') {
    if (modeCfgAddress === undefined) return { ok: false, text: 'IDci is the mode-cfg address, and mode-cfg installed none' };
    localId = { kind: 'ipv4-address', address: modeCfgAddress };
  } else {
    localId = options.localId;
  }
  return {
    ok: true,
    request: {
      proposals: options.proposals,
      ...(options.lifeSeconds === undefined ? {} : { lifeSeconds: options.lifeSeconds }),
      ...(options.lifeKilobytes === undefined ? {} : { lifeKilobytes: options.lifeKilobytes }),
      ...(options.pfsGroup === undefined ? {} : { pfsGroup: options.pfsGroup }),
      encapsulationMode: encapsulationModeFor(options.encapsulation ?? 'auto', sa),
      ...(localId === undefined ? {} : { localId }),
      ...(options.remoteId === undefined ? {} : { remoteId: options.remoteId }),
      nonceLength: options.nonceLength ?? DEFAULT_QUICK_MODE_NONCE_LENGTH,
      encoding: { ...STRONGSWAN_QUICK_MODE_ENCODING, ...options.encoding },
      padding: options.padding ?? ZERO_PADDING,
    },
  };
}

/** Every reason the options cannot make a Quick Mode message 1; empty when they can. */
export function checkQuickModeOptions(options: QuickModeOptions): string[] {
  const problems: string[] = [];
  if (options.proposals.length === 0) problems.push('no ESP proposal to offer');
  if (options.proposals.length > 255) problems.push(`${options.proposals.length} ESP transforms, at most 255 fit`);
  // RFC 2409 §5.5: the identities go as a pair or not at all.
  if ((options.localId === undefined) !== (options.remoteId === undefined)) problems.push('IDci and IDcr must both be given or both left out');
  const nonceLength = options.nonceLength ?? DEFAULT_QUICK_MODE_NONCE_LENGTH;
  if (!Number.isInteger(nonceLength) || nonceLength < 8 || nonceLength > 256) problems.push(`nonce length ${nonceLength} is outside 8..256 bytes`);
  for (const [name, life] of [['life', options.lifeSeconds], ['life in kilobytes', options.lifeKilobytes]] as const) {
    if (life !== undefined && (!Number.isInteger(life) || life < 1 || life > 0xffffffff)) problems.push(`${name} ${life} is not a 32-bit count`);
  }
  return problems;
}

function encapsulationModeFor(choice: 'auto' | 'tunnel' | 'udp-tunnel', sa: IsakmpSa): number {
  const udp = choice === 'udp-tunnel' || (choice === 'auto' && sa.natTraversal.floated);
  if (!udp) return EncapsulationMode.TUNNEL;
  // RFC 3947 §5.1 renumbered the drafts' private values 61443/61444 to 3/4.
  const draft = sa.natTraversal.method !== undefined && sa.natTraversal.method !== 'rfc3947';
  return draft ? EncapsulationMode.UDP_ENCAPSULATED_TUNNEL_DRAFT : EncapsulationMode.UDP_ENCAPSULATED_TUNNEL;
}

/** Every random choice of one Quick Mode; fixed in tests, drawn by `drawQuickModeRandomness`. */
export interface QuickModeRandomness {
  readonly messageId: number;
  /** Our inbound SPI: the one the responder's ESP packets to us will carry. */
  readonly spi: Buffer;
  readonly nonce: Buffer;
  /** Needed with PFS only. */
  readonly dhPrivateKey?: Buffer;
}

/** One transform of our offer as it went out. */
export interface OfferedEspTransform {
  readonly proposalNumber: number;
  readonly transformNumber: number;
  readonly spec: EspProposalSpec;
}

/** After message 1: what message 2 is checked and keyed against. */
export interface QuickMode1State {
  readonly request: QuickModeRequest;
  readonly messageId: number;
  readonly initiatorSpi: Buffer;
  readonly initiatorNonce: Buffer; // Ni_b
  readonly dhKeyPair?: DhKeyPair;
  readonly offered: readonly OfferedEspTransform[];
  /** IDci_b / IDcr_b as sent; the responder must return the same (RFC 2409 §5.5). */
  readonly idBodies?: { readonly initiator: Buffer; readonly responder: Buffer };
  /** The SA with this M-ID's chain advanced past message 1. */
  readonly sa: IsakmpSa;
  /** Message 1 as sent, for retransmission. */
  readonly message1: Buffer;
}

export interface BuiltQuickModeMessage<State> {
  readonly bytes: Buffer;
  readonly payloads: readonly Payload[];
  readonly state: State;
}

/** Message 1. Throws RangeError on randomness that does not fit the request. */
export function buildQuickMode1(sa: IsakmpSa, request: QuickModeRequest, randomness: QuickModeRandomness): BuiltQuickModeMessage<QuickMode1State> {
  const { messageId, spi, nonce } = randomness;
  if (messageId === 0) throw new RangeError('M-ID 0 belongs to Phase 1');
  if (spi.length !== 4) throw new RangeError(`an ESP SPI has 4 bytes, not ${spi.length}`);
  // RFC 4303 §2.1: SPIs 1..255 are reserved by IANA, 0 means none.
  if (spi.readUInt32BE(0) < 256) throw new RangeError(`SPI 0x${spi.toString('hex')} is reserved`);
  if (nonce.length !== request.nonceLength) throw new RangeError(`the nonce has ${nonce.length} bytes, the request says ${request.nonceLength}`);
  let dhKeyPair: DhKeyPair | undefined;
  if (request.pfsGroup !== undefined) {
    if (randomness.dhPrivateKey === undefined) throw new RangeError('PFS needs a DH private key');
    dhKeyPair = generateDhKeyPair(request.pfsGroup, randomness.dhPrivateKey);
  }
  const { sa: saPayloadValue, offered } = offerPayload(request, spi);
  const payloads: Payload[] = [saPayloadValue, noncePayload(nonce)];
  if (dhKeyPair) payloads.push(kePayload(dhKeyPair.publicValue));
  let idBodies: QuickMode1State['idBodies'];
  if (request.localId && request.remoteId) {
    const initiatorId = idPayload(request.localId);
    const responderId = idPayload(request.remoteId);
    payloads.push(initiatorId, responderId);
    idBodies = { initiator: encodePayloadBody(initiatorId), responder: encodePayloadBody(responderId) };
  }
  // HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr]): the Transaction hash.
  const sealed = sealHashedMessage(sa, { exchangeType: ExchangeType.QUICK_MODE, messageId, payloads, padding: request.padding });
  return {
    bytes: sealed.bytes,
    payloads: sealed.payloads,
    state: {
      request,
      messageId,
      initiatorSpi: Buffer.from(spi),
      initiatorNonce: Buffer.from(nonce),
      ...(dhKeyPair ? { dhKeyPair } : {}),
      offered,
      ...(idBodies ? { idBodies } : {}),
      sa: sealed.sa,
      message1: sealed.bytes,
    },
  };
}

function offerPayload(request: QuickModeRequest, spi: Buffer): { sa: SaPayload; offered: OfferedEspTransform[] } {
  const { encoding } = request;
  const offered = request.proposals.map((spec, index): OfferedEspTransform =>
    encoding.layout === 'one-proposal'
      ? { proposalNumber: encoding.firstNumber, transformNumber: encoding.firstNumber + index, spec }
      : { proposalNumber: encoding.firstNumber + index, transformNumber: encoding.firstNumber, spec },
  );
  const transformOf = (offer: OfferedEspTransform): Transform => espTransform(offer, request);
  const proposals: Proposal[] =
    encoding.layout === 'one-proposal'
      ? [ipsecProposal({ spi, transforms: offered.map(transformOf), proposalNumber: encoding.firstNumber })]
      : offered.map((offer) => ipsecProposal({ spi, transforms: [transformOf(offer)], proposalNumber: offer.proposalNumber }));
  return { sa: saPayload(proposals), offered };
}

function espTransform(offer: OfferedEspTransform, request: QuickModeRequest): Transform {
  const { spec } = offer;
  const { transformId, keyLength } = espTransformIdOf(spec.encryption);
  const lifeValue = (duration: number): DataAttribute => {
    if (request.encoding.lifeDuration === 'shortest') return numberAttribute(IpsecAttribute.SA_LIFE_DURATION, duration);
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(duration);
    return tlvAttribute(IpsecAttribute.SA_LIFE_DURATION, bytes);
  };
  const slots: Record<IpsecAttributeSlot, DataAttribute[]> = {
    life: [
      ...(request.lifeSeconds === undefined ? [] : [tvAttribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.SECONDS), lifeValue(request.lifeSeconds)]),
      ...(request.lifeKilobytes === undefined ? [] : [tvAttribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.KILOBYTES), lifeValue(request.lifeKilobytes)]),
    ],
    group: request.pfsGroup === undefined ? [] : [tvAttribute(IpsecAttribute.GROUP_DESCRIPTION, request.pfsGroup)],
    encapsulation: [tvAttribute(IpsecAttribute.ENCAPSULATION_MODE, request.encapsulationMode)],
    authentication: [tvAttribute(IpsecAttribute.AUTHENTICATION_ALGORITHM, authAlgorithmOf(spec.integrity))],
    'key-length': keyLength === undefined ? [] : [tvAttribute(IpsecAttribute.KEY_LENGTH, keyLength)],
  };
  // Slots the order leaves out still go out, last: every attribute is needed.
  const order = [...request.encoding.attributeOrder, ...(Object.keys(slots) as IpsecAttributeSlot[]).filter((slot) => !request.encoding.attributeOrder.includes(slot))];
  return { transformNumber: offer.transformNumber, transformId, attributes: order.flatMap((slot) => slots[slot]) };
}

/** RFC 2407 §4.4.4 and RFC 3602 §5: AES carries its key length, DES and 3DES do not. */
function espTransformIdOf(cipher: CipherId): { transformId: number; keyLength?: number } {
  switch (cipher) {
    case 'des-cbc':
      return { transformId: EspTransformId.ESP_DES };
    case '3des-cbc':
      return { transformId: EspTransformId.ESP_3DES };
    case 'aes128-cbc':
    case 'aes192-cbc':
    case 'aes256-cbc':
      return { transformId: EspTransformId.ESP_AES, keyLength: CIPHER_SPECS[cipher].keyLength * 8 };
  }
}

function authAlgorithmOf(integrity: EspIntegrity): number {
  return integrity === 'hmac-sha1-96' ? AuthAlgorithm.HMAC_SHA : AuthAlgorithm.HMAC_MD5;
}

// --- message 2 ----------------------------------------------------------------------------------

/** The transform the responder took, with the values it returned. */
export interface ChosenEspTransform {
  readonly offered: OfferedEspTransform;
  readonly lifeSeconds?: number;
  readonly lifeKilobytes?: number;
}

export interface QuickMode2State {
  readonly quickMode1: QuickMode1State;
  readonly responderSpi: Buffer;
  readonly responderNonce: Buffer; // Nr_b
  readonly chosen: ChosenEspTransform;
  readonly pfsSharedSecret?: Buffer;
  /** The commit bit was set on message 2 (tolerated, never acted on). */
  readonly commitBit: boolean;
  /** Notify types that came with message 2 (RESPONDER-LIFETIME...), not acted on. */
  readonly notifies: readonly number[];
  /** The SA with the chain advanced past message 2. */
  readonly sa: IsakmpSa;
  readonly message2: Buffer;
}

export type QuickMode2Failure =
  | OpenFailure
  | { readonly kind: 'not-quick-mode'; readonly exchangeType: number; readonly messageId: number; readonly text: string }
  | { readonly kind: 'missing-payload'; readonly payload: Payload['type']; readonly text: string }
  | { readonly kind: 'proposal-not-offered'; readonly text: string }
  | { readonly kind: 'invalid-key-exchange'; readonly problem: DhPeerValueProblem | 'unexpected'; readonly text: string }
  | { readonly kind: 'id-mismatch'; readonly text: string };

export type QuickMode2Result =
  | { readonly ok: true; readonly state: QuickMode2State; readonly payloads: readonly DecodedPayload[] }
  | { readonly ok: false; readonly failure: QuickMode2Failure; readonly payloads?: readonly DecodedPayload[] };

/** Checks message 2 against message 1 and verifies HASH(2). */
export function processQuickMode2(state: QuickMode1State, bytes: Buffer): QuickMode2Result {
  const decrypted = decryptForSa(state.sa, bytes);
  if (!decrypted.ok) return { ok: false, failure: decrypted.failure };
  const { header, payloads, ivChains } = decrypted.value;
  if (header.exchangeType !== ExchangeType.QUICK_MODE || header.messageId !== state.messageId) {
    const text = `exchange type ${header.exchangeType}, M-ID 0x${header.messageId.toString(16)} is not our Quick Mode`;
    return { ok: false, failure: { kind: 'not-quick-mode', exchangeType: header.exchangeType, messageId: header.messageId, text } };
  }
  const refuse = (failure: QuickMode2Failure): QuickMode2Result => ({ ok: false, failure, payloads });
  const [hash, ...rest] = payloads;
  if (hash?.type !== 'hash') return refuse({ kind: 'missing-hash', header, text: 'the first payload is not HASH' });
  const expected = computeQuickModeHash2(state.sa.hash, state.sa.keys.skeyidA, state.messageId, state.initiatorNonce, Buffer.concat(rest.map((payload) => payload.raw)));
  if (!sameBytes(expected, hash.hash)) return refuse({ kind: 'hash-mismatch', header, text: 'HASH(2) does not verify' });

  const sa = first(rest, 'sa');
  const nonce = first(rest, 'nonce');
  if (!sa) return refuse({ kind: 'missing-payload', payload: 'sa', text: 'message 2 has no SA payload' });
  if (!nonce) return refuse({ kind: 'missing-payload', payload: 'nonce', text: 'message 2 has no NONCE payload' });
  const chosen = chosenTransform(state, sa);
  if (typeof chosen === 'string') return refuse({ kind: 'proposal-not-offered', text: chosen });

  const ke = first(rest, 'ke');
  let pfsSharedSecret: Buffer | undefined;
  if (state.dhKeyPair) {
    if (!ke) return refuse({ kind: 'missing-payload', payload: 'ke', text: 'PFS was offered and message 2 has no KE' });
    const shared = computeDhSharedSecret(state.dhKeyPair, ke.keyData);
    if (!shared.ok) return refuse({ kind: 'invalid-key-exchange', problem: shared.problem, text: `the responder's KE is ${shared.problem}` });
    pfsSharedSecret = shared.sharedSecret;
  } else if (ke) {
    return refuse({ kind: 'invalid-key-exchange', problem: 'unexpected', text: 'a KE without PFS offered' });
  }

  const ids = rest.filter((payload): payload is Extract<DecodedPayload, { type: 'id' }> => payload.type === 'id');
  const idProblem = checkIds(state, ids);
  if (idProblem) return refuse({ kind: 'id-mismatch', text: idProblem });

  return {
    ok: true,
    payloads,
    state: {
      quickMode1: state,
      responderSpi: Buffer.from(chosen.spi),
      responderNonce: Buffer.from(nonce.nonce),
      chosen: chosen.transform,
      ...(pfsSharedSecret ? { pfsSharedSecret } : {}),
      commitBit: (header.flags & IsakmpFlag.COMMIT) !== 0,
      notifies: rest.flatMap((payload) => (payload.type === 'notify' ? [payload.notifyType] : [])),
      sa: { ...state.sa, ivChains },
      message2: Buffer.from(bytes),
    },
  };
}

function first<K extends Payload['type']>(payloads: readonly DecodedPayload[], type: K): Extract<DecodedPayload, { type: K }> | undefined {
  return payloads.find((payload): payload is Extract<DecodedPayload, { type: K }> => payload.type === type);
}

/**
 * The responder returns one proposal with one transform (RFC 2408 §4.2), matched to ours by
 * what it says: cipher, key length, integrity, encapsulation, PFS group. It may shorten the
 * lives, which we then take.
 */
function chosenTransform(state: QuickMode1State, sa: Decoded<SaPayload>): { spi: Buffer; transform: ChosenEspTransform } | string {
  const [proposal, ...more] = sa.proposals;
  if (proposal === undefined || more.length > 0) return `the responder's SA has ${sa.proposals.length} proposals, not 1`;
  if (proposal.protocolId !== ProtocolId.IPSEC_ESP) return `the responder chose protocol ${proposal.protocolId}, not ESP`;
  if (proposal.spi.length !== 4) return `the responder's SPI has ${proposal.spi.length} bytes`;
  const [transform, ...moreTransforms] = proposal.transforms;
  if (transform === undefined || moreTransforms.length > 0) return `the responder's proposal has ${proposal.transforms.length} transforms, not 1`;
  const values = readIpsecTransform(transform);
  const encryption = espEncryptionFromTransform(transform.transformId, values.keyLength);
  const integrity = espIntegrityFromAttribute(values.authAlgorithm);
  const group = values.group === undefined ? undefined : dhGroupFromAttribute(values.group);
  const { request } = state;
  if (values.encapsulationMode !== request.encapsulationMode) {
    return `the responder chose encapsulation ${encapsulationModeName(values.encapsulationMode ?? 0)}, we offered ${encapsulationModeName(request.encapsulationMode)}`;
  }
  if (group !== request.pfsGroup) return `the responder chose PFS group ${values.group ?? 'none'}, we offered ${request.pfsGroup ?? 'none'}`;
  const match = state.offered.find(({ spec }) => spec.encryption === encryption && spec.integrity === integrity);
  if (match === undefined) return `the responder chose ESP transform ${transform.transformId} (${encryption ?? '?'}, ${integrity ?? '?'}), none of ours`;
  const lifeSeconds = values.lifeSeconds ?? request.lifeSeconds;
  const lifeKilobytes = values.lifeKilobytes ?? request.lifeKilobytes;
  return {
    spi: proposal.spi,
    transform: {
      offered: match,
      ...(lifeSeconds === undefined ? {} : { lifeSeconds }),
      ...(lifeKilobytes === undefined ? {} : { lifeKilobytes }),
    },
  };
}

function checkIds(state: QuickMode1State, ids: readonly Extract<DecodedPayload, { type: 'id' }>[]): string | undefined {
  if (!state.idBodies) {
    // Without IDs the flows are the two ISAKMP hosts (RFC 2409 §5.5). strongSwan 5.9 answers such
    // a Quick Mode with IDci/IDcr naming single hosts: that says the same, so it is accepted;
    // a subnet or range in the answer would narrow or widen what we asked for, and is not.
    if (ids.length === 0) return undefined;
    if (ids.length === 2 && ids.every(isSingleHostId)) return undefined;
    return `the responder sent IDs we did not (${ids.map(describeId).join(' / ')})`;
  }
  if (ids.length !== 2) return `the responder sent ${ids.length} ID payloads, not IDci and IDcr`;
  const [initiator, responder] = ids;
  if (initiator!.body.equals(state.idBodies.initiator) && responder!.body.equals(state.idBodies.responder)) return undefined;
  return `the responder answered with IDs ${[initiator!, responder!].map(describeId).join(' / ')}`;
}

/** ID_IPV4_ADDR or ID_IPV6_ADDR, any protocol and port: one host. */
function isSingleHostId(id: Extract<DecodedPayload, { type: 'id' }>): boolean {
  return (id.idType === 1 || id.idType === 5) && id.protocolId === 0 && id.port === 0;
}

function describeId(id: Extract<DecodedPayload, { type: 'id' }>): string {
  const identity = readIdentity(id.idType, id.data);
  return identity.ok ? formatIdentity(identity.value) : `type ${id.idType}`;
}

// --- message 3 ----------------------------------------------------------------------------------

/** One direction's ESP SA: its SPI (the receiver's choice) and its keys. */
export type EspSaKeys = SaDirectionKeys;

/** What Quick Mode produced: the pair of ESP SAs the ESP layer installs. */
export interface EspSaPair {
  readonly encryption: CipherId;
  readonly integrity: EspIntegrity;
  /** The IPsec DOI value: 1 tunnel, 3 (or 61443) UDP-encapsulated tunnel. */
  readonly encapsulationMode: number;
  readonly udpEncapsulated: boolean;
  readonly lifeSeconds?: number;
  readonly lifeKilobytes?: number;
  readonly pfsGroup?: DhGroupId;
  /** Our packets to the gateway: the gateway's SPI and the initiator -> responder keys. */
  readonly outbound: EspSaKeys;
  /** The gateway's packets to us: our SPI and the responder -> initiator keys. */
  readonly inbound: EspSaKeys;
  readonly localId?: Identity;
  readonly remoteId?: Identity;
}

export interface QuickMode3Built {
  readonly bytes: Buffer;
  readonly payloads: readonly Payload[];
  readonly espSas: EspSaPair;
  /** The ISAKMP SA with this Quick Mode's IV chain forgotten. */
  readonly sa: IsakmpSa;
}

/** Message 3 (HASH(3) alone) and the keys of both ESP SAs (RFC 2409 §5.5 KEYMAT). */
export function buildQuickMode3(state: QuickMode2State): QuickMode3Built {
  const { quickMode1, sa } = state;
  const { messageId, request } = quickMode1;
  const hash3 = computeQuickModeHash3(sa.hash, sa.keys.skeyidA, messageId, quickMode1.initiatorNonce, state.responderNonce);
  const payloads: Payload[] = [hashPayload(hash3)];
  const { ciphertext, ivChains } = encryptMessageBody(sa.saCipher, sa.ivChains, messageId, encodePayloads(payloads), request.padding);
  const bytes = encodeEncryptedMessage(
    { initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType: ExchangeType.QUICK_MODE, flags: IsakmpFlag.ENCRYPTION, messageId },
    PayloadType.HASH,
    ciphertext,
  );
  const { spec } = state.chosen.offered;
  const keys = deriveQuickModeKeys({
    hash: sa.hash,
    skeyidD: sa.keys.skeyidD,
    protocol: 'esp',
    encryption: spec.encryption,
    integrity: spec.integrity,
    initiatorSpi: quickMode1.initiatorSpi,
    responderSpi: state.responderSpi,
    initiatorNonce: quickMode1.initiatorNonce,
    responderNonce: state.responderNonce,
    ...(state.pfsSharedSecret ? { pfsSharedSecret: state.pfsSharedSecret } : {}),
  });
  const encapsulationMode = request.encapsulationMode;
  const espSas: EspSaPair = {
    encryption: spec.encryption,
    integrity: spec.integrity,
    encapsulationMode,
    udpEncapsulated: encapsulationMode !== EncapsulationMode.TUNNEL && encapsulationMode !== EncapsulationMode.TRANSPORT,
    ...(state.chosen.lifeSeconds === undefined ? {} : { lifeSeconds: state.chosen.lifeSeconds }),
    ...(state.chosen.lifeKilobytes === undefined ? {} : { lifeKilobytes: state.chosen.lifeKilobytes }),
    ...(request.pfsGroup === undefined ? {} : { pfsGroup: request.pfsGroup }),
    outbound: keys.initiatorToResponder,
    inbound: keys.responderToInitiator,
    ...(request.localId ? { localId: request.localId } : {}),
    ...(request.remoteId ? { remoteId: request.remoteId } : {}),
  };
  return { bytes, payloads, espSas, sa: { ...sa, ivChains: endIvExchange(ivChains, messageId) } };
}

/** `3DES-CBC/HMAC-SHA1-96 UDP tunnel out 0xc18cf313 in 0xcdf50aa8 10.1.1.110 <-> 10.1.1.0/255.255.255.0` */
export function formatEspSaPair(pair: EspSaPair): string {
  const mode = pair.udpEncapsulated ? 'UDP tunnel' : 'tunnel';
  const ids = pair.localId && pair.remoteId ? ` ${formatIdentity(pair.localId)} <-> ${formatIdentity(pair.remoteId)}` : '';
  return `${pair.encryption}/${pair.integrity} ${mode} out 0x${pair.outbound.spi.toString('hex')} in 0x${pair.inbound.spi.toString('hex')}${ids}`;
}
