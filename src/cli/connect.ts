/**
 * `rtxlab connect GATEWAY[:PORT]`: the bundled IKEv1 client. Aggressive Mode PSK, XAUTH,
 * mode-cfg (push, or pull with --pull), Quick Mode, as a client profile plays them; prints each
 * exchange and the final state (virtual IP, SPIs, algorithms), exit status 1 when the tunnel does
 * not come up. With --count N --concurrency C it runs N handshakes and reports handshakes/s and
 * latency percentiles instead (--workers W spreads them over W processes). Defaults are the seed's client: id myid, PSK PSKEY1, user1/password.
 */
import { createSocket } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Identity } from '../ike/codec/index.js';
import {
  DEFAULT_TUNNEL_TIMING,
  identityFromText,
  parsePreSharedKey,
  formatPingReport,
  openEspChannel,
  pingThroughTunnel,
  runTunnelSession,
  resolveTunnelOptions,
  tunnelBound,
  type GatewayAddress,
  type ExchangeMode,
  type IdentityTypeName,
  type NatTraversalMode,
  type TunnelOptions,
  type TunnelSessionResult,
} from '../initiator/index.js';
import {
  PROFILE_NAMES,
  parseDhGroup,
  parseEspSuite,
  parseIkeSuite,
  profileNamed,
  profileTunnel,
  type ClientProfile,
  type EspSuite,
  type IkeSuite,
  type ProfileOverrides,
} from '../initiator/profiles/index.js';
import { openRawEspPath, type RawEspPath } from '../initiator/raw-esp-path.js';
import { checkLoadOptions, formatLoadReport, runLoad, type LoadReport } from '../matrix/load.js';
import { runLoadOnWorkers } from '../matrix/load-workers.js';
import { formatSessionSummary, summarizeSession } from '../matrix/session-summary.js';
import { processIo, type CliIo } from './io.js';

interface ConnectCliOptions {
  readonly profile: string;
  readonly id: string;
  readonly idType: IdentityTypeName;
  readonly psk: string;
  readonly user: string;
  readonly password: string;
  readonly auth?: 'psk' | 'xauth';
  readonly ike?: IkeSuite;
  readonly ikeLifetime?: number;
  readonly esp?: EspSuite;
  readonly espLifetime?: number;
  readonly pfs?: ReturnType<typeof parsePfs>;
  readonly pull?: boolean;
  readonly natT?: NatTraversalMode;
  readonly remoteNet?: Identity;
  readonly exchange?: ExchangeMode;
  readonly nattPort: number;
  readonly local?: string;
  readonly count: number;
  readonly concurrency: number;
  readonly workers: number;
  /** `--hold [SECONDS]`: load mode keeps the tunnels open until interrupted (true) or for SECONDS. */
  readonly hold?: true | number;
  /** `--id-from K`: `{n}` in --id counts from K. */
  readonly idFrom: number;
  readonly timeout?: number;
  readonly ping?: string;
  readonly pingCount: number;
  readonly json?: boolean;
}

