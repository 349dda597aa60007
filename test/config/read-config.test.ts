/**
 * Reading a config as the router does (issue 2 §2 syntax rules, §4 errors): every rule and
 * every error kind, with the line numbers reported.
 */
import { describe, expect, it } from 'vitest';
import { encodeShiftJis } from '../../src/config/text/decode.js';
import { hardWrap } from '../../src/config/text/display-width.js';
import { ConfigSession, MAX_COMMAND_LENGTH, readConfig } from '../../src/config/read-config.js';
import type { CommandRegistry } from '../../src/config/name-index.js';
import { registry } from '../../src/config/families/index.js';
import { errorOf, lines, only, problemsOf, read, signature } from './support.js';

describe('syntax rules', () => {
  it('# lines (the show config header, comments) and blank lines are not commands', () => {
    const result = read('# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)', '', '  # a comment', 'syslog debug on');
    expect(result.problems).toEqual([]);
    expect(result.model.commands.map((c) => c.source.line)).toEqual([4]);
  });

  it('keywords are case-insensitive; values keep their case', () => {
    const command = only('IPSEC IKE Remote Name 1 MyPeer KEY-ID');
    expect(command.params).toEqual({ gateway: 1, name: 'MyPeer', idType: 'key-id' });
    expect(only('Ipsec Ike Encryption 1 AES-CBC').params).toEqual({ gateway: 1, algorithm: 'aes-cbc' });
  });

  it('any indentation and runs of spaces are ignored', () => {
    expect(signature(read('    ipsec sa policy 101 1 esp aes-cbc    sha-hmac  ').model)).toEqual(
      signature(read('ipsec sa policy 101 1 esp aes-cbc sha-hmac').model),
    );
  });

  it('`tunnel select N` is a context switch, not a block: flat, indented and re-entered files agree', () => {
    const flat = read('tunnel select 1', 'ipsec tunnel 1', 'ip tunnel tcp mss limit auto', 'tunnel select 2', 'ipsec tunnel 2');
    const reentered = read('tunnel select 2', ' ipsec tunnel 2', 'tunnel select 1', '  ip tunnel tcp mss limit auto', 'tunnel select 1', 'ipsec tunnel 1');
    expect(signature(reentered.model)).toEqual(signature(flat.model));
    expect(flat.model.byName('ipsec tunnel').map((c) => c.context)).toEqual([
      { kind: 'tunnel', tunnel: 1 },
      { kind: 'tunnel', tunnel: 2 },
    ]);
  });

  it('`tunnel select none` and `no tunnel select` return to the global level', () => {
    for (const leave of ['tunnel select none', 'no tunnel select', 'pp select none', 'no pp select']) {
      expect(problemsOf('tunnel select 1', leave, 'ipsec tunnel 1')).toEqual([[3, 'execute-tunnel-select-beforehand']]);
    }
  });

  it('`pp select N` and `pp select anonymous` select a peer', () => {
    const result = read('pp select 1', ' ip pp mtu 1454', 'pp select anonymous', ' ip pp mtu 1258');
    expect(result.problems).toEqual([]);
    expect(result.model.byName('ip * mtu').map((c) => c.context)).toEqual([
      { kind: 'pp', peer: 1 },
      { kind: 'pp', peer: 'anonymous' },
    ]);
  });

  it('global commands stay global while a tunnel is selected (paste scripts never deselect)', () => {
    const result = read('tunnel select 1', 'ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32', 'syslog debug on');
    expect(result.model.commands.map((c) => c.context.kind)).toEqual(['global', 'global']);
  });

  it('`no <command>` removes the setting, ignoring extra parameters', () => {
    const result = read('ip lan1 address 192.168.0.1/24', 'syslog debug on', 'no ip lan1 address 192.168.0.1/24 whatever', 'no syslog debug');
    expect(result.problems).toEqual([]);
    expect(result.model.size).toBe(0);
  });

  it('`no` names the instance by its identifying parameters, and needs them', () => {
    const result = read('ipsec ike encryption 1 aes-cbc', 'ipsec ike encryption 2 aes-cbc', 'no ipsec ike encryption 2');
    expect(result.model.byName('ipsec ike encryption').map((c) => c.params['gateway'])).toEqual([1]);
    expect(problemsOf('no ipsec ike encryption')).toEqual([[1, 'insufficient-or-too-many-parameters']]);
    expect(problemsOf('no ipsec ike encryption 9')).toEqual([]);
  });

  it('a command entered twice replaces the earlier one in place', () => {
    const result = read('ipsec ike encryption 1 aes-cbc', 'syslog debug on', 'ipsec ike encryption 1 des-cbc');
    expect(result.model.commands.map((c) => [c.name, c.source.line])).toEqual([
      ['ipsec ike encryption', 3],
      ['syslog debug', 2],
    ]);
    expect(result.model.commands[0]!.params['algorithm']).toBe('des-cbc');
  });

  it('double and single quotes and backslash escapes hold spaces and special characters', () => {
    expect(only('ipsec ike remote name 1 "my peer"').params['name']).toBe('my peer');
    expect(only("ipsec ike pre-shared-key 1 text 'a#b c'").params['key']).toEqual({ kind: 'text', text: 'a#b c' });
    expect(only('ipsec ike pre-shared-key 1 text x\\ y').params['key']).toEqual({ kind: 'text', text: 'x y' });
  });

  it('key=value tokens', () => {
    expect(only('auth user group attribute 11 xauth=on xauth-dns=10.10.10.1').params).toEqual({
      groupId: 11,
      pairs: [
        ['xauth', 'on'],
        ['xauth-dns', '10.10.10.1'],
      ],
    });
  });

  it('CRLF line endings', () => {
    expect(readConfig('syslog debug on\r\nsyslog info off\r\n').model.size).toBe(2);
  });

  it(`lines up to ${MAX_COMMAND_LENGTH} characters; a longer one is refused`, () => {
    const prefix = 'sshd host key generate 1 ';
    const longest = prefix + 'A'.repeat(MAX_COMMAND_LENGTH - prefix.length);
    expect(read(longest).problems).toEqual([]);
    expect(problemsOf('syslog debug on', `${longest}A`)).toEqual([[2, 'command-line-too-long']]);
  });

  it('Shift_JIS and UTF-8 files', () => {
    const text = lines('description 1 "本社 VPN"', 'syslog debug on');
    const fromShiftJis = readConfig(encodeShiftJis(text));
    const fromUtf8 = readConfig(new TextEncoder().encode(text));
    expect(fromShiftJis.encoding).toBe('shift_jis');
    expect(fromUtf8.encoding).toBe('utf-8');
    expect(fromShiftJis.problems).toEqual([]);
    expect(signature(fromShiftJis.model)).toEqual(signature(fromUtf8.model));
  });

  it('a console capture hard-wrapped at 80 columns reads like the unwrapped text', () => {
    const config = [
      'ip route 10.0.0.0/8 gateway tunnel 1 hide gateway tunnel 2 hide gateway tunnel 3 hide gateway tunnel 4 hide',
      'ip lan2 secure filter in 200020 200021 200022 200023 200024 200025 200026 200027 200028 200029 200030 dynamic 200080',
      'syslog debug on',
    ];
    const capture = ['RTX1500# show config', '# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)', ...config.flatMap((l) => hardWrap(l, 80)), 'RTX1500# '];
    expect(capture.length).toBeGreaterThan(config.length + 3);
    const result = readConfig(lines(...capture));
    expect(result.capture).toBe(true);
    expect(result.problems).toEqual([]);
    expect(signature(result.model)).toEqual(signature(read(...config).model));
  });

  it('`embedded file NAME <<EOF` keeps its body raw', () => {
    const command = only('embedded file test.lua <<EOF', 'print("a # b")', '  indented', 'EOF');
    expect(command.heredoc).toEqual({ terminator: 'EOF', body: ['print("a # b")', '  indented'] });
  });
});

