/**
 * The mode-cfg client (draft-dukes-ike-mode-cfg-02): the gateway pushes the inner address with a
 * SET that the client ACKs (§3.3, "set/acknowledge", the only method the RTX has), or the client
 * pulls it with a REQUEST that the gateway answers with a REPLY (§3.2). Real clients disagree on
 * both halves (ikev1-notes §5), which is what `ModeCfgBehaviour` models:
 *
 *   client                       pull REQUEST                      a SET after XAUTH
 *   strongSwan 5.9, pull = no    none                              accept, ACK what it installed
 *   strongSwan 5.9, pull = yes   ADDRESS, identifier 0             empty REPLY ("no virtual IP found")
 *   vpnc 0.5.3                   13 attributes, identifier 20      N(INVALID-MESSAGE-ID), give up
 *   racoon, mode_cfg on          10 attributes, random identifier  "Unexpected SET attribute", empty ACK
 *   racoon, mode_cfg off         none                              "Unexpected SET attribute", empty ACK
 */
import { CfgType, GENERIC_PAYLOAD_HEADER_LENGTH, ModeCfgAttribute, NotifyType, modeCfgAttributeName } from '../ike/constants.js';
import {
  attributeIpv4,
  attributePayload,
  emptyAttribute,
  encodePayloadBody,
  ipv4Attribute,
  parseIpv4,
  tlvAttribute,
  type AttributePayload,
  type DataAttribute,
} from '../ike/codec/index.js';

/** What mode-cfg installed: the fields a tunnel needs, and every attribute as received. */
export interface ModeCfgConfig {
  readonly address?: string;
  readonly netmask?: string;
  readonly dns: readonly string[];
  readonly nbns: readonly string[];
  /** Where the address came from, when there is one. */
  readonly source?: 'set' | 'reply';
}

export const EMPTY_MODE_CFG_CONFIG: ModeCfgConfig = { dns: [], nbns: [] };

/** One attribute of a pull REQUEST: usually 0-length, some clients send a value (vpnc its version). */
export interface ModeCfgRequestItem {
  readonly type: number;
  readonly value?: Buffer;
}

export interface ModeCfgPull {
  readonly attributes: readonly ModeCfgRequestItem[];
  /** vpnc sends 20, strongSwan 0, racoon a random 16-bit number (draw it when building the behaviour). */
  readonly identifier: number;
  /**
   * `after-xauth`: one REQUEST once XAUTH succeeded (strongSwan `mode_config.c`, vpnc
   * `do_phase2_config`). `after-each-set`: a new REQUEST after every SET it acknowledged,
   * the XAUTH status SET included (racoon `isakmp_cfg_set` ends in `isakmp_cfg_getconfig`).
   */
  readonly when: 'after-xauth' | 'after-each-set';
}

/**
 * What a client does with a SET that arrives after XAUTH.
 * - `accept`: install the attributes it knows and ACK those (strongSwan `pull = no`, libreswan).
 * - `ignore-and-ack`: install nothing, log "Unexpected SET attribute", ACK with no attributes
 *   (racoon 0.7.1 `isakmp_cfg_set`, the seed's log).
 * - `reject-invalid-message-id`: it waits for the REPLY to its own REQUEST, so a message with
 *   another M-ID is refused with N(INVALID-MESSAGE-ID) and the client gives up (vpnc 0.5.3
 *   `do_phase2_config`, capture vpnc-0.5.3 frame 10).
 * - `empty-reply`: answer with an empty REPLY instead of an ACK (strongSwan `pull = yes`,
 *   capture strongswan-pull frame 11).
 */
export type ModeCfgSetHandling = 'accept' | 'ignore-and-ack' | 'reject-invalid-message-id' | 'empty-reply';

export interface ModeCfgBehaviour {
  /** Send a REQUEST (pull); absent: wait for a SET (push). Both together make "both". */
  readonly pull?: ModeCfgPull;
  readonly onSet: ModeCfgSetHandling;
  /**
   * The attribute types an accepted SET installs and ACKs; others are left out of the ACK
   * (strongSwan ACKs only what a handler took: without its `resolve` plugin, no DNS).
   */
  readonly acceptedAttributes: readonly number[];
  /** The identifier of our ACK or empty REPLY to a SET: echo it (racoon, vpnc) or 0. */
  readonly answerIdentifier: 'echo' | 'zero';
  /** The form of the attributes of an `accept` ACK; absent: `types-only`. */
  readonly ackAttributes?: ModeCfgAckAttributes;
}

