/**
 * Per security gateway (= tunnel number on RTX), the IKE/IPsec settings with the RTX defaults
 * applied (command reference chapter 15; rtx-behaviour.md §4):
 * encryption 3des-cbc, hash sha, group modp1024 (both phases), PFS off, ISAKMP and IPsec SA
 * lifetimes 28800 s with rekey at 75%, keepalive `auto` heartbeat 10 s x 6 (log on),
 * NAT traversal off (its keepalive 300 s), ESP-in-UDP off, send info on, payload type 2 (IKEv2
 * type 2), XAUTH not requested, mode-cfg method `set`, negotiate-strictly off, always-on off,
 * restrict-dangling-sa auto, auto refresh off globally / on per gateway, IKE version 1.
 *
 * `tunnel template` targets get the source gateway's settings renumbered; `ipsec ike remote
 * name` gets the target tunnel number appended (§15.49.6); the target's own commands win.
 */
import type { ConfigCommand, ConfigModel } from '../model.js';
import { prefixLengthOf } from '../families/checks.js';
import {
  ipsecParams,
  type AuthenticationAlgorithm,
  type DhGroupName,
  type EspEncryptionAlgorithm,
  type IkeEncryptionAlgorithm,
  type IkeHashAlgorithm,
  type IkeIdType,
  type IkeLogType,
  type IpsecParams,
  type KeepaliveMethodParam,
  type KeepaliveMode,
  type LocalAddressParam,
  type RemoteAddressParam,
} from '../families/ipsec.js';
import { templateSources, tunnelInterfaces } from './tunnels.js';

/** A pre-shared key ready for IKE: its bytes, or `masked` (the config showed `*`). */
export type PreSharedKey =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'hex'; readonly bytes: Uint8Array }
  | { readonly kind: 'masked' };

export interface SaLifetime {
  readonly seconds: number;
  readonly kilobytes?: number;
  /** Percentage of the lifetime at which a new SA is made, or `off` (ISAKMP SA only). */
  readonly rekey: number | 'off';
  readonly forcedReductionSeconds?: number;
}

export interface KeepaliveSetting {
  readonly mode: KeepaliveMode;
  readonly method: KeepaliveMethodParam;
  readonly intervalSeconds: number;
  readonly count: number;
  readonly upwaitSeconds: number;
  /** `ipsec ike keepalive log` (on by default; DEBUG level). */
  readonly log: boolean;
  readonly downDisconnect: boolean;
  readonly sendOnlyNewSa?: 'on' | 'off' | 'auto';
}

export interface NatTraversalSetting {
  readonly enabled: boolean;
  readonly keepaliveSeconds: number | 'off';
  readonly force: boolean;
  readonly type: 1 | 2;
}

export type XauthSetting =
  | { readonly request: false }
  | { readonly request: true; /** Only this `auth user group` may log in (RADIUS otherwise). */ readonly groupId?: number };

export interface IkeIdentity {
  readonly name: string;
  /** Not used to tell peers apart in IKEv1 (§15.14): the ID string alone is matched. */
  readonly idType?: IkeIdType;
}

export interface PhaseTwoId {
  readonly address: string;
  /** With a mask: ID type 4 (IPV4_ADDR_SUBNET); without: type 1 (IPV4_ADDR), §15.16. */
  readonly prefixLength?: number;
}

export interface IpsecSaPolicy {
  readonly policyId: number;
  readonly gatewayId: number;
  readonly protocol: 'esp' | 'ah';
  /** ESP only; the current reference's default is aes-cbc (the Rev.8.03 default was not found). */
  readonly encryption?: EspEncryptionAlgorithm;
  readonly authentication?: AuthenticationAlgorithm;
  readonly antiReplayCheck: boolean;
  readonly localId?: string;
  readonly remoteId?: string;
}

