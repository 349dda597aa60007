/**
 * ISAKMP / IKEv1 numbers (RFC 2407, 2408, 2409, 3706, 3947, draft-beaulieu-ike-xauth-02,
 * draft-dukes-ike-mode-cfg-02, Cisco Unity as vpnc knows it).
 *
 * Each family is an `as const` object whose keys are the RFC's names in SCREAMING_SNAKE form,
 * with a type of the same name holding the union of its values, and a `...Name()` lookup that
 * gives the name for logs (`_` becomes `-`, as the RFCs spell them: `INVALID-PAYLOAD-TYPE`).
 * Values not in a table are named by their number, so logs never lose information.
 */

type ValueOf<T> = T[keyof T];

/** Builds a value -> log name lookup; `overrides` covers names that are not identifiers (3DES). */
function namer(table: Record<string, number>, overrides: Record<number, string> = {}): (value: number) => string {
  const names = new Map<number, string>();
  for (const [key, value] of Object.entries(table)) {
    if (!names.has(value)) names.set(value, key.replaceAll('_', '-'));
  }
  for (const [value, name] of Object.entries(overrides)) names.set(Number(value), name);
  return (value) => names.get(value) ?? String(value);
}

// --- ISAKMP header (RFC 2408 §3.1) ------------------------------------------------------------

export const ISAKMP_HEADER_LENGTH = 28;
export const GENERIC_PAYLOAD_HEADER_LENGTH = 4;
/** Version byte: major 1, minor 0 (RFC 2408 §3.1). */
export const ISAKMP_MAJOR_VERSION = 1;
export const ISAKMP_MINOR_VERSION = 0;

export const ExchangeType = {
  BASE: 1,
  IDENTITY_PROTECTION: 2, // Main Mode
  AUTHENTICATION_ONLY: 3,
  AGGRESSIVE: 4,
  INFORMATIONAL: 5,
  TRANSACTION: 6, // mode-cfg and XAUTH (draft-dukes-ike-mode-cfg-02 §3.1)
  QUICK_MODE: 32,
  NEW_GROUP_MODE: 33,
} as const;
export type ExchangeType = ValueOf<typeof ExchangeType>;
export const exchangeTypeName = namer(ExchangeType);

export const IsakmpFlag = {
  ENCRYPTION: 0x01,
  COMMIT: 0x02,
  AUTHENTICATION_ONLY: 0x04,
} as const;
export type IsakmpFlag = ValueOf<typeof IsakmpFlag>;

export const PayloadType = {
  NONE: 0,
  SA: 1,
  PROPOSAL: 2,
  TRANSFORM: 3,
  KE: 4,
  ID: 5,
  CERT: 6,
  CR: 7,
  HASH: 8,
  SIG: 9,
  NONCE: 10,
  NOTIFICATION: 11,
  DELETE: 12,
  VENDOR_ID: 13,
  ATTRIBUTE: 14, // mode-cfg / XAUTH
  NAT_D: 20, // RFC 3947
  NAT_OA: 21, // RFC 3947
  NAT_D_DRAFT: 130, // draft-ietf-ipsec-nat-t-ike-02/03
  NAT_OA_DRAFT: 131,
  FRAGMENT: 132, // Cisco-style IKEv1 fragmentation
} as const;
export type PayloadType = ValueOf<typeof PayloadType>;
export const payloadTypeName = namer(PayloadType);

// --- Domain of interpretation and protocols (RFC 2407 §4.2, §4.4.1) ---------------------------

export const Doi = { ISAKMP: 0, IPSEC: 1 } as const;
export type Doi = ValueOf<typeof Doi>;

export const Situation = { IDENTITY_ONLY: 1, SECRECY: 2, INTEGRITY: 4 } as const;
export type Situation = ValueOf<typeof Situation>;

export const ProtocolId = { ISAKMP: 1, IPSEC_AH: 2, IPSEC_ESP: 3, IPCOMP: 4 } as const;
export type ProtocolId = ValueOf<typeof ProtocolId>;
export const protocolIdName = namer(ProtocolId);

/** The only ISAKMP transform id (RFC 2407 §4.4.2). */
export const IsakmpTransformId = { KEY_IKE: 1 } as const;

// --- Phase 1 (Oakley) transform attributes (RFC 2409 Appendix A) -------------------------------

export const Phase1Attribute = {
  ENCRYPTION_ALGORITHM: 1,
  HASH_ALGORITHM: 2,
  AUTHENTICATION_METHOD: 3,
  GROUP_DESCRIPTION: 4,
  GROUP_TYPE: 5,
  GROUP_PRIME: 6,
  GROUP_GENERATOR_ONE: 7,
  GROUP_GENERATOR_TWO: 8,
  GROUP_CURVE_A: 9,
  GROUP_CURVE_B: 10,
  LIFE_TYPE: 11,
  LIFE_DURATION: 12,
  PRF: 13,
  KEY_LENGTH: 14,
  FIELD_SIZE: 15,
  GROUP_ORDER: 16,
} as const;
export type Phase1Attribute = ValueOf<typeof Phase1Attribute>;
export const phase1AttributeName = namer(Phase1Attribute);

