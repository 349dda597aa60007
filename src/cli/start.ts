/**
 * `rtxlab start`: loads a config, builds the IKE responder for it and runs the router until
 * SIGINT or SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { isIP, isIPv4 } from 'node:net';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_CONFIG_TEXT } from '../config/default-config.js';
import { RTX1500_REV_8_03_75 } from '../config/device-identity.js';
import { rtxErrorMessage } from '../config/errors.js';
import type { ConfigModel } from '../config/model.js';
import { readConfig } from '../config/read-config.js';
import { consoleSettings } from '../config/views/console.js';
import { syslogSettings } from '../config/views/syslog.js';
import type { PreSharedKey } from '../config/views/index.js';
import { parsePskAssignment } from '../config/views/pre-shared-key.js';
import { buildConnectCommand } from './connect.js';
import type { CliIo } from './io.js';
import { createRtxIkeResponder } from '../ike-responder/policy-from-config.js';
import type { IkeResponder } from '../ike-responder/port.js';
import { bootLogMessages } from '../router/boot-banner.js';
import { systemClock, type Clock } from '../router/clock.js';
import { espSaFilePath } from '../router/esp-sa-file.js';
import { formatHostPort } from '../router/host-port.js';
import { LAN_HOST_UDP_ECHO_PORT, routerInside, type RouterInside } from '../router/lan.js';
import { LogSink } from '../router/log-sink.js';
import { Router, type ListeningAddresses, type RouterProblem } from '../router/router.js';
import { RouterStartError } from '../router/start-errors.js';
import type { SyslogSwitches } from '../router/syslog-settings.js';

export interface StartOptions {
  /** Config file; undefined: the embedded default. */
  readonly config?: string;
  readonly bind: string;
  readonly ikePort: number;
  readonly nattPort: number;
  /** Wireshark ikev1_decryption_table to append to. */
  readonly keys?: string;
  /** `--psk GATEWAY=KEY` (repeatable): keys for gateways whose config shows the key masked as `*`. */
  readonly psk?: ReadonlyMap<number, PreSharedKey>;
  /** `--half-open-timeout SECONDS`: how long an unfinished Phase 1 is kept (RTX value unknown: assumed 30 s). */
  readonly halfOpenTimeout?: number;
  /** `--answer-mode-cfg-requests`: rtxlab option, not RTX behaviour (an RTX never answers a mode-cfg REQUEST). */
  readonly answerModeCfgRequests?: boolean;
  /** `--lan-host ADDR` (repeatable): rtxlab option, simulated hosts behind the router answering ICMP echo and UDP echo (port 7). */
  readonly lanHost?: readonly string[];
  /** `--demo`: once listening, connect the bundled client to this router once and ping 10.1.1.1. */
  readonly demo?: boolean;
}

interface LoadedConfig {
  readonly model: ConfigModel;
  readonly syslog: SyslogSwitches;
  /** The config's `timezone` (default jst), for log timestamps. */
  readonly utcOffsetMinutes: number;
  /** What the reader had to say (bad lines it skipped, commands RTX1500 lacked), one line each. */
  readonly notes: readonly string[];
}

/** Builds the RTX's IKE behaviour for a loaded config and the command-line options. */
export type ResponderFactory = (config: ConfigModel, options: StartOptions) => IkeResponder;

export interface StartDependencies {
  readonly createResponder: ResponderFactory;
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
  createResponder: (model, options) =>
    createRtxIkeResponder(model, {
      ...(options.psk === undefined ? {} : { suppliedKeys: options.psk }),
      ...(options.halfOpenTimeout === undefined ? {} : { limits: { halfOpenTimeoutMs: options.halfOpenTimeout * 1000 } }),
      ...(options.answerModeCfgRequests === true ? { answerModeCfgRequests: true } : {}),
    }),
  defaultConfig: DEFAULT_CONFIG_TEXT,
  clock: systemClock,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  untilStopped: (cancel) => untilSignal(['SIGINT', 'SIGTERM'], cancel),
};

