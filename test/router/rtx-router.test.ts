import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, DEFAULT_CONFIG_TEXT, readConfig, RtxRouter, startRtxRouter, type RouterEvent } from '../../src/index.js';

// The library face, as a test suite of a client team uses it: routers from config text on
// ephemeral ports, events awaited, views read, config applied live, the bundled client connected.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The seed's config with another mode-cfg pool. */
const withPool = (range: string) => DEFAULT_CONFIG_TEXT.replace('ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32', `ipsec ike mode-cfg address pool 1 ${range}/32`);

async function started(text = DEFAULT_CONFIG_TEXT, options: Partial<Parameters<typeof startRtxRouter>[0]> = {}): Promise<RtxRouter> {
  const router = await startRtxRouter({ config: { text }, ikePort: 0, nattPort: 0, ...options });
  cleanups.push(() => router.stop());
  return router;
}

async function connected(router: RtxRouter, options: Partial<Parameters<typeof connectClient>[0]> = {}) {
  const result = await connectClient({ gateway: router.listening!, ...options });
  if (result.outcome !== 'established') throw new Error(`client failed: ${result.failure.text}`);
  cleanups.push(() => result.tunnel?.close());
  return result;
}

/** Active handles and requests by kind (vitest's worker holds some of its own: compare with a baseline). */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

