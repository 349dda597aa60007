/**
 * XAUTH users and groups (command reference §15.32-15.35): who may log in, and the attributes
 * (address, DNS, WINS, filter) handed to them. A user's own attributes override its group's;
 * unset, `xauth` is off for both (reference "[初期値] : xauth=off").
 */
import { authParams, parseXauthAttributes, type AddressPoolRange, type AssignedAddress, type XauthAttributes } from '../families/auth.js';
import { parseIdRange } from '../families/checks.js';
import type { ConfigModel } from '../model.js';

export interface AuthUser {
  readonly userId: number;
  readonly username: string;
  readonly password: string;
  /** Attributes set by `auth user attribute` for this user only. */
  readonly attributes: XauthAttributes;
  /** Groups that list this user, ascending. */
  readonly groups: readonly number[];
}

export interface AuthGroup {
  readonly groupId: number;
  /** Member user ids (ranges expanded), ascending; members need not exist as users. */
  readonly members: readonly number[];
  readonly attributes: XauthAttributes;
}

export type AddressAssignment =
  | { readonly kind: 'fixed'; readonly address: AssignedAddress }
  | { readonly kind: 'pool'; readonly pool: AddressPoolRange };

/** What applies to a user logging in through a group: user values first, then the group's. */
export interface EffectiveXauthAttributes {
  readonly xauth: boolean;
  readonly eapMd5: boolean;
  readonly address?: AddressAssignment;
  readonly dns?: string;
  readonly wins?: string;
  readonly filter?: string;
}

export interface AuthView {
  readonly users: ReadonlyMap<number, AuthUser>;
  readonly groups: ReadonlyMap<number, AuthGroup>;
  /**
   * The user with this name; with a group id, only members of that group (`ipsec ike xauth
   * request N on GROUP` authenticates that group's users only, §15.36).
   */
  findUser(username: string, groupId?: number): AuthUser | undefined;
  /**
   * The attributes in force for a user: through `groupId` when given and the user is a member,
   * else through the lowest-numbered group listing the user (assumed; the reference names no rule).
   */
  effectiveAttributes(userId: number, groupId?: number): EffectiveXauthAttributes;
}

function expandMembers(members: readonly string[]): number[] {
  const ids = new Set<number>();
  for (const member of members) {
    const [from, to] = parseIdRange(member);
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

function attributesOf(pairs: readonly [string, string][], level: 'user' | 'group'): XauthAttributes {
  const parsed = parseXauthAttributes(pairs, level);
  return parsed.ok ? parsed.attributes : {};
}

export function authView(model: ConfigModel): AuthView {
  const userAttributes = new Map<number, XauthAttributes>();
  for (const command of model.byName('auth user attribute')) {
    const p = authParams(command, 'auth user attribute');
    userAttributes.set(p.userId, attributesOf(p.pairs, 'user'));
  }
  const groupAttributes = new Map<number, XauthAttributes>();
  for (const command of model.byName('auth user group attribute')) {
    const p = authParams(command, 'auth user group attribute');
    groupAttributes.set(p.groupId, attributesOf(p.pairs, 'group'));
  }
  const groups = new Map<number, AuthGroup>();
  for (const command of model.byName('auth user group')) {
    const p = authParams(command, 'auth user group');
    groups.set(p.groupId, { groupId: p.groupId, members: expandMembers(p.members), attributes: groupAttributes.get(p.groupId) ?? {} });
  }
  for (const [groupId, attributes] of groupAttributes) {
    if (!groups.has(groupId)) groups.set(groupId, { groupId, members: [], attributes });
  }
  const sortedGroups = [...groups.values()].sort((a, b) => a.groupId - b.groupId);
  const users = new Map<number, AuthUser>();
  for (const command of model.byName('auth user')) {
    const p = authParams(command, 'auth user');
    users.set(p.userId, {
      userId: p.userId,
      username: p.username,
      password: p.password,
      attributes: userAttributes.get(p.userId) ?? {},
      groups: sortedGroups.filter((g) => g.members.includes(p.userId)).map((g) => g.groupId),
    });
  }

  return {
    users,
    groups,
    findUser(username, groupId) {
      for (const user of users.values()) {
        if (user.username !== username) continue;
        if (groupId === undefined || user.groups.includes(groupId)) return user;
      }
      return undefined;
    },
    effectiveAttributes(userId, groupId) {
      const user = users.get(userId);
      const viaGroup =
        groupId !== undefined && user?.groups.includes(groupId) ? groupId : user?.groups[0];
      const group = viaGroup === undefined ? {} : (groups.get(viaGroup)?.attributes ?? {});
      const own = user?.attributes ?? userAttributes.get(userId) ?? {};
      return mergeAttributes(own, group);
    },
  };
}

function mergeAttributes(user: XauthAttributes, group: XauthAttributes): EffectiveXauthAttributes {
  const address: AddressAssignment | undefined =
    user.address !== undefined
      ? { kind: 'fixed', address: user.address }
      : group.addressPool !== undefined
        ? { kind: 'pool', pool: group.addressPool }
        : undefined;
  const dns = user.dns ?? group.dns;
  const wins = user.wins ?? group.wins;
  const filter = user.filter ?? group.filter;
  return {
    xauth: user.xauth ?? group.xauth ?? false,
    eapMd5: user.eapMd5 ?? group.eapMd5 ?? false,
    ...(address === undefined ? {} : { address }),
    ...(dns === undefined ? {} : { dns }),
    ...(wins === undefined ? {} : { wins }),
    ...(filter === undefined ? {} : { filter }),
  };
}
