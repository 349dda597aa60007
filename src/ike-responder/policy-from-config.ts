/**
 * The config engine's views -> the responder's policy, and the factory `rtxlab start` plugs into
 * the router (`(config) => IkeResponder`). The only place where ike-responder knows the config.
 */
import { numberToIpv4 } from '../config/families/checks.js';
import { ipsecParams } from '../config/families/ipsec.js';
import type { ConfigModel } from '../config/model.js';
import { authView, ipsecGateways, modeCfgPools, syslogSettings, type IpsecGateway, type PreSharedKey } from '../config/views/index.js';
import type { PhaseTwoId } from '../config/views/ipsec-gateways.js';
import type { Identity } from '../ike/codec/index.js';
import type { IkeResponder } from './port.js';
import type { GatewayPolicy, Phase2Ids, PreSharedKeyPolicy, RemoteAddressPolicy, ResponderPolicy, SaPolicy, XauthDirectory } from './policy.js';
import { RtxIkeResponder, type RtxIkeResponderOptions } from './responder.js';

export interface PolicyOptions {
  /** Keys given outside the config (`--psk N=KEY`), filling in keys the config shows masked. */
  readonly suppliedKeys?: ReadonlyMap<number, PreSharedKey>;
  /** rtxlab option, not RTX behaviour: answer mode-cfg REQUESTs (`--answer-mode-cfg-requests`). */
  readonly answerModeCfgRequests?: boolean;
}

export function policyFromConfig(model: ConfigModel, options: PolicyOptions = {}): ResponderPolicy {
  const ipsecUse = ipsecUseOf(model);
  // The config view's AuthView is the directory the XAUTH server asks (user over group, §15.33).
  const xauthUsers: XauthDirectory = authView(model);
  return {
    gateways: ipsecGateways(model).map((gateway) => gatewayPolicyOf(gateway, ipsecUse, options.suppliedKeys?.get(gateway.gatewayId))),
    syslogDebug: syslogSettings(model).debug,
    xauthUsers,
    addressPools: modeCfgPools(model),
    answerModeCfgRequests: options.answerModeCfgRequests ?? false,
  };
}

/** The factory `rtxlab start` hands the router. */
export function createRtxIkeResponder(model: ConfigModel, options: PolicyOptions & RtxIkeResponderOptions = {}): IkeResponder {
  return new RtxIkeResponder(policyFromConfig(model, options), options);
}

/** `ipsec use on|off` (default on, §15.1). */
function ipsecUseOf(model: ConfigModel): boolean {
  const command = model.byName('ipsec use')[0];
  return command === undefined ? true : ipsecParams(command, 'ipsec use').enabled;
}

