/**
 * One line per payload for people (the IKE ladder, `--events ndjson`, doctor): its name and the
 * detail that matters, with Quick Mode transforms read with the IPsec DOI tables (RFC 2407 §4.5)
 * and Phase 1 transforms with Oakley's (RFC 2409 Appendix A). Secrets the peer typed (XAUTH
 * password, passcode, answer) are never shown: `***` stands for their value.
 */
import {
  authAlgorithmName,
  authMethodName,
  cfgTypeName,
  dhGroupName,
  encapsulationModeName,
  encryptionAlgorithmName,
  espTransformIdName,
  hashAlgorithmName,
  idTypeName,
  ModeCfgAttribute,
  modeCfgAttributeName,
  notifyTypeName,
  payloadTypeName,
  ProtocolId,
  protocolIdName,
  vendorIdName,
} from '../constants.js';
import { formatIpv4 } from './address.js';
import { readIdentity, formatIdentity } from './id.js';
import { readIpsecTransform, readPhase1Transform } from './transforms.js';
import type { DataAttribute, Payload, Proposal, Transform } from './types.js';

export interface PayloadDescription {
  /** `SA`, `KE`, `NONCE`, `ID`, `HASH`, `VID`, `NAT-D`, `ATTR`, `N`, `D`, ... */
  readonly name: string;
  readonly detail?: string;
}

/** Attributes whose value is the user's secret. */
const SECRET_ATTRIBUTES: ReadonlySet<number> = new Set([
  ModeCfgAttribute.XAUTH_USER_PASSWORD,
  ModeCfgAttribute.XAUTH_PASSCODE,
  ModeCfgAttribute.XAUTH_ANSWER,
  ModeCfgAttribute.XAUTH_NEXT_PIN,
]);

/** Attributes holding an IPv4 address (or address + mask) in their value. */
const IPV4_ATTRIBUTES: ReadonlySet<number> = new Set([
  ModeCfgAttribute.INTERNAL_IP4_ADDRESS,
  ModeCfgAttribute.INTERNAL_IP4_NETMASK,
  ModeCfgAttribute.INTERNAL_IP4_DNS,
  ModeCfgAttribute.INTERNAL_IP4_NBNS,
  ModeCfgAttribute.INTERNAL_IP4_DHCP,
]);

/** Attributes holding text. */
const TEXT_ATTRIBUTES: ReadonlySet<number> = new Set([
  ModeCfgAttribute.XAUTH_USER_NAME,
  ModeCfgAttribute.XAUTH_MESSAGE,
  ModeCfgAttribute.XAUTH_DOMAIN,
  ModeCfgAttribute.APPLICATION_VERSION,
  ModeCfgAttribute.UNITY_BANNER,
  ModeCfgAttribute.UNITY_DEF_DOMAIN,
]);

export function describePayload(payload: Payload): PayloadDescription {
  const name = payloadName(payload);
  const detail = payloadDetail(payload);
  return detail === undefined ? { name } : { name, detail };
}

/** The payload's short name alone (`SA`, `VID`, `N`, ...): what describePayload names it, without the cost of its detail. */
export function payloadName(payload: Payload): string {
  switch (payload.type) {
    case 'sa':
      return 'SA';
    case 'ke':
      return 'KE';
    case 'nonce':
      return 'NONCE';
    case 'id':
      return 'ID';
    case 'hash':
      return 'HASH';
    case 'vendor-id':
      return 'VID';
    case 'notify':
      return 'N';
    case 'delete':
      return 'D';
    case 'nat-d':
      return 'NAT-D';
    case 'nat-oa':
      return 'NAT-OA';
    case 'attributes':
      return 'ATTR';
    case 'unknown':
      return payloadTypeName(payload.payloadType);
  }
}