/**
 * How an ACK names what it accepted.
 * - `types-only`: each accepted type once, 0-length (draft-dukes-ike-mode-cfg-02 §3.3; strongSwan,
 *   capture strongswan-push frame 9).
 * - `openswan-values`: pluto's mode-cfg client (`xauth.c` `modecfg_inI2` answers with
 *   `modecfg_resp(..., ISAKMP_CFG_ACK, ...)`, which writes each attribute WITH a value): the
 *   accepted types in attribute-number order, INTERNAL_IP4_ADDRESS = 4 bytes of its view of the
 *   peer's client (`that.client`, the Quick Mode IDcr network), INTERNAL_IP4_NETMASK = 4 bytes
 *   255.255.255.255 (`mask = 0xffffffff`); DNS, NBNS and other types are left out. Label: code.
 */
export type ModeCfgAckAttributes =
  | { readonly kind: 'types-only' }
  | { readonly kind: 'openswan-values'; readonly peerClientAddress: string }
  /**
   * libreswan 4.10 (Debian 12), as observed against an RTX-shaped responder (ikev1-notes §5, an
   * observation, no capture kept): INTERNAL_IP4_ADDRESS = 4 bytes of its view of the peer's
   * subnet (10.1.1.0), then CISCO-SPLIT-INC (UNITY_SPLIT_INCLUDE) for that subnet, and the
   * payload padded with zeros to a multiple of 4 bytes (`ikepad`, default on: the observed 2
   * bytes). The split entry's 14-byte Cisco Unity form (address, mask, 6 zero bytes) is inferred:
   * it is what makes the observed 2 padding bytes come out.
   */
  | { readonly kind: 'libreswan-values'; readonly peerSubnet: { readonly address: string; readonly netmask: string } };

/** The Cisco Unity split-network entry after address and mask: protocol, source and destination ports, zero. */
const UNITY_SPLIT_ENTRY_TAIL = Buffer.alloc(6);

/** libreswan pads the payloads it writes to this many bytes (`ikepad=yes`, its default). */
const LIBRESWAN_PAYLOAD_ALIGNMENT = 4;

/** pluto's NETMASK value in every ACK it writes. */
const OPENSWAN_ACK_NETMASK = '255.255.255.255';

const IPV4_CONFIG_ATTRIBUTES = [
  ModeCfgAttribute.INTERNAL_IP4_ADDRESS,
  ModeCfgAttribute.INTERNAL_IP4_NETMASK,
  ModeCfgAttribute.INTERNAL_IP4_DNS,
  ModeCfgAttribute.INTERNAL_IP4_NBNS,
];

/** Push: strongSwan 5.9 with `pull = no` (capture strongswan-push frames 8-9). */
export const STRONGSWAN_PUSH_MODE_CFG: ModeCfgBehaviour = {
  onSet: 'accept',
  acceptedAttributes: IPV4_CONFIG_ATTRIBUTES,
  answerIdentifier: 'echo',
};

/** Pull: strongSwan 5.9 with its default `pull = yes` (capture strongswan-pull frames 8-11). */
export const STRONGSWAN_PULL_MODE_CFG: ModeCfgBehaviour = {
  pull: { attributes: [{ type: ModeCfgAttribute.INTERNAL_IP4_ADDRESS }], identifier: 0, when: 'after-xauth' },
  onSet: 'empty-reply',
  acceptedAttributes: IPV4_CONFIG_ATTRIBUTES,
  answerIdentifier: 'zero',
};

/**
 * vpnc 0.5.3's REQUEST as `do_phase2_config` builds it and capture vpnc-0.5.3 frame 8 shows it.
 * Its two valued items depend on the host: APPLICATION_VERSION (its version string) and the
 * Unity DDNS hostname (`uname` nodename); FW_TYPE carries the constant "unknown firewall" blob.
 */
