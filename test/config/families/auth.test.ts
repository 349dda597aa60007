import { describe, expect, it } from 'vitest';
import { parseXauthAttributes } from '../../../src/config/families/auth.js';
import { errorOf, only } from '../support.js';

describe('auth family: XAUTH users and groups (§15.32-15.35)', () => {
  it.each([
    ['auth user 1 user1 password', { userId: 1, username: 'user1', password: 'password' }],
    ['auth user attribute 1 xauth=on xauth-address=10.1.1.200/32', { userId: 1, pairs: [['xauth', 'on'], ['xauth-address', '10.1.1.200/32']] }],
    ['auth user group 1 100 103 105 107-110 113', { groupId: 1, members: ['100', '103', '105', '107-110', '113'] }],
    ['auth user group attribute 11 xauth=on xauth-dns=10.10.10.1', { groupId: 11, pairs: [['xauth', 'on'], ['xauth-dns', '10.10.10.1']] }],
  ])('%s', (line, params) => {
    expect(only(line).params).toEqual(params);
  });

  it.each([
    ['auth user 0 user1 password', 'parameter-out-of-range'],
    ['auth user 1001 user1 password', 'parameter-out-of-range'],
    ['auth user 1 u1 password', 'parameter-out-of-range'],
    ['auth user 1 user1 pw', 'parameter-out-of-range'],
    [`auth user 1 ${'u'.repeat(257)} password`, 'parameter-out-of-range'],
    [`auth user 1 user1 ${'p'.repeat(65)}`, 'parameter-out-of-range'],
    ['auth user 1 user1', 'insufficient-or-too-many-parameters'],
    ['auth user attribute 1 xauth=yes', 'illegal-keyword'],
    ['auth user attribute 1 xauth=on xauth=off', 'illegal-keyword'],
    ['auth user attribute 1 color=blue', 'illegal-keyword'],
    ['auth user attribute 1 xauth-address-pool=10.0.0.1-10.0.0.9', 'illegal-keyword'],
    ['auth user attribute 1 xauth-dns=10.0.0.300', 'unrecognized-ip-address'],
    ['auth user group 1 5-2', 'parameter-out-of-range'],
    ['auth user group 1 1-1001', 'parameter-out-of-range'],
    ['auth user group attribute 1 xauth-address=10.0.0.1', 'illegal-keyword'],
    ['auth user group attribute 1 xauth-address-pool=10.0.0.9-10.0.0.1', 'parameter-out-of-range'],
  ] as const)('%s -> %s', (line, error) => {
    expect(errorOf(line)).toBe(error);
  });

  it('parses attribute values into typed attributes', () => {
    expect(
      parseXauthAttributes(
        [
          ['xauth', 'on'],
          ['xauth-address-pool', '172.16.0.1-172.16.0.20/32'],
          ['xauth-wins', '10.0.0.2'],
          ['xauth-filter', 'remote'],
          ['eap-md5', 'off'],
        ],
        'group',
      ),
    ).toEqual({
      ok: true,
      attributes: { xauth: true, addressPool: { first: '172.16.0.1', last: '172.16.0.20', mask: '32' }, wins: '10.0.0.2', filter: 'remote', eapMd5: false },
    });
  });
});