export const EncryptionAlgorithm = {
  DES_CBC: 1,
  IDEA_CBC: 2,
  BLOWFISH_CBC: 3,
  RC5_R16_B64_CBC: 4,
  TRIPLE_DES_CBC: 5,
  CAST_CBC: 6,
  AES_CBC: 7, // RFC 3602; needs KEY_LENGTH
  CAMELLIA_CBC: 8,
} as const;
export type EncryptionAlgorithm = ValueOf<typeof EncryptionAlgorithm>;
export const encryptionAlgorithmName = namer(EncryptionAlgorithm, { 5: '3DES-CBC' });

export const HashAlgorithm = { MD5: 1, SHA: 2, TIGER: 3, SHA2_256: 4, SHA2_384: 5, SHA2_512: 6 } as const;
export type HashAlgorithm = ValueOf<typeof HashAlgorithm>;
export const hashAlgorithmName = namer(HashAlgorithm);

export const AuthMethod = {
  PRE_SHARED_KEY: 1,
  DSS_SIGNATURES: 2,
  RSA_SIGNATURES: 3,
  RSA_ENCRYPTION: 4,
  RSA_REVISED_ENCRYPTION: 5,
  // draft-ietf-ipsec-isakmp-hybrid-auth-05 §3.2.1
  HYBRID_INIT_RSA: 64221,
  HYBRID_RESP_RSA: 64222,
  HYBRID_INIT_DSS: 64223,
  HYBRID_RESP_DSS: 64224,
  // draft-beaulieu-ike-xauth-02 §7.2: "Init" = the IKE initiator is the XAUTH client.
  XAUTH_INIT_PRE_SHARED: 65001,
  XAUTH_RESP_PRE_SHARED: 65002,
  XAUTH_INIT_DSS: 65003,
  XAUTH_RESP_DSS: 65004,
  XAUTH_INIT_RSA: 65005,
  XAUTH_RESP_RSA: 65006,
  XAUTH_INIT_RSA_ENCRYPTION: 65007,
  XAUTH_RESP_RSA_ENCRYPTION: 65008,
  XAUTH_INIT_RSA_REVISED_ENCRYPTION: 65009,
  XAUTH_RESP_RSA_REVISED_ENCRYPTION: 65010,
} as const;
export type AuthMethod = ValueOf<typeof AuthMethod>;
export const authMethodName = namer(AuthMethod, { 65001: 'XAUTHInitPreShared', 65002: 'XAUTHRespPreShared' });

export const DhGroup = { MODP_768: 1, MODP_1024: 2, EC2N_155: 3, EC2N_185: 4, MODP_1536: 5, MODP_2048: 14 } as const;
export type DhGroup = ValueOf<typeof DhGroup>;
export const dhGroupName = namer(DhGroup);

export const GroupType = { MODP: 1, ECP: 2, EC2N: 3 } as const;
export type GroupType = ValueOf<typeof GroupType>;

export const LifeType = { SECONDS: 1, KILOBYTES: 2 } as const;
export type LifeType = ValueOf<typeof LifeType>;
export const lifeTypeName = namer(LifeType);

// --- IPsec DOI (RFC 2407 §4.4.4, §4.5; RFC 3947 §5) -------------------------------------------

export const EspTransformId = {
  ESP_DES_IV64: 1,
  ESP_DES: 2,
  ESP_3DES: 3,
  ESP_RC5: 4,
  ESP_IDEA: 5,
  ESP_CAST: 6,
  ESP_BLOWFISH: 7,
  ESP_3IDEA: 8,
  ESP_DES_IV32: 9,
  ESP_RC4: 10,
  ESP_NULL: 11,
  ESP_AES: 12, // RFC 3602; needs KEY_LENGTH
} as const;
export type EspTransformId = ValueOf<typeof EspTransformId>;
export const espTransformIdName = namer(EspTransformId);

export const AhTransformId = { AH_MD5: 2, AH_SHA: 3, AH_DES: 4 } as const;
export type AhTransformId = ValueOf<typeof AhTransformId>;

export const IpsecAttribute = {
  SA_LIFE_TYPE: 1,
  SA_LIFE_DURATION: 2,
  GROUP_DESCRIPTION: 3, // PFS
  ENCAPSULATION_MODE: 4,
  AUTHENTICATION_ALGORITHM: 5,
  KEY_LENGTH: 6,
  KEY_ROUNDS: 7,
  COMPRESS_DICTIONARY_SIZE: 8,
  COMPRESS_PRIVATE_ALGORITHM: 9,
} as const;
export type IpsecAttribute = ValueOf<typeof IpsecAttribute>;
export const ipsecAttributeName = namer(IpsecAttribute);

