/**
 * The console engine as an operator meets it: login, prompts, administrator mode, configuration
 * lines applied live with the RTX's errors, leaving with the save question, in English
 * (`console character ascii`) and Japanese (`sjis`).
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { testRouter } from './support/routers.js';
import { TestTerminal } from './support/test-terminal.js';

/** The embedded default with readable passwords (it masks the login password). */
const config = (extra = '', character: 'ascii' | 'sjis' = 'ascii'): string =>
  DEFAULT_CONFIG_TEXT.replace('login password *\n', '')
    .replace('console character ascii', `console character ${character}`)
    .concat(extra);

const withPasswords = config('login password LOGINPW\nadministrator password ADMINPW\n');

function loggedIn(text: string, encoding = 'utf-8') {
  const { router, clock, saved } = testRouter(text);
  const terminal = new TestTerminal(router, { clock }, encoding);
  terminal.start();
  return { router, clock, saved, terminal };
}

function administrator(text: string = config(), encoding = 'utf-8') {
  const session = loggedIn(text, encoding);
  session.terminal.line('administrator');
  return session;
}

describe('login', () => {
  it('gives the prompt at once when no login password is configured, after the banner, and logs the login', () => {
    const { router, clock } = testRouter(config());
    const terminal = new TestTerminal(router);
    const shown = terminal.start();
    expect(shown).not.toContain('Password:');
    expect(shown).toContain('RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)\r\n');
    expect(shown.endsWith('\r\n> ')).toBe(true);
    expect(router.logEntries().map((e) => e.message)).toEqual(['Login succeeded for Serial']);
  });

  it('asks Password: when login password is set, without echoing it', () => {
    const { router, clock } = testRouter(withPasswords);
    const terminal = new TestTerminal(router);
    expect(terminal.start()).toBe('Password: ');
    const answer = terminal.line('LOGINPW');
    expect(answer).not.toContain('LOGINPW');
    expect(answer.endsWith('> ')).toBe(true);
  });

  it('answers a wrong password with Incorrect password, logs it, asks again and gives up after three', () => {
    const { router, clock } = testRouter(withPasswords);
    const terminal = new TestTerminal(router);
    terminal.start();
    expect(terminal.line('nope')).toBe('\r\nError: Incorrect password\r\nPassword: ');
    terminal.line('nope');
    expect(terminal.closed).toBe(false);
    terminal.line('nope');
    expect(terminal.closed).toBe(true);
    // Three failures: the first line, then the RTX's repeat count once another line comes.
    router.log('info', 'next');
    expect(router.logEntries().map((e) => e.message)).toEqual(['Login failed for Serial', 'same message repeated 2 times', 'next']);
  });

  it('refuses a login whose password the config holds only masked, saying why', () => {
    const { router, clock } = testRouter(DEFAULT_CONFIG_TEXT);
    const terminal = new TestTerminal(router);
    terminal.start();
    expect(terminal.line('anything')).toContain('masked');
    expect(terminal.closed).toBe(true);
  });

  it('asks Username: first when login users are configured', () => {
    const { router, clock } = testRouter(config('login user alice ALICEPW\n'));
    const terminal = new TestTerminal(router, { clock });
    expect(terminal.start()).toBe('Username: ');
    expect(terminal.line('alice')).toBe('alice\r\nPassword: ');
    expect(terminal.line('ALICEPW').endsWith('\r\n> ')).toBe(true);
  });

  it('logs out on exit at the user prompt', async () => {
    const { router, terminal } = loggedIn(config());
    terminal.line('exit');
    expect(terminal.closed).toBe(true);
    await terminal.engine.closed;
    expect(router.logEntries().at(-1)?.message).toBe('Logout from Serial');
  });

  it('ends the session when login timer runs out without input', () => {
    const { clock, terminal } = loggedIn(config('login timer 120\n'));
    clock.advance(119_000);
    terminal.keys('x'); // a key starts the wait again
    clock.advance(119_000);
    expect(terminal.closed).toBe(false);
    clock.advance(1_000);
    expect(terminal.closed).toBe(true);
  });
});

