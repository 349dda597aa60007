/**
 * The IPsec/IKE family (command reference chapter 15): full parameter shapes (grammar/ipsec.ne)
 * and the value checks the grammar cannot express.
 *
 * Ranges are those of the current reference unless noted; RTX1500 Rev.8.03 specifics:
 * - gateway (security gateway) ids and tunnel numbers 1..100: assumed from the RTX1500's
 *   100 VPN peers (the reference lists 1..100 for RTX1210/1220/1300, 1..20 for RTX830).
 */
import { laterThanRev803 } from './rev803-values.js';
import grammar from '../generated/ipsec.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import type { ConfigToken } from '../tokenize.js';
import { RTX_MAX_TUNNEL_NUMBER, tunnelNumberProblem, type ConfigLimits } from '../limits.js';
import {
  firstProblem,
  idRangeWithin,
  illegal,
  inRange,
  ipv4ToNumber,
  lengthBetween,
  orderedRange,
  validMask,
  leadingIntegerIdentity,
  type Check,
} from './checks.js';

/** The RTX1500's security gateway numbers (ASSUMED); rtxlab's `--max-tunnels` lifts it (ConfigLimits). */
export const MAX_GATEWAY_ID = RTX_MAX_TUNNEL_NUMBER;

export type IkeEncryptionAlgorithm = '3des-cbc' | 'des-cbc' | 'aes-cbc' | 'aes256-cbc';
export type IkeHashAlgorithm = 'md5' | 'sha' | 'sha256' | 'sha384' | 'sha512';
export type DhGroupName = 'modp768' | 'modp1024' | 'modp1536' | 'modp2048';
export type IkeLogType = 'message-info' | 'payload-info' | 'key-info';
export type IkeIdType = 'ipv4-addr' | 'fqdn' | 'user-fqdn' | 'rfc822-addr' | 'ipv6-addr' | 'key-id' | 'tel' | 'tel-key';
export type EspEncryptionAlgorithm = '3des-cbc' | 'des-cbc' | 'aes-cbc' | 'aes256-cbc' | 'null';
export type AuthenticationAlgorithm = 'md5-hmac' | 'sha-hmac' | 'sha256-hmac' | 'sha384-hmac' | 'sha512-hmac';
export type KeepaliveMode = 'on' | 'off' | 'auto';

/** A pre-shared key as written: hex bytes (`0x...`), text, or `*` (masked by a capture). */
export type PreSharedKeyParam =
  | { readonly kind: 'hex'; readonly hex: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'masked' };

export type RemoteAddressParam =
  | { readonly kind: 'ip'; readonly address: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'host'; readonly name: string };

export type LocalAddressParam =
  | { readonly kind: 'ip'; readonly address: string }
  | { readonly kind: 'vrrp'; readonly interface: string; readonly vrid: number }
  | { readonly kind: 'ipcp'; readonly peer: number }
  | { readonly kind: 'ipv6-prefix'; readonly prefix: string; readonly interface: string };

export type KeepaliveMethodParam =
  | { readonly kind: 'heartbeat' | 'dpd' | 'rfc4306' }
  | { readonly kind: 'icmp-echo'; readonly target: string; readonly length?: number };

export interface KeepaliveTimingParam {
  readonly intervalSeconds: number;
  readonly count: number;
  readonly upwaitSeconds?: number;
}

