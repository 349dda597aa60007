/**
 * Accounts, console and management services (command reference chapter 4): login/administrator
 * passwords, login users and their attributes, security class, timezone, console settings,
 * telnetd/sshd/sftpd/httpd/tftp.
 *
 * RTX1500 specifics: `console character` takes `ascii`, `sjis` and `euc` only (the `en.ascii` /
 * `ja.*` names came with Rev.14.01; an RTX1200 answers `ja.utf8` with "パラメータのキーワードが
 * 認識できません", rtx-config-forms.md B.3). `console columns` 80..200 (the older range, §4.22).
 *
 * Secrets: `show config` prints login and administrator passwords (and login users') as `*`
 * (rtx-behaviour.md §8, a real RTX1500 Rev.8.03.90); a file may carry them in clear or
 * `encrypted`, and a capture as `*`, which is accepted and means "unknown".
 */
import { laterThanRev803 } from './rev803-values.js';
import grammar from '../generated/console.js';
import type { CommandFamily, CommandSpec, ParsedCommand, PrintWord, ValidationProblem } from '../family.js';
import { isIpv4 } from '../grammar-support.js';
import { firstProblem, illegal, inRange, lengthBetween, type Check } from './checks.js';

/** A stored password: its value, or `*` when the text came from a `show config` capture. */
export type StoredSecret = { readonly kind: 'masked' } | { readonly kind: 'value'; readonly value: string };

export type ManagementService = 'telnetd' | 'sshd' | 'httpd';

export interface ConsoleParams {
  'login password': { encrypted: boolean; secret: StoredSecret };
  'administrator password': { encrypted: boolean; secret: StoredSecret };
  'login user': { user: string; encrypted?: boolean; secret?: StoredSecret };
  'login timer': { seconds: number | 'clear' };
  /** Without `user`: the anonymous user. Pairs as written, keys lower-cased. */
  'user attribute': { user?: string; pairs: [string, string][] };
  'security class': { level: number; forget: boolean; telnet?: boolean; ssh?: boolean };
  /** `jst`, `utc` or `+hh:mm`. */
  timezone: { timezone: string };
  'console prompt': { prompt: string };
  /** The Rev.14.01 names are only applied when newer values are accepted (rev803-values.ts). */
  'console character': { code: 'ascii' | 'sjis' | 'euc' | 'en.ascii' | 'ja.sjis' | 'ja.euc' | 'ja.utf8' };
  'console columns': { columns: number };
  'console lines': { lines: number | 'infinity' };
  'console info': { enabled: boolean };
  'telnetd service': { enabled: boolean };
  'sshd service': { enabled: boolean };
  'httpd service': { enabled: boolean };
  'telnetd listen': { port: number };
  'sshd listen': { port: number };
  'httpd listen': { port: number };
  'telnetd session': { sessions: number };
  'sshd session': { sessions: number };
  'httpd session': { sessions: number };
  /** `any`, `none`, `lan`, addresses, ranges or interface names, as written. */
  'telnetd host': { hosts: string[] };
  'sshd host': { hosts: string[] };
  'sftpd host': { hosts: string[] };
  'httpd host': { hosts: string[] };
  'tftp host': { hosts: string[] };
  'sshd host key generate': { words: string[] };
  'httpd timeout': { seconds: number };
}

export type ConsoleCommandName = keyof ConsoleParams;

export function consoleParams<N extends ConsoleCommandName>(command: ParsedCommand, name: N): ConsoleParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as ConsoleParams[N];
}

const commands: readonly ConsoleCommandName[] = [
  'login password',
  'administrator password',
  'login user',
  'login timer',
  'user attribute',
  'security class',
  'timezone',
  'console prompt',
  'console character',
  'console columns',
  'console lines',
  'console info',
  'telnetd service',
  'sshd service',
  'httpd service',
  'telnetd listen',
  'sshd listen',
  'httpd listen',
  'telnetd session',
  'sshd session',
  'httpd session',
  'telnetd host',
  'sshd host',
  'sftpd host',
  'httpd host',
  'tftp host',
  'sshd host key generate',
  'httpd timeout',
];

const hostKeywords = new Set(['any', 'none', 'lan']);
const interfacePattern = /^(lan\d+([./]\d+)?|vlan\d+|bridge\d+|wan\d+)$/i;

function hostSpecProblem(hosts: readonly string[]): Check {
  const keywords = hosts.filter((h) => hostKeywords.has(h.toLowerCase()));
  if (keywords.length > 0 && hosts.length > 1) return illegal('any/none/lan stand alone');
  for (const host of hosts) {
    if (hostKeywords.has(host.toLowerCase()) || interfacePattern.test(host)) continue;
    const [first = '', last] = host.split('-');
    if (!isIpv4(first) || (last !== undefined && !isIpv4(last))) {
      return { error: 'unrecognized-ip-address', detail: host };
    }
  }
  return undefined;
}

const userAttributeKeys: Readonly<Record<string, RegExp>> = {
  administrator: /^(on|off|1|2)$/i,
  connection: /^(off|all|((serial|vm-console|telnet|ssh|sftp|remote|http)(,(serial|vm-console|telnet|ssh|sftp|remote|http))*))$/i,
  'gui-page': /^(all|((dashboard|lan-map|config)(,(dashboard|lan-map|config))*))$/i,
  host: /^.+$/,
  'multi-session': /^(on|off)$/i,
  'login-timer': /^(\d+|clear)$/i,
};