describe('errors: every bad line is reported with its line number; good lines are applied', () => {
  it('Invalid command name', () => {
    expect(problemsOf('syslog debug on', 'foo bar', 'show config')).toEqual([
      [2, 'invalid-command-name'],
      [3, 'invalid-command-name'],
    ]);
  });

  it('Insufficient or too many parameters', () => {
    expect(problemsOf('ipsec ike encryption 1', 'ipsec ike encryption 1 aes-cbc aes-cbc')).toEqual([
      [1, 'insufficient-or-too-many-parameters'],
      [2, 'insufficient-or-too-many-parameters'],
    ]);
  });

  it('Illegal keyword', () => {
    expect(problemsOf('', 'ipsec ike hash 1 sha1')).toEqual([[2, 'illegal-keyword']]);
    expect(problemsOf('console character utf8')).toEqual([[1, 'illegal-keyword']]);
  });

  it('Parameter out of range', () => {
    expect(problemsOf('tunnel select 101', 'ipsec ike payload type 1 4', 'auth user 1 ab password')).toEqual([
      [1, 'parameter-out-of-range'],
      [2, 'parameter-out-of-range'],
      [3, 'parameter-out-of-range'],
    ]);
  });

  it('Parameter must be an integer', () => {
    expect(problemsOf('ipsec ike pfs one on')).toEqual([[1, 'parameter-must-be-integer']]);
  });

  it('Unrecognized IP address parameter', () => {
    expect(problemsOf('ip route default gateway 172.16.0.256')).toEqual([[1, 'unrecognized-ip-address']]);
  });

  it('Execute pp select / tunnel select command beforehand', () => {
    expect(problemsOf('ip pp mtu 1454', 'ipsec tunnel 1', 'ip tunnel tcp mss limit auto')).toEqual([
      [1, 'execute-select-beforehand'],
      [2, 'execute-tunnel-select-beforehand'],
      [3, 'execute-tunnel-select-beforehand'],
    ]);
  });

  it('reports un-wrapped capture lines at their first physical line', () => {
    const bad = 'ip route 10.0.0.0/8 gateway tunnel 1 hide gateway tunnel 2 hide gateway tunnel 999 hide';
    const capture = ['RTX1500# show config', 'syslog debug on', ...hardWrap(bad, 80), 'syslog info on'];
    const result = readConfig(lines(...capture));
    expect(result.problems.map((p) => [p.line, p.error, p.text])).toEqual([[3, 'parameter-out-of-range', bad]]);
    expect(result.model.size).toBe(2);
  });

  it('an unterminated quote or here-document is refused, and reading goes on', () => {
    expect(problemsOf('console prompt "abc', 'embedded file a.lua <<EOF', 'x')).toEqual([
      [1, 'illegal-keyword'],
      [2, 'insufficient-or-too-many-parameters'],
    ]);
  });

  it('never throws, whatever the bytes', () => {
    const noise = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
    expect(() => readConfig(noise)).not.toThrow();
    expect(() => readConfig('\u0000\u0001 no no no\n<<\n"\n\\')).not.toThrow();
  });
});

