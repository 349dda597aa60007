/**
 * The console's own texts (prompts, questions, the pager line, login log lines) in English
 * (`console character ascii`) and Japanese (`sjis`/`euc`), each with how we know it. Errors are
 * in src/config/errors.ts; docs/console.md lists both.
 */
import type { ConsoleLanguage, Evidence } from '../config/errors.js';

export type ConsoleMessageId =
  | 'password-prompt'
  | 'user-name-prompt'
  | 'old-password-prompt'
  | 'new-password-prompt'
  | 'save-question'
  | 'saving-done'
  | 'pager-more';

interface ConsoleMessage {
  readonly en: string;
  readonly ja: string;
  readonly evidenceEn: Evidence;
  readonly evidenceJa: Evidence;
}

const verified = (source: string): Evidence => ({ status: 'verified', source });
const assumed = (source: string): Evidence => ({ status: 'assumed', source });

export const CONSOLE_MESSAGES: { readonly [id in ConsoleMessageId]: ConsoleMessage } = {
  'password-prompt': {
    en: 'Password: ',
    ja: 'Password: ',
    evidenceEn: verified('rtx-behaviour.md §5.5 [S1-02][S19]; the space after the colon is assumed'),
    evidenceJa: assumed('the prompt is not translated in any capture found'),
  },
  'user-name-prompt': {
    en: 'Username: ',
    ja: 'Username: ',
    evidenceEn: assumed('no capture of a `login user` login on Rev.8.03'),
    evidenceJa: assumed('no capture of a `login user` login on Rev.8.03'),
  },
  'old-password-prompt': {
    en: 'Old_Password: ',
    ja: 'Old_Password: ',
    evidenceEn: assumed('current firmware (rtx-config-forms.md, S14); the Rev.8.03 text was not found'),
    evidenceJa: assumed('current firmware (rtx-config-forms.md, S14); the Rev.8.03 text was not found'),
  },
  'new-password-prompt': {
    en: 'New_Password: ',
    ja: 'New_Password: ',
    evidenceEn: assumed('current firmware asks it twice (older) or then `New_Password(Confirm):` (newer), rtx-config-forms.md S14'),
    evidenceJa: assumed('current firmware asks it twice (older) or then `New_Password(Confirm):` (newer), rtx-config-forms.md S14'),
  },
  'save-question': {
    en: 'Save new configuration ? (Y/N)',
    ja: 'Save new configuration ? (Y/N)',
    evidenceEn: verified('rtx-behaviour.md §5.5 [S1-56][S10b]'),
    evidenceJa: assumed('no Japanese capture; the English text is used'),
  },
  'saving-done': {
    en: 'Saving ... CONFIG0 Done .',
    ja: 'セーブ中... CONFIG0 終了',
    evidenceEn: verified('rtx-behaviour.md §5.5 [S10]'),
    evidenceJa: verified('rtx-behaviour.md §5.5 [S9a]'),
  },
  'pager-more': {
    en: '--- More ---',
    ja: '--- つづく ---',
    evidenceEn: assumed('no English capture; by analogy with the Japanese text'),
    evidenceJa: verified('command reference §2 (rtx-behaviour.md §5.5 [S1-02])'),
  },
};

export function consoleMessage(id: ConsoleMessageId, language: ConsoleLanguage): string {
  return CONSOLE_MESSAGES[id][language];
}

/**
 * Where a session comes from, as the login log lines name it. Only the serial console (this
 * terminal) exists in this increment; telnet and SSH add their peer address.
 */
export type SessionOrigin =
  | { readonly kind: 'serial' }
  | { readonly kind: 'telnet'; readonly address: string }
  | { readonly kind: 'ssh'; readonly address: string }
  /** The web console's terminal (rtxlab; the RTX1500's own web GUI is not emulated). */
  | { readonly kind: 'http'; readonly address: string };

/** `Serial`, `TELNET: 192.0.2.1`: how log lines (and the administrator claim) name a session. */
export function originLabel(origin: SessionOrigin): string {
  switch (origin.kind) {
    case 'serial':
      return 'Serial';
    case 'telnet':
      return `TELNET: ${origin.address}`; // assumed
    case 'ssh':
      return `SSH: ${origin.address}`; // assumed
    case 'http':
      return `HTTP: ${origin.address}`; // assumed
  }
}

/**
 * The log lines of logins and logouts. Sourced for the serial console (rtx-behaviour.md §5.1,
 * a real RTX1100 Rev.8.03.92 `show log`): `Login succeeded for Serial`, `'administrator'
 * succeeded for Serial user`, `Logout from Serial`. The failure lines and the TELNET/SSH forms
 * are assumed.
 */
export const loginLogLines = {
  loginSucceeded: (origin: SessionOrigin): string => `Login succeeded for ${originLabel(origin)}`,
  loginFailed: (origin: SessionOrigin): string => `Login failed for ${originLabel(origin)}`,
  administratorSucceeded: (origin: SessionOrigin): string => `'administrator' succeeded for ${originLabel(origin)} user`,
  administratorFailed: (origin: SessionOrigin): string => `'administrator' failed for ${originLabel(origin)} user`,
  logout: (origin: SessionOrigin): string => `Logout from ${originLabel(origin)}`,
  /** `login timer` ran out (assumed: the RTX's own line for it was not found). */
  loginTimerExpired: (origin: SessionOrigin): string => `Logout from ${originLabel(origin)} (login timer)`,
};
