/**
 * The auth family: XAUTH users, user groups and their attributes (command reference §15.32-15.35).
 *
 * Attributes are `key=value` words; the reference says a repeated attribute is a command error
 * and that user attributes override their group's. Ranges: user/group ids 1..1000 ("その他" row of
 * the reference; RTX1500's own limit was not found), user name 3..256 and password 3..64
 * characters ("3 文字以上を設定してください").
 */
import grammar from '../generated/auth.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import { isIpv4 } from '../grammar-support.js';
import { firstProblem, idRangeWithin, illegal, inRange, lengthBetween, orderedRange, validMask, type Check } from './checks.js';

export const MAX_AUTH_ID = 1000;

export interface AuthParams {
  'auth user': { userId: number; username: string; password: string };
  /** Attribute pairs as written, keys lower-cased: `[['xauth', 'on'], ...]`. */
  'auth user attribute': { userId: number; pairs: [string, string][] };
  /** Members as written: `N` or `N-M`. */
  'auth user group': { groupId: number; members: string[] };
  'auth user group attribute': { groupId: number; pairs: [string, string][] };
}

export type AuthCommandName = keyof AuthParams;

export function authParams<N extends AuthCommandName>(command: ParsedCommand, name: N): AuthParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as AuthParams[N];
}

/** An address handed to an XAUTH client: `IP[/mask]`. */
export interface AssignedAddress {
  readonly address: string;
  readonly mask?: string;
}

/** A group's address pool: `IP[/mask]` or `IP-IP[/mask]`. */
export interface AddressPoolRange {
  readonly first: string;
  readonly last: string;
  readonly mask?: string;
}

/** Attributes a user or a group sets explicitly (absent: not set at this level). */
export interface XauthAttributes {
  readonly xauth?: boolean;
  readonly eapMd5?: boolean;
  readonly dns?: string;
  readonly wins?: string;
  readonly filter?: string;
  /** Users only. */
  readonly address?: AssignedAddress;
  /** Groups only. */
  readonly addressPool?: AddressPoolRange;
}

export type AttributeParse =
  | { readonly ok: true; readonly attributes: XauthAttributes }
  | { readonly ok: false; readonly problem: ValidationProblem };

type Level = 'user' | 'group';

const splitMask = (text: string): { address: string; mask?: string } => {
  const slash = text.indexOf('/');
  return slash < 0 ? { address: text } : { address: text.slice(0, slash), mask: text.slice(slash + 1) };
};

const isAddress = (text: string): boolean => isIpv4(text) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(text);

function onOff(key: string, value: string): boolean | ValidationProblem {
  const lower = value.toLowerCase();
  if (lower === 'on' || lower === 'off') return lower === 'on';
  return illegal(`${key}=${value}`);
}

function addressValue(key: string, value: string): string | ValidationProblem {
  return isAddress(value) ? value : { error: 'unrecognized-ip-address', detail: `${key}=${value}` };
}

/** Parses `key=value` attribute pairs of a user or a group (pure; used by validation and views). */
export function parseXauthAttributes(pairs: readonly (readonly [string, string])[], level: Level): AttributeParse {
  const seen = new Set<string>();
  const attributes: { -readonly [K in keyof XauthAttributes]: XauthAttributes[K] } = {};
  for (const [key, value] of pairs) {
    if (seen.has(key)) return { ok: false, problem: illegal(`${key} given twice`) };
    seen.add(key);
    const result = parseOne(key, value, level, attributes);
    if (result !== undefined) return { ok: false, problem: result };
  }
  return { ok: true, attributes };
}

function parseOne(
  key: string,
  value: string,
  level: Level,
  into: { -readonly [K in keyof XauthAttributes]: XauthAttributes[K] },
): ValidationProblem | undefined {
  switch (key) {
    case 'xauth':
    case 'eap-md5': {
      const flag = onOff(key, value);
      if (typeof flag !== 'boolean') return flag;
      if (key === 'xauth') into.xauth = flag;
      else into.eapMd5 = flag;
      return undefined;
    }
    case 'xauth-dns':
    case 'xauth-wins': {
      const address = addressValue(key, value);
      if (typeof address !== 'string') return address;
      if (key === 'xauth-dns') into.dns = address;
      else into.wins = address;
      return undefined;
    }
    case 'xauth-filter':
      if (value.length === 0) return illegal('xauth-filter needs a name');
      into.filter = value;
      return undefined;
    case 'xauth-address': {
      if (level !== 'user') return illegal(`${key} is a user attribute`);
      const { address, mask } = splitMask(value);
      if (!isAddress(address)) return { error: 'unrecognized-ip-address', detail: `${key}=${value}` };
      const maskProblem = validMask(mask, key);
      if (maskProblem) return maskProblem;
      into.address = mask === undefined ? { address } : { address, mask };
      return undefined;
    }
    case 'xauth-address-pool': {
      if (level !== 'group') return illegal(`${key} is a group attribute`);
      const { address: range, mask } = splitMask(value);
      const [first = '', last = first] = range.split('-');
      if (!isIpv4(first) || !isIpv4(last)) return { error: 'unrecognized-ip-address', detail: `${key}=${value}` };
      const problem = validMask(mask, key) ?? orderedRange(first, last, key);
      if (problem) return problem;
      into.addressPool = mask === undefined ? { first, last } : { first, last, mask };
      return undefined;
    }
    default:
      return illegal(`unknown attribute ${key}`);
  }
}

const commands: readonly AuthCommandName[] = ['auth user', 'auth user attribute', 'auth user group', 'auth user group attribute'];

function validate(command: ParsedCommand): ValidationProblem | undefined {
  switch (command.name as AuthCommandName) {
    case 'auth user': {
      const user = authParams(command, 'auth user');
      return firstProblem(
        inRange(user.userId, 1, MAX_AUTH_ID, 'user id'),
        lengthBetween(user.username, 3, 256, 'user name'),
        lengthBetween(user.password, 3, 64, 'password'),
      );
    }
    case 'auth user attribute': {
      const attribute = authParams(command, 'auth user attribute');
      return inRange(attribute.userId, 1, MAX_AUTH_ID, 'user id') ?? attributeProblem(attribute.pairs, 'user');
    }
    case 'auth user group': {
      const group = authParams(command, 'auth user group');
      return firstProblem(
        inRange(group.groupId, 1, MAX_AUTH_ID, 'group id'),
        ...group.members.map((m) => idRangeWithin(m, 1, MAX_AUTH_ID, 'user id')),
      );
    }
    case 'auth user group attribute': {
      const attribute = authParams(command, 'auth user group attribute');
      return inRange(attribute.groupId, 1, MAX_AUTH_ID, 'group id') ?? attributeProblem(attribute.pairs, 'group');
    }
    default:
      return undefined;
  }
}

function attributeProblem(pairs: readonly [string, string][], level: Level): Check {
  const parsed = parseXauthAttributes(pairs, level);
  return parsed.ok ? undefined : parsed.problem;
}

const specs: Readonly<Record<string, CommandSpec>> = {
  'auth user': { identity: 1, scope: 'global' },
  'auth user attribute': { identity: 1, scope: 'global' },
  'auth user group': { identity: 1, scope: 'global' },
  'auth user group attribute': { identity: 1, scope: 'global' },
};

export const family: CommandFamily = {
  name: 'auth',
  firstKeywords: ['auth'],
  commands,
  grammar,
  validate,
  specs,
};
