/**
 * The console's operational commands, one declaration each (name, parameters, privilege, help in
 * English and Japanese, where the output format comes from, handler). Configuration commands are
 * not here: they go to the router's config session and complete from the config reader's name
 * index. Handlers read the router through RouterControl and return what the engine must do;
 * they never write to the terminal themselves.
 */
import { RTX1500_REV_8_03_75 } from '../config/device-identity.js';
import type { ConsoleLanguage } from '../config/errors.js';
import type { RouterControl } from '../router/rtx-router-api.js';
import type { CommandDeclaration, ParsedArguments, ValueSpec } from './command-syntax.js';
import { showEnvironment, showStatusBoot } from './formats/show-environment.js';
import { showIpsecSa } from './formats/show-ipsec-sa.js';
import { showStatusTunnel } from './formats/show-status-tunnel.js';
import { pingReplyLine, pingSummaryLines } from './formats/ping.js';

export interface CommandContext {
  readonly router: RouterControl;
  readonly language: ConsoleLanguage;
}

/** What a command asks the engine to do. */
export type CommandEffect =
  | { readonly kind: 'print'; readonly lines: readonly string[] }
  | { readonly kind: 'nothing' }
  | { readonly kind: 'enter-administrator' }
  /** `exit` / `quit`: leave administrator mode (asking to save), or log out. */
  | { readonly kind: 'leave'; readonly save: 'ask' | 'save' }
  | { readonly kind: 'save' }
  | { readonly kind: 'help' }
  /** `login password` / `administrator password`: asks the old and new passwords. */
  | { readonly kind: 'change-password'; readonly target: PasswordTarget }
  /** A command that takes time (`ping`): it prints through `print` as it goes; input waits until it ends. */
  | { readonly kind: 'stream'; readonly run: (print: (lines: readonly string[]) => void) => Promise<void> };

export type PasswordTarget = 'login' | 'administrator';

export type OperationalCommand = CommandDeclaration<CommandContext, CommandEffect>;

// RTX1500: tunnel and gateway numbers 1-100, pp 1-150 (the reference's ranges for the model are
// NOT FOUND; the widest current ones would accept more: assumed).
const TUNNEL: ValueSpec = { label: '<1-100>', min: 1, max: 100 };
const GATEWAY: ValueSpec = { label: '<1-100>', min: 1, max: 100 };
const PP: ValueSpec = { label: '<1-150>', min: 1, max: 150, keywords: ['anonymous'] };
const IPV4: ValueSpec = { label: 'A.B.C.D', min: 0, max: 0, format: 'ipv4' };
// Ranges of ping's options on Rev.8.03: NOT FOUND (assumed).
const PING_DATA_LENGTH: ValueSpec = { label: '<0-1400>', min: 0, max: 1400 };
const PING_COUNT: ValueSpec = { label: '<1-1000>', min: 1, max: 1000 };
const PING_WAIT: ValueSpec = { label: '<1-60>', min: 1, max: 60 };
const SA_ID: ValueSpec = { label: '<1-2147483647>', min: 1, max: 2147483647, keywords: ['all'] };

const print = (lines: readonly string[]): CommandEffect => ({ kind: 'print', lines });
const nothing: CommandEffect = { kind: 'nothing' };

const verified = (source: string) => ({ status: 'verified', source }) as const;
const assumed = (source: string) => ({ status: 'assumed', source }) as const;
const noOutput = { status: 'none', source: 'prints nothing' } as const;

function showConfig(args: ParsedArguments, { router }: CommandContext): CommandEffect {
  const part = args.get('part');
  let text: string;
  if (part === undefined) text = router.showConfig();
  else if (typeof part === 'object' && part.keyword === 'tunnel') text = router.showConfig({ kind: 'tunnel', tunnel: Number(part.value) });
  else if (typeof part === 'object') {
    text = router.showConfig({ kind: 'pp', peer: part.value === 'anonymous' ? 'anonymous' : Number(part.value) });
  } else text = router.showConfig();
  const body = text.replace(/\n$/, '');
  return print(body === '' ? [] : body.split('\n'));
}

