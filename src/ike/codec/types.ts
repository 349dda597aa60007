/**
 * The ISAKMP message model: a header and a list of payloads, each payload a member of one
 * tagged union. Numbers stay numbers (the wire may carry values no table knows); the tables and
 * name lookups live in ../constants.ts.
 */

/** The 28-byte ISAKMP header (RFC 2408 §3.1), as decoded or as to be written. */
export interface IsakmpHeader {
  initiatorCookie: Buffer; // 8 bytes
  responderCookie: Buffer; // 8 bytes, zero in the first message
  nextPayload: number; // type of the first payload
  majorVersion: number;
  minorVersion: number;
  exchangeType: number;
  flags: number; // IsakmpFlag bits
  messageId: number;
  length: number; // whole message, header and encryption padding included
}

/** What a caller chooses when sending; next payload and length follow from the payloads. */
export interface MessageFields {
  initiatorCookie: Buffer;
  responderCookie: Buffer;
  exchangeType: number;
  flags: number;
  messageId: number;
  majorVersion?: number; // default 1
  minorVersion?: number; // default 0
}

/**
 * An SA or mode-cfg attribute (RFC 2408 §3.3). The AF bit picks the form: TV carries a 16-bit
 * value in place of the length, TLV a length and that many bytes. The form is kept so that a
 * decoded attribute is re-encoded exactly as received (strongSwan sends its XAUTH ACK status as
 * an empty TLV where the SET had a TV).
 */
export type DataAttribute =
  | { format: 'tv'; type: number; value: number }
  | { format: 'tlv'; type: number; value: Buffer };

/** A transform substructure (RFC 2408 §3.6). */
export interface Transform {
  transformNumber: number;
  transformId: number; // KEY_IKE in phase 1, ESP_3DES etc. in Quick Mode
  attributes: DataAttribute[];
}

/** A proposal substructure (RFC 2408 §3.5); its transform count is `transforms.length`. */
export interface Proposal {
  proposalNumber: number;
  protocolId: number;
  spi: Buffer; // empty in phase 1, 4 bytes for ESP
  transforms: Transform[];
}

export interface SaPayload {
  type: 'sa';
  doi: number;
  situation: number; // the 4-byte IPsec DOI situation (RFC 2407 §4.2)
  proposals: Proposal[];
}

export interface KePayload {
  type: 'ke';
  keyData: Buffer; // g^x, left-padded to the group's size by the sender
}

/** ID payload (RFC 2407 §4.6.2): `data` is the identity as sent; see id.ts for typed views. */
export interface IdPayload {
  type: 'id';
  idType: number;
  protocolId: number; // IP protocol, 0 = any
  port: number;
  data: Buffer;
}

export interface HashPayload {
  type: 'hash';
  hash: Buffer;
}

export interface NoncePayload {
  type: 'nonce';
  nonce: Buffer;
}

/** Notification (RFC 2408 §3.14). ISAKMP-level ones carry SPI = CKY-I | CKY-R. */
export interface NotifyPayload {
  type: 'notify';
  doi: number;
  protocolId: number;
  notifyType: number;
  spi: Buffer;
  data: Buffer;
}

/** Delete (RFC 2408 §3.15). `spiSize` is kept because a delete may list no SPI at all. */
export interface DeletePayload {
  type: 'delete';
  doi: number;
  protocolId: number;
  spiSize: number;
  spis: Buffer[];
}

export interface VendorIdPayload {
  type: 'vendor-id';
  vendorId: Buffer;
}

/** Attribute payload of mode-cfg and XAUTH (draft-dukes-ike-mode-cfg-02 §3.2). */
export interface AttributePayload {
  type: 'attributes';
  cfgType: number;
  identifier: number;
  attributes: DataAttribute[];
  /**
   * Bytes after the last attribute too few to be one (1-3): padding some senders put inside the
   * payload (libreswan's `ikepad`, to a multiple of 4 bytes). Absent when there were none.
   */
  padding?: Buffer;
}

/** NAT-D (RFC 3947 §3.2); the payload type tells RFC (20) from draft (130) peers apart. */
export interface NatDPayload {
  type: 'nat-d';
  payloadType: 20 | 130;
  hash: Buffer;
}

/** NAT-OA (RFC 3947 §5.2): an ID type (IPv4 or IPv6 address) and the address bytes. */
export interface NatOaPayload {
  type: 'nat-oa';
  payloadType: 21 | 131;
  idType: number;
  address: Buffer;
}

/** Any payload type not modelled above (CERT, CR, SIG, fragments, unassigned): body kept as is. */
export interface UnknownPayload {
  type: 'unknown';
  payloadType: number;
  data: Buffer;
}

export type Payload =
  | SaPayload
  | KePayload
  | IdPayload
  | HashPayload
  | NoncePayload
  | NotifyPayload
  | DeletePayload
  | VendorIdPayload
  | AttributePayload
  | NatDPayload
  | NatOaPayload
  | UnknownPayload;

export type PayloadKind = Payload['type'];

/**
 * The bytes a payload arrived as. IKE hashes are computed over received bytes (SAi_b, IDii_b,
 * the payloads after HASH), never over a re-encoding, so every decoded payload carries them.
 * Both are views into the decoded buffer.
 */
export interface ReceivedBytes {
  raw: Buffer; // generic payload header included
  body: Buffer; // generic payload header excluded
}

export type Decoded<P extends Payload> = P & ReceivedBytes;
export type DecodedPayload = Decoded<Payload>;

/** A payload chain and whatever followed its last payload (encryption padding, never read). */
export interface PayloadChain {
  payloads: DecodedPayload[];
  trailing: Buffer;
}

export type DecodedMessage =
  | ({ kind: 'cleartext'; header: IsakmpHeader } & PayloadChain)
  /** The E flag was set: the caller decrypts `encryptedBody`, then calls decodePayloadChain. */
  | { kind: 'encrypted'; header: IsakmpHeader; encryptedBody: Buffer };
