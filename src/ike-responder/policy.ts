/**
 * What the RTX Phase 1 responder needs to know about each security gateway, in the RTX's own
 * words (command reference chapter 15, rtx-behaviour.md §4). The responder depends on this type
 * only; `policy-from-config.ts` builds it from the config engine's views, and tests build it with
 * `gatewayPolicy(...)`.
 */
import type { Identity } from '../ike/codec/index.js';

/** `ipsec ike remote address GW ip|host|any`; `unset` when the command is absent. */
export type RemoteAddressPolicy =
  | { readonly kind: 'any' }
  | { readonly kind: 'ip'; readonly address: string }
  /** A host name: rtxlab does no DNS, so such a gateway never matches (assumed). */
  | { readonly kind: 'host'; readonly name: string }
  | { readonly kind: 'unset' };

/** `ipsec ike pre-shared-key GW text KEY | 0xHEX | *`, or no such command. */
export type PreSharedKeyPolicy =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'hex'; readonly bytes: Buffer }
  /** The config showed `*` (a masked `show config` capture) and no key was supplied. */
  | { readonly kind: 'masked' }
  /** §15.5: "設定されていない場合には、鍵交換は行われない" (no key, no key exchange). */
  | { readonly kind: 'missing' };

/** `ipsec ike encryption GW ...` as the RTX spells it. */
export type IkeEncryptionSetting = '3des-cbc' | 'des-cbc' | 'aes-cbc' | 'aes256-cbc';
/** `ipsec ike hash GW ...`. */
export type IkeHashSetting = 'md5' | 'sha' | 'sha256' | 'sha384' | 'sha512';
/** `ipsec ike group GW ...` (the Phase 1 value). */
export type IkeGroupSetting = 'modp768' | 'modp1024' | 'modp1536' | 'modp2048';
/** `ipsec ike payload type GW TYPE1`: 1 release 2, 2 release 3 (default), 3 "IV generation". */
export type PayloadTypeSetting = 1 | 2 | 3;

/** `ipsec ike log GW message-info payload-info key-info` (debug level, needs `syslog debug on`). */
export interface IkeLogOptions {
  readonly messageInfo: boolean;
  readonly payloadInfo: boolean;
  readonly keyInfo: boolean;
}

/** `ipsec ike keepalive use GW on|off|auto [heartbeat|icmp-echo IP|dpd|rfc4306] [interval count]`. */
export interface KeepalivePolicy {
  readonly use: 'on' | 'off' | 'auto';
  readonly method: 'heartbeat' | 'icmp-echo' | 'dpd' | 'rfc4306';
  readonly intervalSeconds: number;
  readonly count: number;
  /** `icmp-echo IP [length=N]`: where the echo requests go through the tunnel, and their data length. */
  readonly icmpEchoTarget?: string;
  readonly icmpEchoLength?: number;
  /** `ipsec ike keepalive log GW on|off` (default on): keepalive lines at DEBUG level. */
  readonly log: boolean;
}

/** `ipsec ike nat-traversal GW on|off [keepalive=N|off] [force=on|off]`. */
export interface NatTraversalPolicy {
  readonly enabled: boolean;
  readonly keepaliveSeconds: number | 'off';
  readonly force: boolean;
}