/** The params each ipsec command's grammar alternative returns. */
export interface IpsecParams {
  'ipsec use': { enabled: boolean };
  'ipsec log illegal-spi': { enabled: boolean };
  'ipsec auto refresh': { gateway?: number; enabled: boolean };
  'ipsec ike version': { gateway: number; version: number };
  'ipsec ike auth method': { gateway: number; method: string };
  'ipsec ike pre-shared-key': { gateway: number; key: PreSharedKeyParam };
  'ipsec ike negotiate-strictly': { gateway: number; enabled: boolean };
  'ipsec ike always-on': { gateway: number; enabled: boolean };
  'ipsec ike retry': { count: number; intervalSeconds: number; maxSessions?: number };
  'ipsec ike remote name': { gateway: number; name: string; idType?: IkeIdType };
  'ipsec ike remote address': { gateway: number; address: RemoteAddressParam };
  'ipsec ike remote id': { gateway: number; address: string; mask?: string };
  'ipsec ike local name': { gateway: number; name: string; idType?: IkeIdType };
  'ipsec ike local address': { gateway: number; address: LocalAddressParam };
  'ipsec ike local id': { gateway: number; address: string; mask?: string };
  'ipsec ike keepalive use': {
    gateway: number;
    mode: KeepaliveMode;
    method?: KeepaliveMethodParam;
    timing?: KeepaliveTimingParam;
    /** `down=disconnect`, `send-only-new-sa=on|off|auto` as written. */
    options: Readonly<Record<string, string>>;
  };
  'ipsec ike keepalive log': { gateway: number; enabled: boolean };
  'ipsec ike encryption': { gateway: number; algorithm: IkeEncryptionAlgorithm };
  'ipsec ike queue length': { length: number };
  'ipsec ike group': { gateway: number; phase1: DhGroupName; phase2: DhGroupName };
  'ipsec ike hash': { gateway: number; algorithm: IkeHashAlgorithm };
  'ipsec ike payload type': { gateway: number; ikev1: number; ikev2?: number };
  'ipsec ike backward-compatibility': { gateway: number; type: number };
  'ipsec ike send info': { gateway: number; enabled: boolean };
  'ipsec ike pfs': { gateway: number; enabled: boolean };
  'ipsec ike xauth myname': { gateway: number; name: string; password: string };
  'ipsec ike xauth request': { gateway: number; enabled: boolean; groupId?: number };
  'ipsec ike mode-cfg address pool': { poolId: number; range: string };
  'ipsec ike mode-cfg method': { gateway: number; method: 'set'; openswan: boolean };
  'ipsec ike mode-cfg address': { gateway: number; poolId: number };
  'ipsec ike log': { gateway?: number; types: IkeLogType[] };
  'ipsec ike esp-encapsulation': { gateway: number; enabled: boolean };
  'ipsec ike duration': {
    sa: 'ipsec-sa' | 'isakmp-sa';
    gateway: number;
    seconds: number;
    kilobytes?: number | 'off';
    rekey?: number | 'off';
    forcedReductionSeconds?: number;
  };
  'ipsec ike restrict-dangling-sa': { gateway: number; action: 'auto' | 'off' };
  /** options: `keepalive=`, `force=`, `type=` as written. */
  'ipsec ike nat-traversal': { gateway: number; enabled: boolean; options: Readonly<Record<string, string>> };
  'ipsec ike auto received-id-route-add': { gateway: number; enabled: boolean };
  'ipsec ike proposal-limitation': { gateway: number; enabled: boolean };
  'ipsec ike message-id-control': { gateway: number; enabled: boolean };
  'ipsec ike negotiation receive': { gateway: number; enabled: boolean };
  'ipsec ike child-exchange type': { gateway: number; type: number };
  'ipsec ike license-key': { licenseId: number; key: string };
  'ipsec ike license-key use': { gateway: number; enabled: boolean };
  'ipsec sa policy': {
    policyId: number;
    gateway: number;
    protocol: 'esp' | 'ah';
    encryption?: EspEncryptionAlgorithm;
    authentication?: AuthenticationAlgorithm;
    /** `anti-replay-check=`, `local-id=`, `remote-id=` as written. */
    options: Readonly<Record<string, string>>;
  };
  'ipsec tunnel': { policyId: number };
  'ipsec tunnel outer df-bit': { mode: 'copy' | 'set' | 'clear' };
  'ipsec ipcomp type': { type: 'deflate' | 'none' };
  'ipsec transport': {
    transportId: number;
    policyId: number;
    protocol?: string;
    sourcePorts?: string;
    destinationPorts?: string;
  };
  'ipsec transport template': { transportId: number; targets: string[] };
}