export function buildConnectCommand(io: CliIo = processIo): Command {
  return new Command('connect')
    .description('connect to an RTX (or rtxlab) as an IKEv1 remote-access client: Aggressive Mode PSK, XAUTH, mode-cfg, Quick Mode')
    .argument('<gateway>', 'GATEWAY[:PORT]: IPv4 address (or [IPv6]) and IKE port (default 500)', parseGateway)
    .addOption(new Option('--profile <name>', 'the client to play (see docs/matrix.md)').choices(PROFILE_NAMES).default('yms-vpn1'))
    .option('--id <id>', 'IDii, matched against `ipsec ike remote name`', 'myid')
    .addOption(new Option('--id-type <type>', 'ID type of --id').choices(['fqdn', 'key-id', 'user-fqdn', 'ipv4']).default('fqdn'))
    .option('--psk <key>', 'pre-shared key (0x... for hex)', 'PSKEY1')
    .option('--user <name>', 'XAUTH user name', 'user1')
    .option('--password <pass>', 'XAUTH password', 'password')
    .addOption(new Option('--auth <method>', "Phase 1 auth method instead of the profile's: psk (no XAUTH, no mode-cfg) or xauth").choices(['psk', 'xauth']))
    .option('--ike <suite>', "one Phase 1 transform instead of the profile's, ENC-HASH-GROUP (e.g. 3des-sha1-modp1024)", parseIke)
    .option('--ike-lifetime <seconds>', 'ISAKMP SA lifetime to propose', parseSeconds)
    .option('--esp <suite>', "one ESP transform instead of the profile's, ENC-INTEGRITY (e.g. 3des-sha1)", parseEsp)
    .option('--esp-lifetime <seconds>', 'IPsec SA lifetime to propose', parseSeconds)
    .option('--pfs <group>', 'PFS in Quick Mode: a DH group (modp1024 or 2, ...) or off', parsePfs)
    .option('--pull', "ask for the address with a mode-cfg REQUEST (the profile's pull mode; an RTX never answers it)")
    .addOption(new Option('--nat-t <mode>', 'NAT traversal: on (float when a NAT is seen), off, force').choices(['on', 'off', 'force']))
    .option('--remote-net <cidr>', 'IDcr: the network behind the gateway (default 10.1.1.0/24, the seed\'s LAN)', parseNetwork)
    .addOption(new Option('--exchange <mode>', 'Phase 1 exchange: aggressive (the profile\'s) or main (RFC 2409 Main Mode: the RTX then chooses the gateway by our address, `ipsec ike remote address`)').choices(['aggressive', 'main']))
    .option('--natt-port <port>', "the gateway's NAT-T port", parsePort, 4500)
    .option('--local <address>', 'local address to send from (default: chosen by the system)', parseAddress)
    .option('--count <n>', 'load mode: run N full handshakes', parseCount, 1)
    .option('--concurrency <c>', 'load mode: at most C handshakes at a time', parseCount, 1)
    .option('--workers <w>', 'load mode: spread the handshakes over W worker processes (one core each where there are enough), so the generator is not the limit', parseCount, 1)
    .option('--hold [seconds]', 'load mode: keep every established tunnel open (answering the gateway\'s DPD) until interrupted (SIGINT, SIGTERM) or SECONDS have passed, then delete them; reports the time to establish them all', parseSeconds)
    .option('--id-from <k>', 'load mode: `{n}` in --id is the handshake\'s number, counting from K (--id client{n} --id-from 2: client2, client3, ..., the names `tunnel template` gives)', parseCount, 1)
    .option('--timeout <seconds>', 'bound on each handshake (default: every retransmission and wait of the client)', parseSeconds)
    .option('--ping <address>', 'once the tunnel is up, send ICMP echo requests to ADDRESS through it and report the replies (implies --nat-t force unless --nat-t is given; with --nat-t off, raw ESP, IP protocol 50, needs root)', parseAddress)
    .option('--ping-count <n>', 'how many echo requests --ping sends', parseCount, 3)
    .option('--json', 'machine-readable result on stdout')
    // One exit status per outcome: 0 up, 1 negotiation failed, 2 usage. Commander's own usage errors
    // (a bad --ike, an unknown option) would exit 1, the status of a failed negotiation.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (gateway: GatewayAddress, options: ConnectCliOptions) => {
      const fail = (text: string): void => {
        io.stderr(`rtxlab connect: ${text}\n`);
        io.setExitCode(2);
      };
      const profile = profileNamed(options.profile);
      if (!profile) return fail(`no profile ${options.profile}`);
      const loadProblems = checkLoadOptions(options.count, options.concurrency, options.workers);
      if (loadProblems.length > 0) return fail(loadProblems.join('; '));
      const localAddress = options.local ?? (await localAddressTowards(gateway.address));
      const target: GatewayAddress = { ...gateway, natTPort: options.nattPort };
      const runner = connectRunner({ gateway: target, options, localAddress }, options.hold !== undefined);
      if (!runner.ok) return fail(runner.text);
      const built = runner.tunnel;
      const deadlineMs = options.timeout === undefined ? undefined : options.timeout * 1000;

      if (options.count > 1 || options.concurrency > 1 || options.workers > 1 || options.hold !== undefined) {
        const job: ConnectLoadJob = { gateway: target, options, localAddress };
        const hold = options.hold === undefined ? undefined : { until: holdUntil(options.hold, io, options.json === true) };
        const report =
          options.workers > 1
            ? await runLoadOnWorkers({ count: options.count, concurrency: options.concurrency, workers: options.workers, entry: loadWorkerEntry(), job, ...(hold ? { hold } : {}) })
            : await runLoad({ count: options.count, concurrency: options.concurrency, run: runner.runOnce, ...(hold ? { hold } : {}) });
        if (options.json) io.stdout(`${JSON.stringify({ mode: 'load', profile: profile.name, gateway: target, ...report }, null, 2)}\n`);
        else io.stdout(`${formatLoadReport(report).join('\n')}\n`);
        io.setExitCode(report.failed === 0 ? 0 : 1);
        return;
      }

      if (!options.json) io.stdout(`${describeRun(profile, target, built, deadlineMs)}\n`);
      const result = await runTunnelSession({
        gateway: target,
        ...(options.local ? { local: { address: options.local } } : {}),
        tunnel: built,
        ...(deadlineMs ? { deadlineMs } : {}),
        // --ping needs the tunnel kept open after Quick Mode; otherwise the client deletes its SAs.
        ...(options.ping === undefined ? {} : { whenEstablished: 'keep' as const }),
      });
      const summary = summarizeSession(result);
      const ping = options.ping === undefined || result.outcome !== 'established' ? undefined : await pingThrough(result, options.ping, options.pingCount);
      if (options.json) {
        io.stdout(`${JSON.stringify({ mode: 'single', profile: profile.name, gateway: target, ...summary, ...(ping ? { ping: ping.json } : {}) }, null, 2)}\n`);
      } else {
        io.stdout(`${[...summary.transcript, '', ...formatSessionSummary(summary), ...(ping ? ['', ...ping.lines] : [])].join('\n')}\n`);
      }
      const pingFailed = ping !== undefined && !ping.answered;
      io.setExitCode(summary.outcome === 'established' && !pingFailed ? 0 : 1);
    });
}

