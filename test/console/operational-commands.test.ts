/**
 * Each operational command typed at the console, in English and Japanese: what it prints, who
 * may run it, and the errors for bad parameters (from the declarations).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { INBOUND_DROP_REASONS } from '../../src/esp/inbound-sa.js';
import { INNER_DROP_REASONS, type TunnelTraffic } from '../../src/router/data-plane.js';
import { ConfigBackedRouter } from './support/config-backed-router.js';
import { ONE_CLIENT } from './support/ipsec-state-fixture.js';
import { TestTerminal } from './support/test-terminal.js';

type Language = 'en' | 'ja';

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const sevenPacketsEachWay: TunnelTraffic = {
  tunnelId: 1,
  packetsIn: 7,
  octetsIn: 644,
  packetsOut: 7,
  octetsOut: 644,
  espDrops: zeroes(INBOUND_DROP_REASONS),
  innerDrops: zeroes(INNER_DROP_REASONS),
  outboundRefusals: zeroes(['sequence-exhausted', 'sa-expired'] as const),
};

function session(language: Language, { administrator = true }: { administrator?: boolean } = {}) {
  const text = DEFAULT_CONFIG_TEXT.replace('login password *\n', '')
    .replace('console character ascii', language === 'en' ? 'console character ascii' : 'console character sjis')
    .concat('console lines infinity\nlogin timer clear\n');
  const router = new ConfigBackedRouter(text);
  router.ipsec = ONE_CLIENT;
  router.tunnelViews = [{ ...ONE_CLIENT.tunnels[0]!, traffic: sevenPacketsEachWay }];
  const terminal = new TestTerminal(router, { clock: router.clock }, language === 'en' ? 'utf-8' : 'cp932');
  terminal.start();
  if (administrator) terminal.line('administrator');
  /** The lines a command printed, without its echo and the next prompt. */
  const run = (line: string): string[] => {
    const shown = terminal.line(line).split('\r\n');
    expect(shown[0]).toBe(line);
    return shown.slice(1, -1);
  };
  return { router, terminal, run };
}

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

describe.each(['en', 'ja'] as const)('operational commands (%s)', (language) => {
  const error = errors[language];

  it('show config prints the whole config, and one tunnel block with tunnel N', () => {
    const { run } = session(language);
    const whole = run('show config');
    expect(whole[0]).toBe('# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)');
    expect(whole).toContain('tunnel select 1');
    const part = run('show config tunnel 1');
    expect(part[0]).toBe('tunnel select 1');
    expect(part.at(-1)).toBe(' tunnel enable 1');
    expect(run('show config tunnel 7')).toEqual([]);
    expect(run('show config tunnel 0')).toEqual([error.range]);
    expect(run('show config tunnel')).toEqual([error.parameters]);
    expect(run('show config bogus')).toEqual([error.keyword]);
  });

  it('show ipsec sa, gateway N and detail', () => {
    const { run } = session(language);
    expect(run('show ipsec sa')[0]).toBe('Total: isakmp:1 send:1 recv:1');
    expect(run('show ipsec sa gateway 1')[2]).toMatch(/^1 {4}U/);
    expect(run('show ipsec sa gateway 1 detail')[0]).toBe('SA[1] Duration: 120s');
    expect(run('show ipsec sa detail')).toContain('Protocol: IKE');
    expect(run('show ipsec sa gateway x')).toEqual([error.integer]);
  });

  it('show status tunnel N, in the console language', () => {
    const { run } = session(language);
    const lines = run('show status tunnel 1');
    expect(lines[3]).toBe(language === 'en' ? '  Current status is Online.' : '  トンネルインタフェースは接続されています');
    expect(lines.join('\n')).toContain(language === 'en' ? '(IPv4) 7 packets [644 octets]' : '(IPv4) 7 パケット [644 オクテット]');
    expect(run('show status tunnel')).toEqual([error.parameters]);
  });

  it('show log, show log reverse and clear log', () => {
    const { run } = session(language);
    const log = run('show log');
    expect(log).toEqual(['2026/12/05 09:00:00: Login succeeded for Serial', "2026/12/05 09:00:00: 'administrator' succeeded for Serial user"]);
    expect(run('show log reverse')).toEqual([...log].reverse());
    expect(run('clear log')).toEqual([]);
    expect(run('show log')).toEqual([]);
  });

  it('show environment and show status boot print the firmware and times', () => {
    const { router, run } = session(language);
    router.clock.advance(3_723_000);
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

  it('ipsec sa delete N|all and ipsec refresh sa reach the router', () => {
    const { router, run } = session(language);
    expect(run('ipsec sa delete 2')).toEqual([]);
    expect(run('ipsec sa delete all')).toEqual([]);
    expect(run('ipsec refresh sa')).toEqual([]);
    expect(router.deleted).toEqual([2, 'all']);
    expect(router.refreshed).toBe(1);
    expect(run('ipsec sa delete')).toEqual([error.parameters]);
    expect(run('ipsec sa delete some')).toEqual([error.keyword]);
  });

  it('keeps administrator commands from users', () => {
    const { router, run } = session(language, { administrator: false });
    for (const line of ['clear log', 'save', 'ipsec sa delete all', 'ipsec refresh sa', 'tunnel select 1']) {
      expect(run(line)).toEqual([error.adminOnly]);
    }
    expect(router.deleted).toEqual([]);
    expect(run('show ipsec sa')[0]).toBe('Total: isakmp:1 send:1 recv:1');
  });

  it('save prints the RTX text', async () => {
    const { terminal } = session(language);
    terminal.take();
    terminal.engine.receive('save\r');
    await new Promise((resolve) => setImmediate(resolve));
    expect(terminal.take()).toBe(language === 'en' ? 'save\r\nSaving ... CONFIG0 Done .\r\n# ' : 'save\r\nセーブ中... CONFIG0 終了\r\n# ');
  });

  it('help lists every operational command with its syntax and help text', () => {
    const { run } = session(language);
    const help = run('help').join('\n');
    expect(help).toContain('show ipsec sa [gateway <1-100>] [detail]');
    expect(help).toContain('ipsec sa delete <1-2147483647>|all');
    expect(help).toContain(language === 'en' ? 'Show the status of a tunnel interface' : 'トンネルインタフェースの状態を表示する');
  });
});