export interface IpsecGateway {
  readonly gatewayId: number;
  /** Settings written for this gateway, or copied by `tunnel template` from another tunnel. */
  readonly origin: { readonly kind: 'configured' } | { readonly kind: 'template'; readonly sourceTunnel: number };
  /** The tunnel interface N is enabled (`tunnel enable N`). */
  readonly tunnelEnabled: boolean;
  /** The SA policy used by tunnel N (`ipsec tunnel P`), if any. */
  readonly tunnelPolicyId?: number;
  readonly version: 1 | 2;
  readonly encryption: IkeEncryptionAlgorithm;
  readonly hash: IkeHashAlgorithm;
  readonly group: { readonly phase1: DhGroupName; readonly phase2: DhGroupName };
  readonly pfs: boolean;
  readonly isakmpSaLifetime: SaLifetime;
  readonly ipsecSaLifetime: SaLifetime;
  readonly keepalive: KeepaliveSetting;
  readonly natTraversal: NatTraversalSetting;
  readonly espEncapsulation: boolean;
  readonly sendInfo: boolean;
  readonly payloadType: { readonly ikev1: 1 | 2 | 3; readonly ikev2: 1 | 2 };
  readonly xauth: XauthSetting;
  /** What the router answers when it is the XAUTH client (`ipsec ike xauth myname`). */
  readonly xauthClient?: { readonly name: string; readonly password: string };
  readonly modeCfg: { readonly poolId?: number; readonly method: 'set'; readonly openswanCompatible: boolean };
  readonly remoteAddress?: RemoteAddressParam;
  readonly remoteName?: IkeIdentity;
  readonly remoteId?: PhaseTwoId;
  readonly localAddress?: LocalAddressParam;
  readonly localName?: IkeIdentity;
  readonly localId?: PhaseTwoId;
  /** Not set: the router does no key exchange for this gateway (§15.5). */
  readonly preSharedKey?: PreSharedKey;
  readonly negotiateStrictly: boolean;
  readonly alwaysOn: boolean;
  readonly restrictDanglingSa: 'auto' | 'off';
  /** Whether the router starts key exchanges itself: global switch AND per-gateway switch (§15.10). */
  readonly autoRefresh: boolean;
  readonly logTypes: readonly IkeLogType[];
  /** Every `ipsec sa policy` naming this gateway, by policy id. */
  readonly saPolicies: readonly IpsecSaPolicy[];
}

export const IKE_DEFAULTS = {
  encryption: '3des-cbc',
  hash: 'sha',
  group: 'modp1024',
  lifetimeSeconds: 28_800,
  rekeyPercent: 75,
  keepaliveIntervalSeconds: 10,
  keepaliveCount: 6,
  natKeepaliveSeconds: 300,
  payloadTypeIkev1: 2,
  payloadTypeIkev2: 2,
} as const;

/** Gateway-id -> its commands (by setting), after template expansion. */
type GatewayCommands = Map<string, ConfigCommand>;

const settingOf = (command: ConfigCommand): string =>
  command.name === 'ipsec ike duration'
    ? `${command.name} ${ipsecParams(command, 'ipsec ike duration').sa}`
    : command.name;

function gatewayOf(command: ConfigCommand): number | undefined {
  if (command.family !== 'ipsec' || command.name === 'ipsec sa policy') return undefined;
  const gateway = (command.params as { gateway?: unknown }).gateway;
  return typeof gateway === 'number' ? gateway : undefined;
}

