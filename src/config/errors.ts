/**
 * The RTX console errors: one entry per message the router prints, in English (`console
 * character ascii`) and Japanese (`sjis`/`euc`), each with how we know its text.
 *
 * The format is `Error: <message>` / `エラー: <message>` (ASCII colon and a space, from real
 * captures; the unofficial simulator's full-width colon is contradicted by them). Sources are the
 * project's reference notes: rtx-behaviour.md §5.5 and rtx-config-forms.md §B.3.
 *
 * Like ldapts' one-class-per-result-code, every error has its own identity (`RtxErrorId`) and a
 * typed record; `RtxError` carries one when code wants to throw (reading a config never does).
 */

export type RtxErrorId =
  | 'invalid-command-name'
  | 'insufficient-or-too-many-parameters'
  | 'administrator-use-only'
  | 'illegal-keyword'
  | 'parameter-out-of-range'
  | 'parameter-must-be-integer'
  | 'unrecognized-ip-address'
  | 'incorrect-password'
  | 'execute-select-beforehand'
  | 'execute-tunnel-select-beforehand'
  | 'other-user-logged-in'
  | 'command-line-too-long';

export type ConsoleLanguage = 'en' | 'ja';

/** How we know a text: seen in a real router's output, or taken from a secondary source. */
export type Evidence =
  | { readonly status: 'verified'; readonly source: string }
  | { readonly status: 'assumed'; readonly source: string };

export interface RtxErrorText {
  /** The English message after `Error: `. */
  readonly en: string;
  /** The Japanese message after `エラー: `. */
  readonly ja: string;
  readonly evidenceEn: Evidence;
  readonly evidenceJa: Evidence;
}

const realSession = 'real console session with errors (rtx-config-forms.md B.3, S14; rtx-behaviour.md 5.5 [S9a])';
const simulator = 'moriyoshi/yamaha-rt-simulator simulator/messages.go (unofficial, rtx-config-forms.md B.3)';

export const RTX_ERRORS: { readonly [id in RtxErrorId]: RtxErrorText } = {
  'invalid-command-name': {
    en: 'Invalid command name',
    ja: 'コマンド名を確認してください',
    evidenceEn: { status: 'verified', source: realSession },
    evidenceJa: { status: 'verified', source: 'RTX1300 build notes quoting the router (rtx-config-forms.md B.3)' },
  },
  'insufficient-or-too-many-parameters': {
    en: 'Insufficient or too many parameters',
    ja: 'パラメータの数が不適当です',
    evidenceEn: { status: 'verified', source: realSession },
    evidenceJa: { status: 'assumed', source: simulator },
  },
  'administrator-use-only': {
    en: 'Administrator use only',
    ja: 'このコマンドは管理レベルでのみ使用できます',
    evidenceEn: { status: 'verified', source: realSession },
    evidenceJa: { status: 'assumed', source: simulator },
  },
  'illegal-keyword': {
    en: 'Illegal keyword',
    ja: 'パラメータのキーワードが認識できません',
    evidenceEn: { status: 'assumed', source: simulator },
    evidenceJa: { status: 'verified', source: 'KtokKawu/LearningRTX1200 README (RTX1200, `console character ja.utf8`)' },
  },
  'parameter-out-of-range': {
    en: 'Parameter out of range',
    ja: 'パラメータが範囲を越えています',
    evidenceEn: { status: 'assumed', source: simulator },
    evidenceJa: { status: 'verified', source: 'RTX1300 build notes (tunnel number above 2000)' },
  },
  'parameter-must-be-integer': {
    en: 'Parameter must be an integer',
    ja: 'パラメータは整数で指定してください',
    evidenceEn: { status: 'assumed', source: simulator },
    evidenceJa: { status: 'assumed', source: simulator },
  },
  'unrecognized-ip-address': {
    en: 'Unrecognized IP address parameter',
    ja: 'IPアドレスが認識できません',
    evidenceEn: { status: 'assumed', source: simulator },
    evidenceJa: { status: 'assumed', source: simulator },
  },
  'incorrect-password': {
    en: 'Incorrect password',
    ja: 'パスワードが間違っています',
    evidenceEn: { status: 'assumed', source: simulator },
    evidenceJa: { status: 'assumed', source: simulator },
  },
  'execute-select-beforehand': {
    en: 'Execute pp select command beforehand',
    ja: 'このコマンドは相手を選択してから実行してください',
    evidenceEn: { status: 'assumed', source: simulator },
    evidenceJa: { status: 'assumed', source: simulator },
  },
  'execute-tunnel-select-beforehand': {
    en: 'Execute tunnel select command beforehand',
    ja: 'このコマンドはトンネルを選択してから実行してください',
    evidenceEn: { status: 'assumed', source: 'by analogy with the pp message; no capture found' },
    evidenceJa: { status: 'assumed', source: 'by analogy with the pp message; no capture found' },
  },
  'other-user-logged-in': {
    // The double space is in the source.
    en: ' Other user logged in by telnet.',
    ja: '他のユーザがTELNETでログインしています',
    evidenceEn: { status: 'assumed', source: 'Perl Device::Router::RTX 0.06 (RTX1000), rtx-config-forms.md B.3' },
    evidenceJa: { status: 'assumed', source: 'no source; translation of the English text' },
  },
  'command-line-too-long': {
    en: 'Command line too long',
    ja: 'コマンドラインが長すぎます',
    evidenceEn: { status: 'assumed', source: 'no source; the 4095-character limit is in the command reference §1.5' },
    evidenceJa: { status: 'assumed', source: 'no source; the 4095-character limit is in the command reference §1.5' },
  },
};

/** The full line the console prints, e.g. `Error: Invalid command name`. */
export function rtxErrorMessage(id: RtxErrorId, language: ConsoleLanguage = 'en'): string {
  const text = RTX_ERRORS[id];
  return language === 'en' ? `Error: ${text.en}` : `エラー: ${text.ja}`;
}

/** For code that prefers to throw an RTX error (the console); the config reader never throws. */
export class RtxError extends Error {
  constructor(
    readonly id: RtxErrorId,
    readonly detail?: string,
  ) {
    super(rtxErrorMessage(id, 'en'));
    this.name = 'RtxError';
  }

  messageIn(language: ConsoleLanguage): string {
    return rtxErrorMessage(this.id, language);
  }
}
