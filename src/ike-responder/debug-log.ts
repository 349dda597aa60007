/**
 * The debug lines of `ipsec ike log GW message-info payload-info key-info` (all at DEBUG level,
 * so `syslog debug on` is needed, §15.47). The RTX's real format was NOT FOUND: this one is
 * rtxlab's design (ASSUMED), one line per message (message-info), per payload (payload-info) and
 * per derived key (key-info), each starting `[IKE] ` like the RTX's other lines.
 */
import {
  exchangeTypeName,
  idTypeName,
  notifyTypeName,
  payloadTypeName,
  protocolIdName,
  vendorIdName,
} from '../ike/constants.js';
import { describeProposal, type IsakmpHeader, type Payload } from '../ike/codec/index.js';
import type { Phase1Keys } from '../ike/crypto/index.js';
import type { LogEffect } from './log-lines.js';
import { idString } from './peer-selection.js';
import type { Endpoint } from './port.js';
import type { IkeLogOptions } from './policy.js';

const debug = (message: string): LogEffect => ({ kind: 'log', level: 'debug', message });
const hex = (bytes: Buffer): string => bytes.toString('hex');
const hostPort = (endpoint: Endpoint): string => `${endpoint.address}:${endpoint.port}`;

export type Direction = 'receive' | 'send';

/**
 * message-info: `[IKE] receive message from 192.0.2.132:500 : AGGRESSIVE, i-cookie 0x..,
 * r-cookie 0x.., message id 0x00000000, flags 0x00, 412 bytes [SA KE NONCE ID VENDOR-ID]`.
 * The payload list is left out while a received message is still encrypted.
 */
export function messageInfo(direction: Direction, peer: Endpoint, header: IsakmpHeader, payloads?: readonly Payload[]): LogEffect {
  const where = direction === 'receive' ? `from ${hostPort(peer)}` : `to ${hostPort(peer)}`;
  const list = payloads === undefined ? ' (encrypted)' : ` [${payloads.map((p) => payloadName(p)).join(' ')}]`;
  return debug(
    `[IKE] ${direction} message ${where} : ${exchangeTypeName(header.exchangeType)}, i-cookie 0x${hex(header.initiatorCookie)}, ` +
      `r-cookie 0x${hex(header.responderCookie)}, message id 0x${header.messageId.toString(16).padStart(8, '0')}, ` +
      `flags 0x${header.flags.toString(16).padStart(2, '0')}, ${header.length} bytes${list}`,
  );
}

function payloadName(payload: Payload): string {
  switch (payload.type) {
    case 'nat-d':
    case 'nat-oa':
    case 'unknown':
      return payloadTypeName(payload.payloadType);
    default:
      return payloadTypeName(
        { sa: 1, ke: 4, id: 5, hash: 8, nonce: 10, notify: 11, delete: 12, 'vendor-id': 13, attributes: 14 }[payload.type],
      );
  }
}

/** payload-info: one line per payload, e.g. `[IKE]  payload ID : KEY-ID myid`. */
export function payloadInfo(payloads: readonly Payload[]): LogEffect[] {
  return payloads.map((payload) => debug(`[IKE]  payload ${payloadName(payload)} : ${describePayload(payload)}`));
}

function describePayload(payload: Payload): string {
  switch (payload.type) {
    case 'sa':
      // Each proposal read with its own DOI's tables: Oakley's for Phase 1, IPsec's for Quick Mode.
      return `DOI ${payload.doi}, ${payload.proposals.map(describeProposal).join(', ')}`;
    case 'ke':
      return `${payload.keyData.length} bytes`;
    case 'nonce':
      return `${payload.nonce.length} bytes`;
    case 'id':
      return `${idTypeName(payload.idType)} ${idString(payload)}`;
    case 'hash':
      return `0x${hex(payload.hash)}`;
    case 'vendor-id':
      return vendorIdName(payload.vendorId) ?? `0x${hex(payload.vendorId)}`;
    case 'notify':
      return `${notifyTypeName(payload.notifyType)}, ${protocolIdName(payload.protocolId)}, SPI 0x${hex(payload.spi)}${payload.data.length > 0 ? `, data 0x${hex(payload.data)}` : ''}`;
    case 'delete':
      return `${protocolIdName(payload.protocolId)}, ${payload.spis.map((spi) => `0x${hex(spi)}`).join(' ')}`;
    case 'nat-d':
      return `0x${hex(payload.hash)}`;
    case 'attributes':
      return `cfg type ${payload.cfgType}, ${payload.attributes.length} attributes`;
    case 'nat-oa':
      return `${idTypeName(payload.idType)} 0x${hex(payload.address)}`;
    case 'unknown':
      return `${payload.data.length} bytes`;
  }
}

/** key-info: the SKEYID chain, Ka and IV0 of a new ISAKMP SA. */
export function keyInfo(keys: Phase1Keys, initialIv: Buffer): LogEffect[] {
  return [
    ['SKEYID', keys.skeyid],
    ['SKEYID_d', keys.skeyidD],
    ['SKEYID_a', keys.skeyidA],
    ['SKEYID_e', keys.skeyidE],
    ['encryption key', keys.encryptionKey],
    ['initial IV', initialIv],
  ].map(([name, value]) => debug(`[IKE]  key ${name as string} : 0x${hex(value as Buffer)}`));
}

/** The lines a message produces under `options`; nothing unless `syslog debug on`. */
export function messageDebugLines(
  options: IkeLogOptions,
  syslogDebug: boolean,
  direction: Direction,
  peer: Endpoint,
  header: IsakmpHeader,
  payloads?: readonly Payload[],
): LogEffect[] {
  if (!syslogDebug) return [];
  return [
    ...(options.messageInfo ? [messageInfo(direction, peer, header, payloads)] : []),
    ...(options.payloadInfo && payloads ? payloadInfo(payloads) : []),
  ];
}