function gatewayPolicyOf(gateway: IpsecGateway, ipsecUse: boolean, supplied: PreSharedKey | undefined): GatewayPolicy {
  const localAddress = gateway.localAddress?.kind === 'ip' ? gateway.localAddress.address : undefined;
  const logTypes = new Set(gateway.logTypes);
  return {
    gatewayId: gateway.gatewayId,
    // IKEv2 gateways (`ipsec ike version GW 2`) are not this responder's: RTX1500 has no IKEv2.
    enabled: ipsecUse && gateway.tunnelEnabled && gateway.version === 1,
    remoteAddress: remoteAddressOf(gateway),
    ...(gateway.remoteName === undefined ? {} : { remoteName: gateway.remoteName.name }),
    // vrrp/ipcp/ipv6-prefix forms name no fixed address: the arrival address is used (§15.18).
    ...(localAddress === undefined ? {} : { localAddress }),
    preSharedKey: preSharedKeyOf(supplied ?? gateway.preSharedKey),
    encryption: gateway.encryption,
    hash: gateway.hash,
    group: gateway.group.phase1,
    isakmpLifetimeSeconds: gateway.isakmpSaLifetime.seconds,
    negotiateStrictly: gateway.negotiateStrictly,
    payloadType: gateway.payloadType.ikev1,
    sendInfo: gateway.sendInfo,
    natTraversal: {
      enabled: gateway.natTraversal.enabled,
      keepaliveSeconds: gateway.natTraversal.keepaliveSeconds,
      force: gateway.natTraversal.force,
    },
    keepalive: {
      use: gateway.keepalive.mode,
      method: gateway.keepalive.method.kind,
      intervalSeconds: gateway.keepalive.intervalSeconds,
      count: gateway.keepalive.count,
      ...(gateway.keepalive.method.kind === 'icmp-echo'
        ? { icmpEchoTarget: gateway.keepalive.method.target, ...(gateway.keepalive.method.length === undefined ? {} : { icmpEchoLength: gateway.keepalive.method.length }) }
        : {}),
      log: gateway.keepalive.log,
    },
    xauth: gateway.xauth.request
      ? { request: true, ...(gateway.xauth.groupId === undefined ? {} : { userGroupId: gateway.xauth.groupId }) }
      : { request: false },
    ...(gateway.modeCfg.poolId === undefined ? {} : { modeCfgPoolId: gateway.modeCfg.poolId }),
    modeCfgOpenswan: gateway.modeCfg.openswanCompatible,
    log: { messageInfo: logTypes.has('message-info'), payloadInfo: logTypes.has('payload-info'), keyInfo: logTypes.has('key-info') },
    // Gateway N is tunnel N's (`tunnel select N` + `ipsec tunnel P`, chapter 15 intro).
    tunnelId: gateway.gatewayId,
    ...saPolicyOf(gateway),
    ipsecLifetimeSeconds: gateway.ipsecSaLifetime.seconds,
    phase2Group: gateway.group.phase2,
    ...phase2IdsOf(gateway),
  };
}

/** `ipsec ike local id` / `remote id` as wire IDs: type 1 without a mask, type 4 with one (§15.16, §15.19). */
function phase2IdsOf(gateway: IpsecGateway): { phase2Ids?: Phase2Ids } {
  if (gateway.localId === undefined && gateway.remoteId === undefined) return {};
  return {
    phase2Ids: {
      ...(gateway.localId === undefined ? {} : { local: phase2Identity(gateway.localId) }),
      ...(gateway.remoteId === undefined ? {} : { remote: phase2Identity(gateway.remoteId) }),
    },
  };
}

function phase2Identity(id: PhaseTwoId): Identity {
  if (id.prefixLength === undefined) return { kind: 'ipv4-address', address: id.address };
  const mask = id.prefixLength === 0 ? 0 : (0xffffffff << (32 - id.prefixLength)) >>> 0;
  return { kind: 'ipv4-subnet', address: id.address, netmask: numberToIpv4(mask) };
}

/** The tunnel's `ipsec tunnel P`, when policy P names this gateway. */
function saPolicyOf(gateway: IpsecGateway): { saPolicy?: SaPolicy } {
  const policy = gateway.saPolicies.find((candidate) => candidate.policyId === gateway.tunnelPolicyId);
  if (policy === undefined) return {};
  return {
    saPolicy: {
      policyId: policy.policyId,
      protocol: policy.protocol,
      ...(policy.encryption === undefined ? {} : { encryption: policy.encryption }),
      ...(policy.authentication === undefined ? {} : { authentication: policy.authentication }),
    },
  };
}

function remoteAddressOf(gateway: IpsecGateway): RemoteAddressPolicy {
  const address = gateway.remoteAddress;
  if (address === undefined) return { kind: 'unset' };
  switch (address.kind) {
    case 'any':
      return { kind: 'any' };
    case 'ip':
      return { kind: 'ip', address: address.address };
    case 'host':
      return { kind: 'host', name: address.name };
  }
}

function preSharedKeyOf(key: PreSharedKey | undefined): PreSharedKeyPolicy {
  if (key === undefined) return { kind: 'missing' };
  switch (key.kind) {
    case 'text':
      return { kind: 'text', text: key.text };
    case 'hex':
      return { kind: 'hex', bytes: Buffer.from(key.bytes) };
    case 'masked':
      return { kind: 'masked' };
  }
}
