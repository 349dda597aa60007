/**
 * A readable record of each message the initiator sent or received: what a person reading a
 * failed connection needs first (which message, which payloads, encrypted or not, verdict).
 */
import {
  authMethodName,
  cfgTypeName,
  dhGroupName,
  encryptionAlgorithmName,
  exchangeTypeName,
  hashAlgorithmName,
  modeCfgAttributeName,
  notifyTypeName,
  PayloadType,
  ProtocolId,
  protocolIdName,
  vendorIdName,
} from '../ike/constants.js';
import { describeProposal, formatIdentity, readIdentity, readPhase1Transform, type Payload } from '../ike/codec/index.js';
import type { TransportPath } from '../ike/initiator/endpoints.js';

export interface TranscriptEntry {
  readonly direction: 'sent' | 'received';
  readonly path: TransportPath;
  /** `Aggressive`, `Informational`... (the exchange type's name). */
  readonly exchange: string;
  readonly messageId: number;
  readonly encrypted: boolean;
  /** One short description per payload, in wire order; empty when the message could not be read. */
  readonly payloads: readonly string[];
  readonly length: number;
  /** Which message this is and what became of it: `message 2: HASH_R verified`, `retransmission 1`. */
  readonly note: string;
}

export function transcriptEntry(
  direction: TranscriptEntry['direction'],
  path: TransportPath,
  message: { exchangeType: number; messageId: number; encrypted: boolean; length: number; payloads?: readonly Payload[] },
  note: string,
): TranscriptEntry {
  return {
    direction,
    path,
    exchange: exchangeTypeName(message.exchangeType),
    messageId: message.messageId,
    encrypted: message.encrypted,
    payloads: (message.payloads ?? []).map(describePayload),
    length: message.length,
    note,
  };
}

/** `SA(3DES-CBC SHA MODP-1024 XAUTHInitPreShared)`, `ID(myid)`, `VID(DPD)`, `N(INITIAL-CONTACT)`... */
export function describePayload(payload: Payload): string {
  switch (payload.type) {
    case 'sa': {
      // Quick Mode SAs carry IPsec DOI transforms (RFC 2407 §4.5): read with the Phase 1 tables they
      // would misname AES-128/HMAC-SHA1 as `DES-CBC, MODP-768`. The codec reads them as the router's log does.
      if (payload.proposals.some((proposal) => proposal.protocolId !== ProtocolId.ISAKMP)) return `SA(${payload.proposals.map(describeProposal).join('; ')})`;
      const transforms = payload.proposals.flatMap((proposal) => proposal.transforms);
      const only = transforms.length === 1 ? transforms[0] : undefined;
      if (only === undefined) return `SA(${payload.proposals.length} proposal(s), ${transforms.length} transforms)`;
      const values = readPhase1Transform(only);
      const parts = [
        values.encryption === undefined ? undefined : encryptionAlgorithmName(values.encryption) + (values.keyLength ? `-${values.keyLength}` : ''),
        values.hash === undefined ? undefined : hashAlgorithmName(values.hash),
        values.group === undefined ? undefined : dhGroupName(values.group),
        values.authMethod === undefined ? undefined : authMethodName(values.authMethod),
        values.lifeSeconds === undefined ? undefined : `${values.lifeSeconds}s`,
      ];
      return `SA(${parts.filter((part) => part !== undefined).join(' ')})`;
    }
    case 'ke':
      return `KE(${payload.keyData.length})`;
    case 'nonce':
      return `NONCE(${payload.nonce.length})`;
    case 'id': {
      const identity = readIdentity(payload.idType, payload.data);
      return `ID(${identity.ok ? formatIdentity(identity.value) : `type ${payload.idType}`})`;
    }
    case 'hash':
      return 'HASH';
    case 'notify':
      return `N(${notifyTypeName(payload.notifyType)})`;
    case 'delete':
      return `D(${protocolIdName(payload.protocolId)})`;
    case 'vendor-id':
      return `VID(${vendorIdName(payload.vendorId)?.replaceAll('_', '-') ?? payload.vendorId.subarray(0, 8).toString('hex')})`;
    case 'attributes':
      return `ATTR(${cfgTypeName(payload.cfgType)}: ${payload.attributes.map((attribute) => modeCfgAttributeName(attribute.type)).join(' ')})`;
    case 'nat-d':
      return payload.payloadType === PayloadType.NAT_D ? 'NAT-D' : 'NAT-D(draft)';
    case 'nat-oa':
      return payload.payloadType === PayloadType.NAT_OA ? 'NAT-OA' : 'NAT-OA(draft)';
    case 'unknown':
      return `payload ${payload.payloadType}`;
  }
}

/** `+12ms -> isakmp Aggressive #0 [SA(...) KE(128) ...] 412B  message 1` */
export function formatTranscriptEntry(entry: TranscriptEntry, elapsedMs?: number): string {
  const arrow = entry.direction === 'sent' ? '->' : '<-';
  const time = elapsedMs === undefined ? '' : `+${Math.round(elapsedMs)}ms `;
  const protection = entry.encrypted ? '*' : '';
  const messageId = `0x${entry.messageId.toString(16).padStart(8, '0')}`;
  return `${time}${arrow} ${entry.path} ${entry.exchange}${protection} ${messageId} [${entry.payloads.join(' ')}] ${entry.length}B  ${entry.note}`;
}