function tunnelDescription(router: RouterControl, tunnelId: number): string {
  const command = router.config
    .byName('description tunnel')
    .find((c) => c.context.kind === 'tunnel' && c.context.tunnel === tunnelId);
  const text = (command?.params as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? text : '';
}

export const OPERATIONAL_COMMANDS: readonly OperationalCommand[] = [
  {
    name: ['show', 'config'],
    parameters: [
      {
        kind: 'choice',
        name: 'part',
        options: [
          { keyword: 'tunnel', value: TUNNEL },
          { keyword: 'pp', value: PP },
        ],
      },
    ],
    privilege: 'user',
    help: { en: 'Show the configuration', ja: '設定を表示する' },
    output: verified('rtx-behaviour.md §5.4, §8 (real RTX1500 Rev.8.03.90 and RTX1100 Rev.8.03.92); the tunnel/pp part without header is assumed'),
    run: showConfig,
  },
  {
    name: ['show', 'ipsec', 'sa'],
    parameters: [
      { kind: 'keyword-value', name: 'gateway', keyword: 'gateway', value: GATEWAY },
      { kind: 'flag', name: 'detail', keyword: 'detail' },
    ],
    privilege: 'user',
    help: { en: 'Show IPsec SAs', ja: 'IPsec の SA を表示する' },
    output: verified('rtx-behaviour.md §5.2 (real RTX1200-era output [S8], AWS page [S7b]); gateway flags and XAUTH detail lines assumed'),
    run: (args, { router }) => {
      const gateway = args.get('gateway');
      return print(
        showIpsecSa(router.ipsecState(), {
          ...(typeof gateway === 'number' ? { gateway } : {}),
          detail: args.get('detail') === true,
        }),
      );
    },
  },
  {
    name: ['show', 'status', 'tunnel'],
    parameters: [{ kind: 'value', name: 'tunnel', value: TUNNEL }],
    privilege: 'user',
    help: { en: 'Show the status of a tunnel interface', ja: 'トンネルインタフェースの状態を表示する' },
    output: verified('rtx-behaviour.md §5.3 (real JA RTX1100 Rev.8.03.92 [S6], real EN [S7b]); the offline wording assumed'),
    run: (args, { router, language }) => {
      const tunnelId = Number(args.get('tunnel'));
      return print(
        showStatusTunnel(
          {
            tunnelId,
            view: router.tunnels().find((t) => t.tunnelId === tunnelId),
            description: tunnelDescription(router, tunnelId),
            utcOffsetMinutes: router.consoleSettings().timezone.offsetMinutes,
          },
          language,
        ),
      );
    },
  },
  {
    name: ['show', 'log'],
    parameters: [{ kind: 'flag', name: 'reverse', keyword: 'reverse' }],
    privilege: 'user',
    help: { en: 'Show the log', ja: 'ログを表示する' },
    output: verified('rtx-behaviour.md §5.1 (real RTX1100 Rev.8.03.92 `show log reverse`)'),
    run: (args, { router }) => {
      const lines = router.logEntries().map((entry) => entry.line);
      return print(args.get('reverse') === true ? lines.reverse() : lines);
    },
  },
  {
    name: ['show', 'environment'],
    parameters: [],
    privilege: 'user',
    help: { en: 'Show the system environment', ja: 'システムの環境を表示する' },
    output: assumed('Rev.8.03 format NOT FOUND (rtx-behaviour.md §5.4); laid out after later models'),
    run: (_args, { router }) =>
      print(showEnvironment({ device: RTX1500_REV_8_03_75, bootedAt: router.bootedAt, now: router.now(), settings: router.consoleSettings() })),
  },
  {
    name: ['show', 'status', 'boot'],
    parameters: [],
    privilege: 'user',
    help: { en: 'Show the boot information', ja: '起動情報を表示する' },
    output: assumed('no capture found; the reason matches the boot log line `Power-on boot`'),
    run: (_args, { router }) =>
      print(
        showStatusBoot({
          device: RTX1500_REV_8_03_75,
          bootedAt: router.bootedAt,
          now: router.now(),
          utcOffsetMinutes: router.consoleSettings().timezone.offsetMinutes,
        }),
      ),
  },
  {
    name: ['clear', 'log'],
    parameters: [],
    privilege: 'administrator',
    help: { en: 'Clear the log', ja: 'ログを消去する' },
    output: noOutput,
    run: (_args, { router }) => {
      router.clearLog();
      return nothing;
    },
  },
  {
    name: ['ipsec', 'sa', 'delete'],
    parameters: [{ kind: 'value', name: 'target', value: SA_ID }],
    privilege: 'administrator',
    help: { en: 'Delete an IPsec SA', ja: 'IPsec の SA を削除する' },
    output: noOutput,
    run: (args, { router }) => {
      const target = args.get('target');
      router.deleteIpsecSa(target === 'all' ? 'all' : Number(target));
      return nothing;
    },
  },
  {
    // §56.7.9 `ping [-s datalen] [-c count] [-sa ip_address] [-w wait] host` (IPv4 literals only here).
    name: ['ping'],
    parameters: [
      { kind: 'keyword-value', name: 'data-length', keyword: '-s', value: PING_DATA_LENGTH },
      { kind: 'keyword-value', name: 'count', keyword: '-c', value: PING_COUNT },
      { kind: 'keyword-value', name: 'source', keyword: '-sa', value: IPV4 },
      { kind: 'keyword-value', name: 'wait', keyword: '-w', value: PING_WAIT },
      { kind: 'value', name: 'host', value: IPV4 },
    ],
    privilege: 'user',
    help: { en: 'Send ICMP echo requests', ja: 'ping を実行する' },
    output: assumed('BSD ping style (received from ...: icmp_seq= ttl= time=); the RTX1500 text was not found'),
    run: (args, { router }) => ({
      kind: 'stream',
      run: async (printLines) => {
        const number = (name: string) => (typeof args.get(name) === 'number' ? (args.get(name) as number) : undefined);
        const source = args.get('source');
        const result = await router.ping(
          {
            host: String(args.get('host')),
            ...(typeof source === 'string' ? { source } : {}),
            ...(number('count') === undefined ? {} : { count: number('count')! }),
            ...(number('data-length') === undefined ? {} : { dataBytes: number('data-length')! }),
            ...(number('wait') === undefined ? {} : { waitSeconds: number('wait')! }),
          },
          (reply) => printLines([pingReplyLine(reply)]),
        );
        printLines(pingSummaryLines(result));
      },
    }),
  },
  {
    name: ['ipsec', 'refresh', 'sa'],
    parameters: [],
    privilege: 'administrator',
    help: { en: 'Delete every SA (renegotiate)', ja: 'SA を削除して再構築する' },
    output: noOutput,
    run: (_args, { router }) => {
      router.refreshSa();
      return nothing;
    },
  },
  {
    name: ['save'],
    parameters: [],
    privilege: 'administrator',
    help: { en: 'Save the configuration', ja: '設定を保存する' },
    output: verified('rtx-behaviour.md §5.5: `Saving ... CONFIG0 Done .` [S10] / `セーブ中... CONFIG0 終了` [S9a]'),
    run: () => ({ kind: 'save' }),
  },
  {
    name: ['login', 'password'],
    parameters: [],
    privilege: 'administrator',
    help: { en: 'Change the login password', ja: 'ログインパスワードを変更する' },
    output: assumed('`Old_Password:` / `New_Password:` twice, as current firmware (rtx-config-forms.md S14); Rev.8.03 texts not found'),
    // Typed with the password on the same line (rtx-config-forms.md, S14).
    parametersRefused: 'invalid-command-name',
    run: () => ({ kind: 'change-password', target: 'login' }),
  },
  {
    name: ['administrator', 'password'],
    parameters: [],
    privilege: 'administrator',
    help: { en: 'Change the administrator password', ja: '管理パスワードを変更する' },
    output: assumed('`Old_Password:` / `New_Password:` twice, as current firmware (rtx-config-forms.md S14); Rev.8.03 texts not found'),
    // A real session: `administrator password X` (rtx-behaviour.md §5.5 [S9a]).
    parametersRefused: 'insufficient-or-too-many-parameters',
    run: () => ({ kind: 'change-password', target: 'administrator' }),
  },
  {
    name: ['administrator'],
    parameters: [],
    privilege: 'user',
    help: { en: 'Become the administrator', ja: '管理ユーザになる' },
    output: verified('rtx-behaviour.md §5.5: `Password:`, then a prompt ending in `#` [S1-02][S19]'),
    run: () => ({ kind: 'enter-administrator' }),
  },
  {
    name: ['exit'],
    parameters: [{ kind: 'flag', name: 'save', keyword: 'save' }],
    privilege: 'user',
    help: { en: 'Leave administrator mode, or log out', ja: '管理ユーザから抜ける、またはログアウトする' },
    output: verified('rtx-behaviour.md §5.5: `Save new configuration ? (Y/N)` with unsaved changes [S1-56][S10b]'),
    run: (args) => ({ kind: 'leave', save: args.get('save') === true ? 'save' : 'ask' }),
  },
  {
    name: ['quit'],
    parameters: [{ kind: 'flag', name: 'save', keyword: 'save' }],
    privilege: 'user',
    help: { en: 'Leave administrator mode, or log out', ja: '管理ユーザから抜ける、またはログアウトする' },
    output: verified('rtx-behaviour.md §5.5: `Save new configuration ? (Y/N)` with unsaved changes [S1-56][S10b]'),
    run: (args) => ({ kind: 'leave', save: args.get('save') === true ? 'save' : 'ask' }),
  },
  {
    name: ['help'],
    parameters: [],
    privilege: 'user',
    help: { en: 'Show how to use the console', ja: 'コンソールの使い方を表示する' },
    output: assumed('the RTX help text was not found; rtxlab lists its commands and keys'),
    run: () => ({ kind: 'help' }),
  },
];

/** The declaration whose whole name starts `words` (longest first), if any. */
export function findOperational(words: readonly string[]): OperationalCommand | undefined {
  let best: OperationalCommand | undefined;
  for (const command of OPERATIONAL_COMMANDS) {
    const matches = command.name.length <= words.length && command.name.every((word, i) => words[i] === word);
    if (matches && (best === undefined || command.name.length > best.name.length)) best = command;
  }
  return best;
}

/**
 * Yamaha's catalogue (and so the config reader's name index) also lists some operational
 * commands of later models (`show dpi cache`, `clear heartbeat2`, `ipsec sa delete`). They are
 * never configuration: a line starting so is this module's, or an unknown command.
 */
export function isOperationalName(words: readonly string[]): boolean {
  const [first, second, third] = words;
  return (
    first === 'show' ||
    first === 'clear' ||
    (first === 'ipsec' && second === 'sa' && third === 'delete') ||
    (first === 'ipsec' && second === 'refresh')
  );
}
