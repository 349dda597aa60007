import { describe, expect, it } from 'vitest';
import { authView } from '../../../src/config/views/auth.js';
import { read } from '../support.js';

const view = authView(
  read(
    'auth user 1 user1 password',
    'auth user 2 user2 pass2',
    'auth user 5 user5 pass5',
    'auth user attribute 2 xauth-address=10.1.1.200/32 xauth-dns=10.0.0.53',
    'auth user attribute 5 xauth=off',
    'auth user group 11 1-3',
    'auth user group 12 5',
    'auth user group attribute 11 xauth=on xauth-dns=10.10.10.1 xauth-address-pool=10.1.1.110-10.1.1.112/32',
    'auth user group attribute 12 xauth=on',
  ).model,
);

describe('authView (§15.32-15.35)', () => {
  it('lists users with their groups and groups with their members (ranges expanded)', () => {
    expect(view.users.get(1)).toEqual({ userId: 1, username: 'user1', password: 'password', attributes: {}, groups: [11] });
    expect(view.groups.get(11)?.members).toEqual([1, 2, 3]);
  });

  it('user attributes override the group’s; xauth is off unless set', () => {
    expect(view.effectiveAttributes(1, 11)).toEqual({
      xauth: true,
      eapMd5: false,
      dns: '10.10.10.1',
      address: { kind: 'pool', pool: { first: '10.1.1.110', last: '10.1.1.112', mask: '32' } },
    });
    expect(view.effectiveAttributes(2, 11)).toEqual({
      xauth: true,
      eapMd5: false,
      dns: '10.0.0.53',
      address: { kind: 'fixed', address: { address: '10.1.1.200', mask: '32' } },
    });
    expect(view.effectiveAttributes(5, 12).xauth).toBe(false);
    expect(view.effectiveAttributes(99).xauth).toBe(false);
  });

  it('finds a user by name, only among a group’s members when a group is named', () => {
    expect(view.findUser('user5')?.userId).toBe(5);
    expect(view.findUser('user5', 11)).toBeUndefined();
    expect(view.findUser('user1', 11)?.userId).toBe(1);
    expect(view.findUser('nobody')).toBeUndefined();
  });
});
