// Builders for the payloads of a remote-access exchange, with the IPsec DOI defaults filled in.
import { Doi, PayloadType, ProtocolId, Situation, vendorIdBytes, type VendorIdName } from '../constants.js';
import { identityData, type Identity } from './id.js';
import type {
  AttributePayload,
  DataAttribute,
  DeletePayload,
  HashPayload,
  IdPayload,
  KePayload,
  NatDPayload,
  NatOaPayload,
  NoncePayload,
  NotifyPayload,
  Proposal,
  SaPayload,
  Transform,
  VendorIdPayload,
} from './types.js';

export function saPayload(proposals: Proposal[], options: { doi?: number; situation?: number } = {}): SaPayload {
  return { type: 'sa', doi: options.doi ?? Doi.IPSEC, situation: options.situation ?? Situation.IDENTITY_ONLY, proposals };
}

/** A phase 1 proposal: protocol ISAKMP, no SPI (the cookies serve, RFC 2409 §5). */
export function isakmpProposal(transforms: Transform[], proposalNumber = 1): Proposal {
  return { proposalNumber, protocolId: ProtocolId.ISAKMP, spi: Buffer.alloc(0), transforms };
}

/** A Quick Mode proposal; `spi` is the sender's inbound SPI (4 bytes for ESP). */
export function ipsecProposal(options: { spi: Buffer; transforms: Transform[]; protocolId?: number; proposalNumber?: number }): Proposal {
  return {
    proposalNumber: options.proposalNumber ?? 1,
    protocolId: options.protocolId ?? ProtocolId.IPSEC_ESP,
    spi: options.spi,
    transforms: options.transforms,
  };
}

export function kePayload(keyData: Buffer): KePayload {
  return { type: 'ke', keyData };
}

export function noncePayload(nonce: Buffer): NoncePayload {
  return { type: 'nonce', nonce };
}

export function hashPayload(hash: Buffer): HashPayload {
  return { type: 'hash', hash };
}

export function vendorIdPayload(vendorId: Buffer | VendorIdName): VendorIdPayload {
  return { type: 'vendor-id', vendorId: typeof vendorId === 'string' ? vendorIdBytes(vendorId) : vendorId };
}

/** Phase 1 IDs go out with protocol 0 and port 0, as strongSwan sends them; Quick Mode IDs may narrow. */
export function idPayload(identity: Identity, options: { protocolId?: number; port?: number } = {}): IdPayload {
  return { type: 'id', ...identityData(identity), protocolId: options.protocolId ?? 0, port: options.port ?? 0 };
}

/** The SPI of an ISAKMP-level notification or delete: CKY-I | CKY-R (RFC 2408 §3.14, RFC 3706). */
export function isakmpSpi(initiatorCookie: Buffer, responderCookie: Buffer): Buffer {
  return Buffer.concat([initiatorCookie, responderCookie]);
}

export function notifyPayload(options: {
  notifyType: number;
  protocolId?: number;
  spi?: Buffer;
  data?: Buffer;
  doi?: number;
}): NotifyPayload {
  return {
    type: 'notify',
    doi: options.doi ?? Doi.IPSEC,
    protocolId: options.protocolId ?? ProtocolId.ISAKMP,
    notifyType: options.notifyType,
    spi: options.spi ?? Buffer.alloc(0),
    data: options.data ?? Buffer.alloc(0),
  };
}

export function deletePayload(options: { protocolId: number; spis: Buffer[]; spiSize?: number; doi?: number }): DeletePayload {
  const spiSize = options.spiSize ?? options.spis[0]?.length;
  if (spiSize === undefined) throw new RangeError('a delete with no SPI needs an explicit spiSize');
  return { type: 'delete', doi: options.doi ?? Doi.IPSEC, protocolId: options.protocolId, spiSize, spis: options.spis };
}

/** A mode-cfg/XAUTH attribute payload; strongSwan uses identifier 0 both ways. */
export function attributePayload(cfgType: number, attributes: DataAttribute[], identifier = 0): AttributePayload {
  return { type: 'attributes', cfgType, identifier, attributes };
}

/** NAT-D; `draft` picks payload type 130 for peers that negotiated a draft NAT-T VID. */
export function natDPayload(hash: Buffer, options: { draft?: boolean } = {}): NatDPayload {
  return { type: 'nat-d', payloadType: options.draft ? PayloadType.NAT_D_DRAFT : PayloadType.NAT_D, hash };
}

export function natOaPayload(
  address: Extract<Identity, { kind: 'ipv4-address' | 'ipv6-address' }>,
  options: { draft?: boolean } = {},
): NatOaPayload {
  const { idType, data } = identityData(address);
  return { type: 'nat-oa', payloadType: options.draft ? PayloadType.NAT_OA_DRAFT : PayloadType.NAT_OA, idType, address: data };
}