export type IpsecCommandName = keyof IpsecParams;

/** The params of an ipsec command whose name is known. */
export function ipsecParams<N extends IpsecCommandName>(command: ParsedCommand, name: N): IpsecParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as IpsecParams[N];
}

const commands: readonly IpsecCommandName[] = [
  'ipsec use',
  'ipsec log illegal-spi',
  'ipsec auto refresh',
  'ipsec ike version',
  'ipsec ike auth method',
  'ipsec ike pre-shared-key',
  'ipsec ike negotiate-strictly',
  'ipsec ike always-on',
  'ipsec ike retry',
  'ipsec ike remote name',
  'ipsec ike remote address',
  'ipsec ike remote id',
  'ipsec ike local name',
  'ipsec ike local address',
  'ipsec ike local id',
  'ipsec ike keepalive use',
  'ipsec ike keepalive log',
  'ipsec ike encryption',
  'ipsec ike queue length',
  'ipsec ike group',
  'ipsec ike hash',
  'ipsec ike payload type',
  'ipsec ike backward-compatibility',
  'ipsec ike send info',
  'ipsec ike pfs',
  'ipsec ike xauth myname',
  'ipsec ike xauth request',
  'ipsec ike mode-cfg address pool',
  'ipsec ike mode-cfg method',
  'ipsec ike mode-cfg address',
  'ipsec ike log',
  'ipsec ike esp-encapsulation',
  'ipsec ike duration',
  'ipsec ike restrict-dangling-sa',
  'ipsec ike nat-traversal',
  'ipsec ike auto received-id-route-add',
  'ipsec ike proposal-limitation',
  'ipsec ike message-id-control',
  'ipsec ike negotiation receive',
  'ipsec ike child-exchange type',
  'ipsec ike license-key',
  'ipsec ike license-key use',
  'ipsec sa policy',
  'ipsec tunnel',
  'ipsec tunnel outer df-bit',
  'ipsec ipcomp type',
  'ipsec transport',
  'ipsec transport template',
];

const gatewayCheck = (params: Record<string, unknown>, limits: ConfigLimits): Check =>
  typeof params['gateway'] === 'number' ? tunnelNumberProblem(params['gateway'], limits, 'gateway id') : undefined;

const switchOption = (value: string | undefined, allowed: readonly string[], what: string): Check =>
  value === undefined || allowed.includes(value.toLowerCase()) ? undefined : illegal(`${what}=${value}`);

function checkPoolRange(range: string): Check {
  const [addresses, mask] = range.split('/');
  const [first, last] = (addresses ?? '').split('-');
  return firstProblem(validMask(mask, 'pool'), orderedRange(first ?? '', last, 'pool'));
}

