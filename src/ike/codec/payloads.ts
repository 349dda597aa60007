import { PayloadType } from '../constants.js';
import { readIdBody, readNatOaBody, writeIdBody, writeNatOaBody } from './id.js';
import { readAttributeBody, writeAttributeBody } from './modecfg.js';
import { readDeleteBody, readNotifyBody, writeDeleteBody, writeNotifyBody } from './notify.js';
import type { ByteReader } from './reader.js';
import { readSaBody, writeSaBody } from './sa.js';
import type { Payload } from './types.js';
import { ByteWriter } from './writer.js';

/** The wire payload type of a payload (RFC 2408 §3.1, RFC 3947 and its drafts). */
export function payloadTypeOf(payload: Payload): number {
  switch (payload.type) {
    case 'sa':
      return PayloadType.SA;
    case 'ke':
      return PayloadType.KE;
    case 'id':
      return PayloadType.ID;
    case 'hash':
      return PayloadType.HASH;
    case 'nonce':
      return PayloadType.NONCE;
    case 'notify':
      return PayloadType.NOTIFICATION;
    case 'delete':
      return PayloadType.DELETE;
    case 'vendor-id':
      return PayloadType.VENDOR_ID;
    case 'attributes':
      return PayloadType.ATTRIBUTE;
    case 'nat-d':
    case 'nat-oa':
    case 'unknown':
      return payload.payloadType;
  }
}

/** Decodes a payload body (generic header already read) of the given wire type. */
export function readPayloadBody(payloadType: number, reader: ByteReader): Payload {
  switch (payloadType) {
    case PayloadType.SA:
      return readSaBody(reader);
    case PayloadType.KE:
      return { type: 'ke', keyData: reader.rest() };
    case PayloadType.ID:
      return readIdBody(reader);
    case PayloadType.HASH:
      return { type: 'hash', hash: reader.rest() };
    case PayloadType.NONCE:
      return { type: 'nonce', nonce: reader.rest() };
    case PayloadType.NOTIFICATION:
      return readNotifyBody(reader);
    case PayloadType.DELETE:
      return readDeleteBody(reader);
    case PayloadType.VENDOR_ID:
      return { type: 'vendor-id', vendorId: reader.rest() };
    case PayloadType.ATTRIBUTE:
      return readAttributeBody(reader);
    case PayloadType.NAT_D:
    case PayloadType.NAT_D_DRAFT:
      return { type: 'nat-d', payloadType, hash: reader.rest() };
    case PayloadType.NAT_OA:
    case PayloadType.NAT_OA_DRAFT:
      return readNatOaBody(reader, payloadType);
    default:
      return { type: 'unknown', payloadType, data: reader.rest() };
  }
}

function writePayloadBody(writer: ByteWriter, payload: Payload): void {
  switch (payload.type) {
    case 'sa':
      return writeSaBody(writer, payload);
    case 'ke':
      writer.bytes(payload.keyData);
      return;
    case 'id':
      return writeIdBody(writer, payload);
    case 'hash':
      writer.bytes(payload.hash);
      return;
    case 'nonce':
      writer.bytes(payload.nonce);
      return;
    case 'notify':
      return writeNotifyBody(writer, payload);
    case 'delete':
      return writeDeleteBody(writer, payload);
    case 'vendor-id':
      writer.bytes(payload.vendorId);
      return;
    case 'attributes':
      return writeAttributeBody(writer, payload);
    case 'nat-d':
      writer.bytes(payload.hash);
      return;
    case 'nat-oa':
      return writeNatOaBody(writer, payload);
    case 'unknown':
      writer.bytes(payload.data);
      return;
  }
}

/**
 * A payload's body without its generic header: what a sender hashes as SAi_b or IDir_b for
 * payloads it builds itself (for received ones, use the payload's `body`).
 */
export function encodePayloadBody(payload: Payload): Buffer {
  const writer = new ByteWriter();
  writePayloadBody(writer, payload);
  return writer.toBuffer();
}