/** What a load worker needs to run the same handshake as this command (plain data). */
export interface ConnectLoadJob {
  readonly gateway: GatewayAddress;
  readonly options: ConnectCliOptions;
  readonly localAddress: string;
}

type ConnectRunner =
  | { readonly ok: true; readonly tunnel: TunnelOptions; readonly runOnce: (index?: number) => Promise<TunnelSessionResult> }
  | { readonly ok: false; readonly text: string };

/**
 * The tunnel the options describe, and one handshake of it as load mode runs it: a load run
 * deletes each tunnel at once and counts a handshake when Quick Mode message 3 is sent, without
 * waiting out the gateway's resend interval for confirmation (with `hold`, it keeps the tunnel
 * open instead). `{n}` in --id is the handshake's number from --id-from (index 0 is K). Load
 * workers build theirs here too.
 */
export function connectRunner({ gateway, options, localAddress }: ConnectLoadJob, hold = false): ConnectRunner {
  const profile = profileNamed(options.profile);
  if (!profile) return { ok: false, text: `no profile ${options.profile}` };
  const tunnelFor = (index: number): { ok: true; options: TunnelOptions } | { ok: false; text: string } => {
    let identity: Identity;
    try {
      identity = identityFromText(options.id.replaceAll(ID_NUMBER, String((options.idFrom ?? 1) + index)), options.idType);
    } catch (error) {
      return { ok: false, text: (error as Error).message };
    }
    return profileTunnel(
      profile,
      { identity, preSharedKey: parsePreSharedKey(options.psk), xauth: { userName: options.user, password: options.password }, localAddress },
      overridesOf(options),
    );
  };
  const built = tunnelFor(0);
  if (!built.ok) return { ok: false, text: built.text };
  const numbered = options.id.includes(ID_NUMBER);
  const deadlineMs = options.timeout === undefined ? undefined : options.timeout * 1000;
  const runOnce = (index = 0): Promise<TunnelSessionResult> => {
    const tunnel = numbered ? tunnelFor(index) : built;
    if (!tunnel.ok) return Promise.reject(new Error(tunnel.text));
    return runTunnelSession({
      gateway,
      ...(options.local ? { local: { address: options.local } } : {}),
      tunnel: tunnel.options,
      ...(deadlineMs ? { deadlineMs } : {}),
      confirmation: 'skip',
      ...(hold ? { whenEstablished: 'keep' as const } : {}),
    });
  };
  return { ok: true, tunnel: built.options, runOnce };
}

/** In --id, the handshake's number (load mode). */
const ID_NUMBER = '{n}';