export function vpncModeCfgRequest(version: string, hostname: string): ModeCfgRequestItem[] {
  const A = ModeCfgAttribute;
  return [
    { type: A.INTERNAL_IP4_ADDRESS },
    { type: A.INTERNAL_IP4_NETMASK },
    { type: A.INTERNAL_IP4_DNS },
    { type: A.INTERNAL_IP4_NBNS },
    { type: A.UNITY_DEF_DOMAIN },
    { type: A.UNITY_FW_TYPE, value: Buffer.from('800100018002000180030002', 'hex') },
    { type: A.UNITY_PFS },
    { type: A.UNITY_BANNER },
    { type: A.UNITY_SAVE_PASSWD },
    { type: A.UNITY_SPLIT_INCLUDE },
    { type: A.UNITY_SPLIT_DNS },
    { type: A.UNITY_DDNS_HOSTNAME, value: Buffer.from(hostname, 'utf8') },
    { type: A.APPLICATION_VERSION, value: Buffer.from(version, 'utf8') },
  ];
}

export function vpncModeCfg(version: string, hostname: string): ModeCfgBehaviour {
  return {
    pull: { attributes: vpncModeCfgRequest(version, hostname), identifier: 20, when: 'after-xauth' },
    onSet: 'reject-invalid-message-id',
    acceptedAttributes: IPV4_CONFIG_ATTRIBUTES,
    answerIdentifier: 'echo',
  };
}

/**
 * racoon's `isakmp_cfg_getconfig` list (ipsec-tools 0.9.1 as read; 0.7.1 not read): the four
 * IPv4 items with 4-byte (zero) values, then Unity and APPLICATION_VERSION 0-length.
 */
export const RACOON_MODE_CFG_REQUEST: readonly ModeCfgRequestItem[] = [
  ...IPV4_CONFIG_ATTRIBUTES.map((type) => ({ type, value: Buffer.alloc(4) })),
  { type: ModeCfgAttribute.UNITY_BANNER },
  { type: ModeCfgAttribute.UNITY_DEF_DOMAIN },
  { type: ModeCfgAttribute.UNITY_SPLIT_DNS },
  { type: ModeCfgAttribute.UNITY_SPLIT_INCLUDE },
  { type: ModeCfgAttribute.UNITY_LOCAL_LAN },
  { type: ModeCfgAttribute.APPLICATION_VERSION },
];

/** racoon with `mode_cfg on` (`identifier` is random in racoon: pass the one drawn). */
export function racoonModeCfg(options: { modeCfg: boolean; identifier: number }): ModeCfgBehaviour {
  return {
    ...(options.modeCfg ? { pull: { attributes: RACOON_MODE_CFG_REQUEST, identifier: options.identifier, when: 'after-each-set' as const } } : {}),
    onSet: 'ignore-and-ack',
    acceptedAttributes: [],
    answerIdentifier: 'echo',
  };
}

/** The REQUEST of a pull client. */
export function modeCfgRequest(pull: ModeCfgPull): AttributePayload {
  const attributes = pull.attributes.map((item): DataAttribute => (item.value === undefined ? emptyAttribute(item.type) : tlvAttribute(item.type, item.value)));
  return attributePayload(CfgType.REQUEST, attributes, pull.identifier);
}

export type ModeCfgSetAnswer =
  | {
      readonly kind: 'ack';
      readonly ack: AttributePayload;
      /** The configuration after this SET (unchanged when nothing was accepted). */
      readonly config: ModeCfgConfig;
      /** The SET's attributes that were not accepted, by name (racoon's "Unexpected SET attribute" lines). */
      readonly ignored: readonly string[];
    }
  | { readonly kind: 'reply'; readonly reply: AttributePayload }
  | { readonly kind: 'reject'; readonly notifyType: number };

/** What the behaviour makes of a SET: an ACK (and what it installed), an empty REPLY, or a refusal. */
export function answerModeCfgSet(set: AttributePayload, config: ModeCfgConfig, behaviour: ModeCfgBehaviour): ModeCfgSetAnswer {
  const identifier = behaviour.answerIdentifier === 'echo' ? set.identifier : 0;
  switch (behaviour.onSet) {
    case 'reject-invalid-message-id':
      return { kind: 'reject', notifyType: NotifyType.INVALID_MESSAGE_ID };
    case 'empty-reply':
      return { kind: 'reply', reply: attributePayload(CfgType.REPLY, [], identifier) };
    case 'ignore-and-ack':
      return { kind: 'ack', ack: attributePayload(CfgType.ACK, [], identifier), config, ignored: set.attributes.map((attribute) => modeCfgAttributeName(attribute.type)) };
    case 'accept': {
      const accepted = set.attributes.filter((attribute) => behaviour.acceptedAttributes.includes(attribute.type) && attributeIpv4(attribute) !== undefined);
      const ignored = set.attributes.filter((attribute) => !accepted.includes(attribute)).map((attribute) => modeCfgAttributeName(attribute.type));
      const ackTypes = [...new Set(accepted.map((attribute) => attribute.type))];
      return {
        kind: 'ack',
        ack: ackPayload(ackTypes, behaviour.ackAttributes ?? { kind: 'types-only' }, identifier),
        config: installAttributes(config, accepted, 'set'),
        ignored,
      };
    }
  }
}