describe('commands RTX1500 Rev.8.03 did not have', () => {
  const withAbsent: CommandRegistry = {
    ...registry,
    absentOnRtx1500: new Map([['syslog format type', 'added in Rev.14.01.42 (test)']]),
  };

  it('are warned about and not applied', () => {
    const result = readConfig(lines('syslog debug on', 'syslog format type rfc5424', 'no syslog format type'), { registry: withAbsent });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([
      { line: 2, text: 'syslog format type rfc5424', name: 'syslog format type', reason: 'added in Rev.14.01.42 (test)' },
      { line: 3, text: 'no syslog format type', name: 'syslog format type', reason: 'added in Rev.14.01.42 (test)' },
    ]);
    expect(result.model.commands.map((c) => c.name)).toEqual(['syslog debug']);
  });

  it('the catalogue’s list is used by default', () => {
    expect(read('ipsec ike version 1 2').warnings.map((w) => w.name)).toEqual(['ipsec ike version']);
  });
});

describe('ConfigSession (one line at a time, for the console)', () => {
  it('keeps the selected tunnel between lines', () => {
    const session = new ConfigSession();
    expect(session.execute('tunnel select 3')).toEqual({ kind: 'selected', context: { kind: 'tunnel', tunnel: 3 } });
    expect(session.execute('ipsec tunnel 3')).toEqual({ kind: 'applied', set: true });
    expect(session.model.commands[0]!.context).toEqual({ kind: 'tunnel', tunnel: 3 });
  });

  it('answers a bad line with its error and leaves the model alone', () => {
    expect(errorOf('ipsec ike encryption 1 rot13')).toBe('illegal-keyword');
    expect(errorOf('ipsec tunnel 1', 'tunnel select 1')).toBeUndefined();
  });
});