/** A config that cannot be read at all (a file that cannot be opened). */
export class ConfigLoadError extends Error {
  override name = 'ConfigLoadError';
}

export interface RunningRouter {
  readonly router: Router;
  readonly logSink: LogSink;
  readonly listening: ListeningAddresses;
  stop(): Promise<void>;
}

/**
 * Everything `rtxlab start` does up to listening: load the config, build the responder, open the
 * sockets, log the boot lines. Rejects with ConfigLoadError or RouterStartError (messages ready
 * for the operator).
 */
export async function startRouter(options: StartOptions, dependencies: Partial<StartDependencies> = {}): Promise<RunningRouter> {
  const deps = { ...defaultDependencies, ...dependencies };
  const loaded = await loadConfig(options.config, deps.defaultConfig);
  for (const note of loaded.notes) deps.stderr(`rtxlab: ${note}\n`);
  if (options.bind === '0.0.0.0' || options.bind === '::') {
    // node:dgram cannot tell which local address a datagram arrived on (no IP_PKTINFO).
    deps.stderr(`rtxlab: listening on every address: the responder will see ${options.bind} as its local address (NAT-D); prefer --bind with one address\n`);
  }
  const logSink = new LogSink({
    clock: deps.clock,
    settings: loaded.syslog,
    utcOffsetMinutes: loaded.utcOffsetMinutes,
    sendOut: (line) => deps.stdout(`${line}\n`),
  });
  const router = new Router({
    bind: options.bind,
    ikePort: options.ikePort,
    nattPort: options.nattPort,
    keysFile: options.keys,
    inside: insideFor(loaded.model, options.lanHost),
    responder: deps.createResponder(loaded.model, options),
    logSink,
    clock: deps.clock,
  });
  router.on('problem', (problem) => deps.stderr(`rtxlab: ${describeProblem(problem)}\n`));
  const listening = await router.start();
  for (const message of bootLogMessages(RTX1500_REV_8_03_75)) logSink.log('info', message);
  deps.stdout(
    `rtxlab: listening on UDP ${formatHostPort(listening.ike.address, listening.ike.port)} (IKE) and ` +
      `${formatHostPort(listening.natt.address, listening.natt.port)} (NAT-T)\n`,
  );
  if (options.keys !== undefined) {
    deps.stdout(`rtxlab: appending IKE SA keys to ${options.keys} (Wireshark ikev1_decryption_table)\n`);
    deps.stdout(`rtxlab: appending ESP SA keys to ${espSaFilePath(options.keys)} (Wireshark esp_sa)\n`);
  }
  return { router, logSink, listening, stop: () => router.stop() };
}

/** The `start` sub-command; `dependencies` replace the defaults (the responder factory above all). */
export function buildStartCommand(dependencies: Partial<StartDependencies> = {}): Command {
  const deps = { ...defaultDependencies, ...dependencies };
  return new Command('start')
    .description('run the emulated RTX1500: answer IKE on UDP 500 and 4500 of --bind')
    .option('--config <file>', 'RTX config file (default: the embedded seed config)')
    .option('--bind <address>', 'IP address to listen on', parseAddress, '127.0.0.1')
    .option('--ike-port <port>', 'UDP port for IKE', parsePort, 500)
    .option('--natt-port <port>', 'UDP port for NAT-T (RFC 3948)', parsePort, 4500)
    .option('--keys <file>', "append each IKE SA's keys to FILE (Wireshark ikev1_decryption_table) and each ESP SA's to FILE.esp_sa (Wireshark esp_sa)")
    .option('--psk <gateway=key>', 'pre-shared key for a gateway whose config shows it masked as * (repeatable; 0x... for hex)', collectPsk)
    .option(
      '--half-open-timeout <seconds>',
      'rtxlab option, not an RTX setting: seconds an unfinished Phase 1 is kept (default 30, the RTX value is unknown)',
      parsePositiveSeconds,
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
      '--demo',
      'rtxlab option: once listening, connect the bundled client (profile yms-vpn1) to this router once, ping 10.1.1.1 through the tunnel, and keep running',
    )
    .action(async function (this: Command, options: StartOptions) {
      const startupFailed = new AbortController();
      const stopRequested = deps.untilStopped(startupFailed.signal);
      let running: RunningRouter;
      try {
        running = await startRouter(options, deps);
      } catch (error) {
        startupFailed.abort();
        if (error instanceof RouterStartError || error instanceof ConfigLoadError) {
          this.error(`rtxlab: ${error.message}`, { exitCode: 1, code: 'rtxlab.start' });
        }
        throw error;
      }
      if (options.demo === true) await runDemoClient(running.listening, deps);
      const reason = await stopRequested;
      await running.stop();
      deps.stdout(`rtxlab: stopped (${reason})\n`);
    });
}