describe('RtxRouter through the public API', () => {
  it('runs two routers in one process: each gives its client an address from its own pool, and both stop without a trace', async () => {
    const baseline = activeResources();
    const first = await RtxRouter.create({ config: { text: withPool('10.1.1.110-10.1.1.112') }, ikePort: 0, nattPort: 0 });
    const second = await RtxRouter.create({ config: { text: withPool('172.16.9.10-172.16.9.12') }, ikePort: 0, nattPort: 0 });
    await first.start();
    await second.start();
    expect(first.listening!.ike.port).not.toBe(second.listening!.ike.port);

    const upFirst = first.waitFor('tunnel-up');
    const upSecond = second.waitFor('tunnel-up');
    const leaseFirst = first.waitFor('lease');
    const clientFirst = await connectClient({ gateway: first.listening! });
    const clientSecond = await connectClient({ gateway: second.listening! });
    if (clientFirst.outcome !== 'established' || clientSecond.outcome !== 'established') throw new Error('a client failed');

    const [tunnelFirst, tunnelSecond] = await Promise.all([upFirst, upSecond]);
    expect((await leaseFirst).address).toBe('10.1.1.110');
    expect(tunnelFirst).toMatchObject({ tunnelId: 1, gatewayId: 1, sa: { internalAddress: '10.1.1.110', udpEncapsulated: true } });
    expect(tunnelSecond.sa.internalAddress).toBe('172.16.9.10');
    // The SPIs the event names are the client's pair, seen from the router's side.
    expect(tunnelFirst.sa.inboundSpi).toBe(clientFirst.espSas!.outbound.spi.toString('hex'));
    expect(tunnelFirst.sa.outboundSpi).toBe(clientFirst.espSas!.inbound.spi.toString('hex'));

    // Views: what `show ipsec sa` and `show status tunnel` print.
    const state = first.ipsecState();
    expect(state.totals).toEqual({ isakmp: 1, send: 1, recv: 1 });
    expect(state.isakmpSas[0]).toMatchObject({ xauthUser: 'user1', internalAddress: '10.1.1.110' });
    expect(first.tunnels()).toEqual([expect.objectContaining({ tunnelId: 1, up: true, peerAddress: '127.0.0.1' })]);
    expect(first.leases()).toEqual([expect.objectContaining({ address: '10.1.1.110' })]);

    // `ipsec sa delete all`: the SAs go, the client is told, the tunnel goes down.
    const down = first.waitFor('tunnel-down');
    expect(first.deleteIpsecSa('all')).toBe(3);
    await down;
    expect(await clientFirst.tunnel!.ended).toBe('deleted-by-peer');
    expect(first.ipsecState().totals).toEqual({ isakmp: 0, send: 0, recv: 0 });
    expect(first.logEntries().map((entry) => entry.message)).toContain('IP Tunnel[1] Down');
    expect(second.ipsecState().totals.send).toBe(1); // the other router is untouched

    await clientFirst.tunnel!.close();
    await clientSecond.tunnel!.close();
    await first.stop();
    await second.stop();
    await first.stop(); // idempotent
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Nothing of the routers or clients is left (the worker's own handles may come and go).
    const left = [...activeResources()].filter(([kind, count]) => count > (baseline.get(kind) ?? 0));
    expect(left).toEqual([]);
  });

  it('emits typed events for the whole negotiation, payloads decoded and the XAUTH password masked', async () => {
    const router = await started();
    const events: RouterEvent[] = [];
    for (const type of ['isakmp-sa-up', 'xauth', 'lease', 'ipsec-sa-up', 'tunnel-up', 'ike-message', 'datagram'] as const) router.on(type, (event) => events.push(event));
    await connected(router);
    const order = events.filter((event) => event.type !== 'ike-message' && event.type !== 'datagram').map((event) => event.type);
    expect(order).toEqual(['isakmp-sa-up', 'xauth', 'lease', 'ipsec-sa-up', 'tunnel-up']);
    expect(events.find((event) => event.type === 'xauth')).toMatchObject({ user: 'user1', ok: true });

    const messages = events.flatMap((event) => (event.type === 'ike-message' ? [event.message] : []));
    const first = messages[0]!;
    expect(first).toMatchObject({ direction: 'in', exchange: 'AGGRESSIVE', messageId: 0, encrypted: false });
    expect(first.payloads.map((payload) => payload.name)).toEqual(expect.arrayContaining(['SA', 'KE', 'NONCE', 'ID']));
    const reply = messages.find((message) => message.direction === 'in' && message.payloads.some((payload) => payload.detail?.includes('XAUTH-USER-NAME')))!;
    const attributes = reply.payloads.find((payload) => payload.name === 'ATTR')!.detail!;
    expect(attributes).toContain('XAUTH-USER-NAME="user1"');
    expect(attributes).toContain('XAUTH-USER-PASSWORD=***');
    expect(attributes).not.toContain('password"');
    const set = messages.find((message) => message.direction === 'out' && message.payloads.some((payload) => payload.detail?.includes('INTERNAL-IP4-ADDRESS')))!;
    expect(set.payloads.find((payload) => payload.name === 'ATTR')!.detail).toContain('INTERNAL-IP4-ADDRESS=10.1.1.110');
    const quickMode = messages.find((message) => message.exchange === 'QUICK-MODE' && message.direction === 'in')!;
    expect(quickMode.payloads.find((payload) => payload.name === 'SA')!.detail).toMatch(/^IPSEC-ESP #1 \[/);

    const datagrams = events.flatMap((event) => (event.type === 'datagram' ? [event.datagram] : []));
    expect(datagrams.filter((datagram) => datagram.direction === 'in').length).toBeGreaterThanOrEqual(messages.filter((message) => message.direction === 'in').length);
    expect(datagrams.every((datagram) => datagram.bytes.length > 0)).toBe(true);
  });

  it('apply(): a new pool takes effect for the next client; SAs already made keep their address', async () => {
    const router = await started();
    const before = await connected(router);
    expect(before.modeCfg?.address).toBe('10.1.1.110');
    expect(router.apply('ipsec ike mode-cfg address pool 1 192.168.77.5-192.168.77.9/32')).toEqual({ kind: 'applied' });
    expect(router.unsavedChanges).toBe(true);
    expect(router.showConfig()).toContain('ipsec ike mode-cfg address pool 1 192.168.77.5-192.168.77.9/32');
    const after = await connected(router, { profile: 'yms-vpn1' });
    expect(after.modeCfg?.address).toBe('192.168.77.5');
    expect(router.leases().map((lease) => lease.address).sort()).toEqual(['10.1.1.110', '192.168.77.5']);
  });

  it('apply() answers with the RTX error of `config check` and changes nothing on a bad line', async () => {
    const router = await started();
    const config = router.showConfig();
    expect(router.apply('ipsec ike mode-cfg address pool 1 10.1.1.200-10.1.1.100')).toMatchObject({ kind: 'error' });
    expect(router.apply('frobnicate')).toMatchObject({ kind: 'error', error: 'invalid-command-name' });
    expect(router.showConfig()).toBe(config);
    expect(router.unsavedChanges).toBe(false);
  });

  it('a config session keeps its own `tunnel select`', async () => {
    const router = await started();
    const session = router.openConfigSession();
    expect(session.apply('tunnel select 1')).toEqual({ kind: 'selected', context: { kind: 'tunnel', tunnel: 1 } });
    expect(session.context).toEqual({ kind: 'tunnel', tunnel: 1 });
    expect(router.openConfigSession().context).toEqual({ kind: 'global' });
    expect(session.apply('ipsec ike payload type 1 3')).toEqual({ kind: 'applied' });
    expect(router.showConfig()).toContain('ipsec ike payload type 1 3');
  });

  it('save() writes atomically a file that re-reads to the same model, passwords and keys included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtxlab-save-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'config.txt');
    // After the seed's own (masked) `login password *`, which these replace.
    writeFileSync(file, `${DEFAULT_CONFIG_TEXT}\nlogin password secret1\nadministrator password admin1\n`);
    const router = await started(undefined, { config: { file } });
    router.apply('ipsec ike mode-cfg address pool 1 10.1.1.120-10.1.1.121/32');
    expect(await router.save()).toEqual({ kind: 'saved', path: file });
    expect(router.unsavedChanges).toBe(false);
    const saved = readFileSync(file, 'utf8');
    expect(saved).toContain('login password secret1');
    expect(saved).toContain('ipsec ike pre-shared-key 1 text PSKEY1');
    expect(router.showConfig()).toContain('login password *'); // what the console shows
    const reread = readConfig(saved);
    expect(reread.problems).toEqual([]);
    // The same settings (the file is in `show config` order, the model in the order lines came).
    const words = (model: typeof reread.model) => model.commands.map((command) => `${command.key} ${command.words.map((word) => word.value).join(' ')}`).sort();
    expect(words(reread.model)).toEqual(words(router.config));
  });

  it('save() on config text says where it cannot write and why; --save-to gives it a place', async () => {
    const router = await started();
    expect(await router.save()).toMatchObject({ kind: 'cannot-save', message: expect.stringContaining('--save-to') });
    const dir = mkdtempSync(join(tmpdir(), 'rtxlab-save-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const elsewhere = await started(undefined, { saveTo: join(dir, 'saved.txt') });
    expect(await elsewhere.save()).toEqual({ kind: 'saved', path: join(dir, 'saved.txt') });
    expect(readConfig(readFileSync(join(dir, 'saved.txt'))).model.commands.length).toBe(elsewhere.config.commands.length);
  });

  it('passwords: plain ones checked, none configured means no prompt, encrypted or masked ones need supplying', async () => {
    const none = await started('');
    expect(none.loginRequirement()).toEqual({ password: false, user: false });
    expect(none.checkLoginPassword('anything')).toEqual({ kind: 'none-configured' });

    const plain = await started('login password secret1\nadministrator password admin1\nlogin user alice wonder1\n');
    expect(plain.loginRequirement()).toEqual({ password: true, user: true });
    expect(plain.checkLoginPassword('secret1')).toEqual({ kind: 'ok' });
    expect(plain.checkLoginPassword('secret2')).toEqual({ kind: 'wrong' });
    expect(plain.checkAdministratorPassword('admin1')).toEqual({ kind: 'ok' });
    expect(plain.checkLoginPassword('wonder1', 'alice')).toEqual({ kind: 'ok' });
    expect(plain.checkLoginPassword('wonder1', 'bob')).toEqual({ kind: 'wrong' });

    const masked = await started('login password *\nadministrator password *\n');
    expect(masked.checkLoginPassword('x')).toMatchObject({ kind: 'unknown-secret', message: expect.stringContaining('--login-password') });
    const supplied = await started('login password *\nadministrator password *\n', { passwords: { login: 'given', administrator: 'root1' } });
    expect(supplied.checkLoginPassword('given')).toEqual({ kind: 'ok' });
    expect(supplied.checkAdministratorPassword('root1')).toEqual({ kind: 'ok' });
    expect(supplied.checkAdministratorPassword('root2')).toEqual({ kind: 'wrong' });
  });

  it('create() refuses what is no config text, and with strict any rejected line; otherwise it reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtxlab-create-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const binary = join(dir, 'config.bin');
    writeFileSync(binary, Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x01, 0x02, 0x80, 0x81].flatMap((byte) => Array<number>(64).fill(byte))));
    await expect(RtxRouter.create({ config: { file: binary } })).rejects.toThrow(/is not config text/);
    await expect(RtxRouter.create({ config: { text: 'frobnicate\n' }, strict: true })).rejects.toThrow(/1 line rejected; not starting \(strict\)/);
    const lenient = await RtxRouter.create({ config: { text: `${DEFAULT_CONFIG_TEXT}\nfrobnicate\n` } });
    expect(lenient.configReport.problems.map((problem) => problem.text)).toEqual(['frobnicate']);
    expect(lenient.startup.summary.join('\n')).toContain('1 line rejected');
    const poolless = await RtxRouter.create({ config: { text: DEFAULT_CONFIG_TEXT.replace(/^ipsec ike mode-cfg address pool .*$/m, '') } });
    expect(poolless.startup.warnings.join('\n')).toMatch(/pool/);
  });

  it('waitFor rejects after its timeout when nothing matches', async () => {
    const router = await started();
    await expect(router.waitFor('tunnel-up', () => true, 50)).rejects.toThrow(/tunnel-up/);
  });

  it('a listener that throws is reported as a problem and the router carries on', async () => {
    const router = await started();
    const problems: string[] = [];
    router.on('problem', (event) => problems.push(event.text));
    router.on('isakmp-sa-up', () => {
      throw new Error('listener bug');
    });
    await connected(router);
    expect(problems.some((text) => text.includes('listener bug'))).toBe(true);
  });
});