function payloadDetail(payload: Payload): string | undefined {
  switch (payload.type) {
    case 'sa':
      return payload.proposals.map(describeProposal).join('; ');
    case 'ke':
      return `${payload.keyData.length} bytes`;
    case 'nonce':
      return `${payload.nonce.length} bytes`;
    case 'id':
      return `${idTypeName(payload.idType)} ${describeId(payload.idType, payload.data)}`;
    case 'hash':
      return `${payload.hash.length} bytes`;
    case 'vendor-id':
      return vendorIdName(payload.vendorId) ?? `0x${payload.vendorId.toString('hex')}`;
    case 'notify':
      return `${notifyTypeName(payload.notifyType)}${payload.spi.length > 0 ? ` (${protocolIdName(payload.protocolId)} SPI 0x${payload.spi.toString('hex')})` : ''}`;
    case 'delete':
      return `${protocolIdName(payload.protocolId)} ${payload.spis.map((spi) => `0x${spi.toString('hex')}`).join(' ')}`;
    case 'nat-d':
      return undefined;
    case 'nat-oa':
      return describeId(payload.idType, payload.address);
    case 'attributes':
      return [`${cfgTypeName(payload.cfgType)}`, ...payload.attributes.map(describeAttribute), ...(payload.padding ? [`+${payload.padding.length} padding bytes`] : [])].join(' ');
    case 'unknown':
      return `${payload.data.length} bytes`;
  }
}

/** `IPSEC-ESP #1 [ESP-3DES HMAC-SHA UDP-ENCAPSULATED-TUNNEL 28800s, ...]`, or `ISAKMP #1 [...]` with Oakley's tables. */
export function describeProposal(proposal: Proposal): string {
  const read = proposal.protocolId === ProtocolId.ISAKMP ? describePhase1Transform : describeIpsecTransform;
  return `${protocolIdName(proposal.protocolId)} #${proposal.proposalNumber} [${proposal.transforms.map(read).join(', ')}]`;
}

function describePhase1Transform(transform: Transform): string {
  const values = readPhase1Transform(transform);
  return [
    values.encryption === undefined ? undefined : `${encryptionAlgorithmName(values.encryption)}${values.keyLength ? `/${values.keyLength}` : ''}`,
    values.hash === undefined ? undefined : hashAlgorithmName(values.hash),
    values.group === undefined ? undefined : dhGroupName(values.group),
    values.authMethod === undefined ? undefined : authMethodName(values.authMethod),
    values.lifeSeconds === undefined ? undefined : `${values.lifeSeconds}s`,
    values.lifeKilobytes === undefined ? undefined : `${values.lifeKilobytes}KB`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}

function describeIpsecTransform(transform: Transform): string {
  const values = readIpsecTransform(transform);
  return [
    `${espTransformIdName(transform.transformId)}${values.keyLength ? `/${values.keyLength}` : ''}`,
    values.authAlgorithm === undefined ? undefined : authAlgorithmName(values.authAlgorithm),
    values.group === undefined ? undefined : `PFS ${dhGroupName(values.group)}`,
    values.encapsulationMode === undefined ? undefined : encapsulationModeName(values.encapsulationMode),
    values.lifeSeconds === undefined ? undefined : `${values.lifeSeconds}s`,
    values.lifeKilobytes === undefined ? undefined : `${values.lifeKilobytes}KB`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}

function describeId(idType: number, data: Buffer): string {
  const identity = readIdentity(idType, data);
  return identity.ok ? formatIdentity(identity.value) : data.toString('latin1');
}

function describeAttribute(attribute: DataAttribute): string {
  const name = modeCfgAttributeName(attribute.type);
  if (attribute.format === 'tv') return `${name}=${attribute.value}`;
  if (attribute.value.length === 0) return name;
  if (SECRET_ATTRIBUTES.has(attribute.type)) return `${name}=***`;
  if (IPV4_ATTRIBUTES.has(attribute.type) && attribute.value.length % 4 === 0) {
    const addresses = [];
    for (let offset = 0; offset < attribute.value.length; offset += 4) addresses.push(formatIpv4(attribute.value.subarray(offset, offset + 4)));
    return `${name}=${addresses.join('/')}`;
  }
  if (TEXT_ATTRIBUTES.has(attribute.type)) return `${name}=${JSON.stringify(attribute.value.toString('utf8'))}`;
  return `${name}=0x${attribute.value.toString('hex')}`;
}
