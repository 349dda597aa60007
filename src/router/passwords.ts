/**
 * The router's passwords, decided once for every way in (console, telnet, SSH, web):
 * - `login password`, `administrator password` and `login user NAME PASS` are read in plain form
 *   from config files, as real TFTP files carry them;
 * - their `encrypted` forms (the RTX's algorithm is not public) and the masked `*` are accepted as
 *   lines, and their secrets come from outside (`--login-password`, `--admin-password`,
 *   `--login-user NAME=PASS`), or a login is refused with a message saying so;
 * - no password configured: no password prompt, as on the RTX (command reference §4.1: the
 *   factory setting has none).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { consoleParams } from '../config/families/console.js';
import type { ConfigModel } from '../config/model.js';
import type { PasswordCheck, SuppliedPasswords } from './rtx-router-api.js';

/** A password as the config holds it, with the secret supplied for encrypted or masked forms. */
type KnownSecret =
  | { readonly kind: 'none' }
  | { readonly kind: 'known'; readonly value: string }
  | { readonly kind: 'unknown'; readonly form: 'encrypted' | 'masked' };

export function checkLoginPassword(model: ConfigModel, supplied: SuppliedPasswords, password: string, user?: string): PasswordCheck {
  if (user !== undefined) {
    const account = model.byName('login user').map((command) => consoleParams(command, 'login user')).find((entry) => entry.user === user);
    // An unknown user gets the same answer as a wrong password: a prompt must not tell which.
    if (account === undefined) return { kind: 'wrong' };
    const secret = secretOf(account.secret, account.encrypted ?? false, supplied.users?.get(user));
    return judge(secret, password, `login user ${user}`, `--login-user ${user}=PASSWORD`);
  }
  const command = model.byName('login password')[0];
  const params = command === undefined ? undefined : consoleParams(command, 'login password');
  const secret = params === undefined ? ({ kind: 'none' } as const) : secretOf(params.secret, params.encrypted, supplied.login);
  return judge(secret, password, 'login password', '--login-password PASSWORD');
}

export function checkAdministratorPassword(model: ConfigModel, supplied: SuppliedPasswords, password: string): PasswordCheck {
  const command = model.byName('administrator password')[0];
  const params = command === undefined ? undefined : consoleParams(command, 'administrator password');
  const secret = params === undefined ? ({ kind: 'none' } as const) : secretOf(params.secret, params.encrypted, supplied.administrator);
  return judge(secret, password, 'administrator password', '--admin-password PASSWORD');
}

/** Whether logging in asks for a user name (`login user` configured) and a password. */
export function loginRequirement(model: ConfigModel): { readonly password: boolean; readonly user: boolean } {
  const user = model.byName('login user').length > 0;
  return { user, password: user || model.byName('login password').length > 0 };
}

function secretOf(stored: { kind: 'masked' } | { kind: 'value'; value: string } | undefined, encrypted: boolean, supplied: string | undefined): KnownSecret {
  if (stored === undefined) return { kind: 'none' };
  if (stored.kind === 'value' && !encrypted) return { kind: 'known', value: stored.value };
  if (supplied !== undefined) return { kind: 'known', value: supplied };
  return { kind: 'unknown', form: encrypted ? 'encrypted' : 'masked' };
}

function judge(secret: KnownSecret, password: string, what: string, option: string): PasswordCheck {
  switch (secret.kind) {
    case 'none':
      return { kind: 'none-configured' };
    case 'unknown':
      return {
        kind: 'unknown-secret',
        message: `the config holds the ${what} ${secret.form === 'encrypted' ? 'encrypted' : 'masked (*)'}; rtxlab cannot read it: start rtxlab with ${option}`,
      };
    case 'known':
      return sameSecret(secret.value, password) ? { kind: 'ok' } : { kind: 'wrong' };
  }
}

/** Compares in constant time (digests first, so lengths do not leak either). */
function sameSecret(expected: string, given: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}
