/**
 * The XAUTH server's judgement of a REPLY (draft-beaulieu-ike-xauth-02 §4.1, generic type),
 * against the `auth user` commands (§15.32-15.36):
 *
 * - `ipsec ike xauth request GW on GROUP`: only members of `auth user group GROUP`; without a
 *   group, any `auth user`. The fall-back to RADIUS the reference describes is not emulated:
 *   rtxlab has no RADIUS client, so such a user is unknown.
 * - the password must be the configured one, byte for byte;
 * - `xauth=on` must be in force, the user's own attribute over the group's (initial `xauth=off`).
 */
import { CfgType, ModeCfgAttribute, XauthType } from '../ike/constants.js';
import { attributeNumber, findAttribute, type AttributePayload } from '../ike/codec/index.js';
import type { XauthAccount, XauthAttributesInForce, XauthDirectory } from './policy.js';

export type XauthVerdict =
  | { readonly kind: 'accepted'; readonly account: XauthAccount; readonly attributes: XauthAttributesInForce }
  | { readonly kind: 'refused'; readonly username?: string; readonly reason: XauthRefusal };

export type XauthRefusal =
  | 'no credentials'
  | 'unsupported XAUTH type'
  | 'unknown user'
  | 'not in the user group'
  | 'wrong password'
  | 'xauth is off for the user';

/** Reads a REPLY's USER-NAME and USER-PASSWORD (TLVs) and judges them. */
export function judgeXauthReply(reply: AttributePayload, directory: XauthDirectory, userGroupId: number | undefined): XauthVerdict {
  const type = findAttribute(reply.attributes, ModeCfgAttribute.XAUTH_TYPE);
  if (type !== undefined && attributeNumber(type) !== XauthType.GENERIC) return { kind: 'refused', reason: 'unsupported XAUTH type' };
  const name = findAttribute(reply.attributes, ModeCfgAttribute.XAUTH_USER_NAME);
  const password = findAttribute(reply.attributes, ModeCfgAttribute.XAUTH_USER_PASSWORD);
  if (name?.format !== 'tlv' || password?.format !== 'tlv') return { kind: 'refused', reason: 'no credentials' };
  const username = name.value.toString('utf8');
  return judgeCredentials(directory, userGroupId, username, stripTrailingNul(password.value).toString('utf8'));
}

export function judgeCredentials(directory: XauthDirectory, userGroupId: number | undefined, username: string, password: string): XauthVerdict {
  const account = directory.findUser(username, userGroupId);
  if (account === undefined) {
    const elsewhere = userGroupId !== undefined && directory.findUser(username) !== undefined;
    return { kind: 'refused', username, reason: elsewhere ? 'not in the user group' : 'unknown user' };
  }
  if (account.password !== password) return { kind: 'refused', username, reason: 'wrong password' };
  const attributes = directory.effectiveAttributes(account.userId, userGroupId);
  if (!attributes.xauth) return { kind: 'refused', username, reason: 'xauth is off for the user' };
  return { kind: 'accepted', account, attributes };
}

/** Some clients (Android, per strongSwan's xauth_generic) send the password NUL-terminated. */
function stripTrailingNul(value: Buffer): Buffer {
  return value.length > 0 && value[value.length - 1] === 0 ? value.subarray(0, -1) : value;
}

/** Whether an ATTR payload is a REPLY (the only answer to our REQUEST). */
export function isReply(payload: AttributePayload): boolean {
  return payload.cfgType === CfgType.REPLY;
}
