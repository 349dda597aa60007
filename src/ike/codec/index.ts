/**
 * The ISAKMP/IKEv1 wire codec: pure functions between Buffers and a tagged union of payloads.
 * It knows nothing of sockets, crypto, keys or time. Decoding never throws: it returns
 * `{ok: true, value} | {ok: false, error}`. Encoding throws RangeError only on values the
 * wire cannot carry (an 8-byte cookie of 7 bytes, a TV value above 0xffff).
 *
 * Receiving:  decodeHeader(datagram) -> dispatch by cookies
 *             decodeMessage(datagram) -> cleartext payloads, or header + encrypted body
 *             decodePayloadChain(header.nextPayload, decryptedBody) -> payloads + padding
 * Sending:    encodeMessage(fields, payloads), or encodePayloads -> pad/encrypt -> encodeEncryptedMessage
 */
export type {
  AttributePayload,
  DataAttribute,
  Decoded,
  DecodedMessage,
  DecodedPayload,
  DeletePayload,
  HashPayload,
  IdPayload,
  IsakmpHeader,
  KePayload,
  MessageFields,
  NatDPayload,
  NatOaPayload,
  NoncePayload,
  NotifyPayload,
  Payload,
  PayloadChain,
  PayloadKind,
  Proposal,
  ReceivedBytes,
  SaPayload,
  Transform,
  UnknownPayload,
  VendorIdPayload,
} from './types.js';
export type { DecodeError, DecodeErrorKind, DecodeResult, Result } from './errors.js';
export { DecodeBudget, MAX_ATTRIBUTES_PER_MESSAGE, MAX_PAYLOADS_PER_MESSAGE } from './decode-budget.js';
export { decodeHeader, encodeHeader, isEncrypted } from './header.js';
export {
  decodeMessage,
  decodePayloadChain,
  encodeEncryptedMessage,
  encodeMessage,
  encodePayloads,
  flattenedPayloadTypes,
} from './message.js';
export { encodePayloadBody, payloadTypeOf } from './payloads.js';
export {
  attributeIpv4,
  attributeNumber,
  attributeText,
  emptyAttribute,
  findAttribute,
  ipv4Attribute,
  numberAttribute,
  textAttribute,
  tlvAttribute,
  tvAttribute,
} from './attributes.js';
export { formatIdentity, identityData, readIdentity, type Identity } from './id.js';
export {
  ipsecTransform,
  phase1Transform,
  readIpsecTransform,
  readPhase1Transform,
  type IpsecTransformSpec,
  type Phase1TransformSpec,
  type TransformValues,
} from './transforms.js';
export {
  attributePayload,
  deletePayload,
  hashPayload,
  idPayload,
  ipsecProposal,
  isakmpProposal,
  isakmpSpi,
  kePayload,
  natDPayload,
  natOaPayload,
  noncePayload,
  notifyPayload,
  saPayload,
  vendorIdPayload,
} from './builders.js';
export { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './address.js';
export { describePayload, describeProposal, payloadName, type PayloadDescription } from './describe.js';
