/**
 * `rtxlab start`: builds an `RtxRouter` from a config and the command-line options and runs it
 * until SIGINT or SIGTERM, printing its log (or, with `--events ndjson`, every event as JSON).
 */
import { isIP, isIPv4 } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG_TEXT } from '../config/default-config.js';
import { MAX_TUNNELS_OPTION, RTX_MAX_TUNNEL_NUMBER } from '../config/limits.js';
import type { PreSharedKey } from '../config/views/index.js';
import { parsePskAssignment } from '../config/views/pre-shared-key.js';
import { addResponderLimitOptions, responderLimitsFrom, type ResponderLimitFlags } from './responder-limit-options.js';
import { addImpairOption, impairNotice, type ImpairFlags } from './impair-option.js';
import { buildConnectCommand } from './connect.js';
import { eventJson } from './event-json.js';
import type { CliIo } from './io.js';
import { parseManagementPort, startManagementListeners, type ManagementListeners, type ManagementPort } from './management-listeners.js';
import { systemClock, type Clock } from '../router/clock.js';
import { espSaFilePath } from '../router/esp-sa-file.js';
import { formatHostPort } from '../router/host-port.js';
import { LAN_HOST_UDP_ECHO_PORT } from '../router/lan.js';
import { ConfigLoadError, RtxRouter } from '../router/rtx-router.js';
import { ROUTER_EVENT_TYPES, type RtxRouterOptions } from '../router/rtx-router-api.js';
import { RouterStartError } from '../router/start-errors.js';
import { startWebServer, type RunningWebServer } from '../web/web-server.js';


/** `ResponderLimitFlags`: `--resend-interval`, `--half-open-per-peer`, ... (responder-limit-options.ts); `ImpairFlags`: `--impair` (impair-option.ts). */
export interface StartOptions extends ResponderLimitFlags, ImpairFlags {
  /** Config file; undefined: the embedded default. */
  readonly config?: string;
  readonly bind: string;
  /** `--mgmt-bind ADDR`: where telnet, SSH (and the web console) listen; 127.0.0.1 whatever --bind is. */
  readonly mgmtBind?: string;
  /** `--telnet-port N|config`, `--ssh-port N|config`, `--ssh-host-key FILE` (management-listeners.ts). */
  readonly telnetPort?: ManagementPort;
  readonly sshPort?: ManagementPort;
  readonly sshHostKey?: string;
  readonly ikePort: number;
  readonly nattPort: number;
  /** Wireshark ikev1_decryption_table to append to. */
  readonly keys?: string;
  /** `--psk GATEWAY=KEY` (repeatable): keys for gateways whose config shows the key masked as `*`. */
  readonly psk?: ReadonlyMap<number, PreSharedKey>;
  /** `--half-open-timeout SECONDS`: how long an unfinished Phase 1 is kept (RTX value unknown: assumed 30 s). */
  readonly halfOpenTimeout?: number;
  /** `--max-tunnels N`: rtxlab option, not RTX behaviour: tunnel numbers up to N (default the RTX's 100) for load tests. */
  readonly maxTunnels?: number;
  /** `--udp-receive-buffer BYTES`: rtxlab option, the IKE and NAT-T sockets' receive buffer. */
  readonly udpReceiveBuffer?: number;
  /** `--answer-mode-cfg-requests`: rtxlab option, not RTX behaviour (an RTX never answers a mode-cfg REQUEST). */
  readonly answerModeCfgRequests?: boolean;
  /** `--lan-host ADDR` (repeatable): rtxlab option, simulated hosts behind the router answering ICMP echo and UDP echo (port 7). */
  readonly lanHost?: readonly string[];
  /** `--lan-tun NAME`: rtxlab option, a TUN device for a real LAN behind the router. */
  readonly lanTun?: string;
  /** `--demo`: once listening, connect the bundled client to this router once and ping 10.1.1.1. */
  readonly demo?: boolean;
  /** `--save-to FILE`: where `save` writes (default: the --config file). */
  readonly saveTo?: string;
  readonly loginPassword?: string;
  readonly adminPassword?: string;
  readonly loginUser?: ReadonlyMap<string, string>;
  /** `--allow-outbound`: rtxlab option, let the router originate traffic to any address. */
  readonly allowOutbound?: boolean;
  /** `--pcap FILE`: every datagram on the IKE and NAT-T ports. */
  readonly pcap?: string;
  /** `--syslog-port N`: rtxlab option, the port of the `syslog host` hosts (default 514). */
  readonly syslogPort?: number;
  /** `--strict`: refuse to start on any rejected config line. */
  readonly strict?: boolean;
  /** `--newer-values`: apply values later than Rev.8.03. */
  readonly newerValues?: boolean;
  /** `--no-hints` makes it false: no `rtxlab:` hint lines (rtxlab's words, not RTX text). */
  readonly hints?: boolean;
  /** `--events ndjson`: stdout carries one JSON object per event instead of log lines. */
  readonly events?: 'ndjson';
  /** `--web-port N`: serve the web console (docs/web.md) on --mgmt-bind; default off. */
  readonly webPort?: number;
}