/**
 * `--demo`: the bundled client's own `rtxlab connect ... --ping 10.1.1.1` against this router,
 * printed between the router's log lines (its outcome does not stop the router).
 */
async function runDemoClient(listening: ListeningAddresses, deps: StartDependencies): Promise<void> {
  const { address } = listening.ike;
  deps.stdout(`rtxlab: --demo: rtxlab connect ${formatHostPort(address, listening.ike.port)} --natt-port ${listening.natt.port} --ping 10.1.1.1\n`);
  const io: CliIo = { stdout: deps.stdout, stderr: deps.stderr, readStdin: async () => new Uint8Array(), setExitCode: () => {} };
  const args = [formatHostPort(address, listening.ike.port), '--natt-port', String(listening.natt.port), '--local', address, '--ping', '10.1.1.1'];
  await buildConnectCommand(io).exitOverride().parseAsync(args, { from: 'user' });
}

async function loadConfig(file: string | undefined, defaultConfig: string): Promise<LoadedConfig> {
  let input: string | Uint8Array = defaultConfig;
  if (file !== undefined) {
    try {
      input = await readFile(file);
    } catch (error) {
      throw new ConfigLoadError(`cannot read config ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  const read = readConfig(input);
  const notes: string[] = [];
  const where = file ?? 'default config';
  for (const problem of read.problems) notes.push(`${where} line ${problem.line}: ${problem.text}: ${rtxErrorMessage(problem.error)}`);
  for (const warning of read.warnings) notes.push(`${where} line ${warning.line}: ${warning.text}: skipped (${warning.reason})`);
  return {
    model: read.model,
    syslog: syslogSettings(read.model),
    utcOffsetMinutes: consoleSettings(read.model).timezone.offsetMinutes,
    notes,
  };
}

function describeProblem(problem: RouterProblem): string {
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
  switch (problem.kind) {
    case 'responder-threw':
      return `internal error in the IKE responder (${problem.during}): ${problem.error instanceof Error && problem.error.stack ? problem.error.stack : reason(problem.error)}`;
    case 'send-failed':
      return `cannot send to ${formatHostPort(problem.to.address, problem.to.port)}: ${reason(problem.error)}`;
    case 'keys-file-failed':
      return `cannot write the keys file: ${reason(problem.error)}`;
    case 'socket-error':
      return `${problem.role} socket error: ${reason(problem.error)}`;
    case 'esp-sa-rejected':
      return `tunnel ${problem.tunnelId}: the ESP layer refused the SA pair: ${reason(problem.error)}`;
  }
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

function collectLanHost(value: string, previous: readonly string[] | undefined): readonly string[] {
  if (!isIPv4(value)) throw new InvalidArgumentError('must be an IPv4 address.');
  return [...(previous ?? []), value];
}

function insideFor(model: ConfigModel, lanHosts: readonly string[] | undefined): RouterInside {
  try {
    return routerInside(model, lanHosts);
  } catch (error) {
    throw new RouterStartError(error instanceof Error ? error.message : String(error), undefined);
  }
}

function parseAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('must be an IPv4 or IPv6 address.');
  return value;
}

/** Resolves with the first of `signals` received; never resolves once `cancel` aborts. */
function untilSignal(signals: readonly NodeJS.Signals[], cancel: AbortSignal): Promise<string> {
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