function checkCommand(command: ParsedCommand): Check {
  const p = command.params;
  switch (command.name as IpsecCommandName) {
    case 'ipsec ike version':
      return inRange(ipsecParams(command, 'ipsec ike version').version, 1, 2, 'version');
    case 'ipsec ike pre-shared-key': {
      const key = ipsecParams(command, 'ipsec ike pre-shared-key').key;
      if (key.kind === 'text') return lengthBetween(key.text, 1, 128, 'pre-shared key text');
      if (key.kind === 'hex') return inRange(key.hex.length / 2, 1, 128, 'pre-shared key bytes');
      return undefined;
    }
    case 'ipsec ike retry': {
      const retry = ipsecParams(command, 'ipsec ike retry');
      return firstProblem(
        inRange(retry.count, 1, 50, 'count'),
        inRange(retry.intervalSeconds, 1, 100, 'interval'),
        inRange(retry.maxSessions, 1, 5, 'max_session'),
      );
    }
    case 'ipsec ike remote name':
    case 'ipsec ike local name':
      return lengthBetween(p['name'] as string, 1, 256, 'name');
    case 'ipsec ike remote address': {
      const address = ipsecParams(command, 'ipsec ike remote address').address;
      return address.kind === 'host' ? lengthBetween(address.name, 1, 255, 'host name') : undefined;
    }
    case 'ipsec ike remote id':
    case 'ipsec ike local id':
      return validMask(p['mask'] as string | undefined, 'id');
    case 'ipsec ike local address': {
      const address = ipsecParams(command, 'ipsec ike local address').address;
      if (address.kind === 'vrrp') return inRange(address.vrid, 1, 255, 'vrid');
      if (address.kind === 'ipcp') return inRange(address.peer, 1, 150, 'peer number');
      return undefined;
    }
    case 'ipsec ike keepalive use': {
      const keepalive = ipsecParams(command, 'ipsec ike keepalive use');
      const method = keepalive.method;
      return firstProblem(
        inRange(keepalive.timing?.intervalSeconds, 1, 600, 'interval'),
        inRange(keepalive.timing?.count, 1, 50, 'count'),
        inRange(keepalive.timing?.upwaitSeconds, 0, 1_000_000, 'upwait'),
        method?.kind === 'icmp-echo' ? inRange(method.length, 64, 1500, 'length') : undefined,
        switchOption(keepalive.options['down'], ['disconnect'], 'down'),
        switchOption(keepalive.options['send-only-new-sa'], ['on', 'off', 'auto'], 'send-only-new-sa'),
      );
    }
    case 'ipsec ike queue length':
      return inRange(ipsecParams(command, 'ipsec ike queue length').length, 1, 24_000, 'length');
    case 'ipsec ike payload type': {
      const type = ipsecParams(command, 'ipsec ike payload type');
      return firstProblem(inRange(type.ikev1, 1, 3, 'type1'), inRange(type.ikev2, 1, 2, 'type2'));
    }
    case 'ipsec ike backward-compatibility':
    case 'ipsec ike child-exchange type':
      return inRange(p['type'] as number, 1, 2, 'type');
    case 'ipsec ike xauth myname': {
      const myname = ipsecParams(command, 'ipsec ike xauth myname');
      return firstProblem(lengthBetween(myname.name, 1, 32, 'name'), lengthBetween(myname.password, 1, 32, 'password'));
    }
    case 'ipsec ike xauth request':
      return inRange(ipsecParams(command, 'ipsec ike xauth request').groupId, 1, 1000, 'group id');
    case 'ipsec ike mode-cfg address pool': {
      const pool = ipsecParams(command, 'ipsec ike mode-cfg address pool');
      return firstProblem(inRange(pool.poolId, 1, 65535, 'pool id'), checkPoolRange(pool.range));
    }
    case 'ipsec ike mode-cfg address':
      return inRange(ipsecParams(command, 'ipsec ike mode-cfg address').poolId, 1, 65535, 'pool id');
    case 'ipsec ike duration': {
      const duration = ipsecParams(command, 'ipsec ike duration');
      return firstProblem(
        inRange(duration.seconds, 300, 691_200, 'seconds'),
        typeof duration.kilobytes === 'number' ? inRange(duration.kilobytes, 100, 2_147_483_647, 'kbytes') : undefined,
        typeof duration.rekey === 'number' ? inRange(duration.rekey, 70, 90, 'rekey %') : undefined,
        // rekey off exists only for the ISAKMP SA (reference §15.48.1).
        duration.rekey === 'off' && duration.sa === 'ipsec-sa' ? illegal('rekey off needs isakmp-sa') : undefined,
        inRange(duration.forcedReductionSeconds, 1, 691_200, 'forced-reduction'),
      );
    }
    case 'ipsec ike nat-traversal': {
      const options = ipsecParams(command, 'ipsec ike nat-traversal').options;
      const keepalive = options['keepalive'];
      return firstProblem(
        keepalive === undefined || keepalive.toLowerCase() === 'off'
          ? undefined
          : /^\d+$/.test(keepalive)
            ? inRange(Number(keepalive), 30, 100_000, 'keepalive')
            : { error: 'parameter-must-be-integer', detail: `keepalive=${keepalive}` },
        switchOption(options['force'], ['on', 'off'], 'force'),
        switchOption(options['type'], ['1', '2'], 'type'),
      );
    }
    case 'ipsec ike license-key': {
      const license = ipsecParams(command, 'ipsec ike license-key');
      return firstProblem(inRange(license.licenseId, 1, 500, 'license id'), lengthBetween(license.key, 1, 64, 'key'));
    }
    case 'ipsec sa policy': {
      const policy = ipsecParams(command, 'ipsec sa policy');
      return firstProblem(
        inRange(policy.policyId, 1, 2_147_483_647, 'policy id'),
        switchOption(policy.options['anti-replay-check'], ['on', 'off'], 'anti-replay-check'),
      );
    }
    case 'ipsec tunnel':
      return inRange(ipsecParams(command, 'ipsec tunnel').policyId, 1, 2_147_483_647, 'policy id');
    case 'ipsec transport': {
      const transport = ipsecParams(command, 'ipsec transport');
      return firstProblem(
        inRange(transport.transportId, 1, 2_147_483_647, 'transport id'),
        inRange(transport.policyId, 1, 2_147_483_647, 'policy id'),
      );
    }
    case 'ipsec transport template': {
      const template = ipsecParams(command, 'ipsec transport template');
      return firstProblem(
        inRange(template.transportId, 1, 2_147_483_647, 'transport id'),
        ...template.targets.map((t) => idRangeWithin(t, 1, 2_147_483_647, 'transport id')),
      );
    }
    default:
      return undefined;
  }
}

