/**
 * Each operational command typed at the console of a running RtxRouter, in English and
 * Japanese, while the bundled client (yms-vpn1, user1) has a tunnel up and has pinged 10.1.1.1
 * twice through it: what it prints, who may run it, and the errors for bad parameters (from
 * the declarations).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';

import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import type { OpenTunnel } from '../../src/initiator/tunnel-session.js';
import { startWithClientConnected, testRouter, type TestRouter } from './support/routers.js';
import { TestTerminal } from './support/test-terminal.js';

type Language = 'en' | 'ja';

const errors = {
  en: {
    adminOnly: 'Error: Administrator use only',
    parameters: 'Error: Insufficient or too many parameters',
    range: 'Error: Parameter out of range',
    integer: 'Error: Parameter must be an integer',
    keyword: 'Error: Illegal keyword',
  },
  ja: {
    adminOnly: 'エラー: このコマンドは管理レベルでのみ使用できます',
    parameters: 'エラー: パラメータの数が不適当です',
    range: 'エラー: パラメータが範囲を越えています',
    integer: 'エラー: パラメータは整数で指定してください',
    keyword: 'エラー: パラメータのキーワードが認識できません',
  },
};

describe.each(['en', 'ja'] as const)('operational commands at a running router (%s)', (language: Language) => {
  const error = errors[language];
  let test: TestRouter;
  let tunnel: OpenTunnel | undefined;

  beforeAll(async () => {
    const text = DEFAULT_CONFIG_TEXT.replace('login password *\n', '')
      .replace('console character ascii', language === 'en' ? 'console character ascii' : 'console character sjis')
      .concat('console lines infinity\nlogin timer clear\n');
    test = testRouter(text);
    const { connected } = await startWithClientConnected(test);
    tunnel = connected.tunnel;
    // Two echoes to the router's LAN address through the tunnel, for the tunnel's counters.
    const opened = openEspChannel(connected);
    if (!opened.ok) throw new Error(opened.problem.text);
    const ping = await pingThroughTunnel(opened.channel, '10.1.1.1', { count: 2, intervalMs: 20, timeoutMs: 2000 });
    if (ping.results.some((echo) => echo.kind !== 'reply')) throw new Error('the router did not answer the pings');
  }, 30_000);

  // Each test's sessions hang up after it: administrator mode is one session's at a time.
  const sessions: TestTerminal[] = [];
  afterEach(() => {
    for (const terminal of sessions.splice(0)) terminal.engine.hangUp();
  });

  afterAll(async () => {
    await tunnel?.close();
    await test?.dispose();
  });

  /** A console session on the shared router; `run` types a line and returns what it printed. */
  function session({ administrator = true }: { administrator?: boolean } = {}) {
    const terminal = new TestTerminal(test.router, { clock: test.clock }, language === 'en' ? 'utf-8' : 'cp932');
    sessions.push(terminal);
    terminal.start();
    if (administrator) terminal.line('administrator');
    const run = (line: string): string[] => {
      const shown = terminal.line(line).split('\r\n');
      expect(shown[0]).toBe(line);
      return shown.slice(1, -1);
    };
    return { terminal, run };
  }

  it('show config prints the whole config, and one block with tunnel N / pp N', () => {
    const { run } = session();
    const whole = run('show config');
    expect(whole[0]).toBe('# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)');
    expect(whole).toContain('tunnel select 1');
    const part = run('show config tunnel 1');
    expect(part[0]).toBe('tunnel select 1');
    expect(part.at(-1)).toBe(' tunnel enable 1');
    expect(run('show config tunnel 7')).toEqual([]);
    expect(run('show config pp 1')).toEqual([]);
    expect(run('show config tunnel 0')).toEqual([error.range]);
    expect(run('show config tunnel')).toEqual([error.parameters]);
    expect(run('show config bogus')).toEqual([error.keyword]);
  });

  it('show ipsec sa lists the client\'s ISAKMP SA and its two ESP SAs', () => {
    const { run } = session({ administrator: false });
    const table = run('show ipsec sa');
    expect(table.slice(0, 4)).toEqual([
      'Total: isakmp:1 send:1 recv:1',
      '',
      'sa   sgw isakmp connection   dir  life[s] remote-id',
      '-----------------------------------------------------------------------------',
    ]);
    expect(table.slice(4)).toEqual([
      expect.stringMatching(/^1 {5}1 {4}- {4}isakmp {7}- {4}28800 {3}127\.0\.0\.1$/),
      expect.stringMatching(/^\d +1 {4}1 {4}tun\[001\]esp  (send|recv) \d+ +127\.0\.0\.1$/),
      expect.stringMatching(/^\d +1 {4}1 {4}tun\[001\]esp  (send|recv) \d+ +127\.0\.0\.1$/),
    ]);
  });

  it('show ipsec sa gateway N and detail', () => {
    const { run } = session();
    expect(run('show ipsec sa gateway 1')[2]).toMatch(/^1 {4}U {5}172\.16\.0\.254 +127\.0\.0\.1 +i:1 s:1 r:1$/);
    const detail = run('show ipsec sa gateway 1 detail');
    expect(detail[0]).toBe('SA[1] Duration: 0s');
    expect(detail).toContain('Protocol: IKE');
    expect(detail).toContain('Algorithm: 3DES-CBC, SHA-1, MODP 1024bit');
    expect(detail).toContain('XAUTH User: user1');
    expect(detail).toContain('Internal IP Address: 10.1.1.110');
    expect(detail).toContain('Protocol: ESP (Mode: tunnel)');
    // yms-vpn1 offers AES first for ESP and the RTX adopts the initiator's choice.
    expect(detail.filter((line) => line.startsWith('Algorithm: AES-CBC (for Auth.: HMAC-SHA)'))).toHaveLength(2);
    expect(detail.filter((line) => line.startsWith('Key: '))).toHaveLength(3);
    expect(run('show ipsec sa gateway x')).toEqual([error.integer]);
  });

  it('show status tunnel N: online, in the console language', () => {
    const { run } = session({ administrator: false });
    const lines = run('show status tunnel 1');
    expect(lines[3]).toBe(language === 'en' ? '  Current status is Online.' : '  トンネルインタフェースは接続されています');
    expect(lines[4]).toBe(language === 'en' ? '  from 2026/12/05 09:00:00.' : '  開始: 2026/12/05 09:00:00');
    const counters = lines.filter((line) => line.includes('(IPv4)'));
    expect(counters).toEqual(
      language === 'en'
        ? [expect.stringMatching(/^ {2}Received: {4}\(IPv4\) 2 packets \[\d+ octets\]$/), expect.stringMatching(/^ {2}Transmitted: \(IPv4\) 2 packets \[\d+ octets\]$/)]
        : [expect.stringMatching(/^ {2}受信: \(IPv4\) 2 パケット \[\d+ オクテット\]$/), expect.stringMatching(/^ {2}送信: \(IPv4\) 2 パケット \[\d+ オクテット\]$/)],
    );
    expect(run('show status tunnel 2')[3]).toBe(
      language === 'en' ? '  Current status is Offline.' : '  トンネルインタフェースは接続されていません',
    );
    expect(run('show status tunnel')).toEqual([error.parameters]);
  });

  it('show log and show log reverse', () => {
    const { run } = session({ administrator: false });
    const log = run('show log');
    expect(log).toContain('2026/12/05 09:00:00: Power-on boot');
    expect(log).toContain('2026/12/05 09:00:00: [IKE] respond ISAKMP phase to 127.0.0.1');
    expect(log.at(-1)).toBe('2026/12/05 09:00:00: Login succeeded for Serial');
    expect(run('show log reverse')).toEqual([...log].reverse());
  });

  it('show environment and show status boot print the firmware and times', () => {
    const { run } = session({ administrator: false });
    test.clock.advance(3_723_000);
    const environment = run('show environment');
    expect(environment[0]).toBe('RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)');
    expect(environment).toContain('Boot time: 2026/12/05 09:00:00');
    expect(environment).toContain('Current time: 2026/12/05 10:02:03');
    expect(environment).toContain('Elapsed time from boot: 0days 01:02:03');
    expect(run('show status boot')).toEqual([
      'Running: Rev.8.03.75 (Tue Apr 15 11:14:13 2008)',
      'Restart by power-on boot',
      'Boot time: 2026/12/05 09:00:00',
    ]);
  });

  it('keeps administrator commands from users', () => {
    const { run } = session({ administrator: false });
    for (const line of ['clear log', 'save', 'ipsec sa delete all', 'ipsec refresh sa', 'tunnel select 1', 'ipsec sa delete x']) {
      expect(run(line)).toEqual([error.adminOnly]);
    }
    expect(run('show ipsec sa')[0]).toBe('Total: isakmp:1 send:1 recv:1');
  });

  it('ipsec sa delete N removes that SA, ipsec sa delete all the rest; bad targets are refused', () => {
    const { run } = session();
    expect(run('ipsec sa delete')).toEqual([error.parameters]);
    expect(run('ipsec sa delete some')).toEqual([error.keyword]);
    expect(run('ipsec sa delete 99')).toEqual([]);
    const espRow = run('show ipsec sa').find((line) => line.includes('tun[001]esp'))!;
    expect(run(`ipsec sa delete ${espRow.split(' ')[0]}`)).toEqual([]);
    expect(run('show ipsec sa')).not.toContain(espRow);
    expect(run('ipsec sa delete all')).toEqual([]);
    expect(run('show ipsec sa')[0]).toBe('Total: isakmp:0 send:0 recv:0');
    expect(run('ipsec refresh sa')).toEqual([]);
  });

  it('clear log empties the log', () => {
    const { run } = session();
    expect(run('clear log')).toEqual([]);
    expect(run('show log')).toEqual([]);
  });

  it('save prints the RTX text and writes the config file', async () => {
    const { terminal } = session();
    terminal.take();
    terminal.engine.receive('save\r');
    await new Promise((resolve) => setImmediate(resolve)); // save() resolves after the atomic write
    expect(terminal.take()).toBe(language === 'en' ? 'save\r\nSaving ... CONFIG0 Done .\r\n# ' : 'save\r\nセーブ中... CONFIG0 終了\r\n# ');
    expect(test.saved()).toContain('ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32');
  });

  it('help lists every operational command with its syntax and help text', () => {
    const { run } = session({ administrator: false });
    const help = run('help').join('\n');
    expect(help).toContain('show ipsec sa [gateway <1-100>] [detail]');
    expect(help).toContain('ipsec sa delete <1-2147483647>|all');
    expect(help).toContain(language === 'en' ? 'Show the status of a tunnel interface' : 'トンネルインタフェースの状態を表示する');
  });
});