describe('administrator', () => {
  it('asks the administrator password and gives the # prompt, logging it', () => {
    const { router, clock } = testRouter(withPasswords);
    const terminal = new TestTerminal(router);
    terminal.start();
    terminal.line('LOGINPW');
    expect(terminal.line('administrator')).toBe('administrator\r\nPassword: ');
    expect(terminal.line('ADMINPW')).toBe('\r\n# ');
    expect(router.logEntries().map((e) => e.message)).toContain("'administrator' succeeded for Serial user");
  });

  it('stays a user after a wrong administrator password', () => {
    const { router, clock } = testRouter(withPasswords);
    const terminal = new TestTerminal(router);
    terminal.start();
    terminal.line('LOGINPW');
    terminal.line('administrator');
    expect(terminal.line('wrong')).toBe('\r\nError: Incorrect password\r\n> ');
    expect(router.logEntries().map((e) => e.message)).toContain("'administrator' failed for Serial user");
  });

  it('needs no password when none is configured', () => {
    const { terminal } = loggedIn(config());
    expect(terminal.line('administrator')).toBe('administrator\r\n# ');
  });

  it('admits one administrator at a time; leaving or logging out frees administrator mode', () => {
    const { router, clock } = testRouter(config());
    const first = new TestTerminal(router, { clock });
    const second = new TestTerminal(router, { clock });
    first.start();
    second.start();
    expect(first.line('administrator')).toBe('administrator\r\n# ');
    expect(second.line('administrator')).toBe('administrator\r\nError:  Other user logged in by telnet.\r\n> ');
    first.line('exit');
    expect(second.line('administrator')).toBe('administrator\r\n# ');
    second.line('exit');
    second.line('exit');
    expect(first.line('administrator')).toBe('administrator\r\n# ');
  });

  it('puts the console prompt prefix before > and #', () => {
    const { terminal } = loggedIn(config('console prompt RTX\n'));
    expect(terminal.line('administrator').endsWith('RTX# ')).toBe(true);
  });
});