function ackPayload(types: readonly number[], form: ModeCfgAckAttributes, identifier: number): AttributePayload {
  const ack = attributePayload(CfgType.ACK, ackAttributes(types, form), identifier);
  if (form.kind !== 'libreswan-values') return ack;
  // The generic payload header (4 bytes) counts: libreswan pads the whole payload.
  const unaligned = (GENERIC_PAYLOAD_HEADER_LENGTH + encodePayloadBody(ack).length) % LIBRESWAN_PAYLOAD_ALIGNMENT;
  return unaligned === 0 ? ack : { ...ack, padding: Buffer.alloc(LIBRESWAN_PAYLOAD_ALIGNMENT - unaligned) };
}

function ackAttributes(types: readonly number[], form: ModeCfgAckAttributes): DataAttribute[] {
  if (form.kind === 'types-only') return types.map(emptyAttribute);
  if (form.kind === 'libreswan-values') {
    const { address, netmask } = form.peerSubnet;
    return [
      ...(types.includes(ModeCfgAttribute.INTERNAL_IP4_ADDRESS) ? [ipv4Attribute(ModeCfgAttribute.INTERNAL_IP4_ADDRESS, address)] : []),
      tlvAttribute(ModeCfgAttribute.UNITY_SPLIT_INCLUDE, Buffer.concat([parseIpv4(address), parseIpv4(netmask), UNITY_SPLIT_ENTRY_TAIL])),
    ];
  }
  const valued: DataAttribute[] = [];
  for (const type of [...types].sort((a, b) => a - b)) {
    if (type === ModeCfgAttribute.INTERNAL_IP4_ADDRESS) valued.push(ipv4Attribute(type, form.peerClientAddress));
    else if (type === ModeCfgAttribute.INTERNAL_IP4_NETMASK) valued.push(ipv4Attribute(type, OPENSWAN_ACK_NETMASK));
  }
  return valued;
}

/** The configuration a REPLY carries (every IPv4 attribute it holds; unknown ones are skipped). */
export function readModeCfgReply(reply: AttributePayload, config: ModeCfgConfig = EMPTY_MODE_CFG_CONFIG): ModeCfgConfig {
  return installAttributes(config, reply.attributes, 'reply');
}

function installAttributes(config: ModeCfgConfig, attributes: readonly DataAttribute[], source: 'set' | 'reply'): ModeCfgConfig {
  let next: { -readonly [K in keyof ModeCfgConfig]: ModeCfgConfig[K] } = { ...config, dns: [...config.dns], nbns: [...config.nbns] };
  for (const attribute of attributes) {
    const address = attributeIpv4(attribute);
    if (address === undefined) continue;
    switch (attribute.type) {
      case ModeCfgAttribute.INTERNAL_IP4_ADDRESS:
        next = { ...next, address, source };
        break;
      case ModeCfgAttribute.INTERNAL_IP4_NETMASK:
        next = { ...next, netmask: address };
        break;
      case ModeCfgAttribute.INTERNAL_IP4_DNS:
        next.dns = [...next.dns, address];
        break;
      case ModeCfgAttribute.INTERNAL_IP4_NBNS:
        next.nbns = [...next.nbns, address];
        break;
    }
  }
  return next;
}

/** `10.1.1.110/255.255.255.0 dns 10.1.1.1`: one line for transcripts and reports. */
export function formatModeCfgConfig(config: ModeCfgConfig): string {
  if (config.address === undefined) return 'no address';
  const parts = [config.netmask ? `${config.address}/${config.netmask}` : config.address];
  if (config.dns.length > 0) parts.push(`dns ${config.dns.join(',')}`);
  if (config.nbns.length > 0) parts.push(`nbns ${config.nbns.join(',')}`);
  return parts.join(' ');
}