function userAttributeProblem(pairs: readonly [string, string][]): Check {
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    const pattern = userAttributeKeys[key];
    if (pattern === undefined || seen.has(key)) return illegal(`attribute ${key}`);
    seen.add(key);
    if (!pattern.test(value)) return illegal(`${key}=${value}`);
    if (key === 'login-timer' && /^\d+$/.test(value)) {
      const problem = inRange(Number(value), 120, 21_474_836, 'login-timer');
      if (problem) return problem;
    }
  }
  return undefined;
}

function validate(command: ParsedCommand): ValidationProblem | undefined {
  const name = command.name as ConsoleCommandName;
  const p = command.params as Record<string, unknown>;
  switch (name) {
    case 'login password':
    case 'administrator password': {
      const secret = (p as ConsoleParams['login password']).secret;
      // Plain passwords are 1..32 printable ASCII characters (§4.1-4.4); hashes are longer.
      return secret.kind === 'value' && !(p as ConsoleParams['login password']).encrypted
        ? lengthBetween(secret.value, 1, 32, 'password')
        : undefined;
    }
    case 'login user': {
      const user = consoleParams(command, 'login user');
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(user.user)) return illegal(`user name ${user.user}`);
      return user.secret?.kind === 'value' && !user.encrypted ? lengthBetween(user.secret.value, 1, 32, 'password') : undefined;
    }
    case 'login timer': {
      const seconds = consoleParams(command, 'login timer').seconds;
      return seconds === 'clear' ? undefined : inRange(seconds, 120, 21_474_836, 'seconds');
    }
    case 'user attribute':
      return userAttributeProblem(consoleParams(command, 'user attribute').pairs);
    case 'security class':
      return inRange(consoleParams(command, 'security class').level, 1, 3, 'level');
    case 'timezone': {
      const timezone = consoleParams(command, 'timezone').timezone;
      return timezone === 'jst' || timezone === 'utc' || timezoneOffsetMinutes(timezone) !== undefined
        ? undefined
        : { error: 'parameter-out-of-range', detail: `timezone ${timezone}` };
    }
    case 'console prompt':
      return lengthBetween(consoleParams(command, 'console prompt').prompt, 0, 64, 'prompt');
    case 'console columns':
      return inRange(consoleParams(command, 'console columns').columns, 80, 200, 'columns');
    case 'console lines': {
      const lines = consoleParams(command, 'console lines').lines;
      return lines === 'infinity' ? undefined : inRange(lines, 10, 100, 'lines');
    }
    case 'telnetd listen':
    case 'sshd listen':
    case 'httpd listen':
      return inRange(p['port'] as number, 1, 65535, 'port');
    case 'telnetd session':
    case 'sshd session':
    case 'httpd session':
      return inRange(p['sessions'] as number, 1, 8, 'sessions');
    case 'telnetd host':
    case 'sshd host':
    case 'sftpd host':
    case 'httpd host':
    case 'tftp host':
      return hostSpecProblem(p['hosts'] as string[]);
    case 'httpd timeout':
      return inRange(consoleParams(command, 'httpd timeout').seconds, 1, 180, 'seconds');
    default:
      return firstProblem();
  }
}

/** `jst` -> 540, `utc` -> 0, `+hh:mm` / `-hh:mm` (-12:00..+11:59, §4.13) -> minutes east of UTC. */
export function timezoneOffsetMinutes(timezone: string): number | undefined {
  if (timezone === 'jst') return 9 * 60;
  if (timezone === 'utc') return 0;
  const match = /^([+-]?)(\d{1,2}):(\d{2})$/.exec(timezone);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  const signed = match[1] === '-' ? -minutes : minutes;
  return Number(match[3]) < 60 && signed >= -12 * 60 && signed <= 11 * 60 + 59 ? signed : undefined;
}

/** Prints the password word(s) of a `... password` / `login user` line as `*`. */
function maskLastWord(words: readonly PrintWord[]): readonly PrintWord[] {
  if (words.length === 0) return words;
  return [...words.slice(0, -1), { value: '*', keyword: false }];
}

const maskLoginUser = (words: readonly PrintWord[]): readonly PrintWord[] =>
  words.length <= 1 ? words : [words[0]!, ...maskLastWord(words.slice(1))];

const global = (identity: number): CommandSpec => ({ identity, scope: 'global' });

const specs: Readonly<Record<string, CommandSpec>> = {
  ...Object.fromEntries(commands.map((name) => [name, global(0)])),
  'login password': { identity: 0, scope: 'global', printWords: maskLastWord },
  'administrator password': { identity: 0, scope: 'global', printWords: maskLastWord },
  'login user': { identity: 1, scope: 'global', printWords: maskLoginUser },
  // `user attribute [user] ...`: one setting per user name (none: the anonymous user).
  'user attribute': {
    scope: 'global',
    identity: (words) => {
      const first = words[0];
      return first === undefined || /^[A-Za-z][\w.-]*=/.test(first.value) ? [] : [first.value];
    },
  },
};

export const family: CommandFamily = {
  name: 'console',
  firstKeywords: ['login', 'administrator', 'user', 'security', 'timezone', 'console', 'telnetd', 'sshd', 'sftpd', 'httpd', 'tftp'],
  commands,
  grammar,
  validate,
  specs,
  laterThanRev803,
};