describe('configuration commands', () => {
  it('refuses them at the user prompt with Administrator use only (English and Japanese)', () => {
    expect(loggedIn(config()).terminal.line('ip lan1 address 10.9.9.1/24')).toContain('\r\nError: Administrator use only\r\n> ');
    expect(loggedIn(config('', 'sjis'), 'cp932').terminal.line('ip lan1 address 10.9.9.1/24')).toContain(
      '\r\nエラー: このコマンドは管理レベルでのみ使用できます\r\n> ',
    );
  });

  it('applies a line live: show config shows it and the router has unsaved changes', () => {
    const { router, terminal } = administrator();
    expect(terminal.line('ipsec ike mode-cfg address pool 1 10.1.1.200-10.1.1.210/32')).toBe(
      'ipsec ike mode-cfg address pool 1 10.1.1.200-10.1.1.210/32\r\n# ',
    );
    expect(router.unsavedChanges).toBe(true);
    terminal.line('console lines infinity');
    expect(terminal.line('show config')).toContain('ipsec ike mode-cfg address pool 1 10.1.1.200-10.1.1.210/32\r\n');
  });

  it('removes a setting with no', () => {
    const { terminal } = administrator();
    terminal.line('no ip lan1 proxyarp');
    terminal.line('console lines infinity');
    expect(terminal.line('show config')).not.toContain('ip lan1 proxyarp');
  });

  it('answers bad lines with the RTX errors in English and Japanese', () => {
    const en = administrator().terminal;
    expect(en.line('frobnicate 1')).toContain('\r\nError: Invalid command name\r\n# ');
    expect(en.line('ipsec ike encryption 1 rot13')).toContain('\r\nError: ');
    expect(en.line('ip tunnel tcp mss limit auto')).toContain('\r\nError: Execute tunnel select command beforehand\r\n# ');
    const ja = administrator(config('', 'sjis'), 'cp932').terminal;
    expect(ja.line('frobnicate 1')).toContain('\r\nエラー: コマンド名を確認してください\r\n# ');
  });

  it('has no | grep: Rev.8.03 lacks the pipe forms, so | is a parameter the command refuses', () => {
    const { terminal } = administrator();
    expect(terminal.line('show log | grep IKE')).toContain('\r\nError: Illegal keyword\r\n# ');
  });

  it('answers a line longer than the RTX takes (4095) with Command line too long', () => {
    const { terminal } = administrator();
    const answer = terminal.line(`description 1 ${'x'.repeat(5000)}`);
    expect(answer).toContain('\r\nError: Command line too long\r\n# ');
    expect(answer.split('\x07')).toHaveLength(2);
  });

  it('never stores an operational command of a later model as configuration', () => {
    const { router, terminal } = administrator();
    expect(terminal.line('show dpi cache')).toContain('\r\nError: Invalid command name\r\n# ');
    expect(terminal.line('clear heartbeat2')).toContain('\r\nError: Invalid command name\r\n# ');
    expect(router.config.commands.some((c) => c.nameWords[0] === 'show' || c.nameWords[0] === 'clear')).toBe(false);
    expect(router.unsavedChanges).toBe(false);
  });

  it('shows the selected tunnel in the prompt and applies tunnel commands to it', () => {
    const { router, terminal } = administrator();
    expect(terminal.line('tunnel select 1').endsWith('\r\ntunnel1# ')).toBe(true);
    terminal.line('ipsec ike pfs 1 on');
    expect(router.showConfig({ kind: 'tunnel', tunnel: 1 })).toContain('  ipsec ike pfs 1 on\n');
    expect(terminal.line('tunnel select none').endsWith('\r\n# ')).toBe(true);
    expect(terminal.line('pp select 1').endsWith('\r\npp1# ')).toBe(true);
  });

  it('switches the console language and encoding with console character', () => {
    const { terminal } = administrator();
    terminal.take();
    terminal.engine.receive(Buffer.from('console character sjis\rfrobnicate\r'));
    const raw = Buffer.concat(terminal.chunks);
    expect(iconv.decode(raw, 'cp932')).toContain('エラー: コマンド名を確認してください');
    expect(raw.includes(iconv.encode('エラー', 'cp932'))).toBe(true);
  });

  it('reads typed Shift_JIS as text under console character sjis', () => {
    const { terminal } = administrator(config('console lines infinity\n', 'sjis'), 'cp932');
    terminal.line('description 1 "東京 本社"', 'cp932');
    expect(terminal.line('show config')).toContain('\r\ndescription 1 "東京 本社"\r\n');
  });

  it('writes EUC-JP after console character euc', () => {
    const { terminal } = administrator();
    terminal.engine.receive(Buffer.from('console character euc\r'));
    terminal.chunks.length = 0;
    terminal.engine.receive(Buffer.from('frobnicate\r'));
    const raw = Buffer.concat(terminal.chunks);
    expect(raw.includes(iconv.encode('エラー: コマンド名を確認してください', 'euc-jp'))).toBe(true);
    expect(raw.includes(iconv.encode('エラー', 'cp932'))).toBe(false);
  });

  it('lets a user change console lines for the session only (automation tools send console lines infinity at >)', () => {
    const { router, terminal } = loggedIn(config());
    expect(terminal.line('console lines infinity')).toBe('console lines infinity\r\n> ');
    expect(terminal.engine.settings().lines).toBe('infinity');
    expect(router.consoleSettings().lines).toBe(24);
    expect(terminal.line('console lines 0')).toContain('Error: ');
    expect(terminal.line('no console lines')).toContain('\r\nError: Administrator use only\r\n> ');
    expect(terminal.line('no frobnicate')).toContain('\r\nError: Invalid command name\r\n> ');
  });

  it('drops a user\'s own console setting once the administrator sets it for the router', () => {
    const { terminal } = loggedIn(config());
    terminal.line('console lines infinity');
    terminal.line('administrator');
    terminal.line('console lines 30');
    expect(terminal.engine.settings().lines).toBe(30);
  });
});