export interface StartDependencies {
  /** The config text used without --config (default: the embedded seed config). */
  readonly defaultConfig: string;
  readonly clock: Clock;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * Resolves when the router should stop (default: on SIGINT or SIGTERM), with the reason. Asked
   * before the router starts, so a signal during startup stops it too; `cancel` aborts when
   * startup fails (the default then removes its signal handlers).
   */
  readonly untilStopped: (cancel: AbortSignal) => Promise<string>;
}

const defaultDependencies: StartDependencies = {
  defaultConfig: DEFAULT_CONFIG_TEXT,
  clock: systemClock,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  untilStopped: (cancel) => untilSignal(['SIGINT', 'SIGTERM'], cancel),
};

/** The router options a `rtxlab start` (or `rtxlab console`) command line means. */
export function routerOptionsFrom(options: StartOptions, deps: Pick<StartDependencies, 'defaultConfig' | 'clock'>): RtxRouterOptions {
  const users = options.loginUser;
  const passwords = {
    ...(options.loginPassword === undefined ? {} : { login: options.loginPassword }),
    ...(options.adminPassword === undefined ? {} : { administrator: options.adminPassword }),
    ...(users === undefined ? {} : { users }),
  };
  const responderLimits = responderLimitsFrom(options);
  return {
    config: options.config === undefined ? { text: deps.defaultConfig } : { file: options.config },
    bind: options.bind,
    ikePort: options.ikePort,
    nattPort: options.nattPort,
    clock: deps.clock,
    ...(options.keys === undefined ? {} : { keysFile: options.keys }),
    ...(options.pcap === undefined ? {} : { pcapFile: options.pcap }),
    ...(options.syslogPort === undefined ? {} : { syslogPort: options.syslogPort }),
    ...(options.psk === undefined ? {} : { psk: options.psk }),
    ...(options.halfOpenTimeout === undefined ? {} : { halfOpenTimeoutSeconds: options.halfOpenTimeout }),
    ...(Object.keys(responderLimits).length === 0 ? {} : { responderLimits }),
    ...(options.maxTunnels === undefined ? {} : { maxTunnels: options.maxTunnels }),
    ...(options.udpReceiveBuffer === undefined ? {} : { udpReceiveBufferBytes: options.udpReceiveBuffer }),
    ...(options.impair === undefined ? {} : { impair: options.impair }),
    ...(options.answerModeCfgRequests === true ? { answerModeCfgRequests: true } : {}),
    ...(options.lanHost === undefined ? {} : { lanHosts: options.lanHost }),
    ...(options.lanTun === undefined ? {} : { lanTun: options.lanTun }),
    ...(options.saveTo === undefined ? {} : { saveTo: options.saveTo }),
    ...(options.allowOutbound === true ? { allowOutbound: true } : {}),
    ...(options.strict === true ? { strict: true } : {}),
    ...(options.newerValues === true ? { acceptNewerValues: true } : {}),
    ...(options.hints === false ? { hints: false } : {}),
    passwords,
  };
}

/**
 * Everything `rtxlab start` does up to listening: load the config, build the router, open the
 * sockets, log the boot lines. Rejects with ConfigLoadError or RouterStartError (messages ready
 * for the operator).
 */