/**
 * Hold mode: once every handshake has ended, say how long establishing them took, then wait for
 * SIGINT or SIGTERM, or `--hold SECONDS`.
 */
function holdUntil(hold: true | number, io: CliIo, json: boolean): (established: LoadReport) => Promise<void> {
  return (established) => {
    const how = hold === true ? 'until interrupted (Ctrl-C)' : `for ${hold} s (or until interrupted)`;
    const text = `${established.established} of ${established.count} tunnels established in ${(established.wallMs / 1000).toFixed(2)} s; holding them open ${how}`;
    // The handlers first, then the line: whoever reads the line may signal at once.
    const released = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      };
      const timer = hold === true ? undefined : setTimeout(done, hold * 1000);
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    if (json) io.stderr(`rtxlab connect: ${text}\n`);
    else io.stdout(`${text}\n`);
    return released;
  };
}

/** The load worker's module, beside this one (.ts under tsx and the tests, .js when built). */
function loadWorkerEntry(): URL {
  return new URL(`./connect-load-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}

/** Pings through a kept tunnel, then closes it (deleting the SAs). */
async function pingThrough(
  result: Extract<TunnelSessionResult, { outcome: 'established' }>,
  destination: string,
  count: number,
): Promise<{ lines: string[]; json: unknown; answered: boolean }> {
  let rawPath: RawEspPath | undefined;
  try {
    // Without NAT traversal the SAs carry ESP as IP protocol 50: through the raw ESP helper (root).
    if (result.espSas?.udpEncapsulated === false && result.tunnel) {
      const raw = await openRawEspPath(result.tunnel.paths);
      if (!raw.ok) return { lines: [`ping: raw ESP (IP protocol 50) is unavailable: ${raw.reason}`], json: { problem: { kind: 'raw-esp-unavailable', text: raw.reason } }, answered: false };
      rawPath = raw.path;
    }
    const opened = openEspChannel(result, rawPath ? { rawEspPath: rawPath } : {});
    if (!opened.ok) return { lines: [`ping: ${opened.problem.text}`], json: { problem: opened.problem }, answered: false };
    const report = await pingThroughTunnel(opened.channel, destination, { count, intervalMs: 200, timeoutMs: 2000 });
    return { lines: formatPingReport(report), json: report, answered: report.summary.received > 0 };
  } finally {
    await result.tunnel?.close();
    await rawPath?.close();
  }
}

function overridesOf(options: ConnectCliOptions): ProfileOverrides {
  return {
    ...(options.ike ? { ike: options.ike } : {}),
    ...(options.ikeLifetime === undefined ? {} : { ikeLifeSeconds: options.ikeLifetime }),
    ...(options.auth ? { authMethod: options.auth === 'psk' ? 'pre-shared-key' : 'xauth-init-pre-shared' } : {}),
    ...(options.esp ? { esp: options.esp } : {}),
    ...(options.espLifetime === undefined ? {} : { espLifeSeconds: options.espLifetime }),
    ...(options.pfs === undefined ? {} : { pfs: options.pfs }),
    ...(options.pull ? { pull: true } : {}),
    // This client carries ESP only inside UDP (node:dgram has no raw sockets): to ping through the
    // tunnel without a NAT in the way, it must force NAT-T unless told otherwise.
    ...(options.natT ? { natTraversal: options.natT } : options.ping !== undefined ? { natTraversal: 'force' as const } : {}),
    ...(options.remoteNet ? { remoteNetwork: options.remoteNet } : {}),
    ...(options.exchange ? { exchangeMode: options.exchange } : {}),
  };
}

/** `connecting to 127.0.0.1:500 as yms-vpn1 (...)`: what is about to be tried, and when it would give up. */
function describeRun(profile: ClientProfile, gateway: GatewayAddress, options: TunnelOptions, deadlineMs: number | undefined): string {
  const proposals = options.phase1.proposals.map((p) => `${p.encryption}/${p.hash}/DH group ${p.group}`).join(', ');
  return [
    `rtxlab connect: ${gateway.address}:${gateway.port ?? 500} (NAT-T ${gateway.natTPort ?? 4500}) as ${profile.name}: ${profile.client}`,
    `  Phase 1 ${options.phase1.proposals[0]!.authMethod}, ${proposals}; message 3 ${options.phase1.message3.encrypt ? 'encrypted' : 'in clear'}; NAT-T ${options.phase1.natTraversal}`,
    `  ${options.xauth ? `XAUTH as ${options.xauth.credentials.userName}` : 'no XAUTH'}; mode-cfg ${options.modeCfg ? (options.modeCfg.pull ? 'pull' : 'push') : 'off'}; Quick Mode ${options.quickMode ? options.quickMode.proposals.map((p) => `${p.encryption}/${p.integrity}`).join(', ') : 'none'}${options.quickMode?.pfsGroup ? `, PFS group ${options.quickMode.pfsGroup}` : ''}`,
    `  ${giveUpText(options, deadlineMs)}`,
    '',
  ].join('\n');
}

/**
 * When the client gives up, as it will: the common failure (nothing answers message 1) ends after
 * every resend of message 1 has waited its time-out, far sooner than the bound on a whole session
 * (each later step's waits added up), which the session enforces as its deadline.
 */
export function giveUpText(options: TunnelOptions, deadlineMs: number | undefined): string {
  const resolved = resolveTunnelOptions(options);
  const wholeSessionMs = deadlineMs ?? tunnelBound(DEFAULT_TUNNEL_TIMING, resolved.maxXauthRounds, resolved.maxQuickMode3Resends + 1);
  const unansweredMs = Math.min(wholeSessionMs, DEFAULT_TUNNEL_TIMING.retransmitTimeoutsMs.reduce((sum, ms) => sum + ms, 0));
  const sends = DEFAULT_TUNNEL_TIMING.retransmitTimeoutsMs.length;
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  return `gives up after ${seconds(unansweredMs)} when message 1 goes unanswered (${sends} sends), after ${seconds(wholeSessionMs)} at most in all${deadlineMs === undefined ? '' : ' (--timeout)'}`;
}

/** The address the system would send from towards the gateway (IDci of profiles that name the host). */
async function localAddressTowards(gateway: string): Promise<string> {
  const socket = createSocket(isIPv6(gateway) ? 'udp6' : 'udp4');
  try {
    // connect() on UDP sends nothing: it only asks the kernel for the route and source address.
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(9, gateway, () => resolve());
    });
    return socket.address().address;
  } catch {
    return isIPv6(gateway) ? '::1' : '127.0.0.1';
  } finally {
    socket.close();
  }
}

// --- argument parsers ---------------------------------------------------------------------------

/** `192.0.2.1`, `192.0.2.1:500`, `[2001:db8::1]:500`, `2001:db8::1`. */
export function parseGateway(text: string): GatewayAddress {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(text);
  const [address, port] = bracketed ? [bracketed[1]!, bracketed[2]] : plain ? [plain[1]!, plain[2]] : [text, undefined];
  if (isIP(address) === 0) throw new InvalidArgumentError('must be an IP address, optionally with :PORT (IPv6 in brackets).');
  return { address, ...(port === undefined ? {} : { port: parsePort(port) }) };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('must be a UDP port number, 1-65535.');
  return port;
}

function parseAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('must be an IPv4 or IPv6 address.');
  return value;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 0xffffffff) throw new InvalidArgumentError('must be a whole number of seconds.');
  return seconds;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1) throw new InvalidArgumentError('must be a positive whole number.');
  return count;
}

function parseIke(value: string): IkeSuite {
  const parsed = parseIkeSuite(value);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.text}.`);
  return parsed.suite;
}

function parseEsp(value: string): EspSuite {
  const parsed = parseEspSuite(value);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.text}.`);
  return parsed.suite;
}

function parsePfs(value: string): NonNullable<ProfileOverrides['pfs']> {
  if (value.toLowerCase() === 'off') return 'off';
  const group = parseDhGroup(value);
  if (group === undefined) throw new InvalidArgumentError('must be off or a DH group: modp768, modp1024, modp1536, modp2048 (or 1, 2, 5, 14).');
  return group;
}

/** `10.1.1.0/24` as an IPV4_ADDR_SUBNET identity. */
function parseNetwork(value: string): Identity {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(value);
  const prefix = match ? Number(match[2]) : NaN;
  if (!match || isIP(match[1]!) !== 4 || prefix > 32) throw new InvalidArgumentError('must be an IPv4 network, ADDRESS/PREFIX (e.g. 10.1.1.0/24).');
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const netmask = [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
  return { kind: 'ipv4-subnet', address: match[1]!, netmask };
}
