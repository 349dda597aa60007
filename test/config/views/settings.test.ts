/** The smaller views: tunnels, mode-cfg pools, interfaces, routes, syslog, console. */
import { describe, expect, it } from 'vitest';
import { readDefaultConfig } from '../../../src/config/default-config.js';
import { configViews } from '../../../src/config/views/index.js';
import { poolAddresses } from '../../../src/config/views/mode-cfg-pools.js';
import { read } from '../support.js';

describe('views of the embedded default config', () => {
  const views = configViews(readDefaultConfig().model);

  it('tunnel 1 is enabled, IPsec, uses policy 1', () => {
    expect(views.tunnels).toEqual([{ tunnel: 1, enabled: true, encapsulation: 'ipsec', ipsecPolicyId: 1, tcpMssLimit: 'auto', templateTargets: [] }]);
  });

  it('mode-cfg pool 1 holds three addresses', () => {
    const pool = views.modeCfgPools.get(1)!;
    expect(pool).toEqual({ poolId: 1, first: '10.1.1.110', last: '10.1.1.112', size: 3, prefixLength: 32 });
    expect(poolAddresses(pool)).toEqual(['10.1.1.110', '10.1.1.111', '10.1.1.112']);
  });

  it('interfaces and routes', () => {
    expect(views.interfaces.get('lan1')).toEqual({ id: 'lan1', address: { kind: 'static', address: '10.1.1.1', prefixLength: 24 }, proxyArp: true, secureFilter: {}, natDescriptors: [] });
    expect(views.interfaces.get('tunnel 1')?.tcpMssLimit).toBe('auto');
    expect(views.routes).toEqual([
      { destination: { kind: 'default' }, gateways: [{ target: { kind: 'ip', address: '172.16.0.1' }, filters: [], hide: false }] },
      { destination: { kind: 'network', address: '192.168.100.0', prefixLength: 24 }, gateways: [{ target: { kind: 'tunnel', tunnel: 1 }, filters: [], hide: false }] },
    ]);
  });

  it('syslog: debug on, the rest default', () => {
    expect(views.syslog).toEqual({ hosts: [], facility: 'user', notice: false, info: true, debug: true, sourcePort: 514, executeCommand: false });
  });

  it('console: ascii, so English messages; login password masked', () => {
    expect(views.console).toMatchObject({ character: 'ascii', language: 'en', columns: 80, lines: 24, loginPassword: { kind: 'masked' }, timezone: { name: 'jst', offsetMinutes: 540 } });
  });
});

describe('view defaults of an empty config', () => {
  const views = configViews(read().model);

  it('console: sjis (Japanese), 80x24, login timer 300 s, telnet from anywhere, tftp from nowhere', () => {
    expect(views.console).toMatchObject({
      character: 'sjis',
      language: 'ja',
      columns: 80,
      lines: 24,
      prompt: '',
      loginTimer: 300,
      securityClass: { level: 1, forget: true, telnet: false, ssh: false },
      telnetd: { enabled: true, hosts: ['any'], port: 23 },
      sshd: { enabled: false, port: 22 },
      tftpHosts: ['none'],
    });
  });

  it('no gateways, tunnels, routes, pools', () => {
    expect([views.ipsecGateways, views.tunnels, views.routes, [...views.modeCfgPools]]).toEqual([[], [], [], []]);
  });
});

describe('tunnels', () => {
  it('`tunnel enable all` enables every tunnel without its own switch; the factory default is disabled', () => {
    const views = configViews(read('tunnel select 1', 'ipsec tunnel 1', 'tunnel select 2', 'ipsec tunnel 2', 'tunnel select 3', 'ipsec tunnel 3', 'tunnel enable all', 'tunnel disable 2').model);
    expect(views.tunnels.map((t) => [t.tunnel, t.enabled])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(configViews(read('tunnel select 1', 'ipsec tunnel 1').model).tunnels[0]!.enabled).toBe(false);
  });

  it('templates: targets take the source’s encapsulation, policy and enable switch', () => {
    const views = configViews(read('tunnel select 1', 'tunnel template 2', 'tunnel encapsulation l2tp', 'ipsec tunnel 1', 'tunnel enable 1').model);
    expect(views.tunnels).toEqual([
      { tunnel: 1, enabled: true, encapsulation: 'l2tp', ipsecPolicyId: 1, templateTargets: [2] },
      { tunnel: 2, enabled: true, encapsulation: 'l2tp', ipsecPolicyId: 2, templateSource: 1, templateTargets: [] },
    ]);
  });
});

describe('`no tunnel enable all`, a line saved configs keep', () => {
  const enabled = (...lines: string[]): Record<number, boolean> =>
    Object.fromEntries(configViews(read(...lines).model).tunnels.map((t) => [t.tunnel, t.enabled]));

  it('disables every tunnel not enabled after it, as `tunnel disable all` does', () => {
    expect(enabled('tunnel select 1', ' tunnel enable 1', 'tunnel enable 2', 'no tunnel enable all', 'tunnel select 3', ' tunnel enable 3')).toEqual({ 3: true });
  });

  it('is replaced by a later `tunnel enable all`', () => {
    const model = read('no tunnel enable all', 'tunnel enable all', 'tunnel select 1', ' ipsec tunnel 1').model;
    expect(model.commands.filter((c) => c.negated)).toEqual([]);
    expect(configViews(model).tunnels.map((t) => t.enabled)).toEqual([true]);
  });

  it('other `no` lines still remove their setting', () => {
    expect(read('syslog notice on', 'no syslog notice').model.commands).toEqual([]);
  });
});