export async function startRouter(options: StartOptions, dependencies: Partial<StartDependencies> = {}): Promise<RtxRouter> {
  const deps = { ...defaultDependencies, ...dependencies };
  const ndjson = options.events === 'ndjson';
  const print = (line: string) => deps.stdout(`${line}\n`);
  const routerOptions = routerOptionsFrom(options, deps);
  const router = await RtxRouter.create(ndjson ? routerOptions : { ...routerOptions, logOutput: print });
  reportStartup(router, deps.stderr);
  if (options.impair !== undefined) deps.stderr(impairNotice(options.impair));
  if (options.bind === '0.0.0.0' || options.bind === '::') {
    // node:dgram cannot tell which local address a datagram arrived on (no IP_PKTINFO).
    deps.stderr(`rtxlab: listening on every address: the responder will see ${options.bind} as its local address (NAT-D); prefer --bind with one address\n`);
  }
  if (ndjson) {
    for (const type of ROUTER_EVENT_TYPES) router.on(type, (event) => print(eventJson(event)));
  } else {
    router.on('problem', (event) => deps.stderr(`rtxlab: ${event.text}\n`));
    // On stdout among the log lines, marked as rtxlab's own: the RTX never prints these.
    router.on('hint', (event) => print(`rtxlab: ${event.text}`));
  }
  const listening = await router.start();
  if (!ndjson) {
    deps.stdout(
      `rtxlab: listening on UDP ${formatHostPort(listening.ike.address, listening.ike.port)} (IKE) and ` +
        `${formatHostPort(listening.natt.address, listening.natt.port)} (NAT-T)\n`,
    );
    if (options.pcap !== undefined) deps.stdout(`rtxlab: capturing to ${options.pcap} (pcap)\n`);
    if (options.keys !== undefined) {
      deps.stdout(`rtxlab: appending IKE SA keys to ${options.keys} (Wireshark ikev1_decryption_table)\n`);
      deps.stdout(`rtxlab: appending ESP SA keys to ${espSaFilePath(options.keys)} (Wireshark esp_sa)\n`);
    }
  }
  return router;
}


/** The `start` sub-command; `dependencies` replace the defaults (the responder factory above all). */
export function buildStartCommand(dependencies: Partial<StartDependencies> = {}): Command {
  const deps = { ...defaultDependencies, ...dependencies };
  return addRouterOptions(new Command('start').description('run the emulated RTX1500: answer IKE on UDP 500 and 4500 of --bind'))
    .addOption(new Option('--events <format>', 'print every router event on stdout, one JSON object per line, instead of the log (first: listening)').choices(['ndjson']))
    .option('--web-port <port>', 'serve the web console (terminal, live tunnels, IKE ladders; docs/web.md) on this TCP port of --mgmt-bind', parsePort)
    .option('--no-hints', "rtxlab option: leave out the `rtxlab:` hint lines (rtxlab's own explanations of a failing client, never RTX text; on by default)")
    .option(
      '--demo',
      'rtxlab option: once listening, connect the bundled client (profile yms-vpn1) to this router once, ping 10.1.1.1 through the tunnel, and keep running',
    )
    .action(async function (this: Command, options: StartOptions) {
      const startupFailed = new AbortController();
      const stopRequested = deps.untilStopped(startupFailed.signal);
      let running: RtxRouter;
      try {
        running = await startRouter(options, deps);
      } catch (error) {
        startupFailed.abort();
        if (error instanceof RouterStartError || error instanceof ConfigLoadError) {
          this.error(`rtxlab: ${error.message}`, { exitCode: 1, code: 'rtxlab.start' });
        }
        throw error;
      }
      let management: ManagementListeners;
      try {
        management = await startManagementListeners(running, options, (line) => deps.stdout(`${line}\n`), deps.clock);
      } catch (error) {
        startupFailed.abort();
        await running.stop();
        this.error(`rtxlab: management listener: ${(error as Error).message}`, { exitCode: 1, code: 'rtxlab.start' });
      }
      let web: RunningWebServer | undefined;
      if (options.webPort !== undefined) {
        const mgmtBind = options.mgmtBind ?? '127.0.0.1';
        try {
          web = await startWebServer({ router: running, host: mgmtBind, port: options.webPort });
        } catch (error) {
          startupFailed.abort();
          await management.close();
          await running.stop();
          const why = error instanceof Error ? error.message : String(error);
          this.error(`rtxlab: web console: cannot listen on TCP ${formatHostPort(mgmtBind, options.webPort)}: ${why}`, { exitCode: 1, code: 'rtxlab.start' });
        }
        deps.stderr(`rtxlab: web console on ${web.url}\n`);
      }
      if (options.demo === true && running.listening) await runDemoClient(running.listening, deps);
      const reason = await stopRequested;
      await web?.close();
      await management.close();
      await running.stop();
      // With --events ndjson stdout carries JSON only (the `stopped` event says it there).
      (options.events === 'ndjson' ? deps.stderr : deps.stdout)(`rtxlab: stopped (${reason})\n`);
    });
}

