import { describe, expect, it } from 'vitest';
import { CfgType, ModeCfgAttribute } from '../../src/ike/constants.js';
import { attributePayload, textAttribute, tlvAttribute, tvAttribute } from '../../src/ike/codec/index.js';
import { judgeCredentials, judgeXauthReply } from '../../src/ike-responder/xauth-users.js';
import { seedXauthUsers } from './support.js';

const A = ModeCfgAttribute;
const reply = (...attributes: Parameters<typeof attributePayload>[1]) => attributePayload(CfgType.REPLY, attributes);

describe('judging XAUTH credentials against `auth user` (§15.32-15.36)', () => {
  const users = seedXauthUsers('auth user 4 user4 pass4\nauth user attribute 4 xauth=on\n');

  it('accepts the seed\'s user1 in group 11, with the group\'s xauth=on', () => {
    expect(judgeCredentials(users, 11, 'user1', 'password')).toMatchObject({ kind: 'accepted', account: { userId: 1 }, attributes: { xauth: true } });
  });

  it('refuses, saying why: wrong password, not in the group, unknown, xauth off', () => {
    expect(judgeCredentials(users, 11, 'user1', 'Password')).toEqual({ kind: 'refused', username: 'user1', reason: 'wrong password' });
    expect(judgeCredentials(users, 11, 'user4', 'pass4')).toEqual({ kind: 'refused', username: 'user4', reason: 'not in the user group' });
    expect(judgeCredentials(users, 11, 'nobody', 'x')).toEqual({ kind: 'refused', username: 'nobody', reason: 'unknown user' });
    expect(judgeCredentials(seedXauthUsers('auth user 5 user5 pass5\n'), undefined, 'user5', 'pass5')).toMatchObject({ reason: 'xauth is off for the user' });
  });

  it('without a group, any user with xauth on', () => {
    expect(judgeCredentials(users, undefined, 'user4', 'pass4').kind).toBe('accepted');
  });

  it('reads the REPLY\'s TLVs; a NUL-terminated password is the same password; another XAUTH type is refused', () => {
    expect(judgeXauthReply(reply(textAttribute(A.XAUTH_USER_NAME, 'user1'), tlvAttribute(A.XAUTH_USER_PASSWORD, Buffer.from('password\0'))), users, 11).kind).toBe('accepted');
    expect(judgeXauthReply(reply(tvAttribute(A.XAUTH_TYPE, 1), textAttribute(A.XAUTH_USER_NAME, 'user1'), textAttribute(A.XAUTH_USER_PASSWORD, 'password')), users, 11)).toMatchObject({
      reason: 'unsupported XAUTH type',
    });
    expect(judgeXauthReply(reply(textAttribute(A.XAUTH_USER_NAME, 'user1')), users, 11)).toMatchObject({ reason: 'no credentials' });
  });
});
