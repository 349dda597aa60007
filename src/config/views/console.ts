/**
 * Console and account settings with the defaults of an RTX1500 (command reference chapter 4):
 * character set `sjis` (so Japanese messages), 80 columns, 24 lines, no prompt prefix, login
 * timer 300 s, timezone JST, telnetd on from any host (port 23), sshd off (port 22),
 * tftp from no host, security class 1 with `forget` on.
 */
import { consoleParams, timezoneOffsetMinutes, type ConsoleParams, type StoredSecret } from '../families/console.js';
import type { ConsoleLanguage } from '../errors.js';
import type { ConfigModel } from '../model.js';

export interface ServiceSettings {
  readonly enabled: boolean;
  readonly hosts: readonly string[];
  readonly port: number;
}

export interface ConsoleSettings {
  readonly character: 'ascii' | 'sjis' | 'euc';
  /** `ascii` -> English messages, `sjis`/`euc` -> Japanese (§4.21). */
  readonly language: ConsoleLanguage;
  readonly columns: number;
  readonly lines: number | 'infinity';
  readonly prompt: string;
  readonly info: boolean;
  readonly loginTimer: number | 'clear';
  /** `jst`, `utc` or `+hh:mm` as written, and its offset in minutes east of UTC. */
  readonly timezone: { readonly name: string; readonly offsetMinutes: number };
  readonly loginPassword?: StoredSecret;
  readonly administratorPassword?: StoredSecret;
  readonly loginUsers: readonly { readonly user: string; readonly secret?: StoredSecret }[];
  readonly securityClass: { readonly level: number; readonly forget: boolean; readonly telnet: boolean; readonly ssh: boolean };
  readonly telnetd: ServiceSettings;
  readonly sshd: ServiceSettings;
  readonly httpd: ServiceSettings;
  readonly tftpHosts: readonly string[];
}

export function consoleSettings(model: ConfigModel): ConsoleSettings {
  const get = <N extends keyof ConsoleParams>(name: N): ConsoleParams[N] | undefined => {
    const command = model.byName(name)[0];
    return command === undefined ? undefined : consoleParams(command, name);
  };
  const character = rev803Character(get('console character')?.code ?? 'sjis');
  const timezone = get('timezone')?.timezone ?? 'jst';
  const security = get('security class');
  const loginPassword = get('login password')?.secret;
  const administratorPassword = get('administrator password')?.secret;
  return {
    character,
    language: character === 'ascii' ? 'en' : 'ja',
    columns: get('console columns')?.columns ?? 80,
    lines: get('console lines')?.lines ?? 24,
    prompt: get('console prompt')?.prompt ?? '',
    info: get('console info')?.enabled ?? false,
    loginTimer: get('login timer')?.seconds ?? 300,
    timezone: { name: timezone, offsetMinutes: timezoneOffsetMinutes(timezone) ?? 540 },
    ...(loginPassword === undefined ? {} : { loginPassword }),
    ...(administratorPassword === undefined ? {} : { administratorPassword }),
    loginUsers: model.byName('login user').map((c) => {
      const p = consoleParams(c, 'login user');
      return p.secret === undefined ? { user: p.user } : { user: p.user, secret: p.secret };
    }),
    securityClass: {
      level: security?.level ?? 1,
      forget: security?.forget ?? true,
      telnet: security?.telnet ?? false,
      ssh: security?.ssh ?? false,
    },
    telnetd: {
      enabled: get('telnetd service')?.enabled ?? true,
      hosts: get('telnetd host')?.hosts ?? ['any'],
      port: get('telnetd listen')?.port ?? 23,
    },
    sshd: {
      enabled: get('sshd service')?.enabled ?? false,
      hosts: get('sshd host')?.hosts ?? ['any'],
      port: get('sshd listen')?.port ?? 22,
    },
    httpd: {
      enabled: get('httpd service')?.enabled ?? true,
      hosts: get('httpd host')?.hosts ?? ['lan'],
      port: get('httpd listen')?.port ?? 80,
    },
    tftpHosts: get('tftp host')?.hosts ?? ['none'],
  };
}

/**
 * The Rev.14.01 names (applied only when newer values are accepted) as the Rev.8.03 setting that
 * speaks the same language: `en.ascii` is ascii, `ja.euc` euc, `ja.sjis` and `ja.utf8` Japanese
 * as sjis (assumed: the emulated console has no UTF-8 mode).
 */
function rev803Character(code: ConsoleParams['console character']['code']): ConsoleSettings['character'] {
  if (code === 'en.ascii') return 'ascii';
  if (code === 'ja.euc') return 'euc';
  if (code === 'ja.sjis' || code === 'ja.utf8') return 'sjis';
  return code;
}
