import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConnectCommand, parseGateway } from '../../src/cli/connect.js';
import type { CliIo } from '../../src/cli/io.js';
import { startRouter } from '../../src/cli/start.js';
import type { RtxRouter } from '../../src/router/rtx-router.js';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';

/** The embedded default (the seed's config with NAT-T on), with a pool wide enough for load runs. */
const WIDE_POOL_CONFIG = DEFAULT_CONFIG_TEXT.replace('ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32', 'ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.250/32');

let router: RtxRouter;
let wideRouter: RtxRouter;
const routerLog: string[] = [];

beforeAll(async () => {
  const quiet = { stdout: (text: string) => void routerLog.push(text), stderr: () => {} };
  router = await startRouter({ bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, quiet);
  wideRouter = await startRouter({ bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { ...quiet, defaultConfig: WIDE_POOL_CONFIG });
});
afterAll(async () => {
  await router?.stop();
  await wideRouter?.stop();
});

async function connect(args: string[], target: RtxRouter = router) {
  let stdout = '';
  let stderr = '';
  let exitCode: number | undefined;
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => new Uint8Array(),
    setExitCode: (code) => void (exitCode = code),
  };
  const command = buildConnectCommand(io)
    .exitOverride()
    .configureOutput({ writeErr: (text) => void (stderr += text), writeOut: (text) => void (stdout += text) });
  const gateway = `127.0.0.1:${target.listening!.ike.port}`;
  await command.parseAsync([gateway, '--natt-port', String(target.listening!.natt.port), ...args], { from: 'user' });
  return { stdout, stderr, exitCode };
}

describe('rtxlab connect against an in-process rtxlab (the embedded seed config)', () => {
  it('with the defaults (yms-vpn1, myid, PSKEY1, user1/password) gets 10.1.1.110 and reports each exchange and the final state', async () => {
    const run = await connect([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/-> isakmp AGGRESSIVE 0x00000000 .* message 1/);
    expect(run.stdout).toMatch(/XAUTH REPLY as user1/);
    expect(run.stdout).toContain('ESTABLISHED');
    expect(run.stdout).toMatch(/virtual IP {2}10\.1\.1\.11[0-2]\/255\.255\.255\.255/);
    expect(run.stdout).toMatch(/SPI out 0x[0-9a-f]{8} in 0x[0-9a-f]{8}/);
    expect(run.stdout).toMatch(/message 3 in clear/);
  });

  it('--ping 10.1.1.1 is answered by the router through UDP-encapsulated ESP, and 10.1.1.99 is not', async () => {
    const answered = await connect(['--local', '127.0.0.1', '--ping', '10.1.1.1', '--ping-count', '2'], wideRouter);
    expect(answered.exitCode).toBe(0);
    expect(answered.stdout).toContain('UDP-encapsulated tunnel'); // --ping forces NAT-T: node:dgram carries no raw ESP
    expect(answered.stdout).toMatch(/64 bytes from 10\.1\.1\.1: icmp_seq=1 ttl=255/);
    expect(answered.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');

    const unanswered = await connect(['--local', '127.0.0.1', '--ping', '10.1.1.99', '--ping-count', '1'], wideRouter);
    expect(unanswered.exitCode).toBe(1);
    expect(unanswered.stdout).toContain('1 packets transmitted, 0 received');
  });

  it('--json gives the final state as data: address, SPIs, algorithms, transcript', async () => {
    const run = await connect(['--json', '--profile', 'strongswan-5.9']);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      mode: 'single',
      profile: 'strongswan-5.9',
      outcome: 'established',
      phase1: { encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', message3: 'encrypted' },
      xauth: { status: 'ok' },
      esp: { encryption: '3des-cbc', integrity: 'hmac-sha1-96', remoteId: '10.1.1.0/255.255.255.0' },
    });
    expect(report.modeCfg.address).toMatch(/^10\.1\.1\.11[0-2]$/);
    expect(report.esp.outboundSpi).toMatch(/^[0-9a-f]{8}$/);
    expect(report.transcript.length).toBeGreaterThan(5);
  });

  it('fails with exit status 1 and says where, for a wrong XAUTH password', async () => {
    const run = await connect(['--password', 'wrong']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/FAILED during xauth \(xauth-failed\)/);
  });

  it('fails in Phase 1 for an ID the router does not know', async () => {
    const run = await connect(['--id', 'someone-else', '--json', '--timeout', '5']);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout).failure.step).toBe('phase1');
  });

  it('applies the algorithm, PFS and auth options: plain PSK with PFS gets a tunnel without XAUTH or an address', async () => {
    const run = await connect(['--json', '--auth', 'psk', '--ike', 'aes128-sha1-modp1024', '--esp', '3des-md5', '--pfs', 'modp1024']);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.phase1).toMatchObject({ encryption: 'aes128-cbc', authMethod: 'pre-shared-key' });
    expect(report.xauth).toBeUndefined();
    expect(report.esp).toMatchObject({ encryption: '3des-cbc', integrity: 'hmac-md5-96', pfsGroup: 2 });
  });

  it('load mode: 20 handshakes, 4 at a time, reports handshakes/s and latency percentiles', async () => {
    const run = await connect(['--count', '20', '--concurrency', '4', '--json'], wideRouter);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ mode: 'load', count: 20, concurrency: 4, established: 20, failed: 0 });
    expect(report.handshakesPerSecond).toBeGreaterThan(0);
    expect(report.latency.p50Ms).toBeLessThanOrEqual(report.latency.p90Ms);
    expect(report.latency.p90Ms).toBeLessThanOrEqual(report.latency.p99Ms);
    expect(run.exitCode).toBe(0);
  });

  it('load mode on worker processes: --workers 2 runs every handshake once across both and reports the generator CPU', async () => {
    const run = await connect(['--count', '12', '--concurrency', '4', '--workers', '2', '--json'], wideRouter);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ mode: 'load', count: 12, concurrency: 4, workers: 2, established: 12, failed: 0 });
    expect(report.generatorCpuMs).toBeGreaterThan(0);
    expect(report.generatorCpuPerHandshakeMs).toBeCloseTo(report.generatorCpuMs / 12, 6);
    expect(run.exitCode).toBe(0);
  });

  it('refuses what it cannot run before sending anything', async () => {
    const pull = await connect(['--pull']);
    expect(pull.exitCode).toBe(2);
    expect(pull.stderr).toMatch(/yms-vpn1 has no pull mode/);
    await expect(connect(['--ike', '3des-sha1'])).rejects.toBeInstanceOf(CommanderError);
    await expect(connect(['--profile', 'racoon-0.6'])).rejects.toBeInstanceOf(CommanderError);
    await expect(connect(['--count', '0'])).rejects.toBeInstanceOf(CommanderError);
  });
});

describe('GATEWAY[:PORT]', () => {
  it('reads an address with or without a port, IPv6 in brackets', () => {
    expect(parseGateway('192.0.2.1')).toEqual({ address: '192.0.2.1' });
    expect(parseGateway('192.0.2.1:4501')).toEqual({ address: '192.0.2.1', port: 4501 });
    expect(parseGateway('[2001:db8::1]:500')).toEqual({ address: '2001:db8::1', port: 500 });
    expect(parseGateway('2001:db8::1')).toEqual({ address: '2001:db8::1' });
  });

  it('refuses names and bad ports', () => {
    expect(() => parseGateway('gateway.example')).toThrow(/IP address/);
    expect(() => parseGateway('192.0.2.1:0')).toThrow(/port/);
    expect(() => parseGateway('192.0.2.1:99999')).toThrow(/port/);
  });
});
