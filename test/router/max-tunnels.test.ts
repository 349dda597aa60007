/**
 * `--max-tunnels N` (rtxlab option, not RTX behaviour, for load tests): the config reader keeps
 * the RTX1500's tunnel and gateway numbers 1..100 by default and takes up to N with the option;
 * a line beyond the limit is refused and the startup report says which option lifts it; the
 * router then serves every tunnel of one `tunnel template` (one peer each).
 */
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildStartCommand, routerOptionsFrom, type StartOptions } from '../../src/cli/start.js';
import { readConfig } from '../../src/config/read-config.js';
import { ipsecGateways } from '../../src/config/views/ipsec-gateways.js';
import { connectClient, startRtxRouter, type RouterEvent, type RtxRouter } from '../../src/index.js';
import { systemClock } from '../../src/router/clock.js';
import { templateTunnelsConfig } from '../support/template-tunnels-config.js';
import { eventually } from './support/udp-peer.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One tunnel serving `tunnels` peers through `tunnel template 2-N`: client, client2 ... clientN. */
function templateConfig(tunnels: number): string {
  return templateTunnelsConfig({
    lastTunnel: tunnels,
    pool: '10.2.0.1-10.2.3.254',
    tunnelLines: ['ipsec ike local address 1 172.16.0.254'],
    interfaceLines: ['ip lan2 address 172.16.0.254/24'],
  });
}

async function started(text: string, maxTunnels?: number): Promise<{ router: RtxRouter; events: RouterEvent[] }> {
  const router = await startRtxRouter({ config: { text }, ikePort: 0, nattPort: 0, hints: false, ...(maxTunnels === undefined ? {} : { maxTunnels }) });
  const events: RouterEvent[] = [];
  for (const type of ['log', 'tunnel-up'] as const) router.on(type, (event) => events.push(event));
  cleanups.push(() => router.stop());
  return { router, events };
}

describe('the config reader: tunnel numbers', () => {
  it('keeps the RTX1500 limit of 100 by default and names the rtxlab option in the refusal', () => {
    const read = readConfig('tunnel select 101\ntunnel select 1\ntunnel template 2-150\nipsec ike pre-shared-key 101 text k\n');
    expect(read.problems.map((p) => [p.line, p.error])).toEqual([
      [1, 'parameter-out-of-range'],
      [3, 'parameter-out-of-range'],
      [4, 'parameter-out-of-range'],
    ]);
    expect(read.problems[1]!.detail).toBe("tunnel number must be 1..100 (the RTX1500's limit; rtxlab option --max-tunnels N lifts it for load tests)");
    expect(read.problems[2]!.detail).toMatch(/^gateway id must be 1\.\.100 /);
  });

  it('takes numbers up to N with maxTunnels N, and still refuses N + 1', () => {
    const read = readConfig(templateConfig(10_000), { maxTunnels: 10_000 });
    expect(read.problems).toEqual([]);
    const gateways = ipsecGateways(read.model).filter((g) => g.tunnelEnabled);
    expect(gateways).toHaveLength(10_000);
    expect(gateways.at(-1)).toMatchObject({ gatewayId: 10_000, remoteName: { name: 'client10000' } });
    const beyond = readConfig('tunnel select 10001\nipsec ike remote name 10000 x\n', { maxTunnels: 10_000 });
    expect(beyond.problems.map((p) => [p.line, p.detail])).toEqual([[1, 'tunnel number must be 1..10000 (rtxlab option --max-tunnels)']]);
  });
});

describe('a router with a tunnel template beyond the RTX limit', () => {
  it('by default refuses the template line, says so at startup, and the 101st client finds no gateway', async () => {
    const { router, events } = await started(templateConfig(150));
    expect(router.startup.summary.join('\n')).toContain("line 13 refused: tunnel number must be 1..100 (the RTX1500's limit; rtxlab option --max-tunnels N lifts it for load tests)");
    const result = await connectClient({ gateway: router.listening!, id: 'client150', whenEstablished: 'delete', timing: { retransmitTimeoutsMs: [300] } });
    expect(result.outcome).not.toBe('established');
    await eventually(() => events.some((e) => e.type === 'log' && e.entry.message.includes('no gateway for ID "client150"')));
  });

  it('with maxTunnels 150 brings up tunnel 150 for client150, beside tunnel 1', async () => {
    const { router, events } = await started(templateConfig(150), 150);
    expect(router.configReport.problems).toEqual([]);
    for (const id of ['client', 'client150']) {
      const result = await connectClient({ gateway: router.listening!, id, whenEstablished: 'keep', confirmation: 'skip' });
      if (result.outcome !== 'established') throw new Error(`${id}: ${result.failure.text}`);
      cleanups.push(() => result.tunnel?.close());
    }
    await eventually(() => events.filter((e) => e.type === 'tunnel-up').length === 2);
    expect(events.flatMap((e) => (e.type === 'tunnel-up' ? [e.tunnelId] : []))).toEqual([1, 150]);
    expect(router.tableSizes()).toMatchObject({ isakmpSas: 2, ipsecSaPairs: 2, leases: 2 });
  });
});

describe('rtxlab start --max-tunnels', () => {
  const help = (): string => {
    let text = '';
    buildStartCommand({ clock: systemClock, stdout: () => {}, stderr: () => {}, untilStopped: () => new Promise(() => {}) })
      .configureOutput({ writeOut: (t) => (text += t) })
      .outputHelp();
    return text.replace(/\s+/g, ' ');
  };

  it('is marked in --help as rtxlab\'s own, not RTX behaviour, with the RTX default', () => {
    expect(help()).toMatch(/--max-tunnels <n>\s+rtxlab option, not RTX behaviour, for load tests: .*\(default 100\)/);
  });

  it('reaches the router options, and refuses less than the RTX limit', () => {
    const parse = (args: string[]): StartOptions => {
      const command = buildStartCommand({ clock: systemClock, stdout: () => {}, stderr: () => {}, untilStopped: () => new Promise(() => {}) })
        .exitOverride()
        .configureOutput({ writeErr: () => {} });
      command.action(() => {});
      command.parse(args, { from: 'user' });
      return command.opts<StartOptions>();
    };
    expect(routerOptionsFrom(parse(['--max-tunnels', '10000']), { defaultConfig: '', clock: systemClock }).maxTunnels).toBe(10_000);
    expect(routerOptionsFrom(parse([]), { defaultConfig: '', clock: systemClock }).maxTunnels).toBeUndefined();
    expect(() => parse(['--max-tunnels', '50'])).toThrow(CommanderError);
  });
});