/** The options that build a router, shared by `rtxlab start` and `rtxlab console`. */
export function addRouterOptions(command: Command): Command {
  command
    .option('--config <file>', 'RTX config file (default: the embedded seed config)')
    .option('--bind <address>', 'IP address to listen on', parseAddress, '127.0.0.1')
    .option('--ike-port <port>', 'UDP port for IKE', parsePort, 500)
    .option('--mgmt-bind <address>', 'address the management listeners (telnet, SSH, web) listen on, whatever --bind is', parseAddress, '127.0.0.1')
    .option('--telnet-port <port>', 'run the telnet console (telnetd) on this TCP port (`config`: the `telnetd listen` port)', parseManagementPort)
    .option('--ssh-port <port>', 'rtxlab option on RTX1500 Rev.8.03.75: run the SSH console (sshd) on this TCP port (`config`: the `sshd listen` port)', parseManagementPort)
    .option('--ssh-host-key <file>', 'the SSH host key file (default: rtxlab_ssh_host_ed25519_key beside --config, generated when missing)')
    .option('--natt-port <port>', 'UDP port for NAT-T (RFC 3948)', parsePort, 4500)
    .option('--keys <file>', "append each IKE SA's keys to FILE (Wireshark ikev1_decryption_table) and each ESP SA's to FILE.esp_sa (Wireshark esp_sa)")
    .option('--psk <gateway=key>', 'pre-shared key for a gateway whose config shows it masked as * (repeatable; 0x... for hex)', collectPsk)
    .option(
      '--half-open-timeout <seconds>',
      'rtxlab option, not an RTX setting: seconds an unfinished Phase 1 is kept (default 30, the RTX value is unknown)',
      parsePositiveSeconds,
    )
    .option(
      '--max-tunnels <n>',
      `rtxlab option, not RTX behaviour, for load tests: accept tunnel and security gateway numbers up to N (the RTX1500 stops at ${RTX_MAX_TUNNEL_NUMBER}, assumed), so one \`tunnel template 1 2-N\` serves N peers, and make room for 2 N ISAKMP SAs and IPsec SA pairs (default ${RTX_MAX_TUNNEL_NUMBER})`,
      parseMaxTunnels,
    )
    .option(
      '--udp-receive-buffer <bytes>',
      "rtxlab option, not RTX behaviour, for load tests: the IKE and NAT-T sockets' receive buffer, so that a burst of datagrams waits instead of being dropped while the router is busy (the kernel caps it at net.core.rmem_max; default: the kernel's)",
      parseReceiveBuffer,
    )
    .option(
      '--answer-mode-cfg-requests',
      'rtxlab option, not RTX behaviour: answer a client\'s mode-cfg REQUEST with a REPLY (an RTX only pushes with SET; pull clients hang on it)',
    )
    .option(
      '--lan-host <address>',
      `rtxlab option, not an RTX setting: a simulated host behind the router that answers ICMP echo and UDP echo (port ${LAN_HOST_UDP_ECHO_PORT}) from a tunnel (repeatable)`,
      collectLanHost,
    )
    .option(
      '--lan-tun <name>',
      'rtxlab option, not an RTX setting: create TUN device NAME (root) for a real LAN behind the router: inner packets for nobody rtxlab simulates go out of it, and what the host routes into it enters the tunnels; give it an address and routes yourself (ip address add ... dev NAME; ip link set NAME up)',
    )
    .option('--pcap <file>', 'write every datagram sent and received on the IKE and NAT-T ports to FILE (pcap, raw IP; with --keys, tshark decrypts it: see README)')
    .option('--syslog-port <port>', 'rtxlab option: UDP port of the `syslog host` hosts (default 514; the RTX command takes no port)', parsePort)
    .option('--save-to <file>', 'where `save` writes the config (default: the --config file)')
    .option('--login-password <password>', 'the `login password` when the config holds it encrypted or masked (*)')
    .option('--admin-password <password>', 'the `administrator password` when the config holds it encrypted or masked (*)')
    .option('--login-user <name=password>', 'the password of a `login user` the config holds encrypted or masked (repeatable)', collectLoginUser)
    .option('--allow-outbound', 'rtxlab option: let the router originate traffic (syslog) to any address; by default only loopback and this host\'s own addresses')
    .option('--strict', 'refuse to start when any config line is rejected')
    .option('--newer-values', 'rtxlab option: apply values later than Rev.8.03 (aes256-cbc, sha256, modp2048, ...) instead of warning');
  // The responder's limits and fault injection after the rest: rtxlab options, rarely needed.
  return addImpairOption(addResponderLimitOptions(command));
}