describe('leaving administrator mode', () => {
  it('leaves at once without unsaved changes', () => {
    const { terminal } = administrator();
    expect(terminal.line('exit')).toBe('exit\r\n> ');
  });

  it('asks Save new configuration ? (Y/N) with unsaved changes; N leaves without saving', () => {
    const { router, saved, terminal } = administrator();
    terminal.line('ip lan1 proxyarp off');
    expect(terminal.line('quit')).toBe('quit\r\nSave new configuration ? (Y/N) ');
    expect(terminal.line('N')).toBe('N\r\n> ');
    expect(saved()).toBeUndefined();
  });

  it('saves on Y, then leaves', async () => {
    const { router, saved, terminal } = administrator();
    terminal.line('ip lan1 proxyarp off');
    terminal.line('exit');
    terminal.line('Y');
    await Promise.resolve();
    await Promise.resolve();
    expect(terminal.take()).toBe('Saving ... CONFIG0 Done .\r\n> ');
    expect(saved()).toContain('ip lan1 proxyarp off');
    expect(router.unsavedChanges).toBe(false);
  });

  it('quit save saves and leaves without asking', async () => {
    const { saved, terminal } = administrator();
    terminal.line('ip lan1 proxyarp off');
    terminal.line('quit save');
    await new Promise((resolve) => setImmediate(resolve));
    expect(terminal.take()).toBe('Saving ... CONFIG0 Done .\r\n> ');
    expect(saved()).toContain('ip lan1 proxyarp off');
  });

  it('keeps what is typed during a save and runs it afterwards', async () => {
    const { terminal } = administrator();
    terminal.take();
    terminal.engine.receive('save\rshow log\r');
    await new Promise((resolve) => setImmediate(resolve));
    expect(terminal.take()).toMatch(/^save\r\nSaving \.\.\. CONFIG0 Done \.\r\n# show log\r\n.*'administrator' succeeded for Serial user\r\n# $/s);
  });
});

describe('changing passwords', () => {
  it('administrator password asks the old one and the new one twice, and the new one works', () => {
    const { router, clock } = testRouter(withPasswords);
    const terminal = new TestTerminal(router, { clock });
    terminal.start();
    terminal.line('LOGINPW');
    terminal.line('administrator');
    terminal.line('ADMINPW');
    expect(terminal.line('administrator password')).toBe('administrator password\r\nOld_Password: ');
    expect(terminal.line('ADMINPW')).toBe('\r\nNew_Password: ');
    expect(terminal.line('new "pw')).toBe('\r\nNew_Password: ');
    expect(terminal.line('new "pw')).toBe('\r\n# ');
    expect(router.checkAdministratorPassword('new "pw')).toEqual({ kind: 'ok' });
    expect(router.unsavedChanges).toBe(true);
  });

  it('refuses a wrong old password and two different new ones', () => {
    const { router, clock } = testRouter(withPasswords);
    const terminal = new TestTerminal(router, { clock });
    terminal.start();
    terminal.line('LOGINPW');
    terminal.line('administrator');
    terminal.line('ADMINPW');
    terminal.line('login password');
    expect(terminal.line('nope')).toBe('\r\nError: Incorrect password\r\n# ');
    terminal.line('login password');
    terminal.line('LOGINPW');
    terminal.line('one');
    expect(terminal.line('two')).toBe('\r\nError: Incorrect password\r\n# ');
    expect(router.checkLoginPassword('LOGINPW')).toEqual({ kind: 'ok' });
  });

  it('asks no old password when none is set', () => {
    const { router, terminal } = administrator();
    expect(terminal.line('login password')).toBe('login password\r\nNew_Password: ');
    terminal.line('fresh');
    terminal.line('fresh');
    expect(router.loginRequirement().password).toBe(true);
  });

  it('refuses the password on the same line as the RTX does', () => {
    const { terminal } = administrator();
    expect(terminal.line('administrator password secret')).toContain('\r\nError: Insufficient or too many parameters\r\n# ');
    expect(terminal.line('login password secret')).toContain('\r\nError: Invalid command name\r\n# ');
  });
});

describe('the error paths in Japanese (console character sjis)', () => {
  const japanese = (extra = '') => {
    const { router, clock } = testRouter(config(`login password LOGINPW\nadministrator password ADMINPW\n${extra}`, 'sjis'));
    const terminal = new TestTerminal(router, { clock }, 'cp932');
    terminal.start();
    return { router, clock, terminal };
  };

  it('wrong login and administrator passwords', () => {
    const { terminal } = japanese();
    expect(terminal.line('nope')).toBe('\r\nエラー: パスワードが間違っています\r\nPassword: ');
    terminal.line('LOGINPW');
    terminal.line('administrator');
    expect(terminal.line('nope')).toBe('\r\nエラー: パスワードが間違っています\r\n> ');
  });

  it('a second administrator, a tunnel command without tunnel select, a line too long, a bad parameter', () => {
    const { router, clock, terminal } = japanese();
    terminal.line('LOGINPW');
    terminal.line('administrator');
    terminal.line('ADMINPW');
    const other = new TestTerminal(router, { clock }, 'cp932');
    other.start();
    other.line('LOGINPW');
    expect(other.line('administrator')).toBe('administrator\r\nエラー: 他のユーザがTELNETでログインしています\r\n> ');
    expect(terminal.line('ip tunnel tcp mss limit auto')).toContain('\r\nエラー: このコマンドはトンネルを選択してから実行してください\r\n# ');
    expect(terminal.line(`description 1 ${'x'.repeat(5000)}`)).toContain('\r\nエラー: コマンドラインが長すぎます\r\n# ');
    expect(terminal.line('ipsec ike pfs 1 maybe')).toContain('\r\nエラー: パラメータのキーワードが認識できません\r\n# ');
    expect(terminal.line('administrator password x')).toContain('\r\nエラー: パラメータの数が不適当です\r\n# ');
  });

  it('the save question and the end of a save', async () => {
    const { terminal } = japanese();
    terminal.line('LOGINPW');
    terminal.line('administrator');
    terminal.line('ADMINPW');
    terminal.line('ip lan1 proxyarp off');
    expect(terminal.line('quit')).toBe('quit\r\nSave new configuration ? (Y/N) ');
    terminal.line('y');
    await new Promise((resolve) => setImmediate(resolve));
    expect(terminal.take()).toBe('セーブ中... CONFIG0 終了\r\n> ');
  });
});

describe('automation tools (netmiko-style)', () => {
  it('work unchanged: prompt ending in >, console lines infinity, administrator and its password, show config whole, the next prompt; no escape sequences', () => {
    const { router, clock } = testRouter(withPasswords);
    const terminal = new TestTerminal(router, { clock });
    expect(terminal.start()).toBe('Password: ');
    expect(terminal.line('LOGINPW')).toMatch(/> $/);
    expect(terminal.line('console lines infinity')).toBe('console lines infinity\r\n> ');
    expect(terminal.line('administrator')).toMatch(/Password: $/);
    expect(terminal.line('ADMINPW')).toBe('\r\n# ');
    const config = terminal.line('show config');
    expect(config.endsWith(' tunnel enable 1\r\nipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32\r\nsyslog debug on\r\nauth user 1 user1 password\r\nauth user group 11 1-3\r\nauth user group attribute 11 xauth=on\r\n# ')).toBe(true);
    expect(terminal.screen).not.toMatch(/\x1b/);
    expect(terminal.screen).not.toContain('--- More ---');
  });
});