export const EncapsulationMode = {
  TUNNEL: 1,
  TRANSPORT: 2,
  UDP_ENCAPSULATED_TUNNEL: 3, // RFC 3947
  UDP_ENCAPSULATED_TRANSPORT: 4,
  // draft-ietf-ipsec-nat-t-ike-00..03 values, still sent by vpnc when it saw a draft VID.
  UDP_ENCAPSULATED_TUNNEL_DRAFT: 61443,
  UDP_ENCAPSULATED_TRANSPORT_DRAFT: 61444,
} as const;
export type EncapsulationMode = ValueOf<typeof EncapsulationMode>;
export const encapsulationModeName = namer(EncapsulationMode);

export const AuthAlgorithm = { HMAC_MD5: 1, HMAC_SHA: 2, DES_MAC: 3, KPDK: 4, HMAC_SHA2_256: 5 } as const;
export type AuthAlgorithm = ValueOf<typeof AuthAlgorithm>;
export const authAlgorithmName = namer(AuthAlgorithm);

// --- Identification (RFC 2407 §4.6.2.1) --------------------------------------------------------

export const IdType = {
  IPV4_ADDR: 1,
  FQDN: 2,
  USER_FQDN: 3,
  IPV4_ADDR_SUBNET: 4,
  IPV6_ADDR: 5,
  IPV6_ADDR_SUBNET: 6,
  IPV4_ADDR_RANGE: 7,
  IPV6_ADDR_RANGE: 8,
  DER_ASN1_DN: 9,
  DER_ASN1_GN: 10,
  KEY_ID: 11,
} as const;
export type IdType = ValueOf<typeof IdType>;
export const idTypeName = namer(IdType);

// --- Notify message types (RFC 2408 §3.14.1, RFC 2407 §4.6.3, RFC 3706) -----------------------

export const NotifyType = {
  INVALID_PAYLOAD_TYPE: 1,
  DOI_NOT_SUPPORTED: 2,
  SITUATION_NOT_SUPPORTED: 3,
  INVALID_COOKIE: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_MINOR_VERSION: 6,
  INVALID_EXCHANGE_TYPE: 7,
  INVALID_FLAGS: 8,
  INVALID_MESSAGE_ID: 9,
  INVALID_PROTOCOL_ID: 10,
  INVALID_SPI: 11,
  INVALID_TRANSFORM_ID: 12,
  ATTRIBUTES_NOT_SUPPORTED: 13,
  NO_PROPOSAL_CHOSEN: 14,
  BAD_PROPOSAL_SYNTAX: 15,
  PAYLOAD_MALFORMED: 16,
  INVALID_KEY_INFORMATION: 17,
  INVALID_ID_INFORMATION: 18,
  INVALID_CERT_ENCODING: 19,
  INVALID_CERTIFICATE: 20,
  CERT_TYPE_UNSUPPORTED: 21,
  INVALID_CERT_AUTHORITY: 22,
  INVALID_HASH_INFORMATION: 23,
  AUTHENTICATION_FAILED: 24,
  INVALID_SIGNATURE: 25,
  ADDRESS_NOTIFICATION: 26,
  NOTIFY_SA_LIFETIME: 27,
  CERTIFICATE_UNAVAILABLE: 28,
  UNSUPPORTED_EXCHANGE_TYPE: 29,
  UNEQUAL_PAYLOAD_LENGTHS: 30,
  CONNECTED: 16384,
  RESPONDER_LIFETIME: 24576,
  REPLAY_STATUS: 24577,
  INITIAL_CONTACT: 24578,
  R_U_THERE: 36136,
  R_U_THERE_ACK: 36137,
} as const;
export type NotifyType = ValueOf<typeof NotifyType>;
export const notifyTypeName = namer(NotifyType);

// --- Mode-cfg and XAUTH (draft-dukes-ike-mode-cfg-02, draft-beaulieu-ike-xauth-02) ---------

export const CfgType = { REQUEST: 1, REPLY: 2, SET: 3, ACK: 4 } as const;
export type CfgType = ValueOf<typeof CfgType>;
export const cfgTypeName = namer(CfgType);