/**
 * What reading the config had to say, on stderr: when lines were rejected or not applied, the
 * tally and the first few of them (never the file line by line); always, what will make every
 * client fail.
 */
export function reportStartup(router: RtxRouter, stderr: (text: string) => void): void {
  const { problems, warnings } = router.configReport;
  if (problems.length > 0 || warnings.length > 0) for (const line of router.startup.summary) stderr(`rtxlab: ${line}\n`);
  for (const warning of router.startup.warnings) stderr(`rtxlab: warning: ${warning}\n`);
}

/**
 * `--demo`: the bundled client's own `rtxlab connect ... --ping 10.1.1.1` against this router,
 * printed between the router's log lines (its outcome does not stop the router).
 */
async function runDemoClient(listening: NonNullable<RtxRouter['listening']>, deps: StartDependencies): Promise<void> {
  const { address } = listening.ike;
  deps.stdout(`rtxlab: --demo: rtxlab connect ${formatHostPort(address, listening.ike.port)} --natt-port ${listening.natt.port} --ping 10.1.1.1\n`);
  const io: CliIo = { stdout: deps.stdout, stderr: deps.stderr, readStdin: async () => new Uint8Array(), setExitCode: () => {} };
  const args = [formatHostPort(address, listening.ike.port), '--natt-port', String(listening.natt.port), '--local', address, '--ping', '10.1.1.1'];
  await buildConnectCommand(io).exitOverride().parseAsync(args, { from: 'user' });
}

/** Whole tunnels, at least the RTX's own limit (a lower one would refuse configs the RTX takes). */
function parseMaxTunnels(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < RTX_MAX_TUNNEL_NUMBER || count > MAX_TUNNELS_OPTION) {
    throw new InvalidArgumentError(`must be a whole number of tunnels, ${RTX_MAX_TUNNEL_NUMBER}-${MAX_TUNNELS_OPTION}.`);
  }
  return count;
}

/** 4 KB to 256 MB: below, the kernel's own minimum; above, surely a typo. */
function parseReceiveBuffer(value: string): number {
  const bytes = Number(value);
  if (!/^\d+$/.test(value) || bytes < 4_096 || bytes > 268_435_456) throw new InvalidArgumentError('must be a whole number of bytes, 4096-268435456.');
  return bytes;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a UDP port number, 0-65535 (0: any free port).');
  return port;
}

function parsePositiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('must be a positive number of seconds.');
  return seconds;
}

/** `--psk 1=PSKEY1` or `--psk 1=0x0a0b...`: the same two forms as `ipsec ike pre-shared-key`. */
function collectPsk(value: string, previous: ReadonlyMap<number, PreSharedKey> | undefined): ReadonlyMap<number, PreSharedKey> {
  const assignment = parsePskAssignment(value);
  if (assignment === undefined) throw new InvalidArgumentError('must be GATEWAY=KEY, e.g. 1=PSKEY1.');
  return new Map([...(previous ?? []), [assignment.gatewayId, assignment.key]]);
}

function collectLoginUser(value: string, previous: ReadonlyMap<string, string> | undefined): ReadonlyMap<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError('must be NAME=PASSWORD.');
  return new Map([...(previous ?? []), [value.slice(0, equals), value.slice(equals + 1)]]);
}

function collectLanHost(value: string, previous: readonly string[] | undefined): readonly string[] {
  if (!isIPv4(value)) throw new InvalidArgumentError('must be an IPv4 address.');
  return [...(previous ?? []), value];
}

function parseAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('must be an IPv4 or IPv6 address.');
  return value;
}

/** Resolves with the first of `signals` received; never resolves once `cancel` aborts. */
export function untilSignal(signals: readonly NodeJS.Signals[], cancel: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const removeHandlers = () => {
      for (const signal of signals) process.off(signal, onSignal);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      removeHandlers();
      resolve(signal);
    };
    for (const signal of signals) process.on(signal, onSignal);
    cancel.addEventListener('abort', removeHandlers, { once: true });
  });
}