function validate(command: ParsedCommand, limits: ConfigLimits): ValidationProblem | undefined {
  return gatewayCheck(command.params as Record<string, unknown>, limits) ?? checkCommand(command);
}

// `ipsec ike duration ipsec-sa 1` and `... child-sa 1` are the same setting.
const durationIdentity = (words: readonly ConfigToken[]): readonly string[] | undefined => {
  const [sa, gateway] = words;
  if (sa === undefined || gateway === undefined) return undefined;
  const kind = sa.text === 'child-sa' ? 'ipsec-sa' : sa.text === 'ike-sa' ? 'isakmp-sa' : sa.text;
  return [kind, gateway.value];
};

// Most commands name their gateway (or policy, pool, transport id) first: one setting each.
const OPTIONAL_GATEWAY = new Set<string>(['ipsec auto refresh', 'ipsec ike log']);
const specs: Readonly<Record<string, CommandSpec>> = {
  ...Object.fromEntries(
    commands.map((name) => [name, OPTIONAL_GATEWAY.has(name) ? { identity: leadingIntegerIdentity } : { identity: 1 }]),
  ),
  'ipsec use': { identity: 0 },
  'ipsec log illegal-spi': { identity: 0 },
  'ipsec ike retry': { identity: 0 },
  'ipsec ike queue length': { identity: 0 },
  'ipsec ike duration': { identity: durationIdentity },
  'ipsec tunnel': { identity: 0, scope: 'tunnel' },
  'ipsec tunnel outer df-bit': { identity: 0, scope: 'tunnel' },
  'ipsec ipcomp type': { identity: 0, scope: 'tunnel' },
};

export const family: CommandFamily = {
  name: 'ipsec',
  firstKeywords: ['ipsec'],
  commands,
  grammar,
  validate,
  specs,
  laterThanRev803,
};

/** `a.b.c.d[-e.f.g.h][/mask]` -> first and last address (as numbers) and the mask text. */
export function poolBounds(range: string): { first: number; last: number; mask?: string } {
  const [addresses = '', mask] = range.split('/');
  const [first = '', last] = addresses.split('-');
  const bounds = { first: ipv4ToNumber(first), last: ipv4ToNumber(last ?? first) };
  return mask === undefined ? bounds : { ...bounds, mask };
}