export interface GatewayPolicy {
  /** The security gateway id (on the RTX the same number as the tunnel). */
  readonly gatewayId: number;
  /** `tunnel enable N` for the gateway's tunnel and `ipsec use on`. */
  readonly enabled: boolean;
  readonly remoteAddress: RemoteAddressPolicy;
  /** `ipsec ike remote name GW NAME [TYPE]`; the type is never compared (§15.14). */
  readonly remoteName?: string;
  /** `ipsec ike local address GW IP`; unset: the address the peer's datagram arrived on. */
  readonly localAddress?: string;
  readonly preSharedKey: PreSharedKeyPolicy;
  readonly encryption: IkeEncryptionSetting;
  readonly hash: IkeHashSetting;
  readonly group: IkeGroupSetting;
  /** `ipsec ike duration isakmp-sa GW SECONDS`: used only when the initiator proposes no lifetime. */
  readonly isakmpLifetimeSeconds: number;
  readonly negotiateStrictly: boolean;
  readonly payloadType: PayloadTypeSetting;
  /** `ipsec ike send info GW on|off`: whether failures are reported to the peer by notify. */
  readonly sendInfo: boolean;
  readonly natTraversal: NatTraversalPolicy;
  readonly keepalive: KeepalivePolicy;
  /** `ipsec ike xauth request GW on [GROUP]`: XAUTH after Phase 1, for initiators that proposed 65001 (§15.36). */
  readonly xauth: { readonly request: boolean; readonly userGroupId?: number };
  /** `ipsec ike mode-cfg address GW POOL`: the pool pushed from after XAUTH (§15.38). */
  readonly modeCfgPoolId?: number;
  /**
   * `ipsec ike mode-cfg method GW set openswan` (§15.39, "Openswan compatibility mode"). Its effect
   * is HYPOTHESIS H3 (docs/matrix.md): a mode-cfg ACK whose attributes carry values (OpenSWAN's)
   * is taken instead of refused as malformed (mode-cfg-machine.ts); the SET itself is sent
   * unchanged (named assumption OPENSWAN_MODE_UNCHANGED_WIRE, mode-cfg-attributes.ts).
   */
  readonly modeCfgOpenswan: boolean;
  readonly log: IkeLogOptions;
  /** The tunnel interface this gateway's IPsec SAs serve: on the RTX gateway N belongs to `tunnel select N`. */
  readonly tunnelId: number;
  /** `ipsec tunnel P` of that tunnel resolved to its `ipsec sa policy P GW ...`; absent: no IPsec SA can be made. */
  readonly saPolicy?: SaPolicy;
  /** `ipsec ike duration ipsec-sa GW SECONDS`: used only when the initiator proposes no lifetime (§15.48). */
  readonly ipsecLifetimeSeconds: number;
  /** `ipsec ike group GW G1 [G2]`: the Phase 2 (PFS) group, accepted besides the RTX1500's own groups. */
  readonly phase2Group: IkeGroupSetting;
  /**
   * `ipsec ike local id GW IP[/MASK]` and `ipsec ike remote id GW IP[/MASK]` (§15.19, §15.16):
   * the Phase 2 IDs, type 1 (IPV4_ADDR) without a mask, type 4 (IPV4_ADDR_SUBNET) with one.
   * Unset: no IDs are sent in Phase 2.
   */
  readonly phase2Ids?: Phase2Ids;
}

/** Our side's and the peer's Phase 2 ID, each only when configured. */
export interface Phase2Ids {
  readonly local?: Identity;
  readonly remote?: Identity;
}

/** `ipsec sa policy P GW esp|ah [ENCRYPTION] [AUTHENTICATION]` (§15.3). */
export interface SaPolicy {
  readonly policyId: number;
  readonly protocol: 'esp' | 'ah';
  readonly encryption?: EspEncryptionSetting;
  readonly authentication?: EspAuthenticationSetting;
}

/** ESP encryption as `ipsec sa policy` spells it. */
export type EspEncryptionSetting = '3des-cbc' | 'des-cbc' | 'aes-cbc' | 'aes256-cbc' | 'null';
/** ESP authentication as `ipsec sa policy` spells it. */
export type EspAuthenticationSetting = 'md5-hmac' | 'sha-hmac' | 'sha256-hmac' | 'sha384-hmac' | 'sha512-hmac';

/** An XAUTH account (`auth user ID NAME PASSWORD`, §15.32). */
export interface XauthAccount {
  readonly userId: number;
  readonly username: string;
  readonly password: string;
}

/** Where a user's inner address comes from: `xauth-address=IP[/mask]` or `xauth-address-pool=IP[-IP][/mask]`. */
export type XauthAddressSetting =
  | { readonly kind: 'fixed'; readonly address: { readonly address: string; readonly mask?: string } }
  | { readonly kind: 'pool'; readonly pool: { readonly first: string; readonly last: string; readonly mask?: string } };

/** A user's attributes in force, the user's own over the group's (§15.33-15.35). */
export interface XauthAttributesInForce {
  readonly xauth: boolean;
  readonly address?: XauthAddressSetting;
  readonly dns?: string;
  readonly wins?: string;
}