export const ModeCfgAttribute = {
  INTERNAL_IP4_ADDRESS: 1,
  INTERNAL_IP4_NETMASK: 2,
  INTERNAL_IP4_DNS: 3,
  INTERNAL_IP4_NBNS: 4,
  INTERNAL_ADDRESS_EXPIRY: 5,
  INTERNAL_IP4_DHCP: 6,
  APPLICATION_VERSION: 7,
  INTERNAL_IP6_ADDRESS: 8,
  INTERNAL_IP6_NETMASK: 9,
  INTERNAL_IP6_DNS: 10,
  INTERNAL_IP6_NBNS: 11,
  INTERNAL_IP6_DHCP: 12,
  INTERNAL_IP4_SUBNET: 13,
  SUPPORTED_ATTRIBUTES: 14,
  INTERNAL_IP6_SUBNET: 15,
  XAUTH_TYPE: 16520,
  XAUTH_USER_NAME: 16521,
  XAUTH_USER_PASSWORD: 16522,
  XAUTH_PASSCODE: 16523,
  XAUTH_MESSAGE: 16524,
  XAUTH_CHALLENGE: 16525,
  XAUTH_DOMAIN: 16526,
  XAUTH_STATUS: 16527,
  XAUTH_NEXT_PIN: 16528,
  XAUTH_ANSWER: 16529,
  // Cisco Unity (vpnc src/isakmp.h), 0x7000 upwards.
  UNITY_BANNER: 28672,
  UNITY_SAVE_PASSWD: 28673,
  UNITY_DEF_DOMAIN: 28674,
  UNITY_SPLIT_DNS: 28675,
  UNITY_SPLIT_INCLUDE: 28676,
  UNITY_NATT_PORT: 28677,
  UNITY_LOCAL_LAN: 28678,
  UNITY_PFS: 28679,
  UNITY_FW_TYPE: 28680,
  UNITY_BACKUP_SERVERS: 28681,
  UNITY_DDNS_HOSTNAME: 28682,
} as const;
export type ModeCfgAttribute = ValueOf<typeof ModeCfgAttribute>;
export const modeCfgAttributeName = namer(ModeCfgAttribute);

export const XauthType = { GENERIC: 0, RADIUS_CHAP: 1, OTP: 2, S_KEY: 3 } as const;
export type XauthType = ValueOf<typeof XauthType>;

export const XauthStatus = { FAIL: 0, OK: 1 } as const;
export type XauthStatus = ValueOf<typeof XauthStatus>;

// --- Vendor IDs -------------------------------------------------------------------------------

/**
 * Vendor ID payload contents as peers send them (hex). `match` is how many leading bytes
 * identify the vendor: the rest carries versions or flags (DPD and Unity end in major/minor
 * version 01 00, FRAGMENTATION in capability flags), or is absent (XAUTH is sent as the first
 * 8 bytes of MD5("draft-ietf-ipsra-isakmp-xauth-06.txt") by strongSwan and vpnc alike).
 * The NAT-T values are MD5 of the RFC or draft name (draft-02 twice: once with a trailing newline).
 */
export const VendorId = {
  XAUTH: { hex: '09002689dfd6b712', match: 8 },
  DPD: { hex: 'afcad71368a1f1c96b8696fc77570100', match: 14 },
  NAT_T_RFC3947: { hex: '4a131c81070358455c5728f20e95452f', match: 16 },
  NAT_T_DRAFT_00: { hex: '4485152d18b6bbcd0be8a8469579ddcc', match: 16 },
  NAT_T_DRAFT_01: { hex: '16f6ca16e4a4066d83821a0f0aeaa862', match: 16 },
  NAT_T_DRAFT_02: { hex: 'cd60464335df21f87cfdb2fc68b6a448', match: 16 },
  NAT_T_DRAFT_02_N: { hex: '90cb80913ebb696e086381b5ec427b1f', match: 16 },
  NAT_T_DRAFT_03: { hex: '7d9419a65310ca6f2c179d9215529d56', match: 16 },
  CISCO_UNITY: { hex: '12f5f28c457168a9702d9fe274cc0100', match: 14 },
  FRAGMENTATION: { hex: '4048b7d56ebce88525e7de7f00d6c2d380000000', match: 16 },
} as const;
export type VendorIdName = keyof typeof VendorId;

/** The bytes to put in a Vendor ID payload (a fresh copy: Buffers are mutable). */
export function vendorIdBytes(name: VendorIdName): Buffer {
  return Buffer.from(VendorId[name].hex, 'hex');
}

/** The identifying leading bytes of each known Vendor ID, decoded once (read on every message 1). */
const VENDOR_ID_PREFIXES: readonly (readonly [VendorIdName, Buffer])[] = (Object.entries(VendorId) as [VendorIdName, (typeof VendorId)[VendorIdName]][]).map(
  ([name, { hex, match }]) => [name, Buffer.from(hex, 'hex').subarray(0, match)] as const,
);

/** Which well-known vendor a received Vendor ID payload announces, if any. */
export function vendorIdName(vendorId: Buffer): VendorIdName | undefined {
  for (const [name, prefix] of VENDOR_ID_PREFIXES) {
    if (vendorId.length >= prefix.length && vendorId.compare(prefix, 0, prefix.length, 0, prefix.length) === 0) return name;
  }
  return undefined;
}