function collectGatewayCommands(model: ConfigModel): Map<number, GatewayCommands> {
  const byGateway = new Map<number, GatewayCommands>();
  for (const command of model.commands) {
    const gateway = gatewayOf(command);
    if (gateway === undefined) continue;
    let commands = byGateway.get(gateway);
    if (!commands) byGateway.set(gateway, (commands = new Map()));
    commands.set(settingOf(command), command);
  }
  return byGateway;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function phaseTwoId(params: { address: string; mask?: string }): PhaseTwoId {
  const prefixLength = params.mask === undefined ? undefined : prefixLengthOf(params.mask);
  return prefixLength === undefined ? { address: params.address } : { address: params.address, prefixLength };
}

function lifetime(params: IpsecParams['ipsec ike duration'] | undefined): SaLifetime {
  if (params === undefined) return { seconds: IKE_DEFAULTS.lifetimeSeconds, rekey: IKE_DEFAULTS.rekeyPercent };
  return {
    seconds: params.seconds,
    ...(typeof params.kilobytes === 'number' ? { kilobytes: params.kilobytes } : {}),
    rekey: params.rekey ?? IKE_DEFAULTS.rekeyPercent,
    ...(params.forcedReductionSeconds === undefined ? {} : { forcedReductionSeconds: params.forcedReductionSeconds }),
  };
}

function saPolicyOf(command: ConfigCommand, policyId: number, gatewayId: number): IpsecSaPolicy {
  const p = ipsecParams(command, 'ipsec sa policy');
  return {
    policyId,
    gatewayId,
    protocol: p.protocol,
    ...(p.encryption === undefined ? {} : { encryption: p.encryption }),
    ...(p.authentication === undefined ? {} : { authentication: p.authentication }),
    antiReplayCheck: (p.options['anti-replay-check'] ?? 'on').toLowerCase() === 'on',
    ...(p.options['local-id'] === undefined ? {} : { localId: p.options['local-id'] }),
    ...(p.options['remote-id'] === undefined ? {} : { remoteId: p.options['remote-id'] }),
  };
}

/** Every SA policy, with template copies (policy S -> T, gateway T) where T has none of its own. */
export function saPolicies(model: ConfigModel): IpsecSaPolicy[] {
  const own = new Map<number, IpsecSaPolicy>();
  for (const command of model.byName('ipsec sa policy')) {
    const p = ipsecParams(command, 'ipsec sa policy');
    own.set(p.policyId, saPolicyOf(command, p.policyId, p.gateway));
  }
  const all = new Map(own);
  for (const [target, source] of templateSources(model)) {
    const command = model.byName('ipsec sa policy').find((c) => ipsecParams(c, 'ipsec sa policy').policyId === source);
    if (command !== undefined && !own.has(target)) all.set(target, saPolicyOf(command, target, target));
  }
  return [...all.values()].sort((a, b) => a.policyId - b.policyId);
}

function globalAutoRefresh(model: ConfigModel): boolean {
  const command = model.byName('ipsec auto refresh').find((c) => ipsecParams(c, 'ipsec auto refresh').gateway === undefined);
  return command === undefined ? false : ipsecParams(command, 'ipsec auto refresh').enabled;
}

function globalLogTypes(model: ConfigModel): IkeLogType[] {
  const command = model.byName('ipsec ike log').find((c) => ipsecParams(c, 'ipsec ike log').gateway === undefined);
  return command === undefined ? [] : ipsecParams(command, 'ipsec ike log').types;
}

/** The IKE settings of every gateway that has any, defaults applied, templates expanded. */
export function ipsecGateways(model: ConfigModel): IpsecGateway[] {
  const own = collectGatewayCommands(model);
  const sources = templateSources(model);
  const tunnels = new Map(tunnelInterfaces(model).map((t) => [t.tunnel, t]));
  const policies = saPolicies(model);
  const ids = new Set<number>([...own.keys(), ...policies.map((p) => p.gatewayId)]);
  for (const [target, source] of sources) if (own.has(source)) ids.add(target);
  for (const tunnel of tunnels.values()) if (tunnel.ipsecPolicyId !== undefined) ids.add(tunnel.tunnel);

  const autoRefreshOn = globalAutoRefresh(model);
  const defaultLogTypes = globalLogTypes(model);
  return [...ids]
    .sort((a, b) => a - b)
    .map((gatewayId) => {
      const source = sources.get(gatewayId);
      const inherited = source === undefined ? new Map<string, ConfigCommand>() : (own.get(source) ?? new Map());
      const mine = own.get(gatewayId) ?? new Map<string, ConfigCommand>();
      const lookup = <N extends keyof IpsecParams>(name: N, setting: string = name): IpsecParams[N] | undefined => {
        const command = mine.get(setting) ?? inherited.get(setting);
        return command === undefined ? undefined : ipsecParams(command, name);
      };
      const remoteName = lookup('ipsec ike remote name');
      const remoteNameIsInherited = !mine.has('ipsec ike remote name') && inherited.has('ipsec ike remote name');
      const tunnel = tunnels.get(gatewayId);
      return buildGateway(gatewayId, lookup, {
        origin: source !== undefined && inherited.size > 0 ? { kind: 'template', sourceTunnel: source } : { kind: 'configured' },
        remoteName:
          remoteName === undefined
            ? undefined
            : { ...remoteName, name: remoteNameIsInherited ? `${remoteName.name}${gatewayId}` : remoteName.name },
        tunnelEnabled: tunnel?.enabled ?? false,
        tunnelPolicyId: tunnel?.ipsecPolicyId,
        autoRefreshOn,
        defaultLogTypes,
        policies: policies.filter((p) => p.gatewayId === gatewayId),
      });
    });
}

/** The gateway with this id, if it has any settings. */
export function ipsecGateway(model: ConfigModel, gatewayId: number): IpsecGateway | undefined {
  return ipsecGateways(model).find((g) => g.gatewayId === gatewayId);
}

type Lookup = <N extends keyof IpsecParams>(name: N, setting?: string) => IpsecParams[N] | undefined;

interface GatewayContext {
  readonly origin: IpsecGateway['origin'];
  readonly remoteName: IpsecParams['ipsec ike remote name'] | undefined;
  readonly tunnelEnabled: boolean;
  readonly tunnelPolicyId: number | undefined;
  readonly autoRefreshOn: boolean;
  readonly defaultLogTypes: readonly IkeLogType[];
  readonly policies: readonly IpsecSaPolicy[];
}

function buildGateway(gatewayId: number, lookup: Lookup, context: GatewayContext): IpsecGateway {
  const group = lookup('ipsec ike group');
  const keepalive = lookup('ipsec ike keepalive use');
  const nat = lookup('ipsec ike nat-traversal');
  const payload = lookup('ipsec ike payload type');
  const xauth = lookup('ipsec ike xauth request');
  const xauthClient = lookup('ipsec ike xauth myname');
  const method = lookup('ipsec ike mode-cfg method');
  const pool = lookup('ipsec ike mode-cfg address');
  const key = lookup('ipsec ike pre-shared-key')?.key;
  const remoteAddress = lookup('ipsec ike remote address')?.address;
  const remoteId = lookup('ipsec ike remote id');
  const localAddress = lookup('ipsec ike local address')?.address;
  const localName = lookup('ipsec ike local name');
  const localId = lookup('ipsec ike local id');
  const natKeepalive = nat?.options['keepalive'];
  const refresh = lookup('ipsec auto refresh');
  const sendOnlyNewSa = keepalive?.options['send-only-new-sa']?.toLowerCase() as KeepaliveSetting['sendOnlyNewSa'];
  return {
    gatewayId,
    origin: context.origin,
    tunnelEnabled: context.tunnelEnabled,
    ...(context.tunnelPolicyId === undefined ? {} : { tunnelPolicyId: context.tunnelPolicyId }),
    version: lookup('ipsec ike version')?.version === 2 ? 2 : 1,
    encryption: lookup('ipsec ike encryption')?.algorithm ?? IKE_DEFAULTS.encryption,
    hash: lookup('ipsec ike hash')?.algorithm ?? IKE_DEFAULTS.hash,
    group: { phase1: group?.phase1 ?? IKE_DEFAULTS.group, phase2: group?.phase2 ?? IKE_DEFAULTS.group },
    pfs: lookup('ipsec ike pfs')?.enabled ?? false,
    isakmpSaLifetime: lifetime(lookup('ipsec ike duration', 'ipsec ike duration isakmp-sa')),
    ipsecSaLifetime: lifetime(lookup('ipsec ike duration', 'ipsec ike duration ipsec-sa')),
    keepalive: {
      mode: keepalive?.mode ?? 'auto',
      method: keepalive?.method ?? { kind: 'heartbeat' },
      intervalSeconds: keepalive?.timing?.intervalSeconds ?? IKE_DEFAULTS.keepaliveIntervalSeconds,
      count: keepalive?.timing?.count ?? IKE_DEFAULTS.keepaliveCount,
      upwaitSeconds: keepalive?.timing?.upwaitSeconds ?? 0,
      log: lookup('ipsec ike keepalive log')?.enabled ?? true,
      downDisconnect: keepalive?.options['down']?.toLowerCase() === 'disconnect',
      ...(sendOnlyNewSa === undefined ? {} : { sendOnlyNewSa }),
    },
    natTraversal: {
      enabled: nat?.enabled ?? false,
      keepaliveSeconds:
        natKeepalive === undefined ? IKE_DEFAULTS.natKeepaliveSeconds : natKeepalive.toLowerCase() === 'off' ? 'off' : Number(natKeepalive),
      force: nat?.options['force']?.toLowerCase() === 'on',
      type: nat?.options['type'] === '2' ? 2 : 1,
    },
    espEncapsulation: lookup('ipsec ike esp-encapsulation')?.enabled ?? false,
    sendInfo: lookup('ipsec ike send info')?.enabled ?? true,
    payloadType: {
      ikev1: (payload?.ikev1 ?? IKE_DEFAULTS.payloadTypeIkev1) as 1 | 2 | 3,
      ikev2: (payload?.ikev2 ?? IKE_DEFAULTS.payloadTypeIkev2) as 1 | 2,
    },
    xauth:
      xauth?.enabled === true
        ? xauth.groupId === undefined
          ? { request: true }
          : { request: true, groupId: xauth.groupId }
        : { request: false },
    ...(xauthClient === undefined ? {} : { xauthClient: { name: xauthClient.name, password: xauthClient.password } }),
    modeCfg: {
      ...(pool === undefined ? {} : { poolId: pool.poolId }),
      method: 'set',
      openswanCompatible: method?.openswan ?? false,
    },
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
    ...(context.remoteName === undefined ? {} : { remoteName: identity(context.remoteName) }),
    ...(remoteId === undefined ? {} : { remoteId: phaseTwoId(remoteId) }),
    ...(localAddress === undefined ? {} : { localAddress }),
    ...(localName === undefined ? {} : { localName: identity(localName) }),
    ...(localId === undefined ? {} : { localId: phaseTwoId(localId) }),
    ...(key === undefined ? {} : { preSharedKey: preSharedKeyOf(key) }),
    negotiateStrictly: lookup('ipsec ike negotiate-strictly')?.enabled ?? false,
    alwaysOn: lookup('ipsec ike always-on')?.enabled ?? false,
    restrictDanglingSa: lookup('ipsec ike restrict-dangling-sa')?.action ?? 'auto',
    // The global switch (default off) wins over the per-gateway one (default on), §15.10.
    autoRefresh: context.autoRefreshOn && (refresh?.enabled ?? true),
    logTypes: lookup('ipsec ike log')?.types ?? context.defaultLogTypes,
    saPolicies: context.policies,
  };
}

function identity(params: { name: string; idType?: IkeIdType }): IkeIdentity {
  return params.idType === undefined ? { name: params.name } : { name: params.name, idType: params.idType };
}

function preSharedKeyOf(key: IpsecParams['ipsec ike pre-shared-key']['key']): PreSharedKey {
  switch (key.kind) {
    case 'text':
      return { kind: 'text', text: key.text };
    case 'hex':
      return { kind: 'hex', bytes: hexToBytes(key.hex) };
    case 'masked':
      return { kind: 'masked' };
  }
}