/**
 * The `auth user ...` commands as the XAUTH server asks them: the config engine's `authView`
 * has this shape, and tests may give a smaller one.
 */
export interface XauthDirectory {
  /** With a group id: only members of that `auth user group` (§15.36). */
  findUser(username: string, groupId?: number): XauthAccount | undefined;
  effectiveAttributes(userId: number, groupId?: number): XauthAttributesInForce;
}

/** `ipsec ike mode-cfg address pool ID FIRST[-LAST][/mask]` (§15.37). */
export interface AddressPoolPolicy {
  readonly poolId: number;
  readonly first: string;
  readonly last: string;
  readonly prefixLength?: number;
}

export const NO_XAUTH_USERS: XauthDirectory = {
  findUser: () => undefined,
  effectiveAttributes: () => ({ xauth: false }),
};

export interface ResponderPolicy {
  /** In gateway id order: the order in which the RTX is assumed to look for a matching peer. */
  readonly gateways: readonly GatewayPolicy[];
  /** `syslog debug on`: without it the `ipsec ike log` lines are not produced at all. */
  readonly syslogDebug: boolean;
  /** `auth user`, `auth user group`, their attributes; none when absent. */
  readonly xauthUsers?: XauthDirectory;
  /** `ipsec ike mode-cfg address pool` by pool id; none when absent. */
  readonly addressPools?: ReadonlyMap<number, AddressPoolPolicy>;
  /**
   * rtxlab option, not RTX behaviour (`rtxlab start --answer-mode-cfg-requests`): answer a
   * client's mode-cfg REQUEST with a REPLY. An RTX only pushes with SET and leaves REQUESTs
   * unanswered (seed write-up, §15.39 "SET only"). Off by default.
   */
  readonly answerModeCfgRequests?: boolean;
}

export const NO_IKE_LOG: IkeLogOptions = { messageInfo: false, payloadInfo: false, keyInfo: false };

/**
 * A gateway with the RTX defaults (rtx-behaviour.md §4 and the config engine's IKE_DEFAULTS):
 * 3des-cbc, sha, modp1024, 28800 s, negotiate-strictly off, payload type 2, send info on,
 * NAT traversal off (keepalive 300 s), keepalive auto heartbeat 10 x 6, no XAUTH, no IKE log,
 * tunnel N, IPsec SA lifetime 28800 s, Phase 2 group modp1024. Disabled with no remote address,
 * no key and no `ipsec sa policy` until the caller says otherwise.
 */
export function gatewayPolicy(gatewayId: number, overrides: Partial<Omit<GatewayPolicy, 'gatewayId'>> = {}): GatewayPolicy {
  return {
    gatewayId,
    enabled: false,
    remoteAddress: { kind: 'unset' },
    preSharedKey: { kind: 'missing' },
    encryption: '3des-cbc',
    hash: 'sha',
    group: 'modp1024',
    isakmpLifetimeSeconds: 28_800,
    negotiateStrictly: false,
    payloadType: 2,
    sendInfo: true,
    natTraversal: { enabled: false, keepaliveSeconds: 300, force: false },
    keepalive: { use: 'auto', method: 'heartbeat', intervalSeconds: 10, count: 6, log: true },
    xauth: { request: false },
    modeCfgOpenswan: false,
    log: NO_IKE_LOG,
    tunnelId: gatewayId,
    ipsecLifetimeSeconds: 28_800,
    phase2Group: 'modp1024',
    ...overrides,
  };
}

/** The key's bytes as SKEYID = prf(pre-shared-key, Ni_b | Nr_b) uses them, if there is one. */
export function preSharedKeyBytes(key: PreSharedKeyPolicy): Buffer | undefined {
  switch (key.kind) {
    case 'text':
      return Buffer.from(key.text, 'utf8');
    case 'hex':
      return key.bytes;
    case 'masked':
    case 'missing':
      return undefined;
  }
}

/** DPD is announced (Vendor ID) and answered when keepalive uses it; `auto` counts as on for DPD (§15.21). */
export function usesDpd(gateway: GatewayPolicy): boolean {
  return gateway.keepalive.method === 'dpd' && gateway.keepalive.use !== 'off';
}
